"""An import in a child process, for the window: its Python never competes with the event loop.

The window used to import on one of its own threads. Importing (and grouping the new pages into
stories afterwards) is Python work that holds the interpreter lock most of the time, while every
cell the document list paints calls into Python too; measured on 100,000 documents, single frames
waited 50–130 ms for the lock during a 10,000-page import. A child process has an interpreter of
its own: the window's thread only reads messages from a pipe. Being free of Qt, the child can
also fork its parsing workers (see :func:`reader.library.importer.worker_context`).

Messages, in order: ``("progress", done, total, path)`` (at most every
:data:`PROGRESS_INTERVAL` seconds, and the last one), ``("grouping",)`` when the import is done
and the stories are being brought up to date, then exactly one of ``("finished", report)``,
``("failed", message, details)``, or ``("died", exitcode)`` when the child ended without a last
word (it could not start, or was killed).
"""

from __future__ import annotations

import multiprocessing
import os
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.library.records import ImportReport

PROGRESS_INTERVAL = 0.05
#: How much lower the child's scheduling priority is than the window's (POSIX ``nice``).
CHILD_NICENESS = 10

#: What the window says when the child fails because of a bug (details: the traceback).
BUG_MESSAGE = (
    "The import stopped because of an error in Dump Reader. The files imported before it are "
    "in the library. Please report this with the details below."
)


def import_and_group(
    db_path: str | Path,
    paths: Sequence[str],
    *,
    max_bytes: int,
    batch_seconds: float,
    workers: int | None,
    progress: Callable[[int, int, str], None],
    cancel: Callable[[], bool],
    grouping: Callable[[], None] | None = None,
) -> ImportReport:
    """What the window's import does, wherever it runs: import ``paths``, grouping the new
    pages into stories as they are written, then (unless cancelled; ``grouping()`` says so
    first) group what is left ungrouped, a batch per transaction, so the window's own edits are
    never kept waiting. A cancel during that leaves the rest for the next import or
    ``reader stories``."""
    from reader.library.library import Library

    # Lazily: stories stand on the library, not the other way round.
    from reader.stories.on_import import import_grouped

    with Library(db_path) as lib:
        report = import_grouped(
            lib,
            paths,
            max_bytes=max_bytes,
            progress=progress,
            cancel=cancel,
            batch_seconds=batch_seconds,
            workers=workers,
            catching_up=grouping,
        )
    return report


def _child(
    db_path: str,
    paths: list[str],
    max_bytes: int,
    batch_seconds: float,
    workers: int | None,
    conn: Connection,
    cancel: Event,
) -> None:
    """The child process: :func:`import_and_group`, reporting through ``conn``."""
    if hasattr(os, "nice"):
        # Background work: when the window wants a CPU (two cores, and this process and its
        # parsing worker busy on both), the window gets it first.
        os.nice(CHILD_NICENESS)
    from reader.library.errors import LibraryError

    last = 0.0

    def progress(done: int, total: int, path: str) -> None:
        nonlocal last
        now = time.monotonic()
        if done == total or now - last >= PROGRESS_INTERVAL:
            last = now
            conn.send(("progress", done, total, path))

    try:
        report = import_and_group(
            db_path,
            paths,
            max_bytes=max_bytes,
            batch_seconds=batch_seconds,
            workers=workers,
            progress=progress,
            cancel=cancel.is_set,
            grouping=lambda: conn.send(("grouping",)),
        )
        conn.send(("finished", report))
    except LibraryError as error:
        conn.send(("failed", str(error), ""))
    except Exception:  # a bug: the window shows it with the details to report
        conn.send(("failed", BUG_MESSAGE, traceback.format_exc()))
    finally:
        conn.close()


class ImportProcess:
    """The parent's handle on one import in a child process: start, read messages, cancel."""

    def __init__(
        self,
        db_path: Path,
        paths: Sequence[str],
        *,
        max_bytes: int,
        batch_seconds: float,
        workers: int | None = None,
    ) -> None:
        # Spawned, never forked: the window's process has Qt threads a fork would copy.
        context = multiprocessing.get_context("spawn")
        self._messages, sender = context.Pipe(duplex=False)
        self._cancel = context.Event()
        self._sender = sender
        self._process = context.Process(
            target=_child,
            args=(
                str(db_path),
                list(paths),
                max_bytes,
                batch_seconds,
                workers,
                sender,
                self._cancel,
            ),
            name="reader-import",
        )

    def start(self) -> None:
        self._process.start()
        self._sender.close()  # the child holds the only writing end: EOF when it ends

    def cancel(self) -> None:
        """Ask the import to stop after the file in hand (safe from any thread)."""
        self._cancel.set()

    def messages(
        self, poll: float = 0.1, cancel: Callable[[], bool] | None = None
    ) -> Iterator[tuple]:
        """The child's messages as they come; always ends with "finished", "failed" or "died".

        ``cancel()`` is asked at least every ``poll`` seconds; when true, the child is asked to
        stop (and still sends its last message).
        """
        while True:
            if cancel is not None and cancel():
                self.cancel()
            try:
                if not self._messages.poll(poll):
                    if self._process.is_alive():
                        continue
                    if not self._messages.poll(0):  # it ended without a last word
                        break
                message = self._messages.recv()
            except (EOFError, OSError):
                break
            yield message
            if message[0] in ("finished", "failed"):
                return
        self._process.join()
        yield ("died", self._process.exitcode)

    @staticmethod
    def died_message(exitcode: int | None) -> tuple[str, str, str]:
        """The "failed" message for a child that ended without a last word."""
        return (
            "failed",
            "The import process ended unexpectedly. The files imported before it are in the "
            "library; import the folder again to finish.",
            f"exit code {exitcode}",
        )

    def join(self, timeout: float | None = None) -> None:
        self._process.join(timeout)
        self._messages.close()
