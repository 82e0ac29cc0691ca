"""A small library built for the exporters: the text that breaks exporters, on purpose.

Documents are inserted directly (``Library._insert_document``) so each body is exactly what a
test needs: emoji before a span (code points ≠ UTF-16 units ≠ bytes), Urdu with a mention, a
mention that crosses a line break, a word half inside a mention, nested mentions, a lone ``\\r``
in a body and a CRLF in a note, Markdown/HTML/formula text in titles, bodies and notes, reserved
file names, two titles that differ only in case, and an orphaned annotation. The fictional
articles are written for these tests.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from reader.ingest.page import ParsedPage, TickerRow
from reader.library.library import Library, now

BODY_A = (
    "TOKYO: Foreign Minister Yoshimasa Hayashi met US Secretary of State Antony\n"
    "Blinken on Friday. They spoke for an hour.\n"
    "\n"
    '"We agreed," Hayashi said. Prices rose 3.5% in U.S. trading.'
)
BODY_B = (
    "🌱🎉 Karachi 👍🏽 — وزیر خارجہ بلاول بھٹو زرداری نے کہا۔ Pakistanis cheered.\n"
    "Lahore waited 👨‍👩‍👧 for news."
)
BODY_C = (
    "# Not a heading\n"
    "[link](http://example.com) <script>alert(1)</script> &amp; <b>bold</b>\n"
    "- not a list\n"
    "+ nor this\n"
    "1. not ordered\n"
    "    indented\n"
    "See www.example.com, https://example.org and a@b.com #tag [[wiki]] ![[embed]] ==mark== "
    "$x$ %%c%% ^ref ((ref)) {{macro}} key:: value `code` *em* _em_ ~~del~~ | a | b |\n"
    "===\n"
    "---\n"
    "> quoted\n"
    "A line with a lone \r carriage return, then Antony Blinken again."
)
BODY_D_OLD = "Hayashi spoke. The orphan sentence will vanish. Blinken listened."
BODY_D_NEW = "Hayashi spoke. Blinken listened."


def span(body: str, text: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = body.index(text, start + 1)
    return start, start + len(text)


@dataclass
class Corpus:
    lib: Library
    a: int
    b: int
    c: int
    d: int

    @property
    def ids(self) -> list[int]:
        return [self.a, self.b, self.c, self.d]


def _hash(raw: str) -> str:
    return "sha256:" + hashlib.sha256(raw.encode("utf-8")).hexdigest()


def insert(
    lib: Library,
    body: str,
    title: str,
    *,
    raw: str | None = None,
    date: str | None = None,
    source: str | None = None,
    dateline: str | None = None,
    tickers: tuple[TickerRow, ...] = (),
    path: str | None = None,
) -> int:
    raw = raw if raw is not None else f"{title}\n\n{body}"
    digest = _hash(raw)
    page = ParsedPage(
        body=body,
        title=title,
        title_derived=False,
        profile="test",
        date=date,
        dateline=dateline,
        source=source,
        tickers=tickers,
    )
    with lib.transaction() as conn:
        doc_id = lib._insert_document(digest, raw, "utf-8", page, now())
        conn.execute(
            "INSERT INTO paths (path, document_id, size, mtime_ns, seen_at) VALUES (?,?,?,?,?)",
            (path or f"/dump/{doc_id:03d}_page.txt", doc_id, len(raw), 0, now()),
        )
    return doc_id


def build(lib: Library) -> Corpus:
    """The corpus above, annotated."""
    tickers = (
        TickerRow("HBL", "stock", 115.91, 0.01, 0.01, "up", "HBL 115.91 Increased By ▲ 0.01", 0),
        TickerRow("BOP", "stock", 5.04, -0.01, -0.2, "down", "BOP 5.04 Decreased By ▼ -0.01", 1),
        TickerRow("KSE100", "index", 75091.0, 160.7, 0.21, "up", "KSE100 75,091 …", 2),
    )
    a = insert(lib, BODY_A, "Hayashi meets Blinken", date="2021-12-11", source="ANI",
               dateline="TOKYO", tickers=tickers)  # fmt: skip
    b = insert(lib, BODY_B, "=cmd|' /C calc'!A0 ../../etc/passwd")
    c = insert(lib, BODY_C, "CON", date="2024-01-02", source="Reuters")
    d = insert(lib, BODY_D_OLD, "HAYASHI MEETS BLINKEN", date="2021-12-11")

    lib.add_entity(a, *span(BODY_A, "TOKYO"), "GPE")
    lib.add_entity(a, *span(BODY_A, "Yoshimasa Hayashi"), "PERSON")
    lib.add_entity(a, *span(BODY_A, "US Secretary of State"), "ORG")
    lib.add_entity(a, *span(BODY_A, "US"), "GPE")  # nested in the ORG: the ORG is written
    lib.add_entity(a, *span(BODY_A, "Antony\nBlinken"), "PERSON", note="crosses a line")
    lib.add_entity(a, *span(BODY_A, "Hayashi", 1), "PERSON", "Yoshimasa Hayashi", "quoted")
    lib.add_entity(a, *span(BODY_A, "U.S."), "GPE", "United States")
    lib.add_highlight(a, *span(BODY_A, '"We agreed," Hayashi said.'), "yellow",
                      "key quote\r\nsecond line")  # fmt: skip
    lib.tag(a, ["japan-us", "diplomacy"])

    lib.add_entity(b, *span(BODY_B, "Karachi"), "GPE")
    lib.add_entity(b, *span(BODY_B, "بلاول بھٹو زرداری"), "PERSON", note="وزیر خارجہ")
    lib.add_entity(b, *span(BODY_B, "Pakistan"), "GPE")  # half a word: "Pakistan|is"
    lib.add_entity(b, *span(BODY_B, "Lahore"), "GPE")
    lib.add_highlight(b, *span(BODY_B, "🎉"), "pink", '=HYPERLINK("http://evil.example")')
    lib.add_highlight(b, *span(BODY_B, "👨‍👩‍👧"), "#00ff00", "-1 family")
    lib.tag(b, ["pakistan"])

    lib.add_entity(c, *span(BODY_C, "Antony Blinken"), "PERSON", note="[[not a link]] <i>")
    lib.add_highlight(c, *span(BODY_C, "lone \r carriage"), "blue", "@mention +1")
    lib.add_highlight(c, *span(BODY_C, "# Not a heading"), "green")
    lib.tag(c, ["hostile"])

    lib.add_entity(d, *span(BODY_D_OLD, "Hayashi"), "PERSON", "Yoshimasa Hayashi")
    lib.add_highlight(d, *span(BODY_D_OLD, "The orphan sentence will vanish."), "orange",
                      "gone")  # fmt: skip
    lib.add_entity(d, *span(BODY_D_OLD, "Blinken"), "PERSON", "Antony Blinken")
    page = ParsedPage(BODY_D_NEW, "HAYASHI MEETS BLINKEN", False, "test", date="2021-12-11")
    raw = "raw " + BODY_D_NEW
    with lib.transaction():
        moved, orphaned = lib._replace_document_text(d, _hash(raw), raw, "utf-8", page, now())
    assert (moved, orphaned) == (2, 1)
    return Corpus(lib, a, b, c, d)
