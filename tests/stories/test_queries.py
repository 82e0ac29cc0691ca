"""Reading stories back: the calls the window's story views will make."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.library.errors import UsageError
from reader.library.library import Library
from reader.stories.grouping import update_stories
from reader.stories.queries import stories, story, story_documents, story_ids, story_of

from .common import FERRY, TRAM, names


@pytest.fixture
def grouped(lib: Library, stories_dump: Path) -> Library:
    update_stories(lib, lib.import_paths([stories_dump]).document_ids)
    return lib


def test_stories_and_their_members(grouped: Library) -> None:
    found = stories(grouped)
    ids = names(grouped)
    assert [set(s.document_ids) for s in found] == [
        {ids[n] for n in FERRY},
        {ids[n] for n in TRAM},
    ]
    ferry = found[0]
    assert (ferry.first_date, ferry.last_date) == ("2024-05-14", "2024-05-16")
    assert [m.date for m in ferry.members] == sorted(m.date for m in ferry.members)
    wire = next(m for m in ferry.members if m.document_id == ids["wire_20240514_0007.txt"])
    assert (wire.date, wire.date_from, wire.source) == ("2024-05-14", "page", "Reuters")
    ticker = next(m for m in ferry.members if m.document_id == ids["003_5be1c0a7d2e94f16.txt"])
    assert (ticker.date_from, ticker.dateline) == ("path", "PORT CALLAN")
    assert all(Path(p).is_absolute() for m in ferry.members for p in m.paths)
    assert ferry.title in {m.title for m in ferry.members}


def test_story_of_and_also_reported_by(grouped: Library) -> None:
    ids = names(grouped)
    wire = ids["wire_20240514_0007.txt"]
    found = story_of(grouped, wire)
    assert found is not None
    assert {m.document_id for m in found.others(wire)} == {ids[n] for n in FERRY} - {wire}
    assert story_of(grouped, ids["005_9a4d17c2f6be0e83.txt"]) is None
    with pytest.raises(UsageError):
        story_of(grouped, 999)


def test_story_ids_for_a_page_of_the_document_list(grouped: Library) -> None:
    ids = names(grouped)
    mapping = story_ids(grouped, grouped.document_ids())
    assert set(mapping) == {ids[n] for n in FERRY | TRAM}
    assert len(set(mapping.values())) == 2


def test_story_and_its_documents(grouped: Library) -> None:
    first = stories(grouped)[0]
    assert story(grouped, first.id) == first
    assert story_documents(grouped, first.id) == list(first.members)
    with pytest.raises(UsageError, match="no story 999"):
        story(grouped, 999)


def test_json_shape(grouped: Library) -> None:
    data = stories(grouped)[0].as_json()
    assert list(data) == ["id", "title", "first_date", "last_date", "size", "documents"]
    assert list(data["documents"][0]) == [
        "id",
        "title",
        "date",
        "date_from",
        "source",
        "dateline",
        "paths",
        "link",
        "score",
        "joined_via",
    ]


def test_an_empty_library_has_no_stories(lib: Library) -> None:
    assert stories(lib) == [] and story_ids(lib, []) == {}
