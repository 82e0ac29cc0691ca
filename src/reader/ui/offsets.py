"""Code points (the library's offsets) to UTF-16 units (Qt's text positions) and back.

The library counts offsets in Unicode code points (Python string indices); ``QTextCursor`` and
``QTextDocument`` count UTF-16 code units, where a character outside the Basic Multilingual Plane
(an emoji, say) takes two. Every conversion in the window goes through this module, so the rule
lives in one place.

Both directions cost a binary search over the positions of the text's astral characters, found
once per text (with a small cache: the article pane converts many offsets of the same body). A
text without astral characters, the usual case, converts as the identity.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class OffsetMap:
    """Converts offsets for one text. Build it once and convert many offsets."""

    __slots__ = ("_cp", "_u16", "cp_length", "utf16_length")

    def __init__(self, text: str) -> None:
        #: Code-point index of each astral character, ascending.
        self._cp = [m.start() for m in _ASTRAL.finditer(text)]
        #: UTF-16 index of the high surrogate of each astral character.
        self._u16 = [cp + k for k, cp in enumerate(self._cp)]
        self.cp_length = len(text)
        self.utf16_length = len(text) + len(self._cp)

    def to_utf16(self, i: int) -> int:
        """UTF-16 index of code point ``i`` (``0 <= i <= len(text)``)."""
        if not 0 <= i <= self.cp_length:
            raise IndexError(f"code point offset {i} outside 0..{self.cp_length}")
        return i + bisect_left(self._cp, i)

    def to_cp(self, u: int) -> int:
        """Code-point index of UTF-16 index ``u``; the middle of a surrogate pair maps to the
        character it belongs to (rounds down), so a selection never splits a character."""
        if not 0 <= u <= self.utf16_length:
            raise IndexError(f"UTF-16 offset {u} outside 0..{self.utf16_length}")
        return u - bisect_left(self._u16, u)


@lru_cache(maxsize=16)
def offset_map(text: str) -> OffsetMap:
    """The (cached) :class:`OffsetMap` of ``text``."""
    return OffsetMap(text)


def cp_to_utf16(text: str, i: int) -> int:
    """Qt position of the library offset ``i`` in ``text``."""
    return offset_map(text).to_utf16(i)


def utf16_to_cp(text: str, u: int) -> int:
    """Library offset of the Qt position ``u`` in ``text``."""
    return offset_map(text).to_cp(u)
