"""File names made from titles and entity names: safe on every platform, short, and unique.

Titles come from scraped web pages, so a title is untrusted input that must never pick where a
file lands. :func:`safe_name` keeps what a person would recognise (letters in any script,
digits, spaces, ordinary punctuation) and removes what a file system or a notes app would
interpret: path separators, ``..``, control and formatting characters (a right-to-left override
could disguise an extension), the characters Windows forbids, those that break an Obsidian
wiki-link (``[]#^|``), leading dots (hidden files) and trailing dots or spaces (Windows drops
them), and the reserved device names of Windows (``CON``, ``NUL``, ``COM1``…), which open a
device instead of a file even with an extension. Names are bounded in UTF-8 bytes, not
characters, because file systems count bytes (255 per name) and a title in Urdu or emoji takes
two to four bytes a character.

:class:`UniqueNames` makes names unique *case-insensitively* and after Unicode normalisation,
because macOS and Windows file systems are case-insensitive: ``Blinken.md`` and ``blinken.md``
are one file there.
"""

from __future__ import annotations

import re
import unicodedata

#: Characters replaced by a space: separators, Windows-forbidden, wiki-link syntax.
_FORBIDDEN = set('/\\<>:"|?*[]#^{}')
_RESERVED = {
    "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$",
    *(f"COM{i}" for i in "123456789¹²³"),
    *(f"LPT{i}" for i in "123456789¹²³"),
}  # fmt: skip
_JOINERS = "\u200c\u200d"
_SPACES = re.compile(r"\s+")
_DOTS = re.compile(r"\.{2,}")

#: Default bound for a name's stem, in UTF-8 bytes; with a uniqueness suffix and an extension
#: a name stays far below the usual 255-byte limit.
MAX_BYTES = 120


def _keep(ch: str) -> bool:
    if ch in _FORBIDDEN:
        return False
    cat = unicodedata.category(ch)
    # Cc control, Cf format (bidi overrides, zero-width), Cs surrogates, Co private, Cn unassigned,
    # Zl/Zp line and paragraph separators. ZWJ/ZWNJ are kept: they are part of words in Urdu,
    # Persian and in emoji sequences.
    if ch in _JOINERS:
        return True
    return not (cat[0] == "C" or cat in ("Zl", "Zp"))


def _clings(ch: str) -> bool:
    """A character that belongs to the one before it (a combining mark, a joiner)."""
    return ch in _JOINERS or unicodedata.category(ch)[0] == "M"


def _truncate(text: str, max_bytes: int) -> str:
    """Cut ``text`` to at most ``max_bytes`` UTF-8 bytes, at a word boundary when one is near."""
    if len(text.encode("utf-8")) <= max_bytes:
        return text
    p = len(text.encode("utf-8")[:max_bytes].decode("utf-8", "ignore"))
    # Cut between two characters a reader sees as one only if nothing else fits: a letter keeps
    # its combining marks, a joiner its neighbours.
    while 0 < p < len(text) and (_clings(text[p]) or text[p - 1] in _JOINERS):
        p -= 1
    out = text[:p]
    cut = out.rfind(" ")
    if cut > len(out) * 2 // 3:
        out = out[:cut]
    return out


def safe_name(text: str | None, *, max_bytes: int = MAX_BYTES, fallback: str = "untitled") -> str:
    """A file-name stem (no extension) made from ``text``; never empty, never a path.

    The result contains no path separator, no ``..``, no control or formatting character, no
    character Windows forbids, does not start with a dot or end with a dot or space, is not a
    reserved device name, and takes at most ``max_bytes`` bytes in UTF-8.
    """
    text = unicodedata.normalize("NFC", text or "")
    cleaned = "".join(ch if _keep(ch) else " " for ch in text)
    cleaned = _DOTS.sub(".", _SPACES.sub(" ", cleaned))
    cleaned = _truncate(cleaned.strip(" ."), max_bytes).strip(" .")
    if not cleaned:
        cleaned = fallback
    if cleaned.split(".")[0].rstrip(" ").upper() in _RESERVED:
        cleaned = "_" + cleaned
    return cleaned


def slug(text: str | None, *, max_bytes: int = 48, fallback: str = "untitled") -> str:
    """A short name without spaces (words joined by ``-``), for names like brat's ``12-title``."""
    words = safe_name(text, max_bytes=max_bytes, fallback=fallback).split(" ")
    return "-".join(w for w in words if w) or fallback


class UniqueNames:
    """Hands out file names that differ from every name handed out before (case-insensitively).

    ``taken`` seeds names that must not be reused. A clash gets `` (2)``, `` (3)``… before the
    extension, as file managers do.
    """

    def __init__(self, taken: set[str] | None = None) -> None:
        self._seen: set[str] = {self._key(n) for n in taken or ()}

    @staticmethod
    def _key(name: str) -> str:
        return unicodedata.normalize("NFC", name).casefold()

    def claim(self, stem: str, ext: str = "") -> str:
        """A unique ``stem + ext``; ``stem`` should come from :func:`safe_name`."""
        name = stem + ext
        n = 1
        while self._key(name) in self._seen:
            n += 1
            name = f"{stem} ({n}){ext}"
        self._seen.add(self._key(name))
        return name
