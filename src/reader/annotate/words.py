"""What counts as a word character, shared by tag-everywhere and suggestions.

Both features promise "whole words only", and both must agree with the full-text index, which
tag-everywhere uses to pick candidate documents. SQLite's ``unicode61`` tokenizer treats letters,
numbers, private-use characters and non-spacing marks as parts of tokens and everything else as
separators. Our set is that set plus the other marks and ``_``: never smaller, so a span we accept
as a whole word always starts and ends at token boundaries of the index, and the index's phrase
query can never miss a document that the exact scan would have matched.

Marks count as word characters because they are part of the word they sit on: an Urdu name
followed by an izafat kasra (``عمرانِ``), or a Latin letter with a combining accent, is not the
bare name followed by punctuation.
"""

from __future__ import annotations

import unicodedata


def _classify(ch: str) -> bool:
    if ch < "\x80":
        return ch.isalnum() or ch == "_"
    cat = unicodedata.category(ch)
    return cat[0] in "LNM" or cat == "Co"


class _WordChars(dict):
    """A character → bool table filled on first sight, so hot loops pay one dict lookup."""

    def __missing__(self, ch: str) -> bool:
        value = self[ch] = _classify(ch)
        return value


#: ``WORD[ch]`` is :func:`is_word_char` at the cost of a dict lookup (for matching loops).
WORD: dict[str, bool] = _WordChars()


def is_word_char(ch: str) -> bool:
    """True for letters, numbers, marks, private-use characters and ``_``."""
    return WORD[ch]


def is_whole_word(body: str, start: int, end: int) -> bool:
    """True when ``body[start:end]`` is not glued to word characters on either side.

    The check applies only at an edge where the span itself begins or ends with a word
    character, so a span such as ``"Corp."`` or ``"(AFP)"`` can still be whole.
    """
    word = WORD
    if start > 0 and word[body[start]] and word[body[start - 1]]:
        return False
    return not (end < len(body) and word[body[end - 1]] and word[body[end]])


def has_index_token(text: str) -> bool:
    """True when the full-text index would see at least one token in ``text``.

    A text without one (only punctuation or emoji) cannot be looked up in the index, so
    callers fall back to scanning bodies.
    """
    for ch in text:
        if ch < "\x80":
            if ch.isalnum():
                return True
            continue
        cat = unicodedata.category(ch)
        if cat[0] in "LN" or cat == "Co":
            return True
    return False


def normalise_name(name: str) -> str:
    """An entity name as stored: inner runs of white space become one space, ends trimmed."""
    return " ".join(str(name).split())
