"""Importing dump folders into a library: scan, recognise unchanged files, decode, parse, store.

What happens to each file (see DUMP_FORMAT.md, "Rules that hold for every page"):

* a path seen before with the same size and modification time is *unchanged* and is not read;
* a new path whose text is already a document is a *duplicate*: the path is added to it;
* a new path with new text is *imported* as a new document;
* a known path whose text changed *updates* its document (annotations re-anchored) when no other
  path holds the old text; otherwise the path moves to a new document and the old one keeps its
  annotations.

How it is fast: reading, decoding and parsing are pure functions of a file, so for large imports
they run in worker processes (:mod:`concurrent.futures`), starting while the scan still runs,
and come back as flat records
(:mod:`reader.library.page_record`) while this process does nothing but write SQLite, in
file order so document ids stay deterministic. A bounded number of chunks is in
flight, so memory stays flat however large the dump. Small imports stay in-process: starting
workers costs more than it saves.

What else reads the pages: a :class:`PageHook` (the story grouping) may read each new body
beside the parser, in the workers, and take the new documents in the writer's transactions —
so an import groups its pages as it writes them, and the library needs to know nothing of
stories.

How it is safe: the import commits in batches of a fraction of a second, so the window's list
fills while it runs and a cancel or a crash leaves every finished file in the library and no
half-written one. One bad file is reported and the rest goes on.
"""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from reader.ingest.decode import read_page
from reader.ingest.page import DecodedPage, ParsedPage, RefusedFile
from reader.ingest.profiles import parse_page
from reader.ingest.scan import ScanEntry, scan
from reader.library import schema
from reader.library.page_record import (
    CONTENT_HASH,
    DATE,
    PageRecord,
    body_of,
    page_record,
    to_pages,
)
from reader.library.records import ImportReport

if TYPE_CHECKING:
    from reader.library.library import Library

#: The scan's reason for files that are simply not pages: counted as skipped, not failed.
NOT_A_PAGE = "not a .txt page"

#: Commit at least this often (seconds) by default. The window passes a shorter interval so
#: its list fills as documents arrive; the command line a longer one, because each commit makes
#: the full-text index flush a segment, and fewer, larger segments are faster to write.
BATCH_SECONDS = 2.0

#: An import of at least this many new files into a library holding fewer than half as many
#: documents is a *bulk* import: it drops the read-only indexes and builds them at the end
#: (schema.REBUILDABLE_INDEXES), which is cheaper than updating them row by row.
BULK_MIN_FILES = 2000

#: Below this many files to read, parse in this process (workers take ~0.2 s to start).
PARALLEL_MIN_FILES = 400
CHUNK = 64  # files per task sent to a worker
#: Chunks queued or done but not yet written. Deep enough that the workers keep going while the
#: scan runs (measured: ~8 of them are done when a 10,000-page scan ends), shallow enough to
#: bound memory (~10 MB of records) on any dump.
IN_FLIGHT = 12
WRITE_BATCH = 64  # new documents written with one executemany per table
EXTRA = 11  # a record's field after the page_record ones: what a PageHook read of the body

#: What preparing one file gives: its page and parse, or the reason it was refused.
Prepared = tuple[DecodedPage, ParsedPage] | str


class PageHook(Protocol):
    """Reads each page an import adds, as the import writes it: the story grouping
    (:class:`reader.stories.on_import.ImportGrouping`), which the library does not know.

    ``read(body, path)`` runs beside the parser, in the worker processes of a large import (so
    it must be a module-level function), and what it returns comes back with the page. The
    other methods run in the writing process, inside the import's transactions.
    """

    read: Callable[[str, str], Any]

    def begin(self) -> None:
        """A transaction has begun."""

    def written(self, pages: list[tuple[int, str, str | None, str, Any]]) -> None:
        """New documents were written: (id, content hash, the page's own date, its path,
        what ``read`` gave), in id order."""

    def commit(self) -> None:
        """The transaction is about to be committed."""

    def finish(self) -> None:
        """The import is done (not cancelled), before its last commit."""

    def abort(self) -> None:
        """The transaction was rolled back."""


def prepare(path: str, max_bytes: int, size: int | None) -> Prepared:
    """Read, decode and parse one file (runs in a worker process for large imports)."""
    try:
        page = read_page(path, max_bytes=max_bytes, size=size)
    except RefusedFile as refused:
        return refused.reason
    return page, parse_page(page.text)


def prepare_record(
    path: str, max_bytes: int, size: int | None, read: Callable[[str, str], Any] | None = None
) -> PageRecord | str:
    """:func:`prepare` as a :mod:`~reader.library.page_record` record, what the writer takes;
    with ``read`` (a :class:`PageHook`'s), what it makes of the body follows the record."""
    result = prepare(path, max_bytes, size)
    if isinstance(result, str):
        return result
    record = page_record(*result)
    return record if read is None else (*record, read(body_of(record), path))


def _prepare_chunk(
    items: list[tuple[str, int]], max_bytes: int, read: Callable[[str, str], Any] | None
) -> list[PageRecord | str]:
    records = [prepare_record(path, max_bytes, size) for path, size in items]
    if read is None:
        return records
    # The hook's reading after all the parsing, not page by page: each keeps its code and
    # tables in the CPU's caches for the whole chunk (measured: 5% less time).
    return [
        r if isinstance(r, str) else (*r, read(body_of(r), path))
        for r, (path, _) in zip(records, items, strict=True)
    ]


def default_workers() -> int:
    """Worker processes for a large import: one CPU each, but one CPU left for the writer.

    The writer (this process, SQLite) is what limits an import; measured on two CPUs, two
    spawned workers beside it slowed the writer more than they helped, because the three
    processes took turns on two cores. At most four: parsing never needs more to keep up.
    """
    return max(0, min(4, (os.cpu_count() or 1) - 1))


def worker_context() -> multiprocessing.context.BaseContext:
    """How worker processes start: forked when that is safe, spawned otherwise.

    A fork starts in milliseconds with everything already imported; a spawned worker takes
    ~0.2 s of a CPU to start Python and import the parser, which is a tenth of a 10,000-page
    import. Forking is only safe on Linux, in a process with no other thread and no Qt (the
    command line); the window's process has Qt threads a fork would copy mid-state, so it
    spawns.
    """
    if sys.platform == "linux" and threading.active_count() == 1 and "PySide6" not in sys.modules:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


class _Pipeline:
    """Prepares the files the scan finds, in worker processes once there are enough of them.

    Files are handed over while the scan is still walking the folders (:meth:`add`), so the
    workers start and parse the first chunks while this process scans the rest; the writer
    then takes the records in scan order (:meth:`results`). At most :data:`IN_FLIGHT` chunks
    are queued or waiting for the writer, which bounds memory.
    """

    def __init__(
        self, max_bytes: int, workers: int, read: Callable[[str, str], Any] | None = None
    ) -> None:
        self.max_bytes, self.workers, self.read = max_bytes, workers, read
        self.entries: list[ScanEntry] = []
        self.submitted = 0  # entries handed to the pool so far, in order
        self.pending: deque[tuple[list[ScanEntry], Future[list[PageRecord | str]]]] = deque()
        self.pool: ProcessPoolExecutor | None = None

    def add(self, entry: ScanEntry) -> None:
        self.entries.append(entry)
        if self.workers < 1:
            return
        if self.pool is None and len(self.entries) >= PARALLEL_MIN_FILES:
            self.pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=worker_context())
        if self.pool is not None:
            self._submit(final=False)

    def __len__(self) -> int:
        return len(self.entries)

    def _submit(self, *, final: bool) -> None:
        """Queue whole chunks (and, once the scan is over, the last partial one)."""
        assert self.pool is not None
        while len(self.pending) < IN_FLIGHT:
            left = len(self.entries) - self.submitted
            if left == 0 or (left < CHUNK and not final):
                return
            chunk = self.entries[self.submitted : self.submitted + CHUNK]
            items = [(e.path, e.size) for e in chunk]
            future = self.pool.submit(_prepare_chunk, items, self.max_bytes, self.read)
            self.pending.append((chunk, future))
            self.submitted += len(chunk)

    def results(self) -> Iterator[tuple[ScanEntry, PageRecord | str]]:
        """Each entry with its record or refusal, in scan order (call once, after the scan)."""
        max_bytes, read = self.max_bytes, self.read
        try:
            if self.pool is None:
                for entry in self.entries:
                    yield entry, prepare_record(entry.path, max_bytes, entry.size, read)
                return
            while True:
                self._submit(final=True)
                if not self.pending:
                    return
                chunk, future = self.pending[0]
                try:
                    records = future.result()
                except BrokenProcessPool:
                    # Workers could not start or died (an odd embedding, a frozen bundle,
                    # memory): finish the rest in this process rather than fail the import.
                    rest = [e for c, _ in self.pending for e in c] + self.entries[self.submitted :]
                    self.pending.clear()
                    for entry in rest:
                        yield entry, prepare_record(entry.path, max_bytes, entry.size, read)
                    return
                self.pending.popleft()
                yield from zip(chunk, records, strict=True)
        finally:
            self.close()

    def close(self) -> None:
        """Stop the workers, dropping work not yet started (a cancel, an error)."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
        self.pending.clear()


def import_paths(
    lib: Library,
    paths: Iterable[str | os.PathLike[str]],
    *,
    max_bytes: int,
    progress: Callable[[int, int, str], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    workers: int | None = None,
    batch_seconds: float = BATCH_SECONDS,
    hook: PageHook | None = None,
) -> ImportReport:
    """Import ``paths`` (folders or files) into ``lib``; see the module docstring.

    ``progress(done, total, path)`` is called after each file; ``cancel()`` is asked between
    files and stops the import cleanly (``report.cancelled``) when it returns true.
    ``workers`` is the number of worker processes (default: :func:`default_workers`); 0 keeps
    everything in this process.
    ``batch_seconds`` is the longest time between commits. ``hook`` reads each new page as it
    is written (:class:`PageHook`).
    """
    report = ImportReport()
    roots = [Path(os.path.abspath(os.fspath(p))) for p in paths]
    conn = lib.conn
    known = _known_paths(conn, roots)
    if workers is None:
        workers = default_workers()
    pipeline = _Pipeline(max_bytes, workers, None if hook is None else hook.read)
    try:
        return _import(
            lib, roots, known, pipeline, report, progress, cancel, batch_seconds, hook or _NoHook()
        )
    finally:
        pipeline.close()


def _import(
    lib: Library,
    roots: list[Path],
    known: dict[str, tuple[int, int, int]],
    pipeline: _Pipeline,
    report: ImportReport,
    progress: Callable[[int, int, str], None] | None,
    cancel: Callable[[], bool] | None,
    batch_seconds: float,
    hook: PageHook,
) -> ImportReport:
    from reader.library.library import now

    conn = lib.conn
    total = 0
    for entry in scan(roots):
        if entry.skipped is not None:
            target = report.skipped if entry.skipped == NOT_A_PAGE else report.failed
            target.append((entry.path, entry.skipped))
            continue
        total += 1
        seen = known.get(entry.path)
        if seen is not None and seen[1] == entry.size and seen[2] == entry.mtime_ns:
            report.unchanged += 1
        else:
            pipeline.add(entry)  # workers start on it while the scan goes on
    done = report.unchanged
    if progress is not None and done:
        progress(done, total, "")
    stamp = now()
    existing = conn.execute("SELECT count(*) FROM documents").fetchone()[0] if len(pipeline) else 0
    hashes = _ContentHashes(conn, preload=existing <= len(pipeline))
    writer = _Writer(lib, known, hashes, stamp, report, hook)
    bulk = len(pipeline) >= BULK_MIN_FILES and len(pipeline) > 2 * existing
    conn.execute("BEGIN IMMEDIATE")
    try:
        if bulk:
            schema.drop_indexes(conn)
        for root in roots:
            if root.is_dir():
                conn.execute(
                    "INSERT INTO folders (path, added_at, scanned_at) VALUES (?, ?, ?)"
                    " ON CONFLICT(path) DO UPDATE SET scanned_at = excluded.scanned_at",
                    (str(root), stamp, stamp),
                )
        batch_started = time.monotonic()
        writer.begin()
        hook.begin()
        prepared = pipeline.results()
        try:
            for entry, result in prepared:
                if cancel is not None and cancel():
                    report.cancelled = True
                    break
                writer.store(entry, result)
                done += 1
                if time.monotonic() - batch_started > batch_seconds:
                    writer.flush()
                    hook.commit()
                    conn.execute("COMMIT")
                    conn.execute("BEGIN IMMEDIATE")
                    writer.begin()
                    hook.begin()
                    batch_started = time.monotonic()
                if progress is not None:
                    progress(done, total, entry.path)
        finally:
            prepared.close()
        writer.flush()
        if report.cancelled:
            hook.commit()
        else:
            hook.finish()
        if bulk:
            schema.restore_indexes(conn)
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        hook.abort()
        if bulk:  # earlier batches were committed without them
            _restore_indexes_after_failure(conn)
        raise
    conn.execute("COMMIT")
    return report


def _known_paths(
    conn: sqlite3.Connection, roots: Iterable[Path]
) -> dict[str, tuple[int, int, int]]:
    """path → (document, size, mtime) for the library's paths under ``roots``, the only ones
    the scan can meet: importing a new folder into a large library loads none of the others
    (a 100,000-path library held ~30 MB of them in the window's memory)."""
    known: dict[str, tuple[int, int, int]] = {}
    for root in roots:
        top = str(root)
        inside = top if top.endswith(os.sep) else top + os.sep
        after = inside[:-1] + chr(ord(os.sep) + 1)  # the first string past every inside + …
        for row in conn.execute(
            "SELECT path, document_id, size, mtime_ns FROM paths"
            " WHERE path = ? OR (path >= ? AND path < ?)",
            (top, inside, after),
        ):
            known[row[0]] = (row[1], row[2], row[3])
    return known


class _ContentHashes:
    """content hash → document id, for recognising text the library already has.

    All in memory when the import is at least as large as the library (one query instead of
    one a page); otherwise looked up in the library's unique index page by page, so importing
    a folder into a large library does not load every hash (~15 MB at 100,000 documents).
    Documents this import adds are always remembered here: they may not be written yet.
    """

    def __init__(self, conn: sqlite3.Connection, *, preload: bool) -> None:
        self.conn = conn
        self.lookup = not preload
        self.mem: dict[str, int] = (
            {h: i for h, i in conn.execute("SELECT content_hash, id FROM documents")}
            if preload
            else {}
        )

    def get(self, content_hash: str) -> int | None:
        found = self.mem.get(content_hash)
        if found is None and self.lookup:
            row = self.conn.execute(
                "SELECT id FROM documents WHERE content_hash = ?", (content_hash,)
            ).fetchone()
            if row is not None:
                found = row[0]
        return found

    def __setitem__(self, content_hash: str, doc_id: int) -> None:
        self.mem[content_hash] = doc_id

    def pop(self, content_hash: str) -> None:
        """Forget a hash whose document now has other text (the library already says so)."""
        self.mem.pop(content_hash, None)


def _restore_indexes_after_failure(conn: sqlite3.Connection) -> None:
    """Put the dropped indexes back after an import failed, if the file still lets us.

    When it does not (a full disk, say), the next opening of the library restores them.
    """
    try:
        conn.execute("BEGIN IMMEDIATE")
        schema.restore_indexes(conn)
        conn.execute("COMMIT")
    except sqlite3.Error:
        if conn.in_transaction:
            conn.execute("ROLLBACK")


class _NoHook:
    """No :class:`PageHook`: nothing is read beside the parser."""

    read = None

    def begin(self) -> None:
        pass

    def written(self, pages: list[tuple[int, str, str | None, str, Any]]) -> None:
        pass

    commit = finish = abort = begin


class _Writer:
    """Stores prepared files, keeping in memory what it must look up for every file.

    New documents, the common case, are buffered and written :data:`WRITE_BATCH` at a time with
    one ``executemany`` per table (:meth:`Library._insert_records`), which saves the writer
    most of its per-statement cost. Their ids are handed out here, from the largest id in the
    file when the transaction began; :meth:`flush` runs before every commit and before any
    other kind of write, so the buffer never spans a commit or goes out of order.
    """

    def __init__(
        self,
        lib: Library,
        known: dict[str, tuple[int, int, int]],
        hashes: _ContentHashes,
        stamp: str,
        report: ImportReport,
        hook: PageHook,
    ) -> None:
        self.lib, self.known, self.hashes, self.stamp, self.report = (
            lib,
            known,
            hashes,
            stamp,
            report,
        )
        self.hook = hook
        self.new_documents: list[tuple[int, PageRecord]] = []
        self.new_paths: list[tuple[int, int, int, str, str]] = []
        self.new_pages: list[tuple[int, str, str | None, str, Any]] = []  # for the hook
        self.next_id = 0

    def begin(self) -> None:
        """Call after each BEGIN: another import may have added documents in between."""
        self.next_id = self.lib._next_document_id()

    def flush(self) -> None:
        """Write the buffered documents and paths (inside the transaction)."""
        if self.new_documents:
            self.lib._insert_records(self.new_documents, self.stamp)
            self.new_documents.clear()
        if self.new_paths:
            self.lib.conn.executemany(
                "INSERT INTO paths (document_id, size, mtime_ns, seen_at, path) VALUES (?,?,?,?,?)",
                self.new_paths,
            )
            self.new_paths.clear()
        if self.new_pages:
            self.hook.written(self.new_pages)
            self.new_pages = []

    def store(self, entry: ScanEntry, result: PageRecord | str) -> None:
        report, path = self.report, entry.path
        if isinstance(result, str):
            report.failed.append((path, result))
            return
        content_hash = result[CONTENT_HASH]
        seen = self.known.get(path)
        existing_id = self.hashes.get(content_hash)
        if existing_id is not None:
            # Touched but unchanged (same document), or the text of another document.
            self._remember(path, existing_id, entry, new=seen is None)
            if seen is not None and seen[0] == existing_id:
                report.unchanged += 1
            else:
                report.duplicates += 1
            return
        if seen is not None:
            self.flush()
            old_id = seen[0]
            others = self.lib.conn.execute(
                "SELECT count(*) FROM paths WHERE document_id = ? AND path != ?", (old_id, path)
            ).fetchone()[0]
            if others == 0:
                old_hash = self.lib.conn.execute(
                    "SELECT content_hash FROM documents WHERE id = ?", (old_id,)
                ).fetchone()[0]
                page, parsed = to_pages(result)
                moved, orphaned = self.lib._replace_document_text(
                    old_id, content_hash, page.text, page.encoding, parsed, self.stamp
                )
                self.hashes.pop(old_hash)
                self.hashes[content_hash] = old_id
                report.reanchored += moved
                report.orphaned += orphaned
                self._remember(path, old_id, entry, new=False)
                report.updated += 1
                report.document_ids.append(old_id)
                return
        doc_id = self.next_id
        self.next_id += 1
        self.new_documents.append((doc_id, result))
        if len(result) > EXTRA:  # what the hook read of it
            self.new_pages.append((doc_id, content_hash, result[DATE], path, result[EXTRA]))
        self.hashes[content_hash] = doc_id
        self._remember(path, doc_id, entry, new=seen is None)
        report.imported += 1
        report.document_ids.append(doc_id)
        if len(self.new_documents) >= WRITE_BATCH:
            self.flush()

    def _remember(self, path: str, doc_id: int, entry: ScanEntry, *, new: bool) -> None:
        if new:
            self.new_paths.append((doc_id, entry.size, entry.mtime_ns, self.stamp, path))
        else:
            self.flush()  # the path may now point at a document still in the buffer
            self.lib.conn.execute(
                "UPDATE paths SET document_id = ?, size = ?, mtime_ns = ?, seen_at = ?"
                " WHERE path = ?",
                (doc_id, entry.size, entry.mtime_ns, self.stamp, path),
            )
        self.known[path] = (doc_id, entry.size, entry.mtime_ns)
