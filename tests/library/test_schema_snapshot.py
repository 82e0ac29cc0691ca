"""A new library is made from the schema snapshot, which must equal replaying every migration."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from reader.library import schema, schema_snapshot


def _describe(conn: sqlite3.Connection) -> dict:
    return {
        "version": schema.user_version(conn),
        "objects": sorted(
            conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall(),
            key=lambda r: (r[0], r[1]),
        ),
        "entity_types": conn.execute("SELECT * FROM entity_types ORDER BY name").fetchall(),
        "fts_config": conn.execute("SELECT * FROM documents_fts_config ORDER BY k").fetchall(),
    }


def test_the_snapshot_is_what_the_migrations_make() -> None:
    migrated = sqlite3.connect(":memory:", isolation_level=None)
    schema.migrate(migrated)
    created = sqlite3.connect(":memory:", isolation_level=None)
    assert schema.create(created), (
        f"the schema snapshot is at version {schema_snapshot.VERSION}, the migrations at "
        f"{schema.LATEST}: run `python scripts/snapshot_schema.py`"
    )
    assert _describe(created) == _describe(migrated), "run `python scripts/snapshot_schema.py`"


def test_a_library_made_elsewhere_meanwhile_is_not_made_again(tmp_path: Path) -> None:
    path = tmp_path / "lib.sqlite"
    first = sqlite3.connect(path, isolation_level=None)
    second = sqlite3.connect(path, isolation_level=None)
    assert schema.create(first)
    assert schema.create(second)  # already at the latest version: nothing to do, no error
    assert schema.user_version(second) == schema.LATEST


def test_a_new_library_does_not_need_sqlite_utils(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from reader.library.library import Library\n"
        f"Library({str(tmp_path / 'new.sqlite')!r}).close()\n"
        "print('sqlite_utils' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
