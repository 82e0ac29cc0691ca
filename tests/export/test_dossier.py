"""``dossier``: every passage mentioning an entity, by date and source, with the notes."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from reader.export import ExportOptions, export
from reader.export.dossier import passage_bounds
from reader.library.errors import UsageError

from .corpus import Corpus


def test_one_entity_in_one_file(corpus: Corpus, out: Path) -> None:
    report = export(
        corpus.lib, "dossier", None, out / "blinken.md",
        options=ExportOptions(entity="antony blinken"),
    )  # fmt: skip
    assert report.documents == 3 and report.annotations == 3
    text = (out / "blinken.md").read_text(encoding="utf-8")
    front, rest = text[4:].split("\n---\n", 1)
    assert yaml.safe_load(front) == {
        "title": "Antony Blinken",
        "entity": "Antony Blinken",
        "types": ["PERSON"],
        "mentions": 3,
        "documents": 3,
    }
    headings = [line for line in rest.split("\n") if line.startswith("#")]
    assert headings == [
        "# Antony Blinken",
        "## 2021-12-11",
        "### ANI",
        "#### Hayashi meets Blinken (document 1)",
        "### Source unknown",
        "#### HAYASHI MEETS BLINKEN (document 4)",
        "## 2024-01-02",
        "### Reuters",
        "#### CON (document 3)",
    ]
    assert "US Secretary of State **Antony\n> Blinken** on Friday." in rest
    assert "- crosses a line" in rest  # the mention's note
    assert "- blue highlight “lone carriage”: \\@mention +1" in rest  # a highlight's note
    assert "- \\[\\[not a link\\]\\] \\<i\\>" in rest  # notes are escaped too


def test_each_entity_in_a_folder_with_wiki_links(corpus: Corpus, out: Path) -> None:
    options = ExportOptions(wiki_links=True)
    report = export(corpus.lib, "dossier", [corpus.a, corpus.d], out / "d", options=options)
    names = sorted(p.name for p in (out / "d").iterdir())
    assert names == [
        "Antony Blinken.md", "TOKYO.md", "US Secretary of State.md", "US.md",
        "United States.md", "Yoshimasa Hayashi.md",
    ]  # fmt: skip
    assert len(report.files) == 6
    hayashi = (out / "d" / "Yoshimasa Hayashi.md").read_text(encoding="utf-8")
    assert "#### [[Hayashi meets Blinken]] (document 1)" in hayashi
    assert "#### [[HAYASHI MEETS BLINKEN]] (document 4)" in hayashi
    assert '> \\"We agreed,\\" **Hayashi** said.' not in hayashi
    assert '> "We agreed," **Hayashi** said.' in hayashi
    assert "- quoted" in hayashi and "- yellow highlight" in hayashi


def test_unknown_entity_is_wrong_use(corpus: Corpus, out: Path) -> None:
    with pytest.raises(UsageError, match="mentions 'Nobody'"):
        export(corpus.lib, "dossier", None, out / "x.md", options=ExportOptions(entity="Nobody"))
    assert list(out.iterdir()) == []


def test_passage_is_the_sentence() -> None:
    body = 'First one. Then Mr Blinken said (twice) "yes." Next one.\nBlinken again'
    s = body.index("Blinken")
    assert body[slice(*passage_bounds(body, s, s + 7))] == 'Then Mr Blinken said (twice) "yes."'
    s = body.rindex("Blinken")
    assert body[slice(*passage_bounds(body, s, s + 7))] == "Blinken again"
    long = "x" * 1000 + " Blinken " + "y" * 1000
    s = long.index("Blinken")
    a, b = passage_bounds(long, s, s + 7, reach=50)
    assert s - a <= 50 and b - s - 7 <= 50
