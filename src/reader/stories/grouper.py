"""Comparing an import's new pages in a process of their own, beside the one that writes them.

An import's writing process is its bottleneck: it inserts every page, and SQLite's work is most
of its time. Grouping there (weighing a batch's vectors, finding candidates in the index and
comparing) added 53–63 % to a 100,000-page import. That work needs no write
access — only the pages' summaries, the document frequencies, the candidate index and the
signatures of earlier pages — so a *grouper* process does it
(:meth:`~reader.stories.grouping.Grouping.compare_new`) while the writer goes on inserting, and
the writer only places each compared batch in its stories and stores its signatures
(:meth:`~reader.stories.grouping.Grouping.place_compared`), in its own transaction.

The grouper starts from the writer's document frequencies and builds its candidate index from
the library as committed: the import has stored no signature yet when it starts, so both sides
hold the same state. Batches go in id order and come back in order; the grouper keeps the
signatures it made (the writer's are not committed yet, so it could not read them), and reads
older pages' from the library, read-only. The stories are the ones grouping in the writer
would make (``tests/stories/test_grouper.py``).

If the grouper fails, the pages it had not given back are left unread, for
:func:`~reader.stories.grouping.group_pending` to catch up on after the import.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import queue
import sqlite3
import threading
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from reader.stories import pairs
from reader.stories.grouping import Compared, Grouping, Packed, _Batch

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

Page = tuple[int, str, str | None, Packed]

#: How much lower the grouper's scheduling priority is than the import's (POSIX ``nice``): the
#: parsing workers and the writer come first, and the grouper takes the time they leave.
NICENESS = 19

#: Batches handed to the grouper and not yet placed, at most: bounds the memory both hold.
AHEAD = 32

#: Bytes each pipe holds (Linux; elsewhere the system's default). A batch is ~450 KB going
#: and ~225 KB coming back: through the default 64 KB the writer's send waited, several times a
#: batch, for the grouper — at the lowest priority, its reading thread behind its comparing one
#: for the interpreter lock — to be scheduled and read. Measured on 100,000 pages, four rounds
#: side by side: grouping added 25.9 % to the import with the default pipes, 17.2 % with these.
PIPE_BYTES = 1 << 20


class GrouperError(RuntimeError):
    """The grouper process failed or went away."""


class Grouper:
    """The writer's handle on a grouper process (see the module docstring)."""

    def __init__(self, path: str | Path, context: BaseContext) -> None:
        """Start the process; it waits for :meth:`start` (the state to start from), so it can
        be forked early, while the writer has no other thread, and cost next to nothing if the
        import turns out to have no batch for it."""
        # One pipe each way, the grouper reading its own on a thread: a batch sent while the
        # grouper sends a result back would otherwise fill both pipes, each side waiting for
        # the other to read.
        inbox, self.outbox = context.Pipe(duplex=False)
        self.pipe, answers = context.Pipe(duplex=False)
        _widen(self.outbox)
        _widen(answers)
        self.process = context.Process(
            target=_serve,
            args=(inbox, answers, str(path)),
            name="reader-grouper",
            daemon=True,
        )
        self.process.start()
        inbox.close()
        answers.close()
        self.started = False
        self.sent: list[Sequence[Page]] = []  # batches handed over, not yet taken back

    def start(self, df: np.ndarray, documents: int) -> None:
        """Give the grouper the document frequencies and page count to start from."""
        self._put(("start", (df.astype("<u4").tobytes(), documents)))
        self.started = True

    def send(self, pages: Sequence[Page]) -> None:
        self._put(("compare", list(pages)))
        self.sent.append(pages)

    def ready(self) -> bool:
        """Whether the oldest batch sent has been compared (taking it will not wait)."""
        return bool(self.sent) and self.pipe.poll()

    def take(self) -> tuple[Sequence[Page], Compared]:
        """The oldest batch sent and what the grouper made of it (waits for it)."""
        try:
            answer = self.pipe.recv()
        except (EOFError, OSError) as error:
            raise GrouperError(f"the grouper process ended ({self.process.exitcode})") from error
        if isinstance(answer, str):
            raise GrouperError(answer)
        return self.sent.pop(0), answer

    def close(self) -> None:
        """Stop the process (at once: what it has not given back is dropped)."""
        try:
            self._put(("stop", None))
        except GrouperError:
            pass
        self.outbox.close()
        self.pipe.close()
        self.process.join(timeout=2)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.sent.clear()

    def _put(self, message: tuple) -> None:
        try:
            self.outbox.send(message)
        except (OSError, ValueError) as error:
            raise GrouperError(f"the grouper process ended ({self.process.exitcode})") from error


def _widen(pipe: multiprocessing.connection.Connection) -> None:
    """Let ``pipe`` hold :data:`PIPE_BYTES`, where the system allows it (best effort)."""
    setting = getattr(fcntl, "F_SETPIPE_SZ", None) if fcntl is not None else None
    if setting is None:
        return
    try:
        fcntl.fcntl(pipe.fileno(), setting, PIPE_BYTES)
    except OSError:  # over the system's limit (fs.pipe-max-size): keep the default
        pass


class _Comparer(Grouping):
    """The grouping as the grouper process holds it: no library, a read-only connection, and
    the signatures of the pages it compared, which the writer has not committed yet."""

    def __init__(self, conn: sqlite3.Connection, df: np.ndarray, documents: int) -> None:
        self.conn = conn
        self._init_state()
        self.df, self.documents = df, documents
        self.made = _Made()

    def _keep(self, batch: _Batch) -> None:
        self.made.add(batch)

    def _stored_signatures(
        self, ids: Sequence[int]
    ) -> tuple[list[int], list[str | None], pairs.Signatures]:
        made, dates, sigs, older = self.made.get(ids)
        if not older:
            return made, dates, sigs
        more, more_dates, more_sigs = super()._stored_signatures(older)
        return made + more, dates + more_dates, pairs.Signatures.concatenate(sigs, more_sigs)


class _Made:
    """The signatures of the pages the grouper compared, laid end to end in growing arrays,
    so a batch's candidates among them are gathered with a few array operations. (Kept as
    each batch's byte strings, cutting a candidate's out and joining them again was a fifth of
    the grouper's time.)"""

    def __init__(self) -> None:
        self.ids = _Growing(np.int64)  # ascending: batches come in id order
        self.dates: list[str | None] = []
        self.sketches = _Growing(np.dtype("<u4"))
        self.sketch_bounds = _Growing(np.intp, 0)
        self.terms = _Growing(np.dtype("<u4"))
        self.weights = _Growing(np.dtype("<f4"))
        self.term_bounds = _Growing(np.intp, 0)
        self.names = _Growing(np.dtype("<u4"))
        self.name_bounds = _Growing(np.intp, 0)

    def add(self, batch: _Batch) -> None:
        """Keep a compared batch's signatures."""
        sigs = batch.sigs
        self.ids.extend(np.asarray(batch.ids, np.int64))
        self.dates.extend(batch.dates)
        for values, bounds, more, more_bounds in (
            (self.sketches, self.sketch_bounds, sigs.sketches, sigs.sketch_bounds),
            (self.terms, self.term_bounds, sigs.terms, sigs.term_bounds),
            (self.names, self.name_bounds, sigs.names, sigs.name_bounds),
        ):
            bounds.extend(more_bounds[1:] + len(values))
            values.extend(more)
        self.weights.extend(sigs.weights)

    def get(
        self, ids: Sequence[int]
    ) -> tuple[list[int], list[str | None], pairs.Signatures, list[int]]:
        """The signatures held of ``ids`` — (their ids, dates, signatures) — and the ids not
        held."""
        held_ids = self.ids.values
        wanted = np.asarray(ids, np.int64)
        if len(held_ids):
            at = np.minimum(np.searchsorted(held_ids, wanted), len(held_ids) - 1)
            held = held_ids[at] == wanted
        else:
            at, held = np.zeros(len(wanted), np.intp), np.zeros(len(wanted), bool)
        which = at[held]
        sigs = pairs.Signatures(
            self.sketches.values,
            self.sketch_bounds.values,
            self.terms.values,
            self.weights.values,
            self.term_bounds.values,
            self.names.values,
            self.name_bounds.values,
        ).take(which)
        dates = [self.dates[i] for i in which.tolist()]
        return wanted[held].tolist(), dates, sigs, wanted[~held].tolist()


class _Growing:
    """An array appended to at its end, its room grown by a quarter when full: appending is
    amortised constant time, not a copy of everything before, and at most a quarter of it is
    room not yet used (these hold most of the grouper's memory)."""

    def __init__(self, dtype: np.dtype | type, *first: int) -> None:
        self.data = np.empty(max(1024, len(first)), dtype)
        self.size = len(first)
        self.data[: self.size] = first

    @property
    def values(self) -> np.ndarray:
        return self.data[: self.size]

    def __len__(self) -> int:
        return self.size

    def extend(self, more: np.ndarray) -> None:
        end = self.size + len(more)
        if end > len(self.data):
            grown = np.empty(max(end, len(self.data) * 5 // 4), self.data.dtype)
            grown[: self.size] = self.values
            self.data = grown
        self.data[self.size : end] = more
        self.size = end


def _serve(
    inbox: multiprocessing.connection.Connection,
    answers: multiprocessing.connection.Connection,
    path: str,
) -> None:
    """The grouper process: from the state it is started with, compare each batch received,
    in order, until told to stop."""
    if hasattr(os, "nice"):
        os.nice(NICENESS)
    received: queue.SimpleQueue[tuple[str, object]] = queue.SimpleQueue()
    threading.Thread(target=_receive, args=(inbox, received), daemon=True).start()
    kind, state = received.get()
    if kind != "start" or not isinstance(state, tuple):
        return
    try:
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
        conn.execute("SELECT 1 FROM document_signatures LIMIT 1").fetchall()
    except sqlite3.Error:  # told to the writer at its first batch, which groups it all after
        _answer_failure(answers, traceback.format_exc())
        return
    comparer = _Comparer(conn, np.frombuffer(state[0], "<u4").astype(np.uint32), state[1])
    try:
        while True:
            kind, pages = received.get()
            if kind != "compare" or not isinstance(pages, list):
                return
            try:
                answer: Compared | str = comparer.compare_new(pages)
            except Exception:  # reported to the writer, which leaves the pages unread
                answer = traceback.format_exc()
            answers.send(answer)
            if isinstance(answer, str):
                return
    except (BrokenPipeError, ConnectionResetError):
        return  # the writer stopped listening: a cancel, or it failed
    finally:
        conn.close()


def _answer_failure(answers: multiprocessing.connection.Connection, message: str) -> None:
    try:
        answers.send(message)
    except OSError:
        pass


def _receive(
    inbox: multiprocessing.connection.Connection, received: queue.SimpleQueue[tuple[str, object]]
) -> None:
    try:
        while True:
            message = inbox.recv()
            received.put(message)
            if message[0] == "stop":
                return
    except (EOFError, OSError):
        received.put(("stop", None))
