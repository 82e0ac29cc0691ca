"""Nothing overwritten without force; a cancelled or failed export leaves nothing behind."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reader.export import DestinationExists, ExportOptions, export
from reader.export.atomic import atomic_file, atomic_folder
from reader.library.errors import UsageError

from .corpus import Corpus

FORMATS = ["md", "json", "jsonl", "conll", "brat", "csv", "tickers-csv", "dossier"]


def _listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.mark.parametrize("fmt", FORMATS)
def test_cancel_leaves_nothing(corpus: Corpus, out: Path, fmt: str) -> None:
    asked = []

    def cancel() -> bool:
        asked.append(1)
        return len(asked) > 2  # stop at the third document

    report = export(corpus.lib, fmt, None, out / "x", cancel=cancel)
    assert report.cancelled and report.files == []
    assert _listing(out) == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_refuses_to_overwrite(corpus: Corpus, out: Path, fmt: str) -> None:
    first = export(corpus.lib, fmt, None, out / "x")
    assert first.files and not first.cancelled
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    with pytest.raises(DestinationExists, match="--force"):
        export(corpus.lib, fmt, [corpus.a], out / "x")
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    again = export(corpus.lib, fmt, None, out / "x", force=True)
    assert sorted(again.files) == sorted(first.files)
    assert not [p for p in out.rglob(".*")]  # no temporary file or folder left


def test_failure_while_writing_removes_the_temporary_file(out: Path) -> None:
    (out / "keep.csv").write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_file(out / "keep.csv", force=True) as f:
        f.write("half")
        raise RuntimeError("disk on fire")
    assert _listing(out) == ["keep.csv"] and (out / "keep.csv").read_text() == "old"


def test_failure_in_a_folder_export_leaves_the_folder_as_it_was(out: Path) -> None:
    vault = out / "vault"
    vault.mkdir()
    (vault / "mine.md").write_text("my own note", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt), atomic_folder(vault) as folder:
        folder.write("a.md", "x")
        raise KeyboardInterrupt
    assert _listing(out) == ["vault", "vault/mine.md"]


def test_export_into_an_existing_folder_keeps_other_files(corpus: Corpus, out: Path) -> None:
    vault = out / "vault"
    vault.mkdir()
    (vault / "mine.md").write_text("my own note", encoding="utf-8")
    (vault / "_CON.md").write_text("an older export", encoding="utf-8")
    with pytest.raises(DestinationExists, match="1 of the files.*_CON.md"):
        export(corpus.lib, "md", None, vault)
    assert (vault / "_CON.md").read_text() == "an older export"
    assert len(list(vault.iterdir())) == 2
    export(corpus.lib, "md", None, vault, force=True)
    assert (vault / "mine.md").read_text() == "my own note"
    assert (vault / "_CON.md").read_text(encoding="utf-8").startswith('---\ntitle: "CON"')
    assert len(list(vault.iterdir())) == 5


def test_destinations_that_cannot_be(corpus: Corpus, out: Path) -> None:
    with pytest.raises(DestinationExists, match="is a folder"):
        export(corpus.lib, "csv", None, out)
    (out / "file").write_text("x")
    with pytest.raises(DestinationExists, match="not a folder"):
        export(corpus.lib, "brat", None, out / "file", force=True)
    with pytest.raises(UsageError, match="does not exist"):
        export(corpus.lib, "csv", None, out / "missing" / "a.csv")
    with pytest.raises(UsageError, match="unknown format"):
        export(corpus.lib, "docx", None, out / "a.docx")


def test_files_get_ordinary_permissions(corpus: Corpus, out: Path) -> None:
    export(corpus.lib, "csv", None, out / "a.csv")
    export(corpus.lib, "md", None, out / "notes", options=ExportOptions())
    umask = os.umask(0)
    os.umask(umask)
    assert (out / "a.csv").stat().st_mode & 0o777 == 0o666 & ~umask
    assert (out / "notes" / "_CON.md").stat().st_mode & 0o777 == 0o666 & ~umask
