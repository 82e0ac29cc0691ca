"""Bulk imports: read-only indexes dropped during the import and always there afterwards."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reader.library import importer, schema
from reader.library.library import Library
from reader.library.records import DocumentFilter


def _pages(folder: Path, n: int) -> Path:
    folder.mkdir()
    for i in range(n):
        (folder / f"{i:03}.txt").write_text(
            f"Harbour report {i}\n\nThe cranes at berth {i} moved {i * 7} containers today.\n",
            encoding="utf-8",
        )
    return folder


@pytest.fixture
def bulk(monkeypatch) -> None:
    monkeypatch.setattr(importer, "BULK_MIN_FILES", 5)


def _indexes(conn: sqlite3.Connection) -> set[str]:
    return set(schema.REBUILDABLE_INDEXES) - set(schema.missing_indexes(conn))


def test_bulk_import_builds_the_indexes_at_the_end(lib: Library, tmp_path: Path, bulk) -> None:
    seen_during: list[set[str]] = []
    lib.import_paths(
        [_pages(tmp_path / "d", 12)],
        progress=lambda done, total, path: seen_during.append(_indexes(lib.conn)),
        workers=0,
    )
    assert seen_during and all(s == set() for s in seen_during)
    assert _indexes(lib.conn) == set(schema.REBUILDABLE_INDEXES)
    assert lib.count_documents() == 12
    plan = lib.conn.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM documents ORDER BY title"
    ).fetchall()
    assert "idx_documents_title" in str([tuple(r) for r in plan])


def test_small_import_into_a_full_library_keeps_its_indexes(
    lib: Library, tmp_path: Path, bulk
) -> None:
    lib.import_paths([_pages(tmp_path / "a", 12)], workers=0)
    seen_during: list[set[str]] = []
    lib.import_paths(
        [_pages(tmp_path / "b", 6)],  # fewer than twice the 12 already there: not bulk
        progress=lambda done, total, path: seen_during.append(_indexes(lib.conn)),
        workers=0,
    )
    assert seen_during and all(s == set(schema.REBUILDABLE_INDEXES) for s in seen_during)


def test_cancelled_bulk_import_has_its_indexes(lib: Library, tmp_path: Path, bulk) -> None:
    calls = iter(range(1000))
    report = lib.import_paths(
        [_pages(tmp_path / "d", 12)], cancel=lambda: next(calls) >= 7, workers=0
    )
    assert report.cancelled and lib.count_documents() == 7
    assert _indexes(lib.conn) == set(schema.REBUILDABLE_INDEXES)


def test_failed_bulk_import_keeps_committed_pages_and_indexes(
    lib: Library, tmp_path: Path, bulk, monkeypatch
) -> None:
    real = Library._insert_records
    count = iter(range(1000))

    def failing(self: Library, records: list, stamp: str) -> None:
        if next(count) == 9:  # batch_seconds=0: one page per transaction
            raise sqlite3.OperationalError("database or disk is full")
        real(self, records, stamp)

    monkeypatch.setattr(Library, "_insert_records", failing)
    with pytest.raises(Exception, match="full"):
        lib.import_paths([_pages(tmp_path / "d", 12)], workers=0, batch_seconds=0)
    assert lib.count_documents() == 9  # every page before the failure was committed
    assert _indexes(lib.conn) == set(schema.REBUILDABLE_INDEXES)


def test_opening_a_library_a_killed_import_left_restores_indexes(
    db_path: Path, tmp_path: Path
) -> None:
    with Library(db_path) as lib:
        lib.import_paths([_pages(tmp_path / "d", 3)], workers=0)
        with lib.transaction() as conn:
            schema.drop_indexes(conn)  # what a bulk import killed half-way leaves
        assert _indexes(lib.conn) == set()
    with Library(db_path) as lib:
        assert _indexes(lib.conn) == set(schema.REBUILDABLE_INDEXES)
        assert lib.document_ids(DocumentFilter(search="cranes")) == [1, 2, 3]


def test_full_text_index_gathers_16_mb_before_writing(lib: Library) -> None:
    [(value,)] = lib.conn.execute(
        "SELECT v FROM documents_fts_config WHERE k = 'hashsize'"
    ).fetchall()
    assert value == 16 * 2**20
