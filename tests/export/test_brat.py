"""``brat`` read back with an independent ``.ann`` parser: offsets, fragments, notes, conf."""

from __future__ import annotations

import re
from pathlib import Path

from reader.export import export

from .corpus import BODY_A, BODY_B, BODY_C, Corpus

_T = re.compile(r"^T(\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t(.*)$")
_NOTE = re.compile(r"^#(\d+)\tAnnotatorNotes (T\d+)\t(.*)$")


def read_ann(path: Path) -> tuple[list[tuple[str, str, list[tuple[int, int]], str]], dict]:
    """(text-bound annotations, notes by T id), parsed from brat's standoff syntax."""
    spans, notes = [], {}
    raw = path.read_bytes().decode("utf-8")
    assert raw == "" or raw.endswith("\n")
    for line in raw.split("\n")[:-1]:
        if m := _T.match(line):
            frags = [tuple(map(int, f.split())) for f in m.group(3).split(";")]
            spans.append((f"T{m.group(1)}", m.group(2), frags, m.group(4)))
        elif m := _NOTE.match(line):
            notes[m.group(2)] = m.group(3)
        else:
            raise AssertionError(f"not brat standoff: {line!r}")
    return spans, notes


def test_pairs_fragments_and_notes(corpus: Corpus, out: Path) -> None:
    export(corpus.lib, "brat", None, out / "brat")
    folder = out / "brat"
    txts = sorted(folder.glob("*.txt"))
    assert [p.name.split("-")[0] for p in txts] == ["1", "2", "3", "4"]
    conf = (folder / "annotation.conf").read_text(encoding="utf-8")
    sections = re.findall(r"^\[(\w+)\]$", conf, re.M)
    assert sections == ["entities", "relations", "events", "attributes"]
    entity_types = conf.split("[entities]\n")[1].split("\n\n")[0].split("\n")
    assert {"PERSON", "GPE", "ORG", "Highlight"} <= set(entity_types)
    seen_types = set()
    for txt in txts:
        body = txt.read_bytes().decode("utf-8")
        spans, notes = read_ann(txt.with_suffix(".ann"))
        for _tid, type_, frags, text in spans:
            seen_types.add(type_)
            for s, e in frags:
                assert 0 <= s < e <= len(body)
                assert not any(c in body[s:e] for c in "\n\r\u2028\u2029\x85")
            assert " ".join(body[s:e] for s, e in frags) == text
        for tid in notes:
            assert tid in {t for t, *_ in spans}
    assert seen_types <= set(entity_types)
    # Bodies are written byte for byte: the lone \r survives.
    assert [t.read_bytes().decode("utf-8") for t in txts[:3]] == [BODY_A, BODY_B, BODY_C]

    spans_a, notes_a = read_ann(txts[0].with_suffix(".ann"))
    across = next(s for s in spans_a if s[3] == "Antony Blinken")
    assert across[1] == "PERSON" and len(across[2]) == 2
    assert notes_a[across[0]] == "crosses a line"
    highlight = next(s for s in spans_a if s[1] == "Highlight")
    assert notes_a[highlight[0]] == "key quote second line"  # one line in .ann
    spans_c, _ = read_ann(txts[2].with_suffix(".ann"))
    assert next(s for s in spans_c if s[2][0][0] == 337)[2] == [(337, 342), (343, 352)]
    spans_d, _ = read_ann(txts[3].with_suffix(".ann"))
    assert [s[1] for s in spans_d] == ["PERSON", "PERSON"]  # the orphan is left out
