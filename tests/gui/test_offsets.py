"""Code points ↔ UTF-16: the one conversion between the library's offsets and Qt's."""

from __future__ import annotations

import random

import pytest

from reader.ui.offsets import OffsetMap, cp_to_utf16, utf16_to_cp


def _utf16_index(text: str, i: int) -> int:
    return len(text[:i].encode("utf-16-le")) // 2


def test_bmp_text_is_the_identity() -> None:
    text = "Zürich – ĀĒĪ 東京 مرحبا"
    for i in range(len(text) + 1):
        assert cp_to_utf16(text, i) == i
        assert utf16_to_cp(text, i) == i


def test_astral_characters_take_two_units() -> None:
    text = "a🌱b𝄞c"
    assert [cp_to_utf16(text, i) for i in range(6)] == [0, 1, 3, 4, 6, 7]
    assert [utf16_to_cp(text, u) for u in (0, 1, 3, 4, 6, 7)] == [0, 1, 2, 3, 4, 5]


def test_the_middle_of_a_surrogate_pair_rounds_down_to_its_character() -> None:
    text = "x🌱y"
    assert utf16_to_cp(text, 2) == 1


def test_random_round_trips_match_python_encoding() -> None:
    rng = random.Random(7)
    alphabet = "ab \n€東🌱😀𝄞"
    for _ in range(50):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        m = OffsetMap(text)
        assert m.utf16_length == len(text.encode("utf-16-le")) // 2
        for i in range(len(text) + 1):
            u = m.to_utf16(i)
            assert u == _utf16_index(text, i)
            assert m.to_cp(u) == i


def test_offsets_outside_the_text_are_refused() -> None:
    with pytest.raises(IndexError):
        cp_to_utf16("abc", 4)
    with pytest.raises(IndexError):
        utf16_to_cp("🌱", 3)
