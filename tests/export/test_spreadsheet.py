"""``csv`` and ``tickers-csv`` read back with the csv module: neutral cells, numbers as numbers."""

from __future__ import annotations

import csv
from pathlib import Path

from reader.export import ExportOptions, export
from reader.export.spreadsheet import cell

from .corpus import Corpus


def _rows(path: Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    with open(path, encoding=encoding, newline="") as f:
        return list(csv.DictReader(f))


def test_annotation_rows(corpus: Corpus, out: Path) -> None:
    export(corpus.lib, "csv", None, out / "a.csv")
    raw = (out / "a.csv").read_bytes()
    assert raw.startswith(b"document_id,title,date,kind,label,start,end,text,note\r\n")
    rows = _rows(out / "a.csv")
    assert len(rows) == 19  # 20 annotations, the orphan left out
    bodies = {i: corpus.lib.document(i).body for i in corpus.ids}
    for row in rows:
        assert row["kind"] in ("highlight", "entity")
        start, end = int(row["start"]), int(row["end"])  # numbers, never quoted with '
        assert bodies[int(row["document_id"])][start:end] == row["text"].removeprefix("'") or (
            row["text"] == "'" + bodies[int(row["document_id"])][start:end]
        )
        for key in ("title", "date", "label", "text", "note"):
            assert not row[key].startswith(("=", "+", "-", "@", "\t", "\r")), row
    b = [r for r in rows if r["document_id"] == str(corpus.b)]
    assert b[0]["title"] == "'=cmd|' /C calc'!A0 ../../etc/passwd"
    assert b[0]["note"] == '\'=HYPERLINK("http://evil.example")' and b[0]["label"] == "pink"
    assert b[-1]["note"] == "'-1 family" and b[-1]["label"] == "#00ff00"
    a = [r for r in rows if r["document_id"] == str(corpus.a)]
    assert a[4]["text"] == "Antony\nBlinken"
    highlight = next(r for r in a if r["kind"] == "highlight")
    assert highlight["note"] == "key quote\r\nsecond line"  # the \r survives the round trip
    c = [r for r in rows if r["document_id"] == str(corpus.c)]
    assert c[1]["text"] == "lone \r carriage" and c[1]["note"] == "'@mention +1"
    assert c[0]["text"] == "# Not a heading" and c[0]["date"] == "2024-01-02"


def test_cells() -> None:
    assert [cell(v) for v in ("=1+1", "+1", "-x", "@a", "\tx", "\rx", "a=b", "", None)] == [
        "'=1+1", "'+1", "'-x", "'@a", "'\tx", "'\rx", "a=b", "", "",
    ]  # fmt: skip
    assert cell(-0.5) == -0.5 and cell(3) == 3


def test_tickers(corpus: Corpus, out: Path) -> None:
    export(corpus.lib, "tickers-csv", None, out / "t.csv", options=ExportOptions(bom=True))
    assert (out / "t.csv").read_bytes().startswith(b"\xef\xbb\xbfdocument_id,")
    rows = _rows(out / "t.csv", "utf-8-sig")
    assert list(rows[0]) == [
        "document_id", "date", "source", "symbol", "kind", "price", "change", "change_pct",
        "direction",
    ]  # fmt: skip
    assert [(r["symbol"], r["kind"], r["direction"]) for r in rows] == [
        ("HBL", "stock", "up"),
        ("BOP", "stock", "down"),
        ("KSE100", "index", "up"),
    ]
    assert float(rows[1]["change"]) == -0.01 and rows[1]["change"] == "-0.01"  # not neutralised
    assert float(rows[2]["price"]) == 75091.0
    assert {r["document_id"] for r in rows} == {str(corpus.a)}
