"""The real pages in ../shared: the two seeds and the 2,225-article BBC corpus, imported whole."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from pathlib import Path

import pytest

from reader.library.library import Library

pytestmark = pytest.mark.shared


def test_seeds(lib: Library, shared: Path) -> None:
    report = lib.import_paths([shared / "seeds"])
    assert (report.imported, report.failed) == (2, [])
    by_name = {Path(lib.paths(i)[0]).name: lib.document(i) for i in lib.document_ids()}
    ticker = by_name["000_83e7dc3bb7ce7b8b.txt"]
    kinds = [t.kind for t in ticker.tickers]
    assert (kinds.count("stock"), kinds.count("index")) == (30, 4)
    rows = {t.symbol: t for t in ticker.tickers}
    assert (rows["HBL"].price, rows["HBL"].change, rows["HBL"].change_pct) == (115.91, 0.01, 0.01)
    assert (rows["BOP"].direction, rows["BOP"].change, rows["BOP"].change_pct) == (
        "down",
        -0.01,
        -0.2,
    )
    assert (rows["KEL"].direction, rows["KEL"].change) == ("flat", 0.0)
    assert (rows["KSE100"].kind, rows["KSE100"].price, rows["KSE100"].change) == (
        "index",
        75091.0,
        160.7,
    )
    assert ticker.dateline == "TOKYO" and ticker.date is None and ticker.source is None
    assert ticker.title == (
        "Japanese Foreign Minister Yoshimasa Hayashi and US Secretary of State Antony…"
    )
    assert ticker.title_derived
    assert ticker.body.startswith("TOKYO: Japanese Foreign Minister")
    assert ticker.body.endswith("diplomatic boycott.")
    wire = by_name["004_3cdf2fd69fd0e6b0.txt"]
    assert (wire.date, wire.source) == ("2021-12-11", "ANI")
    assert wire.body.startswith("Japanese Foreign Minister") and wire.body.endswith("(ANI)")


def test_bbc_corpus(lib: Library, shared: Path) -> None:
    corpus = shared / "corpora" / "bbc"
    articles = sorted(p for p in corpus.glob("*/*.txt"))
    assert len(articles) == 2225
    report = lib.import_paths([corpus])
    assert report.failed == []
    by_bytes: dict[str, list[Path]] = defaultdict(list)
    for path in articles:
        by_bytes[hashlib.sha256(path.read_bytes()).hexdigest()].append(path)
    copies = sum(len(v) - 1 for v in by_bytes.values())
    assert report.duplicates == copies > 0
    # Every article is in the library, byte-identical copies as one document with several paths.
    docs = {i: lib.document(i) for i in lib.document_ids()}
    path_to_doc = {p: d for d in docs.values() for p in d.paths}
    for group in by_bytes.values():
        doc = path_to_doc[str(group[0])]
        assert sorted(doc.paths) == sorted(str(p) for p in group)
        headline = group[0].read_bytes().splitlines()[0].strip()
        assert doc.title == headline.decode(doc.encoding).strip()
        assert not doc.title_derived
    latin = [d for d in docs.values() if d.encoding not in ("utf-8", "utf-8-sig")]
    assert latin and all(d.encoding == "cp1252" for d in latin)
    assert any("£" in d.body for d in latin)
    # A re-import reads nothing and changes nothing.
    again = lib.import_paths([corpus])
    assert again.unchanged == len(articles) + 1  # + README.TXT, a page too
    assert again.imported == again.updated == again.duplicates == 0
