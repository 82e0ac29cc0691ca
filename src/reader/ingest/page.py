"""The values that ingest produces: a decoded page and what its profile derived from it.

These are plain frozen dataclasses so the library, the exporters and the UI can share them
without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Direction = Literal["up", "down", "flat"]
TickerKind = Literal["stock", "index"]


@dataclass(frozen=True)
class TickerRow:
    """One market-ticker line of page chrome, e.g. ``HBL 115.91 Increased By ▲ 0.01 (0.01%)``."""

    symbol: str
    kind: TickerKind
    price: float
    change: float  # signed: negative when the move is "Decreased By", whatever the sign written
    change_pct: float  # signed like ``change``
    direction: Direction
    line: str  # the raw line as it stood in the page (after decoding and normalisation)
    position: int = 0  # order in the page, from 0


@dataclass(frozen=True)
class ParsedPage:
    """What a page profile derives from a page's text. Everything here can be derived again.

    ``body`` is what the reader shows and what annotation offsets (code points) point into.
    """

    body: str
    title: str
    title_derived: bool
    profile: str  # name of the profile that recognised the page, e.g. "ticker", "wire", "titled"
    date: str | None = None  # ISO ``YYYY-MM-DD`` only when the page says so
    dateline: str | None = None  # e.g. "TOKYO"
    source: str | None = None  # e.g. "ANI", from a known agency attribution
    tickers: tuple[TickerRow, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class DecodedPage:
    """A file's bytes turned into the page's text (the raw text the library keeps)."""

    text: str  # decoded, newlines normalised to \n, control characters dropped
    encoding: str  # Python codec name actually used: "utf-8", "utf-8-sig", "utf-16", "cp1252", …
    content_hash: str  # "sha256:" + hex digest of ``text`` encoded as UTF-8


class RefusedFile(Exception):
    """A file that is not a text page. ``reason`` is short and says what to do, for people."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
