"""Page profiles: one per page shape, each recognising its shape and peeling off its chrome.

A profile has a ``name``, ``matches(text)`` (cheap: it runs on every page until one says yes)
and ``parse(text) -> ParsedPage``. :data:`PROFILES` is tried in order and the first match
wins, so specific shapes come before general ones and :class:`GenericProfile` comes last and
matches everything. A new outlet's chrome is a new profile inserted in that list, not edits
scattered through the importer.

A profile only removes *its* chrome. What is left is read by the shared rules of
:mod:`reader.ingest.article` in :func:`_article_page`, the same for every profile: trailing
comment boilerplate, dateline, agency source, derived title. Profiles that can be combined
with another shape call the shared splitters too (a ticker page may carry a wire ``date``
header or a headline after its block; a titled page may carry a ``date`` header).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Protocol

from reader.ingest.article import (
    KNOWN_AGENCIES,
    derive_title,
    find_agency,
    split_date_header,
    split_dateline,
    split_headline,
    strip_comment_tail,
)
from reader.ingest.page import ParsedPage, TickerRow
from reader.ingest.tickers import MIN_BLOCK_LINES, is_ticker_line, split_ticker_block

__all__ = [
    "KNOWN_AGENCIES",
    "PROFILES",
    "GenericProfile",
    "PageProfile",
    "TickerProfile",
    "TitledProfile",
    "WireProfile",
    "parse_page",
]

_NON_SPACE = re.compile(r"\S")


class PageProfile(Protocol):
    """What :func:`parse_page` needs from a profile."""

    name: str

    def matches(self, text: str) -> bool:
        """Whether the page has this profile's shape. Called on every page: keep it cheap."""
        ...

    def parse(self, text: str) -> ParsedPage:
        """Split a page this profile matched into chrome and article."""
        ...


def _article_page(
    profile: str,
    body: str,
    *,
    title: str | None = None,
    date: str | None = None,
    tickers: tuple[TickerRow, ...] = (),
) -> ParsedPage:
    """The rules every profile applies to what is left once its chrome is off."""
    body = strip_comment_tail(body).strip()
    dateline, _ = split_dateline(body)
    return ParsedPage(
        body=body,
        title=derive_title(body) if title is None else title,
        title_derived=title is None,
        profile=profile,
        date=date,
        dateline=dateline,
        source=find_agency(body),
        tickers=tickers,
    )


class TickerProfile:
    """A block of market-ticker lines at the top or bottom (or both), then the article.

    After the block the article may open with a wire ``date`` header or a headline.
    """

    name = "ticker"

    def matches(self, text: str) -> bool:
        # With one-line blocks allowed, "the first (or last) non-blank line is a ticker line"
        # is exactly "there is a block": a cheap test that needs no walk over the page.
        if not (
            is_ticker_line(_first_line(text))
            or is_ticker_line(_last_line(strip_comment_tail(text)))
        ):
            return False
        return MIN_BLOCK_LINES <= 1 or bool(split_ticker_block(text.split("\n"))[0])

    def parse(self, text: str) -> ParsedPage:
        lines = strip_comment_tail(text).split("\n")
        # The top block if any, else the bottom one; then, on what is left, the bottom block
        # (a top block, if there was one, cannot reappear: the line after it is article text).
        rows, start, end = split_ticker_block(lines)
        del lines[start:end]
        more, start, end = split_ticker_block(lines)
        if more:
            del lines[start:end]
            rows += tuple(replace(row, position=len(rows) + row.position) for row in more)
        body = strip_comment_tail("\n".join(lines))
        date, body = split_date_header(body)
        title, body = split_headline(body)
        return _article_page(self.name, body, title=title, date=date, tickers=rows)


class WireProfile:
    """A ``date YYYY-MM-DD`` header opening the page, on the same line as the body's start."""

    name = "wire"

    def matches(self, text: str) -> bool:
        return split_date_header(text)[0] is not None

    def parse(self, text: str) -> ParsedPage:
        date, body = split_date_header(text)
        return _article_page(self.name, body, date=date)


class TitledProfile:
    """A headline line, a blank line, then the body (the BBC corpus shape)."""

    name = "titled"

    def matches(self, text: str) -> bool:
        return split_headline(text)[0] is not None

    def parse(self, text: str) -> ParsedPage:
        title, body = split_headline(text)
        date, body = split_date_header(body)
        return _article_page(self.name, body, title=title, date=date)


class GenericProfile:
    """Anything else: the whole page is the article. Always matches; keep it last."""

    name = "generic"

    def matches(self, text: str) -> bool:
        return True

    def parse(self, text: str) -> ParsedPage:
        return _article_page(self.name, text)


PROFILES: list[PageProfile] = [TickerProfile(), WireProfile(), TitledProfile(), GenericProfile()]


def parse_page(text: str) -> ParsedPage:
    """Derive body, title and metadata from a page's decoded text; the first matching profile
    in :data:`PROFILES` wins. Pure and deterministic, so a page can be parsed again later."""
    for profile in PROFILES:
        if profile.matches(text):
            return profile.parse(text)
    return GenericProfile().parse(text)  # PROFILES was edited to drop the fallback


def _first_line(text: str) -> str:
    """The first non-blank line (its start may carry white space), or ""."""
    m = _NON_SPACE.search(text)
    if m is None:
        return ""
    end = text.find("\n", m.start())
    return text[m.start() :] if end < 0 else text[m.start() : end]


def _last_line(text: str) -> str:
    """The last line of ``text``, which the caller has right-stripped."""
    return text[text.rfind("\n") + 1 :]
