"""Importing dump folders into a library: scan, recognise unchanged files, decode, parse, store.

The import commits in small batches (a fraction of a second of work each), so the window's list
fills while it runs and a cancel or a crash leaves every finished file in the library and no
half-written one. One bad file is reported and the rest goes on.

What happens to each file (see DUMP_FORMAT.md, "Rules that hold for every page"):

* a path seen before with the same size and modification time is *unchanged* and is not read;
* a new path whose text is already a document is a *duplicate*: the path is added to it;
* a new path with new text is *imported* as a new document;
* a known path whose text changed *updates* its document (annotations re-anchored) when no other
  path holds the old text; otherwise the path moves to a new document and the old one keeps its
  annotations.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from reader.ingest.decode import read_page
from reader.ingest.page import RefusedFile
from reader.ingest.profiles import parse_page
from reader.ingest.scan import ScanEntry, scan
from reader.library.records import ImportReport

if TYPE_CHECKING:
    from reader.library.library import Library

#: The scan's reason for files that are simply not pages: counted as skipped, not failed.
NOT_A_PAGE = "not a .txt page"

#: Commit at least this often (seconds), so readers see progress and a cancel loses nothing.
BATCH_SECONDS = 0.25
BATCH_FILES = 2000


def import_paths(
    lib: Library,
    paths: Iterable[str | os.PathLike[str]],
    *,
    max_bytes: int,
    progress: Callable[[int, int, str], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> ImportReport:
    """Import ``paths`` (folders or files) into ``lib``; see the module docstring.

    ``progress(done, total, path)`` is called after each file; ``cancel()`` is asked between
    files and stops the import cleanly (``report.cancelled``) when it returns true.
    """
    from reader.library.library import now

    report = ImportReport()
    roots = [Path(os.path.abspath(os.fspath(p))) for p in paths]
    entries: list[ScanEntry] = []
    for entry in scan(roots):
        if entry.skipped is None:
            entries.append(entry)
        elif entry.skipped == NOT_A_PAGE:
            report.skipped.append((str(entry.path), entry.skipped))
        else:
            report.failed.append((str(entry.path), entry.skipped))
    conn = lib.conn
    known: dict[str, tuple[int, int, int]] = {
        row[0]: (row[1], row[2], row[3])
        for row in conn.execute("SELECT path, document_id, size, mtime_ns FROM paths")
    }
    total = len(entries)
    stamp = now()
    conn.execute("BEGIN IMMEDIATE")
    try:
        for root in roots:
            if root.is_dir():
                conn.execute(
                    "INSERT INTO folders (path, added_at, scanned_at) VALUES (?, ?, ?)"
                    " ON CONFLICT(path) DO UPDATE SET scanned_at = excluded.scanned_at",
                    (str(root), stamp, stamp),
                )
        batch_started = time.monotonic()
        in_batch = 0
        for done, entry in enumerate(entries, 1):
            if cancel is not None and cancel():
                report.cancelled = True
                break
            _import_one(lib, entry, known, max_bytes, stamp, report)
            in_batch += 1
            if in_batch >= BATCH_FILES or time.monotonic() - batch_started > BATCH_SECONDS:
                conn.execute("COMMIT")
                conn.execute("BEGIN IMMEDIATE")
                batch_started = time.monotonic()
                in_batch = 0
            if progress is not None:
                progress(done, total, str(entry.path))
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return report


def _import_one(
    lib: Library,
    entry: ScanEntry,
    known: dict[str, tuple[int, int, int]],
    max_bytes: int,
    stamp: str,
    report: ImportReport,
) -> None:
    conn = lib.conn
    path = str(entry.path)
    seen = known.get(path)
    if seen is not None and seen[1] == entry.size and seen[2] == entry.mtime_ns:
        report.unchanged += 1
        return
    try:
        page = read_page(entry.path, max_bytes=max_bytes, size=entry.size)
    except RefusedFile as refused:
        report.failed.append((path, refused.reason))
        return
    existing = conn.execute(
        "SELECT id FROM documents WHERE content_hash = ?", (page.content_hash,)
    ).fetchone()
    existing_id = existing[0] if existing else None

    if seen is not None and seen[0] == existing_id:
        # Touched but not changed: remember the new size and time, read it no more.
        _remember(conn, path, existing_id, entry, stamp)
        known[path] = (existing_id, entry.size, entry.mtime_ns)
        report.unchanged += 1
        return
    if existing_id is not None:
        _remember(conn, path, existing_id, entry, stamp)
        known[path] = (existing_id, entry.size, entry.mtime_ns)
        report.duplicates += 1
        return
    parsed = parse_page(page.text)
    if seen is not None:
        old_id = seen[0]
        others = conn.execute(
            "SELECT count(*) FROM paths WHERE document_id = ? AND path != ?", (old_id, path)
        ).fetchone()[0]
        if others == 0:
            moved, orphaned = lib._replace_document_text(
                old_id, page.content_hash, page.text, page.encoding, parsed, stamp
            )
            report.reanchored += moved
            report.orphaned += orphaned
            _remember(conn, path, old_id, entry, stamp)
            known[path] = (old_id, entry.size, entry.mtime_ns)
            report.updated += 1
            report.document_ids.append(old_id)
            return
    doc_id = lib._insert_document(page.content_hash, page.text, page.encoding, parsed, stamp)
    _remember(conn, path, doc_id, entry, stamp)
    known[path] = (doc_id, entry.size, entry.mtime_ns)
    report.imported += 1
    report.document_ids.append(doc_id)


def _remember(conn, path: str, doc_id: int, entry: ScanEntry, stamp: str) -> None:  # noqa: ANN001
    conn.execute(
        "INSERT INTO paths (path, document_id, size, mtime_ns, seen_at) VALUES (?,?,?,?,?)"
        " ON CONFLICT(path) DO UPDATE SET document_id = excluded.document_id,"
        " size = excluded.size, mtime_ns = excluded.mtime_ns, seen_at = excluded.seen_at",
        (path, doc_id, entry.size, entry.mtime_ns, stamp),
    )
