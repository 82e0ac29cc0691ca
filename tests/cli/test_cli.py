"""The command-line contract of INTERFACE.md: JSON shapes and exit statuses."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from reader import __version__
from reader.cli import main


def run(capsys, *args: str) -> tuple[int, str, str]:  # noqa: ANN001
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def imported(db_path: Path, dump_dir: Path, capsys) -> Path:  # noqa: ANN001
    code, _, _ = run(capsys, "import", "--db", db_path, dump_dir, "--json")
    assert code == 1  # the fixture dump holds refused files
    return db_path


def test_import_json_shape(db_path: Path, dump_dir: Path, capsys) -> None:  # noqa: ANN001
    code, out, err = run(capsys, "--db", db_path, "import", dump_dir, "--json")
    report = json.loads(out)
    assert code == 1 and err == ""
    assert list(report) == ["imported", "updated", "unchanged", "duplicates", "failed", "skipped"]
    assert (report["imported"], report["duplicates"]) == (3, 1)
    assert {Path(f["path"]).name for f in report["failed"]} == {
        "empty.txt",
        "blank.txt",
        "picture.txt",
    }
    assert all(
        set(f) == {"path", "reason"} and os.path.isabs(f["path"])
        for f in report["failed"] + report["skipped"]
    )
    code, out, _ = run(capsys, "--db", db_path, "import", dump_dir / "wire", "--json")
    assert code == 0 and json.loads(out)["unchanged"] == 1


def test_import_human_summary_lists_failures(db_path, dump_dir, capsys) -> None:  # noqa: ANN001
    code, out, _ = run(capsys, "import", dump_dir, "--db", db_path)
    assert code == 1
    assert out.splitlines()[0] == (
        "3 imported, 0 updated, 0 unchanged, 1 duplicate, 3 failed, 1 skipped."
    )
    assert "empty.txt: empty file" in out


def test_env_var_picks_library(tmp_path: Path, dump_dir: Path, capsys, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("READER_DB", str(tmp_path / "env.sqlite"))
    run(capsys, "import", dump_dir / "wire")
    assert (tmp_path / "env.sqlite").exists()


def test_list_json_shape(imported: Path, capsys) -> None:  # noqa: ANN001
    code, out, _ = run(capsys, "list", "--db", imported, "--json")
    docs = json.loads(out)
    assert code == 0 and len(docs) == 3
    assert list(docs[0]) == [
        "id",
        "title",
        "date",
        "source",
        "dateline",
        "paths",
        "tickers",
        "highlights",
        "entities",
        "tags",
    ]
    ticker = next(d for d in docs if d["tickers"])
    assert (ticker["tickers"], ticker["dateline"], ticker["date"]) == (6, "GWADAR", None)
    code, out, _ = run(capsys, "list", "--db", imported, "--search", "frost", "--json")
    assert [d["title"] for d in json.loads(out)] == [
        "Orchard growers count the cost of a late frost"
    ]


def test_annotate_tag_show_roundtrip(imported: Path, capsys) -> None:  # noqa: ANN001
    _, out, _ = run(capsys, "list", "--db", imported, "--json")
    doc = next(d for d in json.loads(out) if d["tickers"])
    _, out, _ = run(capsys, "show", doc["id"], "--db", imported, "--json")
    shown = json.loads(out)
    s = shown["body"].index("Selma Durrani")
    code, _, _ = run(
        capsys,
        "annotate",
        doc["id"],
        "--db",
        imported,
        "--start",
        s,
        "--end",
        s + 13,
        "--entity",
        "PERSON",
        "--note",
        "minister",
    )
    assert code == 0
    code, _, _ = run(
        capsys,
        "annotate",
        doc["id"],
        "--db",
        imported,
        "--start",
        0,
        "--end",
        6,
        "--highlight",
        "--color",
        "green",
    )
    assert code == 0
    assert run(capsys, "tag", doc["id"], "ports", "gwadar", "--db", imported)[0] == 0
    assert run(capsys, "untag", doc["id"], "gwadar", "--db", imported)[0] == 0
    _, out, _ = run(capsys, "show", doc["id"], "--db", imported, "--json")
    shown = json.loads(out)
    assert list(shown) == [
        "id",
        "title",
        "title_derived",
        "date",
        "dateline",
        "source",
        "paths",
        "encoding",
        "content_hash",
        "body",
        "tickers",
        "highlights",
        "entities",
        "tags",
    ]
    assert shown["content_hash"].startswith("sha256:")
    assert shown["tickers"][0] == {
        "symbol": "MARLIN",
        "kind": "stock",
        "price": 42.1,
        "change": 0.35,
        "change_pct": 0.84,
        "direction": "up",
        "line": "MARLIN 42.10 Increased By ▲ 0.35 (0.84%)",
    }
    [mention] = shown["entities"]
    assert mention == {
        "id": mention["id"],
        "start": s,
        "end": s + 13,
        "text": "Selma Durrani",
        "type": "PERSON",
        "entity": "Selma Durrani",
        "note": "minister",
        "orphaned": False,
    }
    [hl] = shown["highlights"]
    assert (hl["text"], hl["color"], hl["note"]) == ("GWADAR", "green", None)
    assert shown["tags"] == ["ports"]
    _, out, _ = run(capsys, "list", "--db", imported, "--entity", "Selma Durrani", "--json")
    assert [d["id"] for d in json.loads(out)] == [doc["id"]]
    _, out, _ = run(capsys, "list", "--db", imported, "--tag", "ports", "--json")
    assert json.loads(out)[0]["highlights"] == 1
    code, out, _ = run(capsys, "show", doc["id"], "--db", imported)
    assert code == 0 and "Selma Durrani" in out and "MARLIN" in out


@pytest.mark.parametrize(
    "args",
    [
        ["show", "999"],
        ["show", "abc"],
        ["annotate", "1", "--start", "5", "--end", "99999", "--highlight"],
        ["annotate", "1", "--start", "5", "--end", "9", "--entity", "ANIMAL"],
        ["annotate", "1", "--start", "5", "--end", "9"],
        ["tag", "999", "x"],
        ["list", "--frobnicate"],
        ["import"],
    ],
)
def test_wrong_use_exits_2(imported: Path, capsys, args) -> None:  # noqa: ANN001
    code, _, err = run(capsys, *args, "--db", imported)
    assert code == 2
    assert "Traceback" not in err and err.strip()


def test_library_problems_exit_3(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"garbage" * 1000)
    code, _, err = run(capsys, "list", "--db", bad)
    assert code == 3 and "damaged" in err
    future = tmp_path / "future.sqlite"
    sqlite3.connect(future).execute("PRAGMA user_version = 99")
    code, _, err = run(capsys, "list", "--db", future)
    assert code == 3 and "newer version" in err
    code, _, err = run(capsys, "list", "--db", tmp_path)  # a folder, not a file
    assert code == 3 and "Traceback" not in err


def test_version(capsys) -> None:  # noqa: ANN001
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"reader {__version__}"


def test_python_dash_m_and_no_progress_bar_when_piped(db_path: Path, dump_dir: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "reader", "import", str(dump_dir), "--db", str(db_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr == ""  # no progress bar, no traceback when not on a terminal
    assert done.stdout.startswith("3 imported")


def test_progress_bar_on_a_terminal(db_path: Path, dump_dir: Path) -> None:
    pty = pytest.importorskip("pty")
    import select

    main_fd, child_fd = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "reader", "import", str(dump_dir), "--db", str(db_path)],
        stdin=child_fd,
        stdout=subprocess.PIPE,
        stderr=child_fd,
    )
    os.close(child_fd)
    seen = b""
    while True:
        ready, _, _ = select.select([main_fd], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(main_fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    proc.wait(timeout=30)
    os.close(main_fd)
    assert b"Importing" in seen and b"file" in seen
