"""Suggestions: the registry's names and the page's own ticker symbols, found in an article.

When a document is opened the window asks :func:`suggestions` for spans to underline (dotted);
the user accepts one (:func:`accept` makes it a mention and remembers the entity) or rejects it
(:func:`reject`: not offered again at that place). This is how pages imported later get the
entities tagged earlier.

Matching uses one Aho-Corasick automaton (pyahocorasick) over every registry name and alias, so
the cost per document is one pass over its body whatever the size of the registry. Building the
automaton is the expensive part (tens of milliseconds for 10,000 names), so it is cached per
:class:`~reader.library.library.Library` and rebuilt only when the registry changed: a cheap
check (this module's generation counter, the connection's change count and ``PRAGMA
data_version``, which moves when another connection such as a worker commits) guards a slightly
dearer fingerprint of the registry tables read from the file.

Matching is case-sensitive and whole-word: a registry name is a spelling the user tagged, and
case-folding a body can change its length (``"İ".lower()`` is two code points), which would
shift every offset after it. Other spellings are aliases.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

import ahocorasick

from reader.annotate import registry
from reader.annotate.words import WORD, is_whole_word
from reader.library.errors import UsageError
from reader.library.records import Annotation, Changes

if TYPE_CHECKING:
    from reader.library.library import Library

#: The entity type of suggestions made from a page's own ticker rows.
TICKER_TYPE = "TICKER"

Reason = Literal["name", "alias", "ticker"]
_PRIORITY: dict[Reason, int] = {"name": 0, "alias": 1, "ticker": 2}


class Suggestion(NamedTuple):
    """A span the user may want to tag: ``body[start:end] == text``, as ``entity`` of ``type``.

    ``reason`` says where it came from: a registry ``name``, an ``alias`` of one, or one of the
    page's ``ticker`` symbols. (A named tuple: a long article has hundreds, made in the 10 ms
    budget, and a tuple is several times cheaper to create than a frozen dataclass.)
    """

    start: int
    end: int
    text: str
    type: str
    entity: str
    reason: Reason


# ------------------------------------------------------------------------ the matcher cache


@dataclass
class _Cache:
    quick: tuple[int, int, int]
    fingerprint: tuple[Any, ...]
    automaton: Any  # ahocorasick.Automaton, or None for an empty registry


_caches: weakref.WeakKeyDictionary[Library, _Cache] = weakref.WeakKeyDictionary()


def _quick_key(lib: Library) -> tuple[int, int, int]:
    data_version = lib.conn.execute("PRAGMA data_version").fetchone()[0]
    return registry.generation(lib), lib.conn.total_changes, data_version


def _fingerprint(lib: Library) -> tuple[Any, ...]:
    """Sizes and sums of the registry tables: changes when a name or alias is added, removed,
    moved or renamed to a different length (same-length renames made elsewhere are the one
    blind spot, and those made here bump the generation)."""
    row = lib.conn.execute(
        "SELECT (SELECT count(*) FROM entities), (SELECT max(id) FROM entities),"
        " (SELECT total(length(name)) FROM entities),"
        " (SELECT count(*) FROM entity_aliases), (SELECT total(length(alias)) FROM entity_aliases),"
        " (SELECT total(entity_id) FROM entity_aliases)"
    ).fetchone()
    return (registry.generation(lib), *tuple(row))


def _build(lib: Library) -> Any:
    """An automaton from every name and alias to ``(length, entity id, reason)``."""
    automaton = ahocorasick.Automaton()
    for entity_id, name in lib.conn.execute("SELECT id, name FROM entities"):
        automaton.add_word(name, (len(name), entity_id, "name"))
    for alias, entity_id in lib.conn.execute("SELECT alias, entity_id FROM entity_aliases"):
        if not automaton.exists(alias):  # a name wins over an alias of the same spelling
            automaton.add_word(alias, (len(alias), entity_id, "alias"))
    if len(automaton) == 0:
        return None
    automaton.make_automaton()
    return automaton


def matcher(lib: Library) -> Any:
    """The cached automaton for ``lib``'s registry (``None`` when the registry is empty)."""
    quick = _quick_key(lib)
    cache = _caches.get(lib)
    if cache is not None and cache.quick == quick:
        return cache.automaton
    fingerprint = _fingerprint(lib)
    if cache is not None and cache.fingerprint == fingerprint:
        cache.quick = quick
        return cache.automaton
    automaton = _build(lib)
    _caches[lib] = _Cache(quick, fingerprint, automaton)
    return automaton


# ------------------------------------------------------------------------------ suggesting


def suggestions(lib: Library, doc_id: int) -> list[Suggestion]:
    """Suggested mentions for a document, by position, none overlapping.

    Candidates are whole-word occurrences of registry names and aliases and of the page's
    ticker symbols (type ``TICKER``). Those overlapping an entity mention already made are
    dropped; of the rest, the longest win (a name over an alias over a ticker on the same span).
    A rejected candidate keeps its place but is not offered, so nothing else is underlined there.
    """
    conn = lib.conn
    body = lib.body(doc_id)
    size = len(body)
    known_types = {t.name for t in lib.entity_types()}
    # (start - end, start, priority, end, entity id or ticker symbol, reason): sorting these
    # tuples puts the longest first, then the leftmost, then the best reason.
    candidates: list[tuple[int, int, int, int, Any, Reason]] = []
    automaton = matcher(lib)
    if automaton is not None:
        word, priority = WORD, _PRIORITY
        for last, (length, entity_id, reason) in automaton.iter(body):
            # is_whole_word, inlined: this loop sees every raw match, most inside longer words
            s, e = last - length + 1, last + 1
            if s > 0 and word[body[s]] and word[body[s - 1]]:
                continue
            if e < size and word[body[last]] and word[body[e]]:
                continue
            candidates.append((-length, s, priority[reason], e, entity_id, reason))
    if TICKER_TYPE in known_types:
        symbols = [
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT symbol FROM tickers WHERE document_id = ?", (doc_id,)
            )
            if r[0]
        ]
        if symbols:
            tickers = ahocorasick.Automaton()
            for symbol in symbols:
                tickers.add_word(symbol, len(symbol))
            tickers.make_automaton()
            for last, length in tickers.iter(body):
                s, e = last - length + 1, last + 1
                if is_whole_word(body, s, e):
                    candidates.append((-length, s, _PRIORITY["ticker"], e, body[s:e], "ticker"))
    if not candidates:
        return []

    # One byte per code point: 1 where a mention is or a candidate was taken. Checking and
    # marking a span are then C-speed slice operations.
    taken = bytearray(size)
    for s, e in conn.execute(
        "SELECT start, end FROM annotations WHERE document_id = ? AND kind = 'entity'"
        " AND orphaned = 0",
        (doc_id,),
    ):
        if 0 <= s < e <= size:
            taken[s:e] = b"\x01" * (e - s)
    rejected = {
        (r[0], r[1])
        for r in conn.execute(
            "SELECT start, end, text FROM rejected_suggestions WHERE document_id = ?", (doc_id,)
        )
        if body[r[0] : r[1]] == r[2]  # a rejection whose text moved away is stale
    }

    entity_ids = list({c[4] for c in candidates if c[5] != "ticker"})
    entities: dict[int, tuple[str, str]] = {}
    if entity_ids:
        marks = ",".join("?" * len(entity_ids))
        entities = {
            r[0]: (r[1], r[2])
            for r in conn.execute(
                f"SELECT id, name, type FROM entities WHERE id IN ({marks})", entity_ids
            )
        }

    chosen: list[Suggestion] = []
    candidates.sort()
    for _, s, _, e, ref, reason in candidates:
        if taken.find(1, s, e) != -1:
            continue
        if reason == "ticker":
            entity, type_ = ref, TICKER_TYPE
        elif ref in entities:
            entity, type_ = entities[ref]
        else:
            continue  # the entity left the registry since the automaton was built
        if type_ not in known_types:
            continue
        taken[s:e] = b"\x01" * (e - s)
        if (s, e) not in rejected:
            chosen.append(Suggestion(s, e, body[s:e], type_, entity, reason))
    chosen.sort()
    return chosen


# ----------------------------------------------------------------------- accept and reject


def accept(lib: Library, doc_id: int, suggestion: Suggestion) -> Annotation:
    """Make a suggestion a mention (undo: ``Library.delete_annotation``) and remember it.

    Refused with :class:`UsageError` when the body no longer has the suggested text there.
    """
    _check_place(lib, doc_id, suggestion)
    annotation = lib.add_entity(
        doc_id, suggestion.start, suggestion.end, suggestion.type, suggestion.entity
    )
    registry.remember(lib, suggestion.entity, suggestion.type)
    return annotation


def reject(lib: Library, doc_id: int, suggestion: Suggestion) -> Changes:
    """Never offer anything at this place of this document again (undo: :func:`unreject`)."""
    _check_place(lib, doc_id, suggestion)
    stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
    with lib.transaction() as c:
        c.execute(
            "INSERT OR REPLACE INTO rejected_suggestions (document_id, start, end, text,"
            " rejected_at) VALUES (?, ?, ?, ?, ?)",
            (doc_id, suggestion.start, suggestion.end, suggestion.text, stamp),
        )
    return Changes(documents=(doc_id,))


def unreject(lib: Library, doc_id: int, suggestion: Suggestion) -> Changes:
    """Offer a rejected suggestion again (undo of :func:`reject`)."""
    with lib.transaction() as c:
        c.execute(
            "DELETE FROM rejected_suggestions WHERE document_id = ? AND start = ? AND end = ?",
            (doc_id, suggestion.start, suggestion.end),
        )
    return Changes(documents=(doc_id,))


def _check_place(lib: Library, doc_id: int, suggestion: Suggestion) -> None:
    body = lib.body(doc_id)
    if body[suggestion.start : suggestion.end] != suggestion.text:
        raise UsageError(
            f"the document {doc_id} no longer has {suggestion.text!r} at"
            f" {suggestion.start}–{suggestion.end}; open it again for fresh suggestions"
        )


def suggestion_counts(lib: Library, doc_ids: Iterable[int]) -> dict[int, int]:
    """How many suggestions each document has (for newly imported pages, in a worker)."""
    return {doc_id: len(suggestions(lib, doc_id)) for doc_id in doc_ids}
