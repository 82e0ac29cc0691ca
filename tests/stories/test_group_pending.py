"""Grouping what an import left ungrouped, one batch per transaction."""

from __future__ import annotations

from pathlib import Path

from reader.library.library import Library
from reader.stories.grouping import group_pending, pending_documents

from .common import STORIES, groups


def test_small_batches_group_exactly_as_one(lib: Library, stories_dump: Path) -> None:
    lib.import_paths([stories_dump])
    calls: list[tuple[int, int]] = []
    report = group_pending(lib, batch=3, progress=lambda done, total: calls.append((done, total)))
    total = lib.count_documents()
    assert report.read == total and not report.cancelled
    assert groups(lib) == sorted(STORIES, key=sorted)
    assert pending_documents(lib) == []
    assert calls[-1] == (total, total) and len(calls) == -(-total // 3)


def test_other_writers_get_in_between_batches(
    lib: Library, db_path: Path, stories_dump: Path
) -> None:
    lib.import_paths([stories_dump])
    other = Library(db_path)
    other.conn.execute("PRAGMA busy_timeout = 0")  # a lock held across batches would fail this
    tagged: list[int] = []

    def edit(done: int, total: int) -> None:
        other.tag(1, [f"read-{done}"])
        tagged.append(done)

    try:
        group_pending(lib, batch=4, progress=edit)
    finally:
        other.close()
    assert len(tagged) >= 3
    assert set(lib.document(1).tags) == {f"read-{d}" for d in tagged}


def test_cancel_keeps_finished_batches(lib: Library, stories_dump: Path) -> None:
    lib.import_paths([stories_dump])
    batches = iter(range(100))
    report = group_pending(lib, batch=4, cancel=lambda: next(batches) >= 2)
    assert report.cancelled
    left = pending_documents(lib)
    assert 0 < len(left) < lib.count_documents()
    group_pending(lib)
    assert pending_documents(lib) == [] and groups(lib) == sorted(STORIES, key=sorted)
