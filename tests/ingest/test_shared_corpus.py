"""The real pages in ../shared: the two seeds and the BBC corpus. Skipped when it is absent.

Nothing is copied from there into the project; these tests only read it in place.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.ingest.decode import read_page
from reader.ingest.profiles import parse_page
from reader.ingest.scan import scan

SHARED = Path(__file__).parents[2].parent / "shared"
SEEDS = SHARED / "seeds"
BBC = SHARED / "corpora" / "bbc"
BBC_TOPICS = ("business", "entertainment", "politics", "sport", "tech")

pytestmark = pytest.mark.shared


def need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is not here")
    return path


def test_ticker_seed():
    page = read_page(need(SEEDS / "000_83e7dc3bb7ce7b8b.txt"))
    assert page.encoding == "utf-8"
    parsed = parse_page(page.text)
    assert parsed.profile == "ticker"
    kinds = [row.kind for row in parsed.tickers]
    assert (kinds.count("stock"), kinds.count("index")) == (30, 4)
    assert [row.position for row in parsed.tickers] == list(range(34))
    rows = {row.symbol: row for row in parsed.tickers}
    hbl = rows["HBL"]
    assert (hbl.kind, hbl.price, hbl.direction, hbl.change, hbl.change_pct) == (
        "stock",
        115.91,
        "up",
        0.01,
        0.01,
    )
    br100 = rows["BR100"]
    assert (br100.kind, br100.price, br100.direction, br100.change, br100.change_pct) == (
        "index",
        7850.0,
        "up",
        11.6,
        0.15,
    )
    assert (rows["KEL"].direction, rows["KEL"].change) == ("flat", 0.0)
    assert (rows["BOP"].direction, rows["BOP"].change, rows["BOP"].change_pct) == (
        "down",
        -0.01,
        -0.2,
    )
    assert rows["KSE100"].price == 75091.0
    assert parsed.dateline == "TOKYO"
    assert parsed.date is None and parsed.source is None
    assert parsed.title_derived
    assert parsed.title == (
        "Japanese Foreign Minister Yoshimasa Hayashi and US Secretary of State Antony…"
    )
    assert parsed.body.startswith("TOKYO: Japanese Foreign Minister")
    assert "Increased By" not in parsed.body
    assert not parsed.body.rstrip().endswith(("Comments", "Comments are closed."))
    assert "\nComments" not in parsed.body
    assert "’" in parsed.body  # curly apostrophes survive


def test_wire_seed():
    page = read_page(need(SEEDS / "004_3cdf2fd69fd0e6b0.txt"))
    parsed = parse_page(page.text)
    assert (parsed.profile, parsed.date, parsed.source) == ("wire", "2021-12-11", "ANI")
    assert parsed.body.startswith("Japanese Foreign Minister")
    assert parsed.body.endswith("(ANI)")
    assert parsed.tickers == ()


def test_bbc_corpus():
    root = need(BBC)
    entries = list(scan(root / topic for topic in BBC_TOPICS))
    files = [e for e in entries if e.skipped is None]
    assert len(files) == 2225
    legacy = []
    for entry in files:
        page = read_page(entry.path, size=entry.size)
        assert page.encoding in ("utf-8", "cp1252"), entry.path
        if page.encoding == "cp1252":
            legacy.append(page.text)
        parsed = parse_page(page.text)
        first_line, rest = page.text.split("\n", 1)
        assert (parsed.profile, parsed.title) == ("titled", first_line), entry.path
        assert not parsed.title_derived
        assert parsed.body == rest.strip()
    assert len(legacy) == 1  # the Latin-1 page, read as cp1252 with its £
    assert "£" in legacy[0] and "\ufffd" not in legacy[0]
