"""What the grouping reads of a body: stable, cheap summaries."""

from __future__ import annotations

import math
import random
import subprocess
import sys
import zlib
from collections import Counter

from reader.stories import text
from reader.stories.text import resemblance, sentence_sketch, singular, summarise

from .common import FIXTURE, SAMPLE

BODY = (
    "PORT CALLAN: The ferry Saltmarsh Star ran aground on Tobin Shoal on Tuesday. Harbour "
    "master Ailsa Brennock said no one was hurt. The ferries of Merrow Ferries were cancelled."
)


def test_summaries_are_the_same_in_every_process() -> None:
    here = summarise(BODY).pack()
    code = (
        "import sys; from reader.stories.text import summarise; "
        f"sys.stdout.write(repr(summarise({BODY!r}).pack()))"
    )
    there = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert repr(here) == there


def test_summary_round_trip() -> None:
    summary = summarise(BODY)
    assert text.Summary.unpack(summary.pack()) == summary


def test_terms_names_and_plurals() -> None:
    summary = summarise(BODY)
    ids = dict(zip(summary.term_ids, summary.term_weights, strict=True))
    word = text.word_ids
    assert word(["ferry"])[0] in ids and word(["ferries"])[0] not in ids  # plural folded
    assert word(["the"])[0] not in ids and word(["said"])[0] not in ids  # stop words
    # "Brennock" is a name (never lower case): double weight; "aground" is not.
    assert ids[word(["brennock"])[0]] == 2 * ids[word(["aground"])[0]]


def test_only_the_lead_counts() -> None:
    tail = " Background." * 400
    assert summarise(BODY + tail).term_ids == summarise(BODY + tail + " Zebra.").term_ids


def test_singular() -> None:
    cases = {
        "councillors": "councillor",
        "ferries": "ferry",
        "buses": "buse",
        "glass": "glass",
        "status": "status",
        "news": "new",
        "gas": "gas",
        "shoes": "shoe",
    }
    assert {w: singular(w) for w in cases} == cases


def test_sentence_resemblance() -> None:
    a = sentence_sketch("One here. Two here. Three here. Four here.")
    b = sentence_sketch("ONE  here.\nTwo here. Three here. Four here. Five here.")
    assert resemblance(a, a) == 1.0
    assert resemblance(a, b) == 0.8  # 4 shared of 5
    assert resemblance(a, sentence_sketch("Something else entirely.")) == 0.0
    assert resemblance(a, sentence_sketch("")) == 0.0


# --- summarise equals the straightforward reading it was optimised from ----------------------

_REFERENCE_SKIP = text.STOPWORDS | frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")


def _reference_sketch(body: str) -> list[int]:
    folded = b" ".join(body.lower().encode("utf-8", "surrogatepass").split()).rstrip(b".")
    return sorted(set(map(zlib.crc32, folded.split(b". "))))[: text.SKETCH]


def _reference(body: str) -> tuple[list[int], list[int], list[float], list[int]]:
    """What summarise returned before it was made fast (SCHEME 6), field by field."""
    original = text.WORD.findall(text.lead(body))
    counts = Counter(w for w in map(str.lower, original) if w not in _REFERENCE_SKIP)
    distinct = set(original)
    names = {w.lower() for w in distinct if w.istitle() or w.isupper()}
    names.difference_update(w for w in distinct if w.islower())
    for word in [w for w in counts if w.endswith("s")]:
        stem = singular(word)
        if stem != word:
            counts[stem] += counts.pop(word)
            if word in names:
                names.add(stem)
    terms = list(counts)
    weights = [1.0 + math.log(tf) for tf in counts.values()]
    names.intersection_update(counts)
    ids = [zlib.crc32(t.encode("utf-8", "surrogatepass")) >> 1 for t in terms]
    for name in names:
        weights[terms.index(name)] *= text.NAME_BOOST
    name_ids = sorted(ids[terms.index(name)] for name in names)
    return _reference_sketch(body), ids, weights, name_ids


_VOCABULARY_TEXT = (
    "one ones One ONES the thes The Thes THE well wells Well Wells WELL ferry ferries Ferry "
    "Ferries FERRIES ferrys bus buses Bus BUSES news News part parts Parts tram trams Trams "
    "TRAMS glass glasses status gas gases McDonald MCDONALD iPhone iphones 3Com X1 x1 a A s S "
    "_ __ 5 2004 1990s B2B Brennock brennock BRENNOCK said Said mr Mr MR comes Comes seconds "
    "Seconds £5m £ « » café CAFÉ Zürich zürich ZÜRICH ÉCOLE école İstanbul ϒ ǅemal ª µs"
)
_VOCABULARY = _VOCABULARY_TEXT.split()
_SEPARATORS = [" ", " ", " ", ". ", ", ", "\n\n", " - ", "'s ", ".\n", "  ", "\t", "\xa0", "£"]
# Typographic punctuation beyond Latin-1, as most scraped pages set it: not word characters.
_SEPARATORS += ["’s ", " “", "” ", " — ", "–", "…", " €", " ▲ ", "\u2028"]

EDGE_CASES = [
    "",
    " ",
    "...",
    "!?;:,.-- ''\"",
    "\x00",
    "a\x00b. C\x00D.",
    "\ud800",
    "Zürich \ud800 ÉCOLE. \udfffXyz Xyz",
    "Zürich zürich ÉCOLE école İstanbul ISTANBUL istanbul Straße STRASSE",
    "abc_def ABC_DEF Abc_Def 3rd 3RD 3Rd R2D2 r2d2 x86 X86 _ __ 1_000 a1 A1 _Abc Abc_",
    "The ones. One. Thes the. thes Wells well WELLS Tens ten",
    "the ferries",
    "Prices\xa0rose £5m\x85 in Zürich. ª ªs µ µs",
    "x" * 1499 + " Yes",
    "Word " * 400 + "word",
    "tabs\tand\nnewlines\r\nand\x0b\x0cvt\x1c\x1d\x1e\x1f\x85\xa0\u2028\u3000x. Y. ",
    "trailing dots.... a. . . b  .  c .",
]


def _bodies() -> list[str]:
    chance = random.Random(6)
    bodies = list(EDGE_CASES)
    for i in range(1500):
        words = _VOCABULARY if i % 2 else [w for w in _VOCABULARY if w.isascii()]
        bodies.append(
            "".join(
                chance.choice(words) + chance.choice(_SEPARATORS)
                for _ in range(chance.randrange(1, 400 if i % 50 == 0 else 40))
            )
        )
    for folder in (FIXTURE, SAMPLE):
        bodies.extend(p.read_text("utf-8", "replace") for p in sorted(folder.rglob("*.txt")))
    return bodies


def test_summarise_equals_the_reference() -> None:
    for body in _bodies():
        summary = summarise(body)
        got = (summary.sketch.tolist(), summary.term_ids, summary.term_weights, summary.name_ids)
        assert got == _reference(body), body


def test_the_bytes_path_reads_what_the_definition_reads() -> None:
    for body in _bodies():
        lead = text.lead(body)
        data = text._as_bytes(lead)
        if data is None:
            continue
        counts, names = text._ascii_terms(data)
        decoded = [(t.decode("latin-1"), n) for t, n in counts.items()]
        expected_counts, expected_names = text._unicode_terms(lead)
        assert decoded == list(expected_counts.items()), body
        assert {n.decode("latin-1") for n in names} == expected_names, body


def test_typographic_punctuation_keeps_a_lead_on_the_bytes_path() -> None:
    """Quotes, dashes and arrows beyond Latin-1 part words as a space does; a word beyond
    ASCII still sends the lead to the Unicode definition."""
    lead = "He said “we won’t” — not… €5 ▲ 2%"
    assert text._as_bytes(lead) == b"He said  we won t    not   5   2%"
    assert text._as_bytes("Zürich’s mayor") is None
    assert text._as_bytes("Ωmega’s mayor") is None


def test_weights_are_the_logs() -> None:
    for tf in (1, 2, 3, 7, 100, text.LEAD_CHARS):
        assert text._WEIGHTS[tf] == 1.0 + math.log(tf)
        assert text._WEIGHTS[-tf] == (1.0 + math.log(tf)) * text.NAME_BOOST


def test_packed_summaries_are_the_summaries() -> None:
    import numpy as np

    for body in _bodies():
        summary = summarise(body)
        packed = text.summarise_packed(body)
        assert packed == summary.pack(), body
        assert text.Summary.unpack(packed) == summary, body
        # The grouping's batch weights are the summary's (NumPy's log may differ in an ulp).
        counts = np.frombuffer(packed[2], "<u2")
        flags = np.frombuffer(packed[3], np.uint8)
        weights = text.weights_of(counts, flags)
        assert np.allclose(weights, summary.term_weights, rtol=1e-12, atol=0), body
