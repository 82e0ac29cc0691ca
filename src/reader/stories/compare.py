"""Two reports side by side: which sentences they share and which only one of them has.

:func:`compare_reports` is what a side-by-side view draws from: a list of aligned items in
reading order, each a sentence of report A, of report B, or one of each that say the same thing,
with spans in code points of each body (Python string indices, end exclusive — the library's
offsets; the window converts them to Qt's UTF-16 positions at its edge).

Sentences are matched when their folded text (case, white space and curly quotes ignored) is
equal, or, failing that, when it is at least :data:`SIMILAR` alike by normalised Indel distance
(``rapidfuzz.fuzz.ratio``): the same wire sentence with a word changed. Each sentence is matched
at most once, best pairs first. Order is A's; a sentence only in B comes right after the item
holding the B sentence before it, so both columns read top to bottom.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz

#: Normalised similarity (0–1) at or above which two different sentences count as shared.
SIMILAR = 0.8

AlignmentKind = Literal["shared", "only_a", "only_b"]
Span = tuple[int, int]

_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s|$)|\n[^\S\n]*\n")
_ABBREVIATION_TEXT = """mr mrs ms dr st jr sr prof gen col lt sgt capt gov sen rep rev no nos vs etc
    inc ltd co corp jan feb mar apr jun jul aug sep sept oct nov dec mt ft fig approx dept est"""
_ABBREVIATIONS = frozenset(_ABBREVIATION_TEXT.split())
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "«": '"', "»": '"'})


@dataclass(frozen=True)
class AlignedSentence:
    """One row of a side-by-side view."""

    kind: AlignmentKind
    a: Span | None  # the sentence in report A (None for "only_b")
    b: Span | None  # the sentence in report B (None for "only_a")
    score: float  # 1.0 for the same text, down to SIMILAR for near matches; 0.0 when unmatched

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "a": list(self.a) if self.a else None,
            "b": list(self.b) if self.b else None,
            "score": round(self.score, 3),
        }


@dataclass(frozen=True)
class Comparison:
    """The alignment of two reports, in reading order."""

    items: tuple[AlignedSentence, ...]

    @property
    def shared(self) -> tuple[AlignedSentence, ...]:
        return tuple(i for i in self.items if i.kind == "shared")

    @property
    def only_a(self) -> tuple[AlignedSentence, ...]:
        return tuple(i for i in self.items if i.kind == "only_a")

    @property
    def only_b(self) -> tuple[AlignedSentence, ...]:
        return tuple(i for i in self.items if i.kind == "only_b")

    def counterpart(self, a_span: Span) -> Span | None:
        """The B sentence shared with the A sentence containing ``a_span``, if any."""
        for item in self.items:
            if item.a and item.a[0] <= a_span[0] and a_span[1] <= item.a[1]:
                return item.b
        return None

    def as_json(self) -> list[dict]:
        return [i.as_json() for i in self.items]


def split_sentences(body: str) -> list[Span]:
    """Sentence spans of a body (white space around them left out).

    A sentence ends at ``.``, ``!``, ``?`` or ``…`` (with closing quotes or brackets) before
    white space, or at a blank line. A period after an initial ("John F. Kennedy"), a dotted
    abbreviation ("U.S.") or a common abbreviation ("Mr.", "Jan.") does not end one, nor does a
    period followed by a lower-case word ("7.40 a.m. in fog").
    """
    spans: list[Span] = []
    start = 0
    for m in _END.finditer(body):
        if m.group().startswith(".") and _is_abbreviation(body, m.start()):
            continue
        rest = body[m.end() :].lstrip()
        if m.group()[0] in ".…" and rest[:1].islower():
            continue
        spans.append((start, m.end()))
        start = m.end()
    spans.append((start, len(body)))
    out = []
    for s, e in spans:
        while s < e and body[s].isspace():
            s += 1
        while e > s and body[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
    return out


def _is_abbreviation(text: str, dot: int) -> bool:
    word_start = dot
    while word_start > 0 and not text[word_start - 1].isspace():
        word_start -= 1
    word = text[word_start:dot].lstrip("\"'“‘([")
    if not word:
        return False
    if len(word) == 1 and word.isupper():  # an initial
        return True
    if "." in word:  # U.S, a.m
        return True
    return word.lower() in _ABBREVIATIONS


def _fold(text: str) -> str:
    return " ".join(text.translate(_QUOTES).casefold().split())


def compare_reports(body_a: str, body_b: str) -> Comparison:
    """Align the sentences of two bodies: shared, only in A, only in B (module docstring)."""
    spans_a, spans_b = split_sentences(body_a), split_sentences(body_b)
    folded_a = [_fold(body_a[s:e]) for s, e in spans_a]
    folded_b = [_fold(body_b[s:e]) for s, e in spans_b]
    match: dict[int, tuple[int, float]] = {}  # index in A → (index in B, score)
    free_b: dict[str, list[int]] = {}
    for j, text in enumerate(folded_b):
        free_b.setdefault(text, []).append(j)
    for i, text in enumerate(folded_a):
        js = free_b.get(text)
        if js:
            match[i] = (js.pop(0), 1.0)
    used_b = {j for j, _ in match.values()}
    rest_a = [i for i in range(len(spans_a)) if i not in match]
    rest_b = [j for j in range(len(spans_b)) if j not in used_b]
    if rest_a and rest_b:
        # A plain loop, not process.cdist: that needs numpy, which is not a dependency.
        cutoff = SIMILAR * 100
        pairs = sorted(
            (
                (score, x, y)
                for x, i in enumerate(rest_a)
                for y, j in enumerate(rest_b)
                if (score := fuzz.ratio(folded_a[i], folded_b[j], score_cutoff=cutoff))
            ),
            key=lambda p: (-p[0], p[1], p[2]),
        )
        taken_a: set[int] = set()
        for score, x, y in pairs:
            i, j = rest_a[x], rest_b[y]
            if x in taken_a or j in used_b:
                continue
            taken_a.add(x)
            used_b.add(j)
            match[i] = (j, score / 100)
    # Reading order: A's, each B-only sentence after the item holding the B sentence before it.
    a_item_of_b = {j: i for i, (j, _) in match.items()}
    after: dict[int, list[int]] = {}
    anchor = -1
    for j in range(len(spans_b)):
        if j in a_item_of_b:
            anchor = a_item_of_b[j]
        else:
            after.setdefault(anchor, []).append(j)
    items: list[AlignedSentence] = [
        AlignedSentence("only_b", None, spans_b[j], 0.0) for j in after.get(-1, [])
    ]
    for i, span in enumerate(spans_a):
        if i in match:
            j, score = match[i]
            items.append(AlignedSentence("shared", span, spans_b[j], score))
        else:
            items.append(AlignedSentence("only_a", span, None, 0.0))
        items.extend(AlignedSentence("only_b", None, spans_b[j], 0.0) for j in after.get(i, []))
    return Comparison(tuple(items))
