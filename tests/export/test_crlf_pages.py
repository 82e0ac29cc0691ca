"""Pages that came in with CRLF endings, through the real import, out through every format."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import yaml

from reader.export import ExportOptions, export
from reader.library.library import Library

PAGE = (
    "Karachi port reopens after the storm\r\n"
    "\r\n"
    "KARACHI: The port 🚢 reopened on Monday, said بلاول بھٹو زرداری, and Antony\r\n"
    "Blinken welcomed it.\r\n"
    "\r\n"
    "Ships waited 👨‍👩‍👧 offshore.\r\n"
)


def test_crlf_page_offsets_hold_in_every_format(lib: Library, tmp_path: Path) -> None:
    dump = tmp_path / "dump"
    dump.mkdir()
    (dump / "000_crlf.txt").write_bytes(PAGE.encode("utf-8"))
    assert lib.import_paths([dump]).imported == 1
    [doc_id] = lib.document_ids()
    body = lib.body(doc_id)
    assert "\r" not in body and "Antony\nBlinken" in body
    for text, type_ in (("بلاول بھٹو زرداری", "PERSON"), ("Antony\nBlinken", "PERSON")):
        s = body.index(text)
        lib.add_entity(doc_id, s, s + len(text), type_)
    s = body.index("👨")
    lib.add_highlight(doc_id, s, body.index(" offshore"), note="line one\r\nline two")
    out = tmp_path / "out"
    out.mkdir()

    export(lib, "jsonl", None, out / "a.jsonl")
    record = json.loads((out / "a.jsonl").read_text(encoding="utf-8"))
    assert record["text"] == body
    assert [record["text"][a:b] for a, b, _ in record["label"]] == [
        "بلاول بھٹو زرداری",
        "Antony\nBlinken",
    ]
    assert record["highlights"][0]["text"] == "👨‍👩‍👧"

    export(lib, "brat", None, out / "brat")
    [txt] = (out / "brat").glob("*.txt")
    assert txt.read_bytes() == body.encode("utf-8")
    ann = txt.with_suffix(".ann").read_text(encoding="utf-8").splitlines()
    frag = next(line for line in ann if "Antony" in line)
    offsets = frag.split("\t")[1].split(" ", 1)[1]
    pieces = [tuple(map(int, p.split())) for p in offsets.split(";")]
    assert [body[a:b] for a, b in pieces] == ["Antony", "Blinken"]

    export(lib, "csv", None, out / "a.csv")
    with open(out / "a.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [body[int(r["start"]) : int(r["end"])] == r["text"] for r in rows] == [True] * 3
    assert rows[-1]["note"] == "line one\r\nline two"

    export(lib, "md", None, out / "md")
    [note] = (out / "md").glob("*.md")
    front = note.read_text(encoding="utf-8")[4:].split("\n---\n")[0]
    meta = yaml.safe_load(front)
    assert meta["title"] == "Karachi port reopens after the storm"
    assert meta["paths"] == [str(dump / "000_crlf.txt")]
    assert meta["entities"] == {"PERSON": ["بلاول بھٹو زرداری", "Antony Blinken"]}

    export(lib, "json", None, out / "a.json")
    items = json.loads((out / "a.json").read_text(encoding="utf-8"))["first"]["items"]
    for item in items:
        sel = {s["type"]: s for s in item["target"]["selector"]}
        pos = sel["TextPositionSelector"]
        assert body[pos["start"] : pos["end"]] == sel["TextQuoteSelector"]["exact"]

    export(lib, "conll", None, out / "a.conll", options=ExportOptions())
    tags = [
        line.split("\t")
        for line in (out / "a.conll").read_text(encoding="utf-8").split("\n")
        if line and not line.startswith("-DOCSTART-")
    ]
    assert [t for t, tag in tags if tag != "O"] == ["بلاول", "بھٹو", "زرداری", "Antony", "Blinken"]
