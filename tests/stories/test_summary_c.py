"""The compiled summary (``reader/stories/_summary.c``) reads exactly what ``text.py`` reads."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from reader.stories import text

from .common import FIXTURE, SAMPLE

pytestmark = pytest.mark.skipif(
    text._compiled is None, reason="the compiled summary was not built (no C compiler?)"
)

#: Words that test the edges: capitals, plurals of every ending, stop words that are stems
#: ("Thes" → "the"), digits and underscores, words a name only sometimes.
WORDS = [
    "The",
    "the",
    "Thes",
    "thes",
    "THE",
    "ferries",
    "Ferries",
    "ferry",
    "FERRIES",
    "bus",
    "Buses",
    "buses",
    "glass",
    "GLASSES",
    "McDonald",
    "MCDONALD",
    "Mcdonald",
    "Ab1",
    "A1b",
    "1A",
    "_x",
    "X_",
    "says",
    "Says",
    "it's",
    "China's",
    "U.S.",
    "as",
    "AS",
    "As",
    "was",
    "Was",
    "cries",
    "Cries",
    "oes",
    "shoes",
    "aes",
    "eies",
    "aies",
    "a",
    "I",
    "x5",
    "5",
    "10",
    "news",
    "News",
    "NEWS",
    "s",
    "S",
    "ss",
    "us",
    "Us",
    "trams",
    "Tram",
    "tram",
    "Ólafur",
    "café",
    "naïve",
    "£5",
    "Ärger",
]
#: Words with characters beyond ASCII that have no case of their own: typographic punctuation,
#: symbols, a ticker's arrows, spaces beyond ASCII, an emoji (four bytes of UTF-8), a lone
#: surrogate; and small letters beyond ASCII ("ß", "é": a word character, with no capital).
CASELESS = [
    "“Quoted”",
    "don’t",
    "‘single’",
    "—",
    "–",
    "▲0.5%",
    "▼",
    "€5",
    "x\u00a0y",
    "a\u2009b",
    "…",
    "😀",
    "\ud800",
    "x\u2041y",  # "⁁": its low byte is "A"
    "straße",
    "café",
    "x²",
    "µg",
]
#: Characters beyond ASCII with a lower case of their own, which only Python reads: a body's
#: lower() changes them (the Kelvin sign into "k"; "İ" into two characters; "Σ" by context).
CASED = ["Ólafur", "\u212a", "İstanbul", "ΣΟΦΙΑΣ", "Ǆ", "Ⅱ"]
SEPARATORS = [" ", " ", "  ", ". ", ", ", "\n\n", ".", "\t", " £ ", "-", "'", "\x0b", ".  "]
TYPESET_SEPARATORS = [" — ", "’", " “", "” ", "\u00a0", ". “", "”. "]


def generated(
    count: int, seed: int = 7, words: list[str] = WORDS, separators: list[str] = SEPARATORS
) -> list[str]:
    chance = random.Random(seed)
    return [
        "".join(
            chance.choice(words) + chance.choice(separators)
            for _ in range(chance.randint(0, 400 if i % 20 == 0 else 60))
        )
        for i in range(count)
    ]


def typeset(count: int, seed: int) -> list[str]:
    """Bodies as scraped news sets them: ASCII words, now and then one of :data:`CASELESS`
    (and, with ``seed`` odd, of :data:`CASED`), between ASCII or typographic separators."""
    plain = [w for w in WORDS if w.isascii()]
    words = plain * 4 + CASELESS + (CASED if seed % 2 else [])
    return generated(count, seed, words, SEPARATORS + TYPESET_SEPARATORS)


def pure(body: str, monkeypatch: pytest.MonkeyPatch) -> tuple[bytes, bytes, bytes, bytes]:
    with monkeypatch.context() as m:
        m.setattr(text, "_compiled", None)
        return text.summarise_packed(body)


def test_generated_text(monkeypatch: pytest.MonkeyPatch) -> None:
    for body in generated(5000) + ["", " ", ".", ". . .", "A", "s" * 2000]:
        assert text.summarise_packed(body) == pure(body, monkeypatch), repr(body)


def test_typeset_text(monkeypatch: pytest.MonkeyPatch) -> None:
    from reader.stories import _summary

    in_one_call = 0
    for seed in (1, 2, 3, 4):
        for body in typeset(1500, seed) + ["“", "’s", "é" * 600 + " x", "x " * 300 + "Ó"]:
            assert text.summarise_packed(body) == pure(body, monkeypatch), repr(body)
            if not body.isascii():
                in_one_call += _summary.summarise(body, text.LEAD_CHARS, text.SKETCH) is not None
    assert in_one_call > 1000, in_one_call  # bodies beyond ASCII, read in the one call


def test_which_bodies_beyond_ascii_are_read_in_one_call() -> None:
    from reader.stories import _summary

    def read_in_c(body: str) -> bool:
        return _summary.summarise(body, text.LEAD_CHARS, text.SKETCH) is not None

    lead = "x " * (text.LEAD_CHARS // 2)
    for caseless in ("“Quoted,” she said.", "don’t", "▲ 1.5%", "£5", "€", "😀", "\ud800"):
        assert read_in_c(caseless), caseless
        assert read_in_c(lead + caseless + "."), caseless
    for letter in ("café", "straße", "x²"):  # a word character: its lead is Python's
        assert not read_in_c(letter), letter
        assert read_in_c(lead + letter), letter  # beyond the lead, only the sketch reads it
    for cased in CASED:  # anywhere: the sketch lower-cases the whole body
        assert not read_in_c(cased), cased
        assert not read_in_c(lead + cased), cased


def test_the_fixture_and_sample_dumps(monkeypatch: pytest.MonkeyPatch) -> None:
    for folder in (FIXTURE, SAMPLE):
        for page in sorted(folder.rglob("*.txt")):
            body = page.read_text("utf-8", "replace")
            assert text.summarise_packed(body) == pure(body, monkeypatch), page


@pytest.mark.shared
def test_the_shared_corpus(shared: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pages = sorted((shared / "corpora" / "bbc").rglob("*.txt"))
    assert len(pages) > 2000
    for page in pages:
        body = page.read_bytes().decode("utf-8", "replace")
        assert text.summarise_packed(body) == pure(body, monkeypatch), page


def test_the_words_never_terms_are_set_once() -> None:
    from reader.stories import _summary

    with pytest.raises(ValueError):
        _summary.configure([b"x" * 40])  # refused before anything is changed
    # "ran"; then "ferry", the stem of a plural (after the other terms), a name
    assert text.summarise_packed("The Ferries ran.")[3] == b"\x00\x01"
