"""Rules about the article itself, shared by every page profile.

Profiles differ in the chrome they peel off (a ticker block, a ``date`` header, a headline);
what is left is an article, and these helpers read it the same way whichever profile found it:
the trailing comment boilerplate, the ``date YYYY-MM-DD`` header, the headline, the dateline,
the agency attribution and the derived title. Keeping them here is what lets a ticker page
with a wire header, or a titled page ending in ``(Reuters)``, get both right without copies.

All of them look only at the start or the end of the text, so a 2 MB one-line page costs a few
string copies, never a scan in Python.
"""

from __future__ import annotations

import datetime
import re

__all__ = [
    "HEADLINE_MAX_CHARS",
    "KNOWN_AGENCIES",
    "TITLE_MAX_CHARS",
    "derive_title",
    "find_agency",
    "split_date_header",
    "split_dateline",
    "split_headline",
    "strip_comment_tail",
]

# News agencies whose trailing attribution, e.g. "(ANI)" or "(with inputs from Reuters)", names
# the page's source. A list, not a rule: sports pages end in "(New Zealand)" or "(France)".
# Extending it is adding a name here; matching ignores case and runs of white space.
KNOWN_AGENCIES: frozenset[str] = frozenset(
    {
        "AA",
        "AFP",
        "ANI",
        "ANSA",
        "AP",
        "APP",
        "Anadolu",
        "Antara",
        "Associated Press",
        "BSS",
        "Bernama",
        "Bloomberg",
        "EFE",
        "IANS",
        "INP",
        "IRNA",
        "Interfax",
        "KCNA",
        "KUNA",
        "Kyodo",
        "NNI",
        "PNA",
        "PPI",
        "PTI",
        "Reuters",
        "SPA",
        "TASS",
        "UNI",
        "WAM",
        "Xinhua",
        "Yonhap",
        "dpa",
    }
)

HEADLINE_MAX_CHARS = 150
# A derived title is at most this long, "…" included. 80 rather than the spec's ceiling of 100:
# the agreed example for the ticker seed ("… US Secretary of State Antony…") is what an
# 80-character cut gives (a 100-character one would run on to "… Antony Blinken agreed on…").
TITLE_MAX_CHARS = 80

_COMMENT_LINES = frozenset({"comments", "comments are closed", "comments are closed."})
_COMMENT_LINE_MAX = 40  # longer last lines are article text: skip strip() and casefold()

_DATE_HEADER = re.compile(r"\s*(?i:date)[^\S\n]+(\d{4})-(\d{2})-(\d{2})(?:\s+|\Z)")
_LEADING_BLANK_LINES = re.compile(r"(?:[^\S\n]*\n)*")
_CLOSERS = "\"'”’»)]"

# An upper-case place (up to five words, "/" between two places) then a colon, at the start.
_DATELINE = re.compile(
    r"(?P<place>[A-Z][A-Z'’.\-]+(?:(?:[ /]|, )[A-Z][A-Z'’.\-]*){0,4})[^\S\n]*:[^\S\n]+(?=\S)"
)
# Upper-case openers with a colon that are not places.
_NOT_PLACES = frozenset(
    {
        "ADVERTISEMENT",
        "ALSO READ",
        "ANALYSIS",
        "BREAKING",
        "BREAKING NEWS",
        "CORRECTION",
        "DISCLAIMER",
        "EDITOR'S NOTE",
        "EDITOR’S NOTE",
        "EXCLUSIVE",
        "EXPLAINER",
        "FACTBOX",
        "FILE",
        "LIVE",
        "NOTE",
        "OPINION",
        "PHOTO",
        "PHOTOS",
        "READ ALSO",
        "READ MORE",
        "RELATED",
        "SOURCE",
        "SOURCES",
        "SPONSORED",
        "UPDATE",
        "UPDATED",
        "VIDEO",
        "WARNING",
        "WATCH",
    }
)

_ATTRIBUTION = re.compile(
    r"\([^\S\n]*(?i:with[^\S\n]+inputs?[^\S\n]+from[^\S\n]+)?(?P<names>[^()\n]{1,60}?)"
    r"[^\S\n]*\)[\s.]*\Z"
)
_AGENCY_SEPARATORS = re.compile(r"[^\S\n]*(?:/|,|\band\b)[^\S\n]*")
_AGENCY_BY_KEY = {" ".join(name.split()).casefold(): name for name in KNOWN_AGENCIES}

_SENTENCE_END = re.compile(r"(?:[.!?]+|…)[\"'”’»)\]]*(?=\s|\Z)")
# Words whose period does not end a sentence (compared lower-cased).
_ABBREVIATIONS = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "mt",
        "ft",
        "gen",
        "lt",
        "col",
        "capt",
        "sgt",
        "cmdr",
        "adm",
        "sen",
        "rep",
        "gov",
        "pres",
        "supt",
        "insp",
        "jr",
        "sr",
        "inc",
        "co",
        "corp",
        "ltd",
        "plc",
        "bros",
        "no",
        "nos",
        "vs",
        "v",
        "approx",
        "dept",
        "est",
        "univ",
        "fig",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    }
)
_TRAILING_JOINERS = " ,;:-–—(\"'“‘"


def strip_comment_tail(text: str) -> str:
    """Drop trailing ``Comments`` / ``Comments are closed.`` lines (and trailing white space).

    Comment boilerplate is chrome of the page, never of the article. Only whole lines at the
    very end go; "Comments" inside the article stays.
    """
    text = text.rstrip()
    while text:
        start = text.rfind("\n") + 1
        if len(text) - start > _COMMENT_LINE_MAX or (
            text[start:].strip().casefold() not in _COMMENT_LINES
        ):
            break
        text = text[:start].rstrip()
    return text


def split_date_header(text: str) -> tuple[str | None, str]:
    """Take a leading ``date YYYY-MM-DD`` header: return (ISO date, the text after it).

    The header may follow leading white space and shares its line with the start of the body.
    An impossible date (``date 2022-13-45``) is no date: the text is returned unchanged, so
    the header stays in the body, where the reader can see it.
    """
    m = _DATE_HEADER.match(text)
    if m is None:
        return None, text
    try:
        day = datetime.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None, text
    return day.isoformat(), text[m.end() :]


def split_headline(text: str) -> tuple[str | None, str]:
    """Take a leading headline line: return (headline, the text after it), or (None, text).

    A headline (leading blank lines skipped) is at most 150 characters, does not end a
    sentence with ``.``, ``!`` or ``:`` (an ellipsis ``...``/``…`` is fine), is followed by a
    blank line, and some text follows it. A headline ending in ``?`` is accepted when it is a
    single sentence: question headlines are common ("Could rivalry overshadow election?") and
    a lone one-sentence question line above a blank line is a headline in practice.
    """
    blank = _LEADING_BLANK_LINES.match(text)  # always matches, maybe empty
    start = blank.end() if blank else 0
    nl = text.find("\n", start, start + HEADLINE_MAX_CHARS * 4)
    if nl < 0:
        return None, text
    line = text[start:nl].strip()
    if not _is_headline(line):
        return None, text
    next_nl = text.find("\n", nl + 1)
    following = text[nl + 1 :] if next_nl < 0 else text[nl + 1 : next_nl]
    if following and not following.isspace():
        return None, text
    rest = text[nl + 1 :]
    if not rest or rest.isspace():
        return None, text
    return line, rest


def _is_headline(line: str) -> bool:
    if not line or len(line) > HEADLINE_MAX_CHARS:
        return False
    core = line.rstrip(_CLOSERS)
    if core.endswith(("...", "…")):
        return True
    last = core[-1:]
    if last in (".", "!", ":"):
        return False
    if last == "?":
        end = _first_sentence_end(core)
        return end is None or end >= len(core)
    return True


def split_dateline(body: str) -> tuple[str | None, str]:
    """Read a dateline: return (place, the text after ``PLACE:``), or (None, body).

    A dateline is an upper-case place name of up to five words (``TOKYO``, ``NEW YORK``,
    ``RIO DE JANEIRO``, ``ST. PETERSBURG``, ``ISLAMABAD/KARACHI``) followed by a colon at the
    very start of the body. Upper-case labels like ``UPDATE:`` or ``EDITOR'S NOTE:`` are not
    places. The dateline is the article's own text: profiles keep it in the body; this split
    is for the derived title.
    """
    m = _DATELINE.match(body)
    if m is None:
        return None, body
    place = m["place"]
    if place in _NOT_PLACES:
        return None, body
    return place, body[m.end() :]


def find_agency(body: str) -> str | None:
    """The agency named by the body's trailing attribution, e.g. ``(ANI)`` → ``"ANI"``.

    Only names in :data:`KNOWN_AGENCIES` count (returned in that spelling); several known
    names (``(AFP/Reuters)``) are joined with ``/``. The attribution stays in the body.
    """
    m = _ATTRIBUTION.search(body[-120:])
    if m is None:
        return None
    names = []
    for part in _AGENCY_SEPARATORS.split(m["names"].strip()):
        name = _AGENCY_BY_KEY.get(" ".join(part.split()).casefold())
        if name is None:
            return None
        names.append(name)
    return "/".join(names) or None


def derive_title(body: str) -> str:
    """A title for a page that has none: the body's first sentence, without the dateline.

    At most :data:`TITLE_MAX_CHARS` characters including the ellipsis: a longer sentence is
    cut at the last word boundary that fits and ended with ``…``. Runs of white space become
    one space. The sentence's own end punctuation is kept.
    """
    _, text = split_dateline(body)
    text = text.lstrip()
    nl = text.find("\n")
    paragraph = text if nl < 0 else text[:nl]
    window = TITLE_MAX_CHARS * 8
    snippet = " ".join(paragraph[:window].split())
    truncated = len(paragraph) > window
    end = _first_sentence_end(snippet)
    if end is not None and end <= TITLE_MAX_CHARS:
        return snippet[:end]
    if len(snippet) <= TITLE_MAX_CHARS and not truncated:
        return snippet
    room = TITLE_MAX_CHARS - 1  # leave room for "…"
    cut = snippet.rfind(" ", 0, room + 1)
    if cut <= 0:
        cut = room  # one very long word: cut inside it
    return snippet[:cut].rstrip(_TRAILING_JOINERS) + "…"


def _first_sentence_end(text: str) -> int | None:
    """Index just past the first sentence's end punctuation (and closing quotes), or None.

    A period after an initial ("John F. Kennedy"), a dotted abbreviation ("U.S.") or a common
    abbreviation ("Mr.", "Jan.") does not end a sentence.
    """
    for m in _SENTENCE_END.finditer(text):
        if text[m.start()] == "." and _is_abbreviation(text, m.start()):
            continue
        return m.end()
    return None


def _is_abbreviation(text: str, dot: int) -> bool:
    word = text[text.rfind(" ", 0, dot) + 1 : dot].lstrip("\"'“‘([")
    if len(word) == 1:
        return word.isupper()
    return "." in word or word.casefold() in _ABBREVIATIONS
