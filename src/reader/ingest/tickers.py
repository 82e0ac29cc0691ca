"""The market-ticker line grammar, and where a block of ticker lines sits on a page.

Grammar (DUMP_FORMAT.md): ``SYMBOL PRICE MOVE [ARROW] CHANGE (PCT%)``, for instance
``HBL 115.91 Increased By ▲ 0.01 (0.01%)`` or ``KSE100 75,091 Increased By 160.7 (0.21%)``.
The MOVE words decide the direction; the arrow is decoration. The pattern must match the
whole line, which is what keeps prose that mentions a price from ever being read as a quote.

Ticker rows are page chrome only as a *block* at the top or the bottom of a page; see
:func:`split_ticker_block` for the block rule and its minimum size.

Speed matters here (a third of a dump can be ticker pages, 10–40 lines each): the regex is
written for CPython's engine (no backtracking into repeated groups, checks that are rare done
in Python instead), and a block already seen (an outlet serves the same bar on every page of
the same minutes) is taken from a cache instead of being built again.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from typing import Any

from reader.ingest.page import Direction, TickerKind, TickerRow

__all__ = [
    "KNOWN_INDICES",
    "MIN_BLOCK_LINES",
    "is_known_index",
    "is_ticker_line",
    "parse_ticker_line",
    "split_ticker_block",
]

# Index names of the Pakistan Stock Exchange / Business Recorder family. A name listed here is
# an index whatever follows it on the line (some pages draw an arrow after an index too).
# Extending the family is adding a name here.
KNOWN_INDICES: frozenset[str] = frozenset(
    {
        "BR100",
        "BR30",
        "KSE100",
        "KSE100PR",
        "KSE30",
        "KMI30",
        "KMIALLSHR",
        "ALLSHR",
        "MII30",
        "BKTi",
        "OGTi",
        "PSXDIV20",
        "UPP9",
        "NITPGI",
        "NBPPGI",
        "MZNPI",
        "JSMFI",
        "ACI",
        "JSGCL",
        "HBLTTI",
    }
)

_INDEX_KEYS = frozenset(name.upper() for name in KNOWN_INDICES)

# A block of this many ticker lines at the top or bottom edge is chrome. One is enough: the
# grammar is anchored and specific (MOVE words and a "(PCT%)" tail on a line of its own), so a
# line matching it *at the edge* of a page is a one-quote ticker bar, not prose; the position
# rule (edges only) is what rejects a lone matching line in the middle of an article.
MIN_BLOCK_LINES = 1

# Longer lines are not even tried (real ticker lines are under 80 characters).
_MAX_LINE_CHARS = 400

# White space between fields: spaces, tabs, non-breaking spaces (U+00A0, U+202F, U+2007) and
# every other Unicode space; pages copied from HTML carry them. Never a newline.
_WS = r"[^\S\n]"
_SP = _WS + "+"
# Digits with optional thousands commas and decimals: "7,850", "1,064.52", "75091". The regex
# lets commas anywhere (one repeated character class is much faster in CPython's engine than
# repeated comma groups); _match() checks the grouping of the few numbers that have commas.
_NUMBER = r"[0-9][0-9,]*(?:\.[0-9]+)?"
_SIGNED = rf"[-+\u2212]?{_NUMBER}"
_THOUSANDS = re.compile(r"[-+\u2212]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")
_ARROWS = "▲▼▴▾"
# A whole line: surrounding white space, then (group 1, the line as the row keeps it)
# SYMBOL PRICE MOVE [ARROW] CHANGE (PCT%) in groups 2-7; ARROW is None when absent.
_LINE = re.compile(
    rf"""
    \s*
    (
    ([A-Za-z0-9]{{1,20}})                                   # SYMBOL (a letter at least: _match)
    {_SP}({_NUMBER})                                        # PRICE
    {_SP}((?:[Ii]ncreased|[Dd]ecreased){_SP}[Bb]y|[Nn]o{_SP}[Cc]hange)   # MOVE
    (?:{_SP}([{_ARROWS}]){_WS}*|{_SP})                       # ARROW, optional
    ({_SIGNED})                                             # CHANGE
    {_WS}*\(({_SIGNED}){_WS}*%\)                             # (PCT%)
    )
    \s*
    """,
    re.VERBOSE,
)

# The first letter of MOVE → direction and the sign it gives CHANGE and PCT (0: keep as written).
_MOVES: dict[str, tuple[Direction, float]] = {
    "I": ("up", 1.0),
    "i": ("up", 1.0),
    "D": ("down", -1.0),
    "d": ("down", -1.0),
    "N": ("flat", 0.0),
    "n": ("flat", 0.0),
}

# Rows of recently seen blocks, keyed by the block's lines. Rows are immutable, and an outlet
# serves the same ticker bar on every page of the same few minutes, so a dump repeats whole
# blocks. A miss costs one dict lookup; the cache is bounded (oldest block out first).
_BLOCK_CACHE: dict[tuple[str, ...], tuple[TickerRow, ...]] = {}
_BLOCK_CACHE_SIZE = 512
_BLOCK_CACHE_LOCK = threading.Lock()


def is_known_index(symbol: str) -> bool:
    """True when ``symbol`` names a known index, in any case ("BKTi", "BKTI", "bkti")."""
    return symbol.upper() in _INDEX_KEYS


def is_ticker_line(line: str) -> bool:
    """Whether ``line`` is a whole ticker line (the test alone, without building a row)."""
    return _match(line) is not None


def parse_ticker_line(line: str, position: int = 0) -> TickerRow | None:
    """Parse one whole line as a ticker quote, or return None when it is not one.

    Signs follow the MOVE words, not the text: "Decreased By" makes change and percentage
    negative even when written without a minus, "Increased By" makes them positive, and
    "No Change" is flat whatever the arrow says (its numbers are kept as written).
    A known index name (any case) is an index; any other symbol is a stock if it has an
    arrow and an index if it has none. ``line`` in the row is the line without surrounding
    white space.
    """
    m = _match(line)
    return None if m is None else _row(m.groups(), position)


def split_ticker_block(lines: list[str]) -> tuple[tuple[TickerRow, ...], int, int]:
    """Find the ticker block at the top of a page, else at its bottom.

    ``lines`` are the page's lines without their newlines. Returns ``(rows, start, end)``:
    ``lines[start:end]`` is the block (first to last ticker line; blank lines between ticker
    lines belong to it), ``rows`` its ticker rows numbered 0.. in page order. With no block,
    ``((), 0, 0)``.

    The top block starts at the first non-blank line, the bottom block ends at the last one:
    a page edge, not a paragraph of the article. A block needs at least
    :data:`MIN_BLOCK_LINES` ticker lines. Call it again on the rest of the page to find a
    second block at the other edge.
    """
    found = _edge_block(lines, range(len(lines)))
    if not found:
        found = _edge_block(lines, range(len(lines) - 1, -1, -1))
        found.reverse()
    if not found:
        return (), 0, 0
    key = tuple(m[1] for _, m in found)
    rows = _BLOCK_CACHE.get(key)
    if rows is None:
        rows = tuple(_row(m.groups(), n) for n, (_, m) in enumerate(found))
        with _BLOCK_CACHE_LOCK:
            if len(_BLOCK_CACHE) >= _BLOCK_CACHE_SIZE:
                _BLOCK_CACHE.pop(next(iter(_BLOCK_CACHE)), None)
            _BLOCK_CACHE[key] = rows
    return rows, found[0][0], found[-1][0] + 1


def _edge_block(lines: list[str], order: range) -> list[tuple[int, re.Match[str]]]:
    """Walk ``order`` from a page edge: skip blank lines, then take ticker or blank lines.

    Returns the ticker lines met, as (index, match) in walking order; empty when too few.
    """
    found: list[tuple[int, re.Match[str]]] = []
    for i in order:
        line = lines[i]
        if not line or line.isspace():
            continue
        m = _match(line)
        if m is None:
            break
        found.append((i, m))
    return found if len(found) >= MIN_BLOCK_LINES else []


def _match(line: str) -> re.Match[str] | None:
    """The regex match of a whole ticker line, with the checks the regex leaves to Python."""
    if len(line) > _MAX_LINE_CHARS:  # a 2 MB line never reaches the regex
        return None
    m = _LINE.fullmatch(line)
    if m is None or m[2].isdigit():
        return None
    if "," in m[1]:
        for number in (m[3], m[6], m[7]):
            if "," in number and _THOUSANDS.fullmatch(number) is None:
                return None
    return m


def _row(groups: Sequence[Any], position: int) -> TickerRow:
    """Build a row from a line's groups. Lean on purpose: it runs once per ticker line."""
    raw, symbol, price_text, move, arrow, change_text, pct_text = groups
    if "," in raw or "\u2212" in raw:
        price, change, pct = _number(price_text), _number(change_text), _number(pct_text)
    else:
        price, change, pct = float(price_text), float(change_text), float(pct_text)
    direction, sign = _MOVES[move[0]]
    if sign:
        change, pct = sign * abs(change), sign * abs(pct)
    else:  # "No Change": flat, numbers as written
        change, pct = change + 0.0, pct + 0.0  # no -0.0
    kind: TickerKind = (
        "index"
        if arrow is None or symbol in _INDEX_KEYS or symbol.upper() in _INDEX_KEYS
        else "stock"
    )
    return TickerRow(symbol, kind, price, change, pct, direction, raw, position)


def _number(text: str) -> float:
    """A number as written: thousands commas, maybe a sign (U+2212 minus too)."""
    return float(text.replace(",", "").replace("\u2212", "-"))
