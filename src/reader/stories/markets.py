"""Ticker history: one symbol's quotes over the dates of every page in the library that carries it.

Each ticker-header page is a snapshot of the market on the day it was scraped. Put side by side,
the snapshots of one symbol are a price series; each point keeps the pages behind it, so a
chart can open them.

Dates follow :mod:`reader.stories.dates`: the page's own date, else the date in its folder or
file name (as the story grouping recorded it when it read the page, or parsed here for a page it
has not read yet); never the file's modification time. Pages with neither are left out of the
series and listed in :attr:`TickerHistory.undated`.

Pages of the same date quoting the same figures make one point (a day's pages scraped minutes
apart share their ticker block). Pages of the same date quoting *different* figures (intraday
scrapes) make one point each, in page order, and the date is listed in
:attr:`TickerHistory.conflicting_dates`: the library cannot tell which came later.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from operator import itemgetter
from typing import TYPE_CHECKING, NamedTuple

from reader.library.errors import UsageError
from reader.stories.dates import DateOrigin, date_from_path

if TYPE_CHECKING:
    from reader.library.library import Library

CSV_HEADER = ("date", "price", "change", "change_pct", "direction", "date_from", "documents")


class HistoryPoint(NamedTuple):
    """One quote of a symbol on one date, and the pages that carry it.

    A named tuple, not a dataclass: a chart of a busy symbol makes ten thousand of them.
    """

    date: str  # ISO YYYY-MM-DD
    price: float
    change: float
    change_pct: float
    direction: str  # "up", "down" or "flat"
    date_from: DateOrigin  # "page" if any page behind the point is dated itself, else "path"
    documents: tuple[int, ...]  # ids, ascending

    def as_json(self) -> dict:
        return {
            "date": self.date,
            "price": self.price,
            "change": self.change,
            "change_pct": self.change_pct,
            "direction": self.direction,
            "date_from": self.date_from,
            "documents": list(self.documents),
        }


@dataclass(frozen=True)
class TickerHistory:
    """A symbol's series: points by date, and what could not be placed on it."""

    symbol: str
    kind: str  # "stock" or "index" (as most of its rows say)
    points: tuple[HistoryPoint, ...]
    undated: tuple[int, ...]  # pages carrying the symbol that have no date at all
    conflicting_dates: tuple[str, ...]  # dates with more than one different quote

    @property
    def pages(self) -> int:
        return sum(len(p.documents) for p in self.points) + len(self.undated)

    def as_json(self) -> dict:
        """The ``reader history SYMBOL --json`` shape."""
        return {
            "symbol": self.symbol,
            "kind": self.kind,
            "points": [p.as_json() for p in self.points],
            "undated": {"count": len(self.undated), "documents": list(self.undated)},
            "conflicting_dates": list(self.conflicting_dates),
        }

    def as_csv(self) -> str:
        """The ``reader history SYMBOL --csv`` text: :data:`CSV_HEADER`, one row per point;
        ``documents`` holds the ids separated by spaces."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_HEADER)
        for p in self.points:
            writer.writerow(
                (
                    p.date,
                    repr(p.price),
                    repr(p.change),
                    repr(p.change_pct),
                    p.direction,
                    p.date_from,
                    " ".join(map(str, p.documents)),
                )
            )
        return out.getvalue()


@dataclass(frozen=True)
class SymbolInfo:
    symbol: str
    kind: str
    pages: int  # pages carrying it, dated or not


def resolve_symbol(lib: Library, symbol: str) -> str:
    """The symbol as the library spells it: exact, else the one case-insensitive match.

    Raises :class:`UsageError` (with near spellings) when no page carries it.
    """
    conn = lib.conn
    if conn.execute("SELECT 1 FROM tickers WHERE symbol = ? LIMIT 1", (symbol,)).fetchone():
        return symbol
    spelled = [
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT symbol FROM tickers WHERE symbol = ? COLLATE NOCASE", (symbol,)
        )
    ]
    if len(spelled) == 1:
        return spelled[0]
    if spelled:
        raise UsageError(f"{symbol!r} matches several symbols: {', '.join(sorted(spelled))}")
    from rapidfuzz import fuzz, process

    known = [r[0] for r in conn.execute("SELECT DISTINCT symbol FROM tickers")]
    near = [m[0] for m in process.extract(symbol.upper(), known, scorer=fuzz.ratio, limit=3)]
    hint = f"; did you mean {', '.join(near)}?" if near else " (the library has no ticker rows)"
    raise UsageError(f"no page in the library carries the symbol {symbol!r}{hint}")


def history(lib: Library, symbol: str) -> TickerHistory:
    """The series of ``symbol`` (see the module docstring). Unknown symbol: :class:`UsageError`.

    One indexed query; a page without a date of its own takes the path date the story grouping
    recorded when it read the page, and only pages it has not read yet have their paths parsed
    here. A symbol on 10,000 pages opens in a few tens of milliseconds
    (``tests/benchmarks/bench_stories.py``).
    """
    symbol = resolve_symbol(lib, symbol)
    cur = lib.conn.cursor()
    cur.row_factory = None  # plain tuples: ten thousand sqlite3.Row objects cost real time
    rows = cur.execute(
        "SELECT t.document_id, t.price, t.change, t.change_pct, t.direction, t.kind, d.date,"
        " s.date, s.document_id IS NOT NULL,"
        " CASE WHEN d.date IS NULL AND s.document_id IS NULL THEN"
        "  (SELECT group_concat(p.path, char(10)) FROM paths p WHERE p.document_id = d.id)"
        " END"
        " FROM tickers t JOIN documents d ON d.id = t.document_id"
        " LEFT JOIN document_signatures s"
        "  ON s.document_id = t.document_id AND s.content_hash = d.content_hash"
        " WHERE t.symbol = ?",
        (symbol,),
    ).fetchall()
    return _series(symbol, rows)


def _series(symbol: str, rows: list[tuple]) -> TickerHistory:
    rows.sort(key=itemgetter(0))  # a page quoting the symbol twice: its first row counts
    kinds: Counter[str] = Counter()
    points: dict[tuple, list[int]] = {}
    from_page: set[tuple] = set()
    undated: list[int] = []
    previous = None
    for doc_id, price, change, change_pct, direction, kind, own, read, was_read, paths in rows:
        if doc_id == previous:
            continue
        previous = doc_id
        kinds[kind] += 1
        if own:
            key = (own, price, change, change_pct, direction)
            from_page.add(key)
        else:
            if was_read:
                date = read
            else:
                dated = [d for d in map(date_from_path, (paths or "").split("\n")) if d]
                date = min(dated) if dated else None
            if date is None:
                undated.append(doc_id)
                continue
            key = (date, price, change, change_pct, direction)
        docs = points.get(key)
        if docs is None:
            points[key] = [doc_id]
        else:
            docs.append(doc_id)
    ordered = sorted(points.items(), key=lambda item: (item[0][0], item[1][0]))
    per_date = Counter(key[0] for key, _ in ordered)
    return TickerHistory(
        symbol=symbol,
        kind=max(kinds, key=lambda k: (kinds[k], k)) if kinds else "stock",
        points=tuple(
            HistoryPoint(*key, "page" if key in from_page else "path", tuple(docs))
            for key, docs in ordered
        ),
        undated=tuple(undated),
        conflicting_dates=tuple(sorted(d for d, n in per_date.items() if n > 1)),
    )


def symbols_with_history(lib: Library, *, min_pages: int = 2) -> list[SymbolInfo]:
    """Symbols carried by at least ``min_pages`` pages, by symbol (for sparklines and pickers).

    Counts every page carrying the symbol; how many of them have a date is known only once
    :func:`history` reads their paths. ``kind`` is what the symbol's first row says (a symbol is
    a stock or an index everywhere in practice; :func:`history` counts them all).

    The counting reads only the symbol index: asking each row's kind as well made it look up
    every ticker row in the table, 2.5 s on 780,000 rows, where this takes 0.08 s.
    """
    conn = lib.conn
    found = conn.execute(
        "SELECT symbol, count(DISTINCT document_id) AS n FROM tickers"
        " GROUP BY symbol HAVING n >= ? ORDER BY symbol",
        (min_pages,),
    ).fetchall()
    first_kind = "SELECT kind FROM tickers WHERE symbol = ? LIMIT 1"
    return [
        SymbolInfo(symbol, conn.execute(first_kind, (symbol,)).fetchone()[0], n)
        for symbol, n in found
    ]
