"""The document list grouped by story: what the window's grouped list asks of the library."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.library.library import Library
from reader.library.records import DocumentFilter
from reader.stories.grouping import update_stories
from reader.stories.queries import (
    GroupedDocuments,
    StoryGroup,
    group_by_story,
    stories,
    stories_by_id,
)

from .common import FERRY, TRAM, names


@pytest.fixture
def grouped(lib: Library, stories_dump: Path) -> Library:
    update_stories(lib, lib.import_paths([stories_dump]).document_ids)
    return lib


def _stories(groups: GroupedDocuments) -> list[StoryGroup]:
    return [e for e in groups if isinstance(e, StoryGroup)]


@pytest.mark.parametrize("scan_above", [0, 10_000])  # one pass over every story, or by ids
def test_every_document_once_stories_where_their_first_member_was(
    grouped: Library, scan_above: int
) -> None:
    ids = grouped.document_ids(order="title")
    found = group_by_story(grouped, ids, scan_above=scan_above)
    by_name = names(grouped)
    ferry, tram = {by_name[n] for n in FERRY}, {by_name[n] for n in TRAM}
    groups = _stories(found)
    assert [set(g.documents) for g in sorted(groups, key=lambda g: g.story_id)] == [ferry, tram]
    assert found.story_count == 2
    # each document appears once: on its own or in its story
    shown = [d for e in found for d in (e.documents if isinstance(e, StoryGroup) else (e,))]
    assert sorted(shown) == sorted(ids)
    # a story sits where its first member in the list's order was
    for g in groups:
        row = found.row_of_story(g.story_id)
        assert row is not None
        before = [e for e in found.entries[:row] if isinstance(e, int)]
        first_at = min(ids.index(d) for d in g.documents)
        assert all(ids.index(d) < first_at for d in before)
    # members in story order (dated first, by date), the lead is the first report
    reference = {s.id: s for s in stories(grouped)}
    for g in groups:
        assert g.documents == reference[g.story_id].document_ids
        first = next(m for m in reference[g.story_id].members if m.link == "first")
        assert g.lead == first.document_id
        assert g.matching == frozenset(g.documents)


def test_a_filter_keeps_a_story_whole_when_one_member_matches(grouped: Library) -> None:
    by_name = names(grouped)
    ids = grouped.document_ids(DocumentFilter(source="Reuters"))
    found = group_by_story(grouped, ids)
    ferry = next(g for g in _stories(found) if by_name["wire_20240514_0007.txt"] in g.documents)
    assert set(ferry.documents) == {by_name[n] for n in FERRY}
    assert ferry.matching < frozenset(ferry.documents)
    assert ferry.matching == frozenset(ids) & frozenset(ferry.documents)
    # the lead is a member that matches
    assert ferry.lead in ferry.matching
    # the tram story has no member from Reuters: absent
    assert all(by_name["dunmore-tram-vote.txt"] not in g.documents for g in _stories(found))


def test_locating_documents(grouped: Library) -> None:
    by_name = names(grouped)
    found = group_by_story(grouped, grouped.document_ids())
    wire = by_name["wire_20240514_0007.txt"]
    row, child = found.locate(wire)
    g = found.entries[row]
    assert isinstance(g, StoryGroup) and g.documents[child] == wire
    assert found.group(g.story_id) is g
    assert found.story_id_of(wire) == g.story_id
    loose = by_name["005_9a4d17c2f6be0e83.txt"]
    row, child = found.locate(loose)
    assert child is None and found.entries[row] == loose
    assert found.story_id_of(loose) is None
    assert found.locate(999_999) is None
    assert found.row_of_story(999_999) is None and found.group(999_999) is None


def test_no_stories_leaves_the_list_as_it_is(lib: Library, stories_dump: Path) -> None:
    ids = lib.import_paths([stories_dump]).document_ids
    found = group_by_story(lib, ids)
    assert list(found) == list(ids) and found.story_count == 0
    assert group_by_story(lib, []) == GroupedDocuments()


def test_stories_by_id_keeps_the_order_asked(grouped: Library) -> None:
    ids = [s.id for s in stories(grouped)]
    assert [s.id for s in stories_by_id(grouped, list(reversed(ids)))] == list(reversed(ids))
    assert stories_by_id(grouped, [999]) == []
