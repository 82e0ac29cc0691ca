"""What the grouping reads of a body: stable, cheap summaries."""

from __future__ import annotations

import subprocess
import sys

from reader.stories import text
from reader.stories.text import resemblance, sentence_sketch, singular, summarise

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
