"""``reader export`` and ``reader import-annotations``: options, messages, exit status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.cli import main
from reader.library.library import Library

from .corpus import build, insert


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "lib.sqlite"
    with Library(path) as lib:
        build(lib)
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_export_and_force(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dest = tmp_path / "a.jsonl"
    code, out, _ = run(capsys, "--db", db, "export", "--format", "jsonl", "-o", dest)
    assert code == 0 and "Exported 4 documents and 19 items as jsonl" in out
    assert "1 orphaned annotation(s) were left out" in out
    code, _, err = run(capsys, "--db", db, "export", "-f", "jsonl", "-o", dest, "--doc", "1")
    assert code == 2 and "--force" in err and len(dest.read_text().splitlines()) == 4
    code, out, _ = run(
        capsys, "--db", db, "export", "-f", "jsonl", "-o", dest, "--doc", 2, 1, "--force", "--json"
    )
    report = json.loads(out)
    assert code == 0 and report["documents"] == 2 and report["dest"] == str(dest)
    assert [json.loads(line)["id"] for line in dest.read_text().splitlines()] == [2, 1]


def test_scope_options(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--db", db, "export", "-f", "csv", "-o", tmp_path / "t.csv",
                       "--tag", "pakistan", "--json")  # fmt: skip
    assert code == 0 and json.loads(out)["documents"] == 1
    code, out, _ = run(capsys, "--db", db, "export", "-f", "jsonl", "-o", tmp_path / "e.jsonl",
                       "--entity", "antony blinken", "--json")  # fmt: skip
    assert json.loads(out)["documents"] == 3
    code, out, _ = run(capsys, "--db", db, "export", "-f", "dossier", "-o", tmp_path / "h.md",
                       "--entity", "Yoshimasa Hayashi", "--wiki-links")  # fmt: skip
    assert code == 0 and (tmp_path / "h.md").read_text(encoding="utf-8").startswith("---\n")
    code, out, _ = run(capsys, "--db", db, "export", "-f", "md", "-o", tmp_path / "one.md",
                       "--single", "--with-body", "--doc", 3)  # fmt: skip
    assert code == 0 and "\\# Not a heading" in (tmp_path / "one.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "args, message",
    [
        (["--doc", "99"], "no document 99"),
        (["--tag", "nope"], "no document has the tag 'nope'"),
        (["--single"], "--single applies to --format md and dossier only"),
        (["--wiki-links"], "--wiki-links applies"),
        (["--with-body"], "--with-body applies"),
    ],
)
def test_wrong_use_is_status_2(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, _, err = run(capsys, "--db", db, "export", "-f", "csv", "-o", tmp_path / "a.csv", *args)
    assert code == 2 and message in err and "Traceback" not in err
    assert not (tmp_path / "a.csv").exists()


def test_unknown_format_is_status_2(db: Path, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    code, _, err = run(capsys, "--db", db, "export", "-f", "docx", "-o", tmp_path / "a")
    assert code == 2 and "invalid choice" in err


def test_import_annotations(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    exported = tmp_path / "a.json"
    assert run(capsys, "--db", db, "export", "-f", "json", "-o", exported)[0] == 0
    other = tmp_path / "other.sqlite"
    with Library(db) as src, Library(other) as lib:
        doc = src.document(1)
        insert(lib, doc.body, doc.title, raw=src.raw(1))
    code, out, _ = run(capsys, "--db", other, "import-annotations", exported)
    assert code == 1  # three pages are not in the other library, and the orphan has no place
    assert "8 annotation(s) added" in out and "2 tag(s) added" in out
    assert "for 3 page(s) this library does not have" in out
    code, out, _ = run(capsys, "--db", other, "import-annotations", exported, "--json")
    report = json.loads(out)
    assert code == 1 and report["added"] == 0 and report["already_present"] == 8
    assert report["file"] == str(exported) and len(report["unmatched"]) == 3
    code, _, err = run(capsys, "--db", other, "import-annotations", tmp_path / "missing.json")
    assert code == 2 and "no file" in err


def test_help_names_every_format(capsys: pytest.CaptureFixture[str]) -> None:
    code, text, _ = run(capsys, "export", "--help")
    assert code == 0
    for fmt in ("md", "json", "jsonl", "conll", "brat", "csv", "tickers-csv", "dossier"):
        assert f"\n  {fmt} " in text
    for option in ("--single", "--with-body", "--wiki-links", "--entity", "--force", "--bom"):
        assert option in text


def test_command_line_format_names_are_the_exporters() -> None:
    from reader.export.commands import FORMAT_NAMES
    from reader.export.run import FORMATS

    assert tuple(FORMATS) == FORMAT_NAMES
