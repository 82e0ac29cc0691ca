"""File names from untrusted titles: safe everywhere, bounded, unique."""

from __future__ import annotations

import pytest

from reader.export.safe_names import MAX_BYTES, UniqueNames, safe_name, slug

HOSTILE = [
    "../../etc/passwd",
    "..",
    ".",
    "...hidden",
    "a/b\\c",
    "CON",
    "con.txt",
    "Nul ",
    "COM1",
    "lpt9.md",
    "COM¹",
    "AUX.tar.gz",
    "tab\there\nnew\rline",
    "nul\x00byte\x7fdel\x85nel",
    "evil\u202egpj.exe",  # right-to-left override
    "zero\u200bwidth",
    'what?*<>|":',
    "trailing dots...",
    "   ",
    "",
    "[[wiki]] #tag ^block",
    "📰" * 200,
    "بلاول بھٹو زرداری " * 30,
]


@pytest.mark.parametrize("title", HOSTILE)
def test_safe_name_is_a_plain_safe_file_name(title: str) -> None:
    name = safe_name(title)
    assert name and name == name.strip(" .")
    assert "/" not in name and "\\" not in name and ".." not in name
    assert not any(ord(c) < 32 or c in '<>:"|?*[]#^' or 0x7F <= ord(c) <= 0x9F for c in name)
    assert "\u202e" not in name and "\u200b" not in name
    assert name.split(".")[0].strip().upper() not in {"CON", "NUL", "AUX", "PRN", "COM1", "LPT9"}
    assert name.split(".")[0].strip().upper() not in {"COM¹"}
    assert len(name.encode("utf-8")) <= MAX_BYTES


def test_safe_name_keeps_what_people_read() -> None:
    assert safe_name("Hayashi meets Blinken") == "Hayashi meets Blinken"
    assert safe_name("بلاول بھٹو زرداری") == "بلاول بھٹو زرداری"
    assert safe_name("Seed 🌱 shelf") == "Seed 🌱 shelf"
    assert safe_name("U.S. talks") == "U.S. talks"
    assert safe_name("CON") == "_CON"
    assert safe_name("", fallback="document 3") == "document 3"


def test_long_names_are_cut_at_a_character_and_word_boundary() -> None:
    name = safe_name("word " * 100)
    assert len(name.encode()) <= MAX_BYTES and name.endswith("word")
    urdu = safe_name("ا" * 500)  # two bytes a letter: never half a character
    assert len(urdu.encode()) <= MAX_BYTES and set(urdu) == {"ا"}
    marks = safe_name("اِ" * 100, max_bytes=42)  # a letter keeps its mark: 10 pairs, not 10½
    assert marks == "اِ" * 10


def test_unique_names_ignore_case_and_normalisation() -> None:
    names = UniqueNames({"annotation"})
    assert names.claim("Report", ".md") == "Report.md"
    assert names.claim("report", ".md") == "report (2).md"
    assert names.claim("REPORT", ".md") == "REPORT (3).md"
    assert names.claim("Cafe\u0301", ".md") == "Cafe\u0301.md"
    assert names.claim("Caf\u00e9", ".md") == "Café (2).md"  # NFC equal to the one before
    assert names.claim("annotation") == "annotation (2)"


def test_slug_has_no_spaces() -> None:
    assert slug("Foreign Minister meets Blinken") == "Foreign-Minister-meets-Blinken"
    assert " " not in slug("a  b\tc") and slug("") == "untitled"
