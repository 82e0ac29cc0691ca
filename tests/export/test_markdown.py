"""``md`` read back: front matter through PyYAML, page text that stays text in the Markdown."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from reader.export import ExportOptions, export
from reader.export.markdown import escape, yaml_str

from .corpus import BODY_C, Corpus


def _split(note: str) -> tuple[dict, str]:
    assert note.startswith("---\n")
    front, rest = note[4:].split("\n---\n", 1)
    return yaml.safe_load(front), rest


def test_front_matter_parses_and_says_everything(corpus: Corpus, out: Path) -> None:
    report = export(corpus.lib, "md", None, out / "notes")
    names = sorted(p.name for p in (out / "notes").iterdir())
    assert names == sorted(
        [
            "Hayashi meets Blinken.md",
            "HAYASHI MEETS BLINKEN (2).md",  # same title but for case: still two files
            "_CON.md",  # a reserved device name
            "=cmd ' C calc'!A0 . . etc passwd.md",  # no separators, no ".."
        ]
    )
    assert [p.name for p in report.files] == [
        "Hayashi meets Blinken.md",
        "=cmd ' C calc'!A0 . . etc passwd.md",
        "_CON.md",
        "HAYASHI MEETS BLINKEN (2).md",
    ]
    fm, rest = _split((out / "notes" / "Hayashi meets Blinken.md").read_text(encoding="utf-8"))
    doc = corpus.lib.document(corpus.a)
    assert fm == {
        "title": "Hayashi meets Blinken",
        "date": __import__("datetime").date(2021, 12, 11),
        "source": "ANI",
        "dateline": "TOKYO",
        "tags": ["diplomacy", "japan-us"],
        "entities": {
            "GPE": ["TOKYO", "US", "United States"],
            "PERSON": ["Yoshimasa Hayashi", "Antony Blinken"],
            "ORG": ["US Secretary of State"],
        },
        "paths": ["/dump/001_page.txt"],
        "content_hash": doc.content_hash,
    }
    assert rest.lstrip("\n").startswith("# Hayashi meets Blinken\n")
    assert '> "We agreed," Hayashi said.\n>\n> — yellow · key quote\n> second line' in rest
    fm_b, _ = _split(
        (out / "notes" / "=cmd ' C calc'!A0 . . etc passwd.md").read_text(encoding="utf-8")
    )
    assert fm_b["title"] == "=cmd|' /C calc'!A0 ../../etc/passwd" and fm_b["date"] is None
    assert fm_b["entities"]["PERSON"] == ["بلاول بھٹو زرداری"]
    fm_d, rest_d = _split(
        (out / "notes" / "HAYASHI MEETS BLINKEN (2).md").read_text(encoding="utf-8")
    )
    assert fm_d["tags"] == [] and "## No longer found in the page" in rest_d
    assert "> The orphan sentence will vanish." in rest_d


@pytest.mark.parametrize(
    "value",
    ['a "quoted" \\ back', "line\nbreak\r\n", "nel\x85 ls\u2028ps\u2029", "\ufeffbom\x00\x7f",
     "---\ntitle: injected", "# not a comment", "🌱 ﷽", ": colon", "null", "2021-12-11", "'"],
)  # fmt: skip
def test_yaml_strings_read_back_exactly(value: str) -> None:
    assert yaml.safe_load(f"key: {yaml_str(value)}\n") == {"key": value}


def _plain(tokens) -> str:  # noqa: ANN001
    """The text a renderer shows for inline tokens (escapes resolved)."""
    out = []
    for t in tokens:
        for child in t.children or []:
            if child.type in ("text", "text_special", "code_inline"):
                out.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                out.append("\n")
            else:
                raise AssertionError(f"markup from page text: {child.type}")
    return "".join(out)


def test_page_text_cannot_become_markup(corpus: Corpus, out: Path) -> None:
    markdown_it = pytest.importorskip("markdown_it")
    export(corpus.lib, "md", [corpus.c], out / "n", options=ExportOptions(with_body=True))
    note = (out / "n" / "_CON.md").read_text(encoding="utf-8")
    _, rest = _split(note)
    md = markdown_it.MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    tokens = md.parse(rest)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings == ["CON", "Highlights", "Entities", "PERSON", "Text"]
    kinds = {t.type for t in tokens}
    forbidden = {"html_block", "table_open", "hr", "code_block", "fence", "ordered_list_open"}
    assert not kinds & forbidden
    text_part = tokens[[i for i, t in enumerate(tokens) if t.type == "heading_open"][-1] + 3 :]
    inline = [t for t in text_part if t.type == "inline"]
    # The article renders as exactly its text (CommonMark reads the lone \r as a line break).
    shown = _plain(inline)
    expected = "\n".join(line.strip(" ") for line in re.split(r"\r\n|\r|\n", BODY_C))
    assert re.sub(r" *\n *", "\n", shown) == re.sub(r" *\n *", "\n", expected)


def test_escape_neutralises_notes_app_syntax() -> None:
    hostile = "#tag [[wiki]] ![[embed]] ==mark== %%c%% $x$ ^id ((ref)) {{m}} k:: v www.x.org a@b.c"
    escaped = escape(hostile)
    for char in "#[]=%$^{}@":  # every one escaped
        assert not re.search(rf"(?<!\\){re.escape(char)}", escaped), char
    for pair in ("((", "::", "www."):  # no unescaped pair
        assert pair not in escaped, pair
    assert "https://" not in escape("https://example.org")
    assert escape("1) one\n2. two\n- three\n+ four\n=== \n---") == (
        "1\\) one\n2\\. two\n\\- three\n\\+ four\n\\=\\=\\= \n\\---"
    )


def test_single_file_and_wiki_links(corpus: Corpus, out: Path) -> None:
    options = ExportOptions(single=True, wiki_links=True)
    export(corpus.lib, "md", [corpus.a, corpus.b], out / "all.md", options=options)
    text = (out / "all.md").read_text(encoding="utf-8")
    assert not text.startswith("---")
    parts = text.split("\n\n---\n\n")
    assert len(parts) == 2 and parts[0].startswith("# Hayashi meets Blinken\n")
    assert parts[1].startswith("# \\=cmd\\|' /C calc'!A0 ../../etc/passwd\n")
    assert "- [[Antony Blinken]] · 1 mention" in parts[0]
    assert "date: 2021-12-11 · source: ANI · dateline: TOKYO · tags: diplomacy, japan-us" in text
    assert text.count("\n---\n") == 1  # nothing from a page can make a separator
