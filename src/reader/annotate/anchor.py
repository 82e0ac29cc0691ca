"""Anchoring: an annotation remembers where it is twice, by position and by quote.

The position (code-point offsets into the body) is fast and exact while the body is unchanged. The
quote (the exact text with a little context either side) survives edits to the body: when a page
is re-imported with different text, :func:`reanchor` finds the quote again, exactly if it can and
fuzzily (rapidfuzz) if it must. When neither works the caller keeps the annotation and marks it
orphaned; nothing here ever decides to drop one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol, TypeVar

#: Characters of context kept either side of the quote. Enough to tell apart repeated words
#: ("Hayashi" appears many times in a page) without storing paragraphs.
CONTEXT = 32

#: The least similarity (0–100) for a fuzzy re-anchor to count. Below it the annotation is
#: orphaned rather than attached to text the user never marked.
FUZZY_CUTOFF = 85.0

#: Quotes shorter than this are only re-anchored exactly: a fuzzy match of two or three
#: characters would land almost anywhere.
FUZZY_MIN_LENGTH = 5


@dataclass(frozen=True)
class Quote:
    """The quote selector of an annotation (W3C ``TextQuoteSelector``)."""

    exact: str
    prefix: str
    suffix: str


def quote_for(body: str, start: int, end: int, context: int = CONTEXT) -> Quote:
    """The quote selector for ``body[start:end]`` with up to ``context`` characters either side."""
    if not 0 <= start < end <= len(body):
        raise ValueError(f"span {start}–{end} is outside the body (0–{len(body)})")
    return Quote(body[start:end], body[max(0, start - context) : start], body[end : end + context])


def _common_suffix_len(a: str, b: str) -> int:
    n = 0
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_prefix_len(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def reanchor(body: str, quote: Quote, old_start: int) -> tuple[int, int] | None:
    """Where ``quote`` now stands in ``body``, or ``None`` when it cannot be found.

    Exact occurrences come first; among several, the one whose surroundings best match the stored
    prefix and suffix wins, then the one nearest the old position. Failing that, the closest fuzzy
    alignment at or above :data:`FUZZY_CUTOFF` similarity.
    """
    exact = quote.exact
    if not exact:
        return None
    if old_start >= 0 and body[old_start : old_start + len(exact)] == exact:
        before = body[max(0, old_start - len(quote.prefix)) : old_start]
        after = body[old_start + len(exact) : old_start + len(exact) + len(quote.suffix)]
        if before == quote.prefix and after == quote.suffix:
            return old_start, old_start + len(exact)
    best: tuple[int, int, int] | None = None  # (-context score, distance, start)
    pos = body.find(exact)
    while pos != -1:
        before = body[max(0, pos - len(quote.prefix)) : pos]
        after = body[pos + len(exact) : pos + len(exact) + len(quote.suffix)]
        score = _common_suffix_len(before, quote.prefix) + _common_prefix_len(after, quote.suffix)
        key = (-score, abs(pos - old_start), pos)
        if best is None or key < best:
            best = key
        pos = body.find(exact, pos + 1)
    if best is not None:
        return best[2], best[2] + len(exact)
    if len(exact) < FUZZY_MIN_LENGTH:
        return None
    return _fuzzy(body, exact)


def _fuzzy(body: str, exact: str) -> tuple[int, int] | None:
    """The span of ``body`` most like ``exact``, if similar enough.

    rapidfuzz's partial alignment finds the neighbourhood (it compares windows of the quote's own
    length); the boundaries are then refined over nearby word edges with a full ratio, so an
    insertion ("forty" → "forty-one") still yields the whole edited phrase.
    """
    from rapidfuzz import fuzz  # only here: importing it costs more than most imports save

    rough = fuzz.partial_ratio_alignment(exact, body, score_cutoff=FUZZY_CUTOFF - 25)
    if rough is None:
        return None
    slack = max(8, len(exact) // 3)
    lo, hi = max(0, rough.dest_start - slack), min(len(body), rough.dest_end + slack)

    def edge(i: int) -> bool:
        return i in (0, len(body)) or body[i - 1].isalnum() != body[i].isalnum()

    starts = [i for i in range(lo, min(hi, rough.dest_start + slack) + 1) if edge(i)]
    ends = [i for i in range(max(lo, rough.dest_end - slack), hi + 1) if edge(i)]
    best: tuple[float, int, int] | None = None
    for s in starts:
        for e in ends:
            if e - s < len(exact) // 2 or e - s > 2 * len(exact):
                continue
            score = fuzz.ratio(exact, body[s:e], score_cutoff=FUZZY_CUTOFF)
            if score and (best is None or score > best[0]):
                best = (score, s, e)
    if best is None:
        return None
    s, e = best[1], best[2]
    while s < e and body[s].isspace():
        s += 1
    while e > s and body[e - 1].isspace():
        e -= 1
    return (s, e) if e > s else None


class Anchored(Protocol):
    """Anything with a stored position and quote (the library's ``Annotation``)."""

    start: int
    text: str
    prefix: str
    suffix: str


A = TypeVar("A", bound=Anchored)


def reanchor_all(body: str, annotations: Iterable[A]) -> list[tuple[A, tuple[int, int] | None]]:
    """Each annotation with its new span in ``body``, or ``None`` where it is to be orphaned."""
    return [(a, reanchor(body, Quote(a.text, a.prefix, a.suffix), a.start)) for a in annotations]
