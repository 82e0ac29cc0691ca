"""The ticker-line grammar and the ticker block at a page's edge (our own fictional quotes)."""

from __future__ import annotations

import pytest

from reader.ingest.page import TickerRow
from reader.ingest.tickers import (
    KNOWN_INDICES,
    is_known_index,
    is_ticker_line,
    parse_ticker_line,
    split_ticker_block,
)


def test_stock_up():
    row = parse_ticker_line("ORCHID 41.20 Increased By ▲ 0.35 (0.86%)", 3)
    assert row == TickerRow(
        symbol="ORCHID",
        kind="stock",
        price=41.2,
        change=0.35,
        change_pct=0.86,
        direction="up",
        line="ORCHID 41.20 Increased By ▲ 0.35 (0.86%)",
        position=3,
    )


def test_stock_down_with_minus():
    row = parse_ticker_line("QUAYSIDE 7.05 Decreased By ▼ -0.12 (-1.67%)")
    assert (row.kind, row.direction, row.change, row.change_pct) == ("stock", "down", -0.12, -1.67)


def test_decreased_by_without_minus_is_negative():
    row = parse_ticker_line("TIDEWELL 18.90 Decreased By ▼ 0.40 (2.07%)")
    assert (row.direction, row.change, row.change_pct) == ("down", -0.4, -2.07)


def test_increased_by_is_positive_even_with_a_minus():
    row = parse_ticker_line("ORCHID 41.20 Increased By ▲ -0.35 (-0.86%)")
    assert (row.direction, row.change, row.change_pct) == ("up", 0.35, 0.86)


def test_no_change_with_a_down_arrow_is_flat():
    row = parse_ticker_line("RIVERTON 3.10 No Change ▼ 0.00 (0%)")
    assert (row.kind, row.direction, row.change, row.change_pct) == ("stock", "flat", 0.0, 0.0)
    assert str(row.change) == "0.0"  # not -0.0
    assert str(parse_ticker_line("RIVERTON 3.10 No Change ▼ -0.00 (-0%)").change) == "0.0"


def test_thousands_commas():
    row = parse_ticker_line("SALTMARK 1,064.52 Increased By ▲ 1,012.48 (1.19%)")
    assert (row.price, row.change) == (1064.52, 1012.48)
    assert parse_ticker_line("KSE100 80,455 Decreased By -310.9 (-0.38%)").price == 80455.0
    assert parse_ticker_line("BIGCAP 1,234,567.5 Increased By ▲ 1 (0%)").price == 1234567.5


@pytest.mark.parametrize(
    "line",
    [
        "ORCHID  41.20  Increased  By  ▲  0.35  (0.86%)",
        "ORCHID\t41.20\tIncreased By\t▲\t0.35\t(0.86%)",
        "ORCHID\u00a041.20\u00a0Increased\u00a0By\u00a0▲\u00a00.35\u00a0(0.86%)",
        "ORCHID\u202f41.20 Increased By\u202f▲ 0.35\u2007(0.86\u202f%)",
        "ORCHID 41.20 Increased By ▲0.35(0.86%)",
        "  ORCHID 41.20 Increased By ▲ 0.35 (0.86%)  \n",
    ],
    ids=["doubled", "tabs", "nbsp", "narrow-and-figure-spaces", "tight", "padded"],
)
def test_spacing_varies(line):
    row = parse_ticker_line(line)
    assert row is not None
    assert (row.symbol, row.price, row.change, row.change_pct) == ("ORCHID", 41.2, 0.35, 0.86)
    assert row.line == line.strip()


def test_index_without_arrow():
    row = parse_ticker_line("BR100 8,112 Increased By 21.4 (0.26%)")
    assert (row.kind, row.direction, row.price, row.change) == ("index", "up", 8112.0, 21.4)


def test_known_index_with_an_arrow_stays_an_index():
    assert parse_ticker_line("KSE30 24,010 Increased By ▲ 3.1 (0.01%)").kind == "index"
    assert parse_ticker_line("BKTi 16,020 Decreased By ▼ 12 (0.07%)").kind == "index"


def test_unknown_symbol_without_arrow_is_an_index():
    row = parse_ticker_line("HARBOUR40 5,501 Decreased By 2.5 (0.05%)")
    assert (row.kind, row.direction, row.change) == ("index", "down", -2.5)


def test_symbols_may_start_with_a_digit_or_mix_case_but_need_a_letter():
    assert parse_ticker_line("786FUND 9.50 Increased By ▲ 0.10 (1.06%)").symbol == "786FUND"
    assert parse_ticker_line("BKTi 16,020 Increased By 12 (0.07%)").symbol == "BKTi"
    assert parse_ticker_line("2024 9.50 Increased By ▲ 0.10 (1.06%)") is None


def test_known_indices():
    for name in ("BR100", "BR30", "KSE100", "KSE30", "KMI30", "ALLSHR", "BKTi", "KMIALLSHR"):
        assert name in KNOWN_INDICES
        assert is_known_index(name)
    assert is_known_index("bkti") and is_known_index("BKTI")  # any case
    assert parse_ticker_line("Kse100 80,455 Increased By ▲ 1 (0%)").kind == "index"
    assert is_known_index("ORCHID") is False


@pytest.mark.parametrize(
    "line",
    [
        "The index closed at 80,455 after it Increased By 21.4 (0.26%) on Friday.",
        "Shares of Orchid rose to 41.20, up 0.35 (0.86%).",
        "ORCHID 41.20 Increased By ▲ 0.35 (0.86%) in early trade",
        "ORCHID 41.20 Increased By ▲ 0.35",
        "ORCHID 41.20 Rose By ▲ 0.35 (0.86%)",
        "ORCHID 41.2.0 Increased By ▲ 0.35 (0.86%)",
        "ORCHID 41.20 Increased By ▲ 0.35 (0.86)",
        "",
        "x" * 2_000_000,
    ],
    ids=[
        "prose",
        "prose2",
        "trailing-words",
        "no-pct",
        "bad-move",
        "bad-number",
        "no-%",
        "",
        "2mb",
    ],
)
def test_not_ticker_lines(line):
    assert parse_ticker_line(line) is None
    assert not is_ticker_line(line)


# --- the block --------------------------------------------------------------------------------

BLOCK = [
    "ORCHID 41.20 Increased By ▲ 0.35 (0.86%)",
    "QUAYSIDE 7.05 Decreased By ▼ -0.12 (-1.67%)",
    "BR100 8,112 Increased By 21.4 (0.26%)",
]
ARTICLE = [
    "KARACHI: The port authority said on Monday that it would dredge the channel.",
    "",
    "Work starts next week.",
]


def test_block_at_the_top_with_leading_blank_lines():
    lines = ["", "  ", *BLOCK, "", *ARTICLE]
    rows, start, end = split_ticker_block(lines)
    assert (start, end) == (2, 5)
    assert [r.symbol for r in rows] == ["ORCHID", "QUAYSIDE", "BR100"]
    assert [r.position for r in rows] == [0, 1, 2]
    assert [r.kind for r in rows] == ["stock", "stock", "index"]


def test_block_at_the_bottom_numbered_in_page_order():
    lines = [*ARTICLE, "", *BLOCK, ""]
    rows, start, end = split_ticker_block(lines)
    assert (start, end) == (4, 7)
    assert [r.symbol for r in rows] == ["ORCHID", "QUAYSIDE", "BR100"]
    assert [r.position for r in rows] == [0, 1, 2]


def test_blank_lines_between_ticker_lines_belong_to_the_block():
    lines = [BLOCK[0], "", BLOCK[1], "", BLOCK[2], "", *ARTICLE]
    rows, start, end = split_ticker_block(lines)
    assert (len(rows), start, end) == (3, 0, 5)


def test_a_single_ticker_line_at_the_top_is_a_block():
    lines = [BLOCK[2], "", *ARTICLE]
    rows, start, end = split_ticker_block(lines)
    assert ([r.symbol for r in rows], start, end) == (["BR100"], 0, 1)


def test_a_lone_ticker_line_mid_article_is_not_a_block():
    lines = [ARTICLE[0], "", BLOCK[0], "", ARTICLE[2]]
    assert split_ticker_block(lines) == ((), 0, 0)


def test_no_block():
    assert split_ticker_block(ARTICLE) == ((), 0, 0)
    assert split_ticker_block([]) == ((), 0, 0)
    assert split_ticker_block(["", " "]) == ((), 0, 0)


def test_the_same_line_at_another_position_gets_its_own_position():
    line = "ORCHID 41.20 Increased By ▲ 0.35 (0.86%)"
    assert parse_ticker_line(line, 0).position == 0
    assert parse_ticker_line(line, 5).position == 5
    assert parse_ticker_line(line, 0) == parse_ticker_line(" " + line + " ", 0)


@pytest.mark.parametrize("number", ["1,23", "12,3456", "1,,234", ",123"])
def test_thousands_commas_must_group_by_three(number):
    assert parse_ticker_line(f"ORCHID {number} Increased By ▲ 0.35 (0.86%)") is None
    assert parse_ticker_line(f"ORCHID 41.20 Increased By ▲ {number} (0.86%)") is None


def test_a_block_seen_again_gives_equal_rows():
    lines = [*BLOCK, "", *ARTICLE]
    first = split_ticker_block(list(lines))
    again = split_ticker_block(list(lines))
    assert first == again
    bottom = split_ticker_block([*ARTICLE, "", *BLOCK])  # same lines, other edge
    assert bottom[0] == first[0]


def test_a_line_with_words_after_the_block_ends_it():
    lines = [BLOCK[0], BLOCK[1] + " (delayed)", BLOCK[2], "", *ARTICLE]
    rows, start, end = split_ticker_block(lines)
    assert ([r.symbol for r in rows], start, end) == (["ORCHID"], 0, 1)
