"""Migration 4 (stories): a library made by an earlier version gains the tables, atomically."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from reader.library import schema
from reader.library.library import Library
from reader.stories.grouping import pending_documents, update_stories
from reader.stories.queries import stories

FIXTURE_V1 = Path(__file__).resolve().parents[1] / "fixtures" / "libraries" / "v1.sqlite"
TABLES = {"stories", "story_members", "document_signatures", "story_state"}


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_an_old_library_gains_stories(tmp_path: Path) -> None:
    path = tmp_path / "library.sqlite"
    shutil.copy(FIXTURE_V1, path)
    with Library(path) as lib:
        assert _tables(lib.conn) >= TABLES
        pending = pending_documents(lib)
        assert pending == lib.document_ids()
        update_stories(lib, pending)
        assert pending_documents(lib) == [] and stories(lib) == []


def test_migration_4_is_all_or_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    schema.migrate(conn, upto=3)
    calls = []
    real = sqlite_utils.Database.execute

    def failing(self, sql, *args):  # noqa: ANN001, ANN202
        calls.append(sql)
        if len(calls) == 4:
            raise sqlite3.OperationalError("disk I/O error")
        return real(self, sql, *args)

    monkeypatch.setattr(sqlite_utils.Database, "execute", failing)
    with pytest.raises(sqlite3.OperationalError):
        schema.migrate(conn, upto=4)
    assert schema.user_version(conn) == 3
    assert not TABLES & _tables(conn)


def test_migration_7_drops_the_key_table_and_keeps_the_stories(tmp_path: Path) -> None:
    path = tmp_path / "library.sqlite"
    shutil.copy(FIXTURE_V1, path)
    conn = sqlite3.connect(path, isolation_level=None)
    schema.migrate(conn, upto=6)
    assert "story_keys" in _tables(conn)
    conn.execute("INSERT INTO stories (id) VALUES (5)")
    schema.migrate(conn)
    assert "story_keys" not in _tables(conn) and _tables(conn) >= TABLES
    assert conn.execute("SELECT id FROM stories").fetchall() == [(5,)]
