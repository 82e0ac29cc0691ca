"""A prepared page as plain values: what a worker process sends and what the writer stores.

An import of 100,000 pages is limited by the one process that writes SQLite, so what reaches
that process must cost it as little as possible: a flat tuple of strings and numbers pickles,
unpickles and binds to SQL statements several times faster than the frozen dataclasses of
:mod:`reader.ingest.page` (building 56,000 ``TickerRow`` objects alone took a fifth of the
writer's time). The dataclasses stay the API everywhere else; :func:`to_pages` turns a record
back into them for the rare paths that need them (a changed file being re-anchored).

Layout (indexes are the constants below)::

    (text, encoding, content_hash, body, title, title_derived, profile,
     date, dateline, source, tickers)

``body`` is ``(start, end)`` when the body is ``text[start:end]`` (almost always: the page with
its chrome cut off), else the body string. ``tickers`` holds one tuple per row, in page order:
``(symbol, kind, price, change, change_pct, direction, line, position)``.
"""

from __future__ import annotations

from reader.ingest.page import DecodedPage, ParsedPage, TickerRow

PageRecord = tuple

TEXT, ENCODING, CONTENT_HASH, BODY, TITLE, TITLE_DERIVED, PROFILE = range(7)
DATE, DATELINE, SOURCE, TICKERS = range(7, 11)


def page_record(page: DecodedPage, parsed: ParsedPage) -> PageRecord:
    """The record of a decoded and parsed page."""
    text, body = page.text, parsed.body
    start = text.find(body) if "\0" not in text else -1  # SQLite's substr() stops at NUL
    span: str | tuple[int, int] = (start, start + len(body)) if start >= 0 else body
    return (
        text,
        page.encoding,
        page.content_hash,
        span,
        parsed.title,
        int(parsed.title_derived),
        parsed.profile,
        parsed.date,
        parsed.dateline,
        parsed.source,
        tuple(
            (t.symbol, t.kind, t.price, t.change, t.change_pct, t.direction, t.line, t.position)
            for t in parsed.tickers
        ),
    )


def body_of(record: PageRecord) -> str:
    """The record's body text."""
    body = record[BODY]
    return record[TEXT][body[0] : body[1]] if isinstance(body, tuple) else body


def stored_body(record: PageRecord) -> tuple[str | None, int | None, int | None]:
    """(body, body_start, body_end) as ``document_texts`` keeps them (schema migration 5):
    the offsets when the body is a slice of the text, else the body itself."""
    body = record[BODY]
    return (None, body[0], body[1]) if isinstance(body, tuple) else (body, None, None)


def to_pages(record: PageRecord) -> tuple[DecodedPage, ParsedPage]:
    """The dataclasses a record was made from."""
    page = DecodedPage(
        text=record[TEXT], encoding=record[ENCODING], content_hash=record[CONTENT_HASH]
    )
    parsed = ParsedPage(
        body=body_of(record),
        title=record[TITLE],
        title_derived=bool(record[TITLE_DERIVED]),
        profile=record[PROFILE],
        date=record[DATE],
        dateline=record[DATELINE],
        source=record[SOURCE],
        tickers=tuple(TickerRow(*row) for row in record[TICKERS]),
    )
    return page, parsed
