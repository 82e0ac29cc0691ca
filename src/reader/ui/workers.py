"""Long jobs off the UI thread: imports (progress, cooperative cancel) and the list's queries.

An :class:`ImportJob` (on the UI thread) runs an :class:`ImportWorker` in a ``QThread``. The
worker opens its **own** :class:`~reader.library.library.Library` on the same file (a Library
belongs to the thread that opened it); the library commits in small batches, so the window's
connection sees documents arrive while the import runs (WAL lets it read meanwhile), and a cancel
between two files leaves every finished file in the library and no half-written one.

The job's ``finished`` / ``failed`` signals come after the thread has stopped, so whoever hears
them may forget the job at once. :func:`running_jobs` lists jobs whose thread still runs (tests
fail when one is left behind; the window waits for them when it closes).

:class:`BackgroundQueries` answers the document list's queries on a thread with its own
Library: the ids of 100,000 documents, or a search for a common word, take a tenth of a second
or more, which the window must not spend frozen. Only the newest question is answered: older
ones still waiting are skipped, and one in hand is stopped.

:class:`NewestJob` runs a read that a view asks for again and again (a symbol's history as the
reader flicks through symbols) on a :class:`LibraryJob`, one at a time: a request made while one
runs waits, only the newest waiting one is run next, and only the newest request's result is
delivered.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from reader.library.errors import LibraryError
from reader.library.import_process import BUG_MESSAGE, ImportProcess, import_and_group
from reader.library.library import DEFAULT_MAX_BYTES, Library
from reader.library.records import ImportReport
from reader.ui.models import Answer, DocumentQueries, Query, answer

#: Progress is reported at most this often (seconds): a 10,000-file import must not flood the
#: window's event loop with 10,000 queued signals.
PROGRESS_INTERVAL = 0.05
#: The import commits at least this often (seconds), so the list fills as documents arrive.
BATCH_SECONDS = 0.3
#: Processes that read and parse pages (None: the library's choice, one per CPU up to 4).
IMPORT_PROCESSES: int | None = None
#: Import in a child process (see reader.library.import_process): the window's event loop
#: never waits for the interpreter lock behind the import. Off: on the import's thread.
IMPORT_IN_CHILD = True

_running: set[ImportJob] = set()
_threads: set[QThread] = set()


def running_jobs() -> list[ImportJob]:
    return list(_running)


def live_threads() -> list[QThread]:
    """Every thread started here that has not been waited for (imports and queries)."""
    return [t for t in _threads if t.isRunning()]


class ImportWorker(QObject):
    """Imports ``paths`` into the library at ``db_path``; lives in the job's thread."""

    progress = Signal(int, int, str)  # done, total, the file just handled
    grouping = Signal()  # the import is done; the new pages are being grouped into stories
    finished = Signal(object)  # ImportReport (its ``cancelled`` says whether it was stopped)
    failed = Signal(str, str)  # a message for people, details (a traceback for bugs)

    def __init__(
        self, db_path: Path, paths: Sequence[str], max_bytes: int = DEFAULT_MAX_BYTES
    ) -> None:
        super().__init__()
        self.db_path = db_path
        self.paths = list(paths)
        self.max_bytes = max_bytes
        self._cancel = threading.Event()
        self._last_progress = 0.0

    def cancel(self) -> None:
        """Ask the import to stop after the file in hand (safe from any thread)."""
        self._cancel.set()

    def _progress(self, done: int, total: int, path: str) -> None:
        now = time.monotonic()
        if done == total or now - self._last_progress >= PROGRESS_INTERVAL:
            self._last_progress = now
            self.progress.emit(done, total, path)

    def _run_in_child(self) -> ImportReport | None:
        """Import (and group) in a child process, relaying its messages as signals.

        Returns the report, or None after emitting ``failed``.
        """
        child = ImportProcess(
            self.db_path,
            self.paths,
            max_bytes=self.max_bytes,
            batch_seconds=BATCH_SECONDS,
            workers=IMPORT_PROCESSES,
        )
        child.start()
        heard = False
        try:
            for message in child.messages(cancel=self._cancel.is_set):
                kind = message[0]
                if kind == "progress":
                    heard = True
                    self._progress(*message[1:])
                elif kind == "grouping":
                    self.grouping.emit()
                elif kind == "finished":
                    return message[1]
                elif kind == "failed":
                    self.failed.emit(message[1], message[2])
                    return None
                elif kind == "died" and not heard:
                    # It could not even start (an odd embedding of Python): import here instead.
                    return self._run_here()
                elif kind == "died":
                    self.failed.emit(*ImportProcess.died_message(message[1])[1:])
                    return None
        finally:
            child.join()
        return None  # not reached: messages() always ends with one of the above

    def _run_here(self) -> ImportReport:
        """Import (and group) on this thread."""
        return import_and_group(
            self.db_path,
            self.paths,
            max_bytes=self.max_bytes,
            batch_seconds=BATCH_SECONDS,
            workers=IMPORT_PROCESSES,
            progress=self._progress,
            cancel=self._cancel.is_set,
            grouping=self.grouping.emit,
        )

    @Slot()
    def run(self) -> None:
        try:
            if IMPORT_IN_CHILD and self.db_path != Path(":memory:"):
                found = self._run_in_child()
                if found is None:
                    return  # failed (the signal is sent)
                report = found
            else:
                report = self._run_here()
        except LibraryError as error:
            self.failed.emit(str(error), "")
        except Exception:  # a bug: say so in the window, with the details to report it
            self.failed.emit(BUG_MESSAGE, traceback.format_exc())
        else:
            self.finished.emit(report)
        finally:
            # Quit from here, not from a slot on the UI thread: a window closing waits for this
            # thread and processes no events meanwhile.
            QThread.currentThread().quit()


class ImportJob(QObject):
    """One import on its own thread. Create, connect, :meth:`start`; :meth:`cancel` any time."""

    progress = Signal(int, int, str)
    grouping = Signal()  # the pages are in; stories are being brought up to date
    finished = Signal(object)  # ImportReport, after the thread has stopped
    failed = Signal(str, str)  # message, details; after the thread has stopped

    def __init__(
        self,
        db_path: Path,
        paths: Sequence[str],
        max_bytes: int = DEFAULT_MAX_BYTES,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.paths = list(paths)
        self._thread = QThread()
        self._thread.setObjectName("import")
        self._worker = ImportWorker(db_path, paths, max_bytes)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progress.connect(self._on_progress)
        self._worker.grouping.connect(self.grouping)
        self._worker.finished.connect(self._on_finished)
        self._worker.failed.connect(self._on_failed)
        self._thread.finished.connect(self._on_thread_finished)
        self._outcome: tuple[str, tuple[object, ...]] | None = None
        self.cancelled = False

    def start(self) -> None:
        _running.add(self)
        _threads.add(self._thread)
        self._thread.start()

    def cancel(self) -> None:
        self.cancelled = True
        self._worker.cancel()

    def is_running(self) -> bool:
        return self in _running

    def wait(self, ms: int = 30_000) -> bool:
        """Block until the thread has stopped (closing the window); True when it has."""
        stopped = self._thread.wait(ms)
        if stopped:  # its finished signal may never be delivered now: forget it here
            _running.discard(self)
            _threads.discard(self._thread)
        return stopped

    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, path: str) -> None:
        self.progress.emit(done, total, path)

    @Slot(object)
    def _on_finished(self, report: ImportReport) -> None:
        self._outcome = ("finished", (report,))

    @Slot(str, str)
    def _on_failed(self, message: str, details: str) -> None:
        self._outcome = ("failed", (message, details))

    @Slot()
    def _on_thread_finished(self) -> None:
        self._thread.wait()
        _running.discard(self)
        _threads.discard(self._thread)
        outcome = self._outcome or (
            "failed",
            ("The import stopped before it could report what it did.", ""),
        )
        if outcome[0] == "finished":
            self.finished.emit(*outcome[1])
        else:
            self.failed.emit(*outcome[1])


class _QueryWorker(QObject):
    answered = Signal(object)

    def __init__(self, db_path: Path) -> None:
        super().__init__()
        self.db_path = db_path
        self._lib: Library | None = None
        self._lock = threading.Lock()
        self._newest = 0  # questions older than this are skipped, or stopped if running
        self._running: int | None = None  # the generation being answered
        self._stopped: set[int] = set()  # generations interrupted from the UI thread

    def supersede(self, generation: int) -> None:
        """A newer question is coming (called on the UI thread): stop an older one in hand."""
        with self._lock:
            self._newest = generation
            if self._running is not None and self._running < generation and self._lib:
                self._stopped.add(self._running)
                # Thread-safe by design (sqlite3_interrupt).
                self._lib.interrupt()

    @Slot(object)
    def ask(self, query: Query) -> None:
        if query.generation < self._newest:
            return
        if self._lib is None:
            try:
                self._lib = Library(self.db_path)
            except LibraryError as error:
                self.answered.emit(Answer(query, [], 0, error))
                return
        while True:
            with self._lock:
                if query.generation < self._newest:
                    return
                self._running = query.generation
            reply = answer(self._lib, query)
            with self._lock:
                self._running = None
                interrupted = query.generation in self._stopped
                self._stopped.discard(query.generation)
            if not interrupted:
                self.answered.emit(reply)
                return
            # Stopped for a newer question; if the newer one is this very question (the stop
            # came a moment late), ask again.

    @Slot()
    def stop(self) -> None:
        if self._lib is not None:
            self._lib.close()
            self._lib = None
        QThread.currentThread().quit()


class BackgroundQueries(DocumentQueries):
    """The document list's queries, answered on a thread of their own (see the module notes).

    A new question stops the one in hand (a search for one letter can take a second in a big
    library; the next keystroke should not wait for it).
    """

    _asked = Signal(object)
    _stop = Signal()

    def __init__(self, library: Library, parent: QObject | None = None) -> None:
        super().__init__(library, parent)
        self._thread = QThread()
        self._thread.setObjectName("list queries")
        self._worker = _QueryWorker(Path(library.path))
        self._worker.moveToThread(self._thread)
        self._asked.connect(self._worker.ask)
        self._stop.connect(self._worker.stop)
        self._worker.answered.connect(self.answered)
        _threads.add(self._thread)
        self._thread.start()

    def ask(self, query: Query) -> None:
        self._worker.supersede(query.generation)
        self._asked.emit(query)

    def close(self) -> None:
        """Stop the query in hand, close the thread's Library, and wait for the thread."""
        if self._thread.isRunning():
            self._worker.supersede(1 << 62)
            self._stop.emit()
            self._thread.wait()
        _threads.discard(self._thread)


class _LibraryWorker(QObject):
    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str, str)

    def __init__(self, db_path: Path, fn: object) -> None:
        super().__init__()
        self.db_path = db_path
        self.fn = fn
        self._cancel = threading.Event()
        self._last = 0.0
        self._lib: Library | None = None
        self._lib_lock = threading.Lock()

    def _progress(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done == total or now - self._last >= PROGRESS_INTERVAL:
            self._last = now
            self.progress.emit(done, total)

    def interrupt(self) -> None:
        """Cancel, and abort the query running now (safe from any thread): for read-only jobs,
        whose owner is going away and must not wait for a long query to finish."""
        self._cancel.set()
        with self._lib_lock:
            if self._lib is not None:
                self._lib.interrupt()

    @Slot()
    def run(self) -> None:
        try:
            with Library(self.db_path) as lib:
                with self._lib_lock:
                    self._lib = lib
                try:
                    result = self.fn(lib, self._progress, self._cancel.is_set)  # type: ignore[operator]
                finally:
                    with self._lib_lock:
                        self._lib = None
        except LibraryError as error:
            self.failed.emit(str(error), "")
        except Exception:
            self.failed.emit(
                "The job stopped because of an error in Dump Reader. What it finished is in the "
                "library. Please report this with the details below.",
                traceback.format_exc(),
            )
        else:
            self.finished.emit(result)
        finally:
            QThread.currentThread().quit()


class LibraryJob(QObject):
    """Any long library job on its own thread, with its own Library (tag everywhere, say).

    ``fn(lib, progress, cancel)`` runs on the thread; ``progress(done, total)`` and ``cancel()``
    are the cooperative hooks the core functions take. ``finished(result)`` / ``failed`` come
    after the thread has stopped, like :class:`ImportJob`'s.
    """

    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str, str)

    def __init__(self, db_path: Path, fn: object, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = QThread()
        self._thread.setObjectName(name)
        self._worker = _LibraryWorker(db_path, fn)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progress.connect(self.progress)
        self._worker.finished.connect(self._on_finished)
        self._worker.failed.connect(self._on_failed)
        self._thread.finished.connect(self._on_thread_finished)
        self._outcome: tuple[str, tuple[object, ...]] | None = None

    def start(self) -> None:
        _running.add(self)  # type: ignore[arg-type]
        _threads.add(self._thread)
        self._thread.start()

    def cancel(self) -> None:
        self._worker._cancel.set()

    def interrupt(self) -> None:
        """Cancel and abort the running query (read-only jobs: see _LibraryWorker.interrupt)."""
        self._worker.interrupt()

    def is_running(self) -> bool:
        return self in _running

    def wait(self, ms: int = 30_000) -> bool:
        stopped = self._thread.wait(ms)
        if stopped:
            _running.discard(self)  # type: ignore[arg-type]
            _threads.discard(self._thread)
        return stopped

    @Slot(object)
    def _on_finished(self, result: object) -> None:
        self._outcome = ("finished", (result,))

    @Slot(str, str)
    def _on_failed(self, message: str, details: str) -> None:
        self._outcome = ("failed", (message, details))

    @Slot()
    def _on_thread_finished(self) -> None:
        self._thread.wait()
        _running.discard(self)  # type: ignore[arg-type]
        _threads.discard(self._thread)
        outcome = self._outcome or ("failed", ("The job stopped before it could report.", ""))
        if outcome[0] == "finished":
            self.finished.emit(*outcome[1])
        else:
            self.failed.emit(*outcome[1])


_NOTHING = object()


class NewestJob(QObject):
    """``fn(lib, request)`` for the newest request, off the UI thread (see the module notes).

    ``busyChanged(True)`` when a request starts and ``(False)`` when the newest one has been
    answered; ``done(request, result)`` or ``failed(request, message, details)`` only for the
    newest request. A library without a file (in memory, in tests) is read at once instead.
    :meth:`close` waits for the job in hand (call it before the owner goes away).
    """

    done = Signal(object, object)
    failed = Signal(object, str, str)
    busyChanged = Signal(bool)

    def __init__(
        self,
        library: Library,
        fn: Callable[[Library, Any], Any],
        name: str,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._lib = library
        self._db = library.path if isinstance(library.path, Path) else None
        self._fn = fn
        self._name = name
        self._job: LibraryJob | None = None
        self._wanted: Any = _NOTHING
        self._closed = False

    def is_busy(self) -> bool:
        return self._job is not None

    def request(self, request: Any) -> None:
        if self._closed:
            return
        self._wanted = request
        if self._db is None:
            self.busyChanged.emit(True)
            try:
                result = self._fn(self._lib, request)
            except LibraryError as error:
                self.failed.emit(request, str(error), "")
            else:
                self.done.emit(request, result)
            self.busyChanged.emit(False)
        elif self._job is None:
            self.busyChanged.emit(True)
            self._start(request)

    def _start(self, request: Any) -> None:
        assert self._db is not None
        fn = self._fn
        job = LibraryJob(self._db, lambda lib, _p, _c: fn(lib, request), self._name, self)
        job.finished.connect(lambda result: self._ended(job, request, result, None))
        job.failed.connect(lambda message, why: self._ended(job, request, None, (message, why)))
        self._job = job
        job.start()

    def _ended(
        self, job: LibraryJob, request: Any, result: Any, error: tuple[str, str] | None
    ) -> None:
        self._job = None
        job.deleteLater()
        if self._closed:
            return
        if request != self._wanted:  # a newer request came meanwhile: run that one
            self._start(self._wanted)
            return
        if error is None:
            self.done.emit(request, result)
        else:
            self.failed.emit(request, *error)
        self.busyChanged.emit(False)

    def close(self) -> None:
        """Deliver nothing more; wait for the job in hand (its thread must not outlive us)."""
        self._closed = True
        if self._job is not None:
            job, self._job = self._job, None
            # Nothing of it may arrive after this: its owner may be gone by then.
            job.finished.disconnect()
            job.failed.disconnect()
            job.interrupt()  # read-only: abort its query rather than wait it out
            job.wait()
            job.deleteLater()
