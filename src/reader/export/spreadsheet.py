"""``csv`` and ``tickers-csv``: one row per annotation, or per ticker row, for spreadsheets.

``csv``: ``document_id,title,date,kind,label,start,end,text,note`` — ``kind`` is ``highlight``
or ``entity``, ``label`` the colour or the type, ``text`` the exact span of the body.
``tickers-csv``: ``document_id,date,source,symbol,kind,price,change,change_pct,direction``.

Page text and notes are untrusted: a cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return would run as a formula in Excel, LibreOffice or Google Sheets (CSV injection),
so such a *text* cell gets a leading ``'``, which spreadsheets show as "this is text". Numbers
(ids, offsets, prices, a negative change) are written as numbers and never touched. Missing
values are empty cells.

RFC 4180: comma-separated, fields quoted when needed, CRLF between records, opened with
``newline=""`` so a ``\\r`` or ``\\n`` inside a cell is written as it is (quoted) and survives a
round trip through the ``csv`` module. Orphaned annotations are left out (no offsets to give).
UTF-8; ``bom=True`` (``--bom``) adds a byte-order mark for Excel, which otherwise reads UTF-8
as the local code page.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, TextIO

from reader.export.common import ExportReport, placed
from reader.library.records import Document

ANNOTATION_HEADER = (
    "document_id",
    "title",
    "date",
    "kind",
    "label",
    "start",
    "end",
    "text",
    "note",
)
TICKER_HEADER = (
    "document_id", "date", "source", "symbol", "kind", "price", "change", "change_pct",
    "direction",
)  # fmt: skip
_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> Any:
    """A value ready for ``csv.writer``: text neutralised, numbers as they are, None empty."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_TRIGGERS):
        return "'" + value
    return value


def annotation_rows(doc: Document, report: ExportReport | None = None) -> list[list[Any]]:
    body = doc.body
    rows = []
    for a in placed(doc, report):
        label = a.color if a.kind == "highlight" else a.type
        rows.append(
            [
                doc.id,
                cell(doc.title),
                cell(doc.date),
                a.kind,
                cell(label),
                a.start,
                a.end,
                cell(body[a.start : a.end]),
                cell(a.note),
            ]
        )
    if report is not None:
        report.annotations += len(rows)
    return rows


def write_csv(docs: Iterable[Document], out: TextIO, report: ExportReport | None = None) -> None:
    """One row per annotation that stands at its offsets, by document and position."""
    writer = csv.writer(out)
    writer.writerow(ANNOTATION_HEADER)
    for doc in docs:
        writer.writerows(annotation_rows(doc, report))
        if report is not None:
            report.documents += 1


def write_tickers_csv(
    docs: Iterable[Document], out: TextIO, report: ExportReport | None = None
) -> None:
    """One row per ticker row, by document and position in the page."""
    writer = csv.writer(out)
    writer.writerow(TICKER_HEADER)
    for doc in docs:
        for t in doc.tickers:
            writer.writerow(
                [
                    doc.id,
                    cell(doc.date),
                    cell(doc.source),
                    cell(t.symbol),
                    cell(t.kind),
                    t.price,
                    t.change,
                    t.change_pct,
                    cell(t.direction),
                ]
            )
            if report is not None:
                report.annotations += 1
        if report is not None:
            report.documents += 1
