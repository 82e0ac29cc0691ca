"""The bundled sample dump: it imports cleanly, shows every page shape, and is our own writing."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from reader.library.library import Library

SAMPLE = Path(__file__).resolve().parents[1] / "src" / "reader" / "resources" / "sample_dump"


def test_sample_dump_imports_whole(lib: Library) -> None:
    report = lib.import_paths([SAMPLE])
    assert (report.failed, report.skipped) == ([], [])
    assert 18 <= report.imported <= 25
    docs = [lib.document(i) for i in lib.document_ids()]
    shapes = Counter(d.profile for d in docs)
    assert shapes["ticker"] >= 5 and shapes["wire"] >= 5 and shapes["titled"] >= 5
    assert {d.encoding for d in docs} >= {"utf-8", "cp1252"}
    dated_tickers = {d.date for d in docs if d.tickers and d.date}
    assert len(dated_tickers) >= 2  # ticker snapshots on different dates
    symbols = Counter(t.symbol for d in docs for t in d.tickers)
    assert symbols.most_common(1)[0][1] >= 5  # a symbol with a history
    assert any("<b>" in d.body for d in docs)  # markup kept literal
    assert any(re.search("[\u0600-\u06ff]", d.body) for d in docs)  # Urdu
    assert any(any(ord(c) > 0xFFFF for c in d.body) for d in docs)  # outside the BMP


def _sevengrams(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + 7]) for i in range(len(words) - 6)}


@pytest.mark.shared
def test_sample_dump_copies_nothing_from_shared(shared: Path) -> None:
    ours: set[tuple[str, ...]] = set()
    for page in SAMPLE.rglob("*.txt"):
        text = page.read_bytes().decode("utf-8", errors="replace")
        ours |= {g for g in _sevengrams(text) if not {"increased", "decreased", "change"} & set(g)}
    theirs: set[tuple[str, ...]] = set()
    for page in [*shared.glob("seeds/*.txt"), *shared.glob("corpora/bbc/*/*.txt")]:
        theirs |= _sevengrams(page.read_bytes().decode("latin-1"))
    assert ours & theirs == set()
