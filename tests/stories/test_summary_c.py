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
SEPARATORS = [" ", " ", "  ", ". ", ", ", "\n\n", ".", "\t", " £ ", "-", "'", "\x0b", ".  "]


def generated(count: int, seed: int = 7) -> list[str]:
    chance = random.Random(seed)
    return [
        "".join(
            chance.choice(WORDS) + chance.choice(SEPARATORS)
            for _ in range(chance.randint(0, 400 if i % 20 == 0 else 60))
        )
        for i in range(count)
    ]


def pure(body: str, monkeypatch: pytest.MonkeyPatch) -> tuple[bytes, bytes, bytes, bytes]:
    with monkeypatch.context() as m:
        m.setattr(text, "_compiled", None)
        return text.summarise_packed(body)


def test_generated_text(monkeypatch: pytest.MonkeyPatch) -> None:
    for body in generated(5000) + ["", " ", ".", ". . .", "A", "s" * 2000]:
        assert text.summarise_packed(body) == pure(body, monkeypatch), repr(body)


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
