"""Page profiles and the shared article rules, on our own fictional pages."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reader.ingest import profiles
from reader.ingest.article import (
    TITLE_MAX_CHARS,
    derive_title,
    find_agency,
    split_date_header,
    split_dateline,
    split_headline,
    strip_comment_tail,
)
from reader.ingest.page import ParsedPage
from reader.ingest.profiles import PROFILES, parse_page

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def test_registry_order():
    assert [p.name for p in PROFILES] == ["ticker", "wire", "titled", "generic"]


# --- ticker -----------------------------------------------------------------------------------


def test_ticker_page():
    page = parse_page(fixture("ticker_top.txt"))
    assert page.profile == "ticker"
    assert len(page.tickers) == 7
    assert [r.kind for r in page.tickers].count("index") == 2
    assert [r.position for r in page.tickers] == list(range(7))
    tidewell = page.tickers[4]
    assert (tidewell.symbol, tidewell.change, tidewell.change_pct) == ("TIDEWELL", -0.4, -2.07)
    assert page.tickers[2].direction == "flat"
    assert page.dateline == "LAHORE"
    assert page.date is None and page.source is None
    assert page.body.startswith("LAHORE: The provincial water board’s chairman said")
    assert page.body.endswith("lower than last year.")
    assert "Comments" not in page.body and "Increased By" not in page.body
    assert page.title_derived
    assert (
        page.title
        == "The provincial water board’s chairman said on Tuesday that three new filtration…"
    )
    assert len(page.title) <= TITLE_MAX_CHARS


def test_ticker_block_at_the_bottom_and_comments_before_it():
    text = (
        "ISLAMABAD/KARACHI: Two exchanges agreed a merger on Friday. The deal needs approval.\n\n"
        "Comments\n\nComments are closed.\n\n"
        "ORCHID 41.20 Increased By ▲ 0.35 (0.86%)\n"
        "KSE100 80,455 Decreased By -310.9 (-0.38%)\n"
    )
    page = parse_page(text)
    assert page.profile == "ticker"
    assert [r.symbol for r in page.tickers] == ["ORCHID", "KSE100"]
    assert (
        page.body
        == "ISLAMABAD/KARACHI: Two exchanges agreed a merger on Friday. The deal needs approval."
    )
    assert page.dateline == "ISLAMABAD/KARACHI"
    assert page.title == "Two exchanges agreed a merger on Friday."


def test_ticker_blocks_at_both_edges_are_numbered_in_page_order():
    text = (
        "ORCHID 41.20 Increased By ▲ 0.35 (0.86%)\n\nBody text here.\n\n"
        "QUAYSIDE 7.05 Decreased By ▼ -0.12 (-1.67%)\nBR30 25,100 Increased By 8.1 (0.03%)\n"
    )
    page = parse_page(text)
    assert [(r.symbol, r.position) for r in page.tickers] == [
        ("ORCHID", 0),
        ("QUAYSIDE", 1),
        ("BR30", 2),
    ]
    assert page.body == "Body text here."


def test_ticker_page_with_a_wire_date_header_after_the_block():
    text = "BR100 8,112 Increased By 21.4 (0.26%)\n\n date 2023-02-01 DHAKA: Rain fell. (UNI)\n"
    page = parse_page(text)
    assert (page.profile, page.date, page.dateline, page.source) == (
        "ticker",
        "2023-02-01",
        "DHAKA",
        "UNI",
    )
    assert page.body == "DHAKA: Rain fell. (UNI)"


def test_ticker_page_with_a_headline_after_the_block():
    text = "BR100 8,112 Increased By 21.4 (0.26%)\n\nPort reopens after dredging\n\nBody.\n"
    page = parse_page(text)
    assert (page.profile, page.title, page.title_derived, page.body) == (
        "ticker",
        "Port reopens after dredging",
        False,
        "Body.",
    )


def test_a_page_of_only_ticker_lines():
    page = parse_page(
        "ORCHID 41.20 Increased By ▲ 0.35 (0.86%)\nBR100 8,112 Increased By 21 (0.2%)\n"
    )
    assert (page.profile, page.body, page.title, len(page.tickers)) == ("ticker", "", "", 2)


def test_a_lone_ticker_line_mid_article_is_body_text():
    text = (
        "Markets were calm.\n\nORCHID 41.20 Increased By ▲ 0.35 (0.86%)\n\nTrading ends at five.\n"
    )
    page = parse_page(text)
    assert page.profile == "generic"
    assert page.tickers == ()
    assert "ORCHID 41.20 Increased By" in page.body


def test_prose_mentioning_a_price_is_not_a_ticker():
    text = "ORCHID closed at 41.20, up 0.35 (0.86%), traders said.\n\nVolumes were thin.\n"
    page = parse_page(text)
    assert page.tickers == () and page.profile == "generic"


# --- wire -------------------------------------------------------------------------------------


def test_wire_page():
    page = parse_page(fixture("wire.txt"))
    assert (page.profile, page.date, page.source) == ("wire", "2023-04-18", "Reuters")
    assert page.body.startswith("The harbour authority of a small island nation")
    assert page.body.endswith("the authority said in a statement. (Reuters)")
    assert "date 2023" not in page.body
    assert page.title_derived
    assert (
        page.title == "The harbour authority of a small island nation on Tuesday opened a second…"
    )


def test_wire_header_after_leading_blank_lines():
    page = parse_page("\n\n  date 2020-02-29 Leap day story. (AFP)")
    assert (page.profile, page.date, page.body, page.source) == (
        "wire",
        "2020-02-29",
        "Leap day story. (AFP)",
        "AFP",
    )


@pytest.mark.parametrize("header", ["date 2022-13-45", "date 2021-02-29", "date 0000-01-01"])
def test_impossible_wire_date_stays_in_the_body(header):
    page = parse_page(f" {header} A story about a fair. (APP)\n")
    assert page.profile != "wire"
    assert page.date is None
    assert page.body == f"{header} A story about a fair. (APP)"
    assert page.source == "APP"


def test_split_date_header():
    assert split_date_header(" date 2021-12-11 Body") == ("2021-12-11", "Body")
    assert split_date_header("date 2021-12-11") == ("2021-12-11", "")
    assert split_date_header("updated 2021-12-11 Body") == (None, "updated 2021-12-11 Body")
    assert split_date_header("date 2021-12-11T10:00 Body")[0] is None


# --- agency source ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ending", "source"),
    [
        ("(ANI)", "ANI"),
        ("(Reuters)", "Reuters"),
        ("(reuters).", "Reuters"),
        ("( AP )", "AP"),
        ("(APP)\n\n", "APP"),
        ("(dpa)", "dpa"),
        ("(with inputs from PTI)", "PTI"),
        ("(AFP/Reuters)", "AFP/Reuters"),
        ("(New Zealand)", None),
        ("(France)", None),
        ("(with inputs from agencies)", None),
        ("(ANI) and more text", None),
        ("ANI", None),
    ],
)
def test_find_agency(ending, source):
    assert find_agency("The minister spoke. " + ending) == source


def test_a_titled_page_may_end_with_an_attribution():
    page = parse_page("Rain delays harvest\n\nFarmers waited. (Xinhua)\n")
    assert (page.profile, page.title, page.source, page.body) == (
        "titled",
        "Rain delays harvest",
        "Xinhua",
        "Farmers waited. (Xinhua)",
    )


def test_sports_page_ending_in_a_country_has_no_source():
    page = parse_page(
        "Kiwis win the final\n\nA late try sealed it for the visitors (New Zealand)\n"
    )
    assert page.source is None


# --- titled -----------------------------------------------------------------------------------


def test_titled_page():
    text = "Council approves river park\n\nThe council voted 7-2 on Monday.\n\nWork starts soon.\n"
    page = parse_page(text)
    assert page == ParsedPage(
        body="The council voted 7-2 on Monday.\n\nWork starts soon.",
        title="Council approves river park",
        title_derived=False,
        profile="titled",
    )


@pytest.mark.parametrize(
    "headline",
    [
        "Rivals of the £400 tablet...",
        "Rivals of the £400 tablet…",
        "Could the river park flood?",
        "Analysis: No pain, no gain?",
        "What price for 'trusted PC security'?",
        "Mayor: “We will build it”",
        "A" * 150,
    ],
)
def test_headlines(headline):
    assert split_headline(f"{headline}\n\nBody.\n") == (headline, "\nBody.\n")


@pytest.mark.parametrize(
    "first_line",
    [
        "The council voted on Monday.",
        "It flooded again!",
        "The council said:",
        "It rained. Would it stop?",
        "A" * 151,
        "",
    ],
)
def test_not_headlines(first_line):
    text = f"{first_line}\n\nBody.\n"
    assert split_headline(text) == (None, text)
    assert parse_page(text).profile == "generic"


def test_a_headline_needs_a_blank_line_and_a_body():
    assert split_headline("Council approves park\nThe council voted.\n")[0] is None
    assert split_headline("Council approves park\n\n   \n")[0] is None
    assert split_headline("Council approves park")[0] is None
    assert split_headline("\n\nCouncil approves park\n \nBody")[0] == "Council approves park"


def test_titled_page_with_a_dateline_and_a_date_header():
    page = parse_page("Dam opens\n\ndate 2019-07-04 NEW YORK: The dam opened.\n")
    assert (page.title, page.date, page.dateline, page.body) == (
        "Dam opens",
        "2019-07-04",
        "NEW YORK",
        "NEW YORK: The dam opened.",
    )


# --- generic, derived titles, datelines, comments ------------------------------------------


def test_generic_page():
    page = parse_page("\n\n  A short note without a headline. It has two sentences.  \n\n")
    assert page == ParsedPage(
        body="A short note without a headline. It has two sentences.",
        title="A short note without a headline.",
        title_derived=True,
        profile="generic",
    )


def test_no_date_in_the_page_means_no_date():
    for text in (fixture("ticker_top.txt"), "Plain text.", "Title here\n\nBody."):
        assert parse_page(text).date is None


def test_derived_title_is_cut_at_a_word_boundary_with_the_ellipsis_counted():
    body = "word " * 40
    title = derive_title(body)
    assert title.endswith("…")
    assert len(title) <= TITLE_MAX_CHARS
    assert title[:-1] == ("word " * 40)[: len(title) - 1]
    assert not title[:-1].endswith(" ")


def test_derived_title_short_sentence_and_whitespace():
    assert derive_title("First one.  Second one.") == "First one."
    assert derive_title("Tabs\tand\u00a0spaces   collapse. Then more.") == (
        "Tabs and spaces collapse."
    )
    assert derive_title("No full stop at all") == "No full stop at all"
    assert derive_title("Line one\nLine two.") == "Line one"
    assert derive_title("") == ""


def test_derived_title_skips_abbreviations_and_initials():
    body = "Mr. Smith met John F. Kennedy Jr. in the U.S. capital on Jan. 5. Then he left."
    assert derive_title(body) == "Mr. Smith met John F. Kennedy Jr. in the U.S. capital on Jan. 5."


def test_derived_title_one_very_long_word():
    title = derive_title("x" * 500)
    assert title == "x" * (TITLE_MAX_CHARS - 1) + "…"


def test_derived_title_leaves_out_the_dateline():
    assert derive_title("RIO DE JANEIRO: Carnival begins. More.") == "Carnival begins."


@pytest.mark.parametrize(
    ("body", "place"),
    [
        ("TOKYO: Ministers met.", "TOKYO"),
        ("NEW YORK: Ministers met.", "NEW YORK"),
        ("RIO DE JANEIRO: Ministers met.", "RIO DE JANEIRO"),
        ("ISLAMABAD/KARACHI: Ministers met.", "ISLAMABAD/KARACHI"),
        ("ST. PETERSBURG: Ministers met.", "ST. PETERSBURG"),
        ("Tokyo: Ministers met.", None),
        ("Q: What did ministers say?", None),
        ("UPDATE: Ministers met.", None),
        ("EDITOR'S NOTE: Ministers met.", None),
        ("TOKYO:Ministers met.", None),
        ("The TOKYO: talks", None),
    ],
)
def test_datelines(body, place):
    assert split_dateline(body)[0] == place
    page = parse_page(body)
    assert page.dateline == place
    assert page.body == body  # the dateline stays in the body


def test_comment_tail():
    assert strip_comment_tail("Body.\n\nComments\n\nComments are closed.\n") == "Body."
    assert strip_comment_tail("Body.\nComments\n") == "Body."
    assert strip_comment_tail("Comments on the plan were mixed.\n") == (
        "Comments on the plan were mixed."
    )
    text = "Intro.\n\nComments\n\nReaders wrote in about the plan."
    assert strip_comment_tail(text) == text
    assert parse_page("Title here\n\nBody.\n\nComments\n").body == "Body."


def test_markup_is_kept_literal():
    text = (
        "# Not a heading\n\n<script>alert('x')</script> and [a link](http://example.invalid)"
        " and **bold**.\n"
    )
    page = parse_page(text)
    assert page.title == "# Not a heading"
    assert page.body == text.split("\n\n", 1)[1].strip()
    page = parse_page("<p>Para <b>one</b>.</p>\n<p>Two.</p>")
    assert page.body == "<p>Para <b>one</b>.</p>\n<p>Two.</p>"
    assert page.title == "<p>Para <b>one</b>.</p>"


def test_a_2mb_single_line_parses_quickly():
    text = "Lorem ipsum dolor sit amet, consectetur adipiscing elit " * 36_000 + "(ANI)"
    start = time.perf_counter()
    page = parse_page(text)
    assert time.perf_counter() - start < 0.25
    assert page.profile == "generic" and page.source == "ANI"
    assert len(page.body) == len(text)


def test_a_new_profile_is_one_entry_in_the_registry(monkeypatch):
    class ShoutingProfile:
        name = "shouting"

        def matches(self, text: str) -> bool:
            return text.startswith("!!!")

        def parse(self, text: str) -> ParsedPage:
            return ParsedPage(body=text[3:], title="Shout", title_derived=False, profile=self.name)

    monkeypatch.setattr(profiles, "PROFILES", [ShoutingProfile(), *PROFILES])
    assert parse_page("!!!Hello").profile == "shouting"
    assert parse_page("Hello.").profile == "generic"


def test_known_agencies_cover_the_usual_wires():
    expected = "ANI Reuters AFP APP AP PTI IANS Xinhua Kyodo Bloomberg UNI Bernama Yonhap dpa EFE"
    for name in [*expected.split(), "AA", "TASS", "WAM", "SPA"]:
        assert name in profiles.KNOWN_AGENCIES
        assert find_agency(f"Text. ({name})") == name


def test_ingest_never_imports_qt():
    code = (
        "import sys, reader.ingest.decode, reader.ingest.profiles, reader.ingest.scan, "
        "reader.ingest.tickers; "
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))))"
    )
    src = Path(__file__).parents[2] / "src"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(src), os.environ.get("PYTHONPATH", "")]),
    }
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
