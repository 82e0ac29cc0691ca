"""Carrying annotations over to another report of the same story.

:func:`copy_annotations` copies a document's **tags** and its **entity mentions** to another
document — typically a near-duplicate or another outlet's report found by the grouping — wherever
the mention's exact text occurs there as a whole word. A mention is placed, in order of
preference:

1. in the sentence of the target that :func:`~reader.stories.compare.compare_reports` aligns
   with the mention's sentence, at the occurrence nearest the same relative position;
2. else at the first whole-word occurrence of its text in the target not already used.

A mention whose text does not occur is reported, not copied; one the target already has (same
span, type and entity) is skipped. Highlights and notes are not copied: they are the reader's
comments on *that* page. Each copied mention is an ordinary annotation of the target, made with
:meth:`Library.add_entity`, so an undo can delete the returned annotations.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from reader.library.records import Annotation
from reader.stories.compare import Comparison, compare_reports, split_sentences

if TYPE_CHECKING:
    from reader.library.library import Library


@dataclass(frozen=True)
class CopyReport:
    """What :func:`copy_annotations` did."""

    tags: tuple[str, ...]  # tags the target did not have before
    copied: tuple[Annotation, ...]  # the new annotations of the target
    already: int  # mentions the target had already
    not_found: tuple[str, ...]  # texts of mentions that do not occur in the target


def _is_word_at(body: str, start: int, end: int) -> bool:
    before = body[start - 1] if start > 0 else " "
    after = body[end] if end < len(body) else " "
    return not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_")


def _occurrences(body: str, needle: str, lo: int = 0, hi: int | None = None) -> list[int]:
    hi = len(body) if hi is None else hi
    found, at = [], body.find(needle, lo, hi)
    while at >= 0:
        if _is_word_at(body, at, at + len(needle)):
            found.append(at)
        at = body.find(needle, at + 1, hi)
    return found


def place_mention(
    source: str, start: int, end: int, target: str, comparison: Comparison, used: set[int]
) -> int | None:
    """Where the mention ``source[start:end]`` goes in ``target`` (its start), or None."""
    needle = source[start:end]
    sentence = next(((s, e) for s, e in split_sentences(source) if s <= start < e), None)
    if sentence is not None:
        counterpart = comparison.counterpart(sentence)
        if counterpart is not None:
            offset = start - sentence[0]
            near = [at for at in _occurrences(target, needle, *counterpart) if at not in used]
            if near:
                return min(near, key=lambda at: abs((at - counterpart[0]) - offset))
    rest = [at for at in _occurrences(target, needle) if at not in used]
    return rest[0] if rest else None


def copy_annotations(lib: Library, from_doc: int, to_doc: int) -> CopyReport:
    """Copy ``from_doc``'s tags and entity mentions to ``to_doc`` (see the module docstring).

    Unknown documents: :class:`~reader.library.errors.UsageError`.
    """
    source = lib.document(from_doc)
    target = lib.document(to_doc)
    new_tags = tuple(t for t in source.tags if t not in target.tags)
    if new_tags:
        lib.tag(to_doc, new_tags)
    comparison = compare_reports(source.body, target.body)
    have = {(a.start, a.end, a.type, a.entity) for a in target.entities}
    used: set[int] = set()
    copied: list[Annotation] = []
    already = 0
    not_found: list[str] = []
    for mention in source.entities:
        if mention.orphaned:
            continue
        at = place_mention(source.body, mention.start, mention.end, target.body, comparison, used)
        if at is None:
            not_found.append(mention.text)
            continue
        end = at + (mention.end - mention.start)
        used.add(at)
        if (at, end, mention.type, mention.entity) in have:
            already += 1
            continue
        assert mention.type is not None
        copied.append(lib.add_entity(to_doc, at, end, mention.type, mention.entity))
    return CopyReport(new_tags, tuple(copied), already, tuple(not_found))
