"""``conll``: one token a line with a BIO2 tag, for NER training and evaluation.

Layout (INTERFACE.md): per document a ``-DOCSTART-<TAB>O`` line and a blank line; then
``TOKEN<TAB>TAG`` lines (``B-PERSON``, ``I-PERSON``, ``O``) with a blank line after each sentence.

Tokens: runs of word characters, and each other non-space character on its own (punctuation,
symbols). A word keeps its combining marks and joiners (Urdu diacritics, Devanagari vowel signs,
ZWNJ), and an emoji keeps its modifiers and ZWJ sequence, because splitting those would make
tokens no reader of the language would recognise. Invisible format characters (zero-width
space, BOM) standing alone are not tokens. Then every token is cut where a written entity span
starts or ends inside it, so no token straddles an entity boundary: a word half inside a mention
becomes two tokens.

Spans: entity mentions that stand at their offsets (orphans are left out); where spans overlap,
the longest is written and the spans it overlaps are dropped (ties: the earlier, then the older
annotation), which keeps the outer span of a nested pair.

Sentences end at a blank line, and after sentence-final punctuation (``. ! ? … ؟ ۔ 。``, with
any closing quotes or brackets after it) that is followed by white space and a token that does
not start with a lower-case letter — so ``3.5``, ``U.S.`` and ``e.g. this`` stay whole. A
sentence never ends inside an entity.

Entity types with white space in their names are written with ``_`` instead, so the tag stays one
field for readers that split lines on white space.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import TextIO

from reader.export.common import ExportReport, placed
from reader.library.records import Annotation, Document

_TOKEN = re.compile(r"\w+|[^\w\s]")
_BREAK = r"(?:\r\n|[\n\r\x85\u2028\u2029])"
_BLANK_LINE = re.compile(f"{_BREAK}[^\\S\\n\\r\\x85\\u2028\\u2029]*{_BREAK}|\u2029")
_JOINERS = "\u200c\u200d"
_FINAL = {".", "!", "?", "…", "؟", "۔", "。", "！", "？", "‼", "⁇", "⁈", "⁉"}
_CLOSERS = {'"', "'", "”", "’", "»", "›", ")", "]", "}", "」", "』"}


def _attaches(ch: str) -> bool:
    """Characters that belong to the token before them."""
    if ch in _JOINERS:
        return True
    cat = unicodedata.category(ch)
    if cat[0] == "M":  # combining marks, variation selectors, enclosing keycap
        return True
    cp = ord(ch)
    return 0x1F3FB <= cp <= 0x1F3FF or 0xE0020 <= cp <= 0xE007F  # skin tones, emoji tag chars


def _is_regional(ch: str) -> bool:
    return 0x1F1E6 <= ord(ch) <= 0x1F1FF


def _ignorable(text: str) -> bool:
    return all(unicodedata.category(ch) in ("Cf", "Cc", "Co", "Cn", "Cs") for ch in text)


def tokenize(text: str, cuts: Iterable[int] = ()) -> list[tuple[int, int]]:
    """Token spans ``(start, end)`` of ``text``, split at every offset in ``cuts``."""
    merged: list[list[int]] = []
    for m in _TOKEN.finditer(text):
        s, e = m.span()
        if merged and merged[-1][1] == s:
            prev = text[merged[-1][0] : merged[-1][1]]
            first = text[s]
            if (
                _attaches(first)
                or (prev[-1] in _JOINERS)
                or (
                    first.isalnum()
                    and unicodedata.category(prev[-1])[0] == "M"
                    and any(c.isalnum() for c in prev)
                )
                or (_is_regional(first) and e - s == 1 and len(prev) == 1 and _is_regional(prev))
            ):
                merged[-1][1] = e
                continue
        merged.append([s, e])
    out: list[tuple[int, int]] = []
    cut_list = sorted(set(cuts))
    i = 0
    for s, e in merged:
        if _ignorable(text[s:e]):
            continue
        while i < len(cut_list) and cut_list[i] <= s:
            i += 1
        j = i
        start = s
        while j < len(cut_list) and cut_list[j] < e:
            out.append((start, cut_list[j]))
            start = cut_list[j]
            j += 1
        out.append((start, e))
    return out


def outermost(spans: Sequence[Annotation]) -> list[Annotation]:
    """The spans to write: longest first, each kept if it overlaps none kept before; by start."""
    kept: list[Annotation] = []
    for a in sorted(spans, key=lambda a: (-(a.end - a.start), a.start, a.id)):
        if all(a.end <= k.start or a.start >= k.end for k in kept):
            kept.append(a)
    return sorted(kept, key=lambda a: a.start)


def _type_tag(name: str | None) -> str:
    return "_".join((name or "ENTITY").split()) or "ENTITY"


def _ends_sentence(body: str, tokens: list[tuple[int, int]], i: int) -> bool:
    """Whether token ``i`` is sentence-final punctuation, or closers right after it."""
    while i >= 0 and body[tokens[i][0] : tokens[i][1]] in _CLOSERS:
        i -= 1
    return i >= 0 and body[tokens[i][0] : tokens[i][1]] in _FINAL


def sentences(doc: Document, report: ExportReport | None = None) -> list[list[tuple[str, str]]]:
    """The document as sentences of ``(token, tag)`` pairs."""
    body = doc.body
    spans = outermost([a for a in placed(doc, report) if a.kind == "entity"])
    if report is not None:
        report.annotations += len(spans)
    tokens = tokenize(body, [x for a in spans for x in (a.start, a.end)])
    out: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    k = 0
    for n, (s, e) in enumerate(tokens):
        while k < len(spans) and spans[k].end <= s:
            k += 1
        tag = "O"
        if k < len(spans) and spans[k].start <= s:
            # Tokens never straddle a boundary, so the token before is in this span or not at all.
            inside = n > 0 and tokens[n - 1][0] >= spans[k].start
            tag = ("I-" if inside else "B-") + _type_tag(spans[k].type)
        if current and not tag.startswith("I-"):
            gap = body[tokens[n - 1][1] : s]
            if _BLANK_LINE.search(gap) or (
                gap and not body[s].islower() and _ends_sentence(body, tokens, n - 1)
            ):
                out.append(current)
                current = []
        current.append((body[s:e], tag))
    if current:
        out.append(current)
    return out


def write_conll(docs: Iterable[Document], out: TextIO, report: ExportReport | None = None) -> None:
    """Write ``docs`` in CoNLL BIO2 to ``out`` (opened with ``newline=""``)."""
    for doc in docs:
        parts = ["-DOCSTART-\tO\n\n"]
        for sentence in sentences(doc, report):
            parts.extend(f"{token}\t{tag}\n" for token, tag in sentence)
            parts.append("\n")
        out.write("".join(parts))
        if report is not None:
            report.documents += 1
