"""The window's import in a child process: messages in order, failures, a child that dies."""

from __future__ import annotations

import os
import signal
from pathlib import Path

from reader.library.import_process import ImportProcess
from reader.library.library import Library


def _pages(folder: Path, n: int) -> Path:
    folder.mkdir()
    for i in range(n):
        (folder / f"{i:03}.txt").write_text(
            f"Ferry report {i}\n\nThe ferry to Merrow island sailed {i} times this week.\n",
            encoding="utf-8",
        )
    return folder


def test_messages_then_the_report(tmp_path: Path) -> None:
    db = tmp_path / "lib.sqlite"
    child = ImportProcess(db, [str(_pages(tmp_path / "d", 5))], max_bytes=10**6, batch_seconds=1)
    child.start()
    messages = list(child.messages())
    child.join()
    kinds = [m[0] for m in messages]
    assert kinds[-2:] == ["grouping", "finished"] and set(kinds[:-2]) == {"progress"}
    assert messages[-3][1:3] == (5, 5)  # the last progress: all done
    assert messages[-1][1].imported == 5
    with Library(db) as lib:
        assert lib.count_documents() == 5
        assert lib.conn.execute("SELECT count(*) FROM document_signatures").fetchone()[0] == 5


def test_a_library_that_cannot_be_opened_fails_with_its_reason(tmp_path: Path) -> None:
    db = tmp_path / "lib.sqlite"
    db.write_bytes(b"this is not a database, just text " * 100)
    child = ImportProcess(db, [str(_pages(tmp_path / "d", 2))], max_bytes=10**6, batch_seconds=1)
    child.start()
    *_, last = child.messages()
    child.join()
    assert last[0] == "failed" and "not" in last[1].lower() and str(db) in last[1]


def test_a_child_that_dies_is_reported(tmp_path: Path) -> None:
    child = ImportProcess(
        tmp_path / "lib.sqlite", [str(_pages(tmp_path / "d", 3))], max_bytes=10**6, batch_seconds=1
    )
    child.start()
    os.kill(child._process.pid, signal.SIGKILL)
    *_, last = child.messages()
    child.join()
    assert last == ("died", -9)
    assert "ended unexpectedly" in ImportProcess.died_message(-9)[1]
