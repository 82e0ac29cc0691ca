"""``jsonl`` read back with the json module: every span slices the text it names."""

from __future__ import annotations

import json
from pathlib import Path

from reader.export import export

from .corpus import BODY_A, BODY_B, BODY_C, Corpus, span


def _lines(path: Path) -> list[dict]:
    raw = path.read_bytes().decode("utf-8")
    assert raw.endswith("\n") and "\r\n" not in raw
    return [json.loads(line) for line in raw.split("\n")[:-1]]


def test_every_span_slices_the_text(corpus: Corpus, out: Path) -> None:
    report = export(corpus.lib, "jsonl", None, out / "a.jsonl")
    records = _lines(out / "a.jsonl")
    assert [r["id"] for r in records] == corpus.ids
    assert [r["text"] for r in records[:3]] == [BODY_A, BODY_B, BODY_C]  # \r and all
    for r in records:
        assert set(r) == {"id", "text", "label", "spans", "highlights", "meta"}
        assert [[s["start"], s["end"], s["label"]] for s in r["spans"]] == r["label"]
        for s in r["spans"]:
            assert set(s) == {"start", "end", "label", "text"}
            assert r["text"][s["start"] : s["end"]] == s["text"]
        for h in r["highlights"]:
            assert set(h) == {"start", "end", "color", "note", "text"}
            assert r["text"][h["start"] : h["end"]] == h["text"]
    b = records[1]
    assert [b["text"][s:e] for s, e, _ in b["label"]] == [
        "Karachi",
        "بلاول بھٹو زرداری",
        "Pakistan",
        "Lahore",
    ]
    assert b["label"][0][:2] == list(span(BODY_B, "Karachi")) == [3, 10]  # code points
    a = records[0]
    assert {"start": 68, "end": 82, "label": "PERSON", "text": "Antony\nBlinken"} in a["spans"]
    assert a["highlights"][0]["note"] == "key quote\r\nsecond line"
    assert a["meta"] == {
        "title": "Hayashi meets Blinken",
        "date": "2021-12-11",
        "source": "ANI",
        "dateline": "TOKYO",
        "tags": ["diplomacy", "japan-us"],
        "paths": ["/dump/001_page.txt"],
        "content_hash": corpus.lib.document(corpus.a).content_hash,
    }
    d = records[3]  # the orphaned highlight is left out, counted
    assert d["highlights"] == [] and len(d["spans"]) == 2
    assert report.left_out == 1 and report.failed == [] and report.documents == 4


def test_line_separators_inside_text_do_not_split_a_record(lib, out: Path) -> None:  # noqa: ANN001
    from .corpus import insert

    body = "one\u2028two\u2029three\x85four"
    insert(lib, body, "separators")
    export(lib, "jsonl", None, out / "s.jsonl")
    raw = (out / "s.jsonl").read_text(encoding="utf-8")
    assert len(raw.splitlines()) == 1  # str.splitlines would cut at U+2028 / U+2029 / U+0085
    assert json.loads(raw)["text"] == body


def test_each_line_is_json_dumps_of_the_record(corpus: Corpus, lib) -> None:  # noqa: ANN001
    """The fast line writer and the plain record + json.dumps agree to the character."""
    from reader.export.common import ExportReport
    from reader.export.jsonl import line, record

    from .corpus import insert

    insert(lib, 'q"uo\\te\ttab\x01ctl\u2028 None null', "t")
    for doc_id in [*corpus.ids, corpus.d + 1]:
        doc = lib.document(doc_id)
        fast, slow = ExportReport("jsonl", Path()), ExportReport("jsonl", Path())
        text = json.dumps(record(doc, slow), ensure_ascii=False)
        for raw, escaped in (("\u2028", "\\u2028"), ("\u2029", "\\u2029"), ("\x85", "\\u0085")):
            text = text.replace(raw, escaped)
        assert line(doc, fast) == text + "\n"
        assert (fast.annotations, fast.left_out, fast.failed) == (
            slow.annotations, slow.left_out, slow.failed,
        )  # fmt: skip
