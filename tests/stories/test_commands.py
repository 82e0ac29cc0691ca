"""`reader stories` and `reader history`: shapes, exit statuses, help."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from reader.cli import main

from .common import FERRY, TRAM


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def imported(db_path: Path, stories_dump: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    code, _, _ = run(capsys, "import", "--db", db_path, stories_dump, "--json")
    assert code == 0
    return db_path


def test_stories_json(imported: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "stories", "--db", imported, "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert [{Path(p).name for d in s["documents"] for p in d["paths"]} for s in data] == [
        FERRY,
        TRAM,
    ]
    assert list(data[0]) == ["id", "title", "first_date", "last_date", "size", "documents"]
    doc = data[0]["documents"][0]
    assert list(doc) == [
        "id",
        "title",
        "date",
        "date_from",
        "source",
        "dateline",
        "paths",
        "link",
        "score",
        "joined_via",
    ]
    assert all(Path(p).is_absolute() for s in data for d in s["documents"] for p in d["paths"])
    links = [d["link"] for s in data for d in s["documents"]]
    assert links.count("first") == 2 and "near-duplicate" in links and "same-event" in links


def test_stories_text(imported: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "stories", "--db", imported)
    assert code == 0
    assert out.count("Story ") == 2
    assert "2 stories, 6 pages in them; 9 pages stand alone." in out
    assert "near-duplicate" in out and "Saltmarsh Star" in out


def test_stories_rebuild_and_empty(
    imported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "stories", "--db", imported, "--rebuild", "--json")
    assert code == 0 and len(json.loads(out)) == 2
    code, out, _ = run(capsys, "stories", "--db", tmp_path / "empty.sqlite")
    assert (code, out) == (
        0,
        "No stories: none of the 0 pages reports the same event as another.\n",
    )


def test_history_formats(imported: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "history", "MRWF", "--db", imported)
    assert code == 0
    assert out.splitlines()[0] == "MRWF (stock): 7 points on 6 dates, from 10 pages"
    assert "Several different quotes on: 2024-05-15." in out
    assert "1 page without a date left out:" in out
    code, out, _ = run(capsys, "history", "mrwf", "--db", imported, "--json")
    data = json.loads(out)
    assert (code, data["symbol"], len(data["points"]), data["undated"]["count"]) == (
        0,
        "MRWF",
        7,
        1,
    )
    code, out, _ = run(capsys, "history", "KSE100", "--db", imported, "--csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert code == 0 and rows[0][0] == "date" and rows[1][:2] == ["2024-05-13", "71204.0"]


def test_history_wrong_use(imported: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "history", "NOPE", "--db", imported)
    assert code == 2 and "no page in the library carries the symbol 'NOPE'" in err
    assert "Traceback" not in err
    code, _, err = run(capsys, "history", "MRWF", "--json", "--csv", "--db", imported)
    assert code == 2 and "not allowed with" in err
    code, _, _ = run(capsys, "history", "--db", imported)
    assert code == 2


def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("stories", "history"):
        code, out, _ = run(capsys, command, "--help")
        assert code == 0 and f"reader {command}" in out
