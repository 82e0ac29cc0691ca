"""The library file: location, migrations, and the failures a person can act on."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from reader.library import schema
from reader.library.errors import (
    LibraryCorrupt,
    LibraryDiskFull,
    LibraryError,
    LibraryLocked,
    LibraryReadOnly,
    LibraryTooNew,
    classify,
)
from reader.library.library import Library, default_library_path
from reader.library.records import DocumentFilter

FIXTURE_V1 = Path(__file__).parents[1] / "fixtures" / "libraries" / "v1.sqlite"


def test_default_path_and_env(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.delenv("READER_DB", raising=False)
    assert default_library_path().name == "library.sqlite"
    monkeypatch.setenv("READER_DB", str(tmp_path / "x.sqlite"))
    assert default_library_path() == tmp_path / "x.sqlite"


def test_new_library_is_wal_with_foreign_keys(lib: Library) -> None:
    assert lib.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert lib.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert lib.schema_version() == schema.LATEST


def test_v1_fixture_upgrades_with_backup(tmp_path: Path) -> None:
    path = tmp_path / "library.sqlite"
    shutil.copy(FIXTURE_V1, path)
    with Library(path) as lib:
        assert lib.schema_version() == schema.LATEST
        assert lib.backup_path == tmp_path / "library.sqlite.bak-v1"
        doc = lib.document(1)
        assert doc.tags == ("water",)
        [mention] = doc.entities
        assert doc.body[mention.start : mention.end] == "Nadia Qureshi"
        assert lib.folders() == ["/home/ana/dump/lahore"]  # migration 2 derived it
        registry = lib.conn.execute("SELECT name, type FROM entities").fetchall()
        assert [tuple(r) for r in registry] == [("Nadia Qureshi", "PERSON")]  # migration 3
    backup = sqlite3.connect(tmp_path / "library.sqlite.bak-v1")
    assert backup.execute("PRAGMA user_version").fetchone()[0] == 1
    assert backup.execute("SELECT count(*) FROM annotations").fetchone()[0] == 1


def test_v1_fixture_body_becomes_a_slice_of_raw(tmp_path: Path) -> None:
    """Migration 5 stores a body found in the raw text as offsets; search still finds it."""
    path = tmp_path / "library.sqlite"
    shutil.copy(FIXTURE_V1, path)
    before = sqlite3.connect(FIXTURE_V1).execute("SELECT body FROM document_texts").fetchone()[0]
    with Library(path) as lib:
        row = lib.conn.execute(
            "SELECT body, body_start, body_end FROM document_texts WHERE document_id = 1"
        ).fetchone()
        assert row["body"] is None and row["body_end"] - row["body_start"] == len(before)
        assert lib.body(1) == before
        assert lib.document_ids(DocumentFilter(search=before.split()[3])) == [1]


def test_body_that_is_not_a_slice_keeps_its_own_copy(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "v4.sqlite", isolation_level=None)
    schema.migrate(conn, upto=4)
    conn.execute("INSERT INTO documents (id, content_hash, title) VALUES (1, 'sha256:a', 'T')")
    conn.execute("INSERT INTO documents (id, content_hash, title) VALUES (2, 'sha256:b', 'U')")
    conn.execute(
        "INSERT INTO document_texts VALUES (1, 'Page chrome\nBody 😀 text.\n', 'Body 😀 text.')"
    )
    conn.execute("INSERT INTO document_texts VALUES (2, 'Raw  text', 'Raw text')")  # re-spaced
    schema.migrate(conn)
    rows = conn.execute("SELECT document_id, body, body_start, body_end FROM document_texts")
    assert [tuple(r) for r in rows] == [(1, None, 12, 24), (2, "Raw text", None, None)]
    bodies = conn.execute("SELECT body FROM document_bodies ORDER BY document_id").fetchall()
    assert [b for (b,) in bodies] == ["Body 😀 text.", "Raw text"]


def test_each_migration_applies_in_order() -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    for version in range(1, schema.LATEST + 1):
        assert schema.migrate(conn, upto=version) == [version]
        assert schema.user_version(conn) == version


def test_failed_migration_rolls_back(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "library.sqlite"
    shutil.copy(FIXTURE_V1, path)

    def broken(db) -> None:  # noqa: ANN001
        db.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("boom")

    monkeypatch.setattr(schema, "MIGRATIONS", [schema.MIGRATIONS[0], broken])
    monkeypatch.setattr(schema, "LATEST", 2)
    with pytest.raises(RuntimeError):
        Library(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'half_done'").fetchone()


def test_newer_library_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite"
    sqlite3.connect(path).execute(f"PRAGMA user_version = {schema.LATEST + 1}")
    with pytest.raises(LibraryTooNew, match="newer version of Dump Reader"):
        Library(path)


def test_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "library.sqlite"
    path.write_bytes(b"this is a text file, not a database" * 200)
    with pytest.raises(LibraryCorrupt, match="damaged or is not a Dump Reader library"):
        Library(path)
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE recipes (name)")
    with pytest.raises(LibraryCorrupt, match="not a Dump Reader library"):
        Library(other)


def test_locked_library(db_path: Path, dump_dir: Path) -> None:
    with Library(db_path) as lib:
        lib.import_paths([dump_dir / "wire"])
        lib.conn.execute("PRAGMA busy_timeout = 50")
        holder = sqlite3.connect(db_path, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            with pytest.raises(LibraryLocked, match="locked by another program"):
                lib.tag(1, ["x"])
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        lib.tag(1, ["x"])  # and once the other program is done, all is well
        assert lib.document_tags(1) == ["x"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_library(db_path: Path, dump_dir: Path) -> None:
    Library(db_path).close()
    os.chmod(db_path, 0o444)
    try:
        with pytest.raises(LibraryError), Library(db_path) as lib:
            lib.import_paths([dump_dir])
    finally:
        os.chmod(db_path, 0o644)


def test_disk_full_loses_nothing(db_path: Path, dump_dir: Path, tmp_path: Path) -> None:
    big = tmp_path / "big"
    big.mkdir()
    (big / "long.txt").write_text("A long page\n\n" + "harbour cranes idle " * 20_000)
    with Library(db_path) as lib:
        lib.import_paths([dump_dir])
        before = lib.count_documents()
        pages = lib.conn.execute("PRAGMA page_count").fetchone()[0]
        lib.conn.execute(f"PRAGMA max_page_count = {pages}")  # the disk is now "full"
        with pytest.raises(LibraryDiskFull, match="disk holding the library .* is full"):
            lib.import_paths([big])
        with pytest.raises(LibraryDiskFull):
            lib.add_highlight(1, 0, 3, note="a very long note " * 5000)
        lib.conn.execute("PRAGMA max_page_count = 1000000000")
        assert lib.count_documents() == before
        assert lib.annotations(1) == []
        assert lib.import_paths([big]).imported == 1


def test_read_only_errors_are_classified(db_path: Path) -> None:
    """Root ignores file modes, so provoke SQLite's own read-only error and classify it."""
    Library(db_path).close()
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError) as raised:
        conn.execute("INSERT INTO tags (name) VALUES ('x')")
    error = classify(raised.value, db_path)
    assert isinstance(error, LibraryReadOnly)
    assert "cannot be written" in str(error) and "--db" in str(error)


@pytest.mark.parametrize("version", range(1, schema.LATEST + 1))
def test_every_migration_is_one_transaction(version: int, monkeypatch) -> None:
    """A migration that fails at its very end leaves no trace: nothing of it committed early."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    schema.migrate(conn, upto=version - 1)
    before = conn.execute("SELECT name FROM sqlite_master ORDER BY name").fetchall()
    real = schema.MIGRATIONS[version - 1]

    def failing_at_the_end(db) -> None:  # noqa: ANN001
        real(db)
        raise RuntimeError("power cut")

    migrations = list(schema.MIGRATIONS)
    migrations[version - 1] = failing_at_the_end
    monkeypatch.setattr(schema, "MIGRATIONS", migrations)
    with pytest.raises(RuntimeError, match="power cut"):
        schema.migrate(conn, upto=version)
    assert schema.user_version(conn) == version - 1
    assert conn.execute("SELECT name FROM sqlite_master ORDER BY name").fetchall() == before
