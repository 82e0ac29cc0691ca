"""Reading stories back: what the command line lists and the window will show.

Everything here reads; :mod:`reader.stories.grouping` writes. Stories hold two or more
documents; a document in no story is simply absent (``story_of`` returns None).

The window's parts map onto these calls: the group-by-story document list on
:func:`story_ids` (one query for a page of ids), "Also reported by" on :func:`story_of`, the
story list on :func:`stories`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reader.library.errors import UsageError

if TYPE_CHECKING:
    from reader.library.library import Library


@dataclass(frozen=True)
class StoryMember:
    """One document of a story, with how it joined."""

    document_id: int
    title: str
    date: str | None  # the page's own date, else the date of its path (see stories.dates)
    date_from: str | None  # "page", "path", or None when undated
    source: str | None
    dateline: str | None
    paths: tuple[str, ...]
    link: str  # "first", "near-duplicate" or "same-event"
    score: float | None  # similarity to joined_via (None for the first)
    joined_via: int | None

    def as_json(self) -> dict:
        return {
            "id": self.document_id,
            "title": self.title,
            "date": self.date,
            "date_from": self.date_from,
            "source": self.source,
            "dateline": self.dateline,
            "paths": list(self.paths),
            "link": self.link,
            "score": self.score,
            "joined_via": self.joined_via,
        }


@dataclass(frozen=True)
class Story:
    """Pages reporting one event: members by date (undated last), then id."""

    id: int
    members: tuple[StoryMember, ...]
    created_at: str | None = None
    updated_at: str | None = None

    @property
    def title(self) -> str:
        """The title of the page the story started from."""
        first = next((m for m in self.members if m.link == "first"), self.members[0])
        return first.title

    @property
    def first_date(self) -> str | None:
        return min((m.date for m in self.members if m.date), default=None)

    @property
    def last_date(self) -> str | None:
        return max((m.date for m in self.members if m.date), default=None)

    @property
    def document_ids(self) -> tuple[int, ...]:
        return tuple(m.document_id for m in self.members)

    def others(self, doc_id: int) -> tuple[StoryMember, ...]:
        """The members other than ``doc_id``: "Also reported by"."""
        return tuple(m for m in self.members if m.document_id != doc_id)

    def as_json(self) -> dict:
        """One element of ``reader stories --json``."""
        return {
            "id": self.id,
            "title": self.title,
            "first_date": self.first_date,
            "last_date": self.last_date,
            "size": len(self.members),
            "documents": [m.as_json() for m in self.members],
        }


def story_ids(lib: Library, doc_ids: Sequence[int]) -> dict[int, int]:
    """The story of each of ``doc_ids`` that is in one: {document id: story id}."""
    out: dict[int, int] = {}
    cur = lib.conn.cursor()
    cur.row_factory = None
    for start in range(0, len(doc_ids), 500):
        chunk = list(doc_ids[start : start + 500])
        marks = ",".join("?" * len(chunk))
        out.update(
            cur.execute(
                "SELECT m.document_id, m.story_id FROM story_members m"
                " JOIN story_members o"
                " ON o.story_id = m.story_id AND o.document_id != m.document_id"
                f" WHERE m.document_id IN ({marks}) GROUP BY m.document_id",
                chunk,
            ).fetchall()
        )
    return out


def story_of(lib: Library, doc_id: int) -> Story | None:
    """The story ``doc_id`` belongs to, or None. Unknown document: :class:`UsageError`."""
    lib.body(doc_id)  # raises UsageError for an unknown id
    story = story_ids(lib, [doc_id]).get(doc_id)
    return None if story is None else _stories(lib, [story])[0]


def story_documents(lib: Library, story_id: int) -> list[StoryMember]:
    """The members of a story. Unknown story: :class:`UsageError`."""
    return list(story(lib, story_id).members)


def story(lib: Library, story_id: int) -> Story:
    """One story. Unknown story (or one left with a single document): :class:`UsageError`."""
    found = _stories(lib, [story_id])
    if not found:
        raise UsageError(f"there is no story {story_id} (see `reader stories`)")
    return found[0]


def stories(lib: Library) -> list[Story]:
    """Every story, by id (the order they were found in)."""
    ids = [
        r[0]
        for r in lib.conn.execute(
            "SELECT story_id FROM story_members GROUP BY story_id HAVING count(*) >= 2"
            " ORDER BY story_id"
        )
    ]
    return _stories(lib, ids)


def _stories(lib: Library, story_ids_: Sequence[int]) -> list[Story]:
    if not story_ids_:
        return []
    cur = lib.conn.cursor()
    cur.row_factory = None
    rows: list[tuple] = []
    for start in range(0, len(story_ids_), 500):
        chunk = list(story_ids_[start : start + 500])
        marks = ",".join("?" * len(chunk))
        rows.extend(
            cur.execute(
                "SELECT m.story_id, m.document_id, m.link, m.score, m.joined_via, d.title,"
                " d.date, s.date, d.source, d.dateline, st.created_at, st.updated_at"
                " FROM story_members m JOIN documents d ON d.id = m.document_id"
                " JOIN stories st ON st.id = m.story_id"
                " LEFT JOIN document_signatures s ON s.document_id = m.document_id"
                f" WHERE m.story_id IN ({marks})",
                chunk,
            ).fetchall()
        )
    paths: dict[int, list[str]] = {}
    doc_ids = [r[1] for r in rows]
    for start in range(0, len(doc_ids), 500):
        chunk = doc_ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for doc_id, path in cur.execute(
            f"SELECT document_id, path FROM paths WHERE document_id IN ({marks}) ORDER BY path",
            chunk,
        ):
            paths.setdefault(doc_id, []).append(path)
    members: dict[int, list[StoryMember]] = {}
    stamps: dict[int, tuple[str | None, str | None]] = {}
    for (
        story_id,
        doc_id,
        link,
        score,
        via,
        title,
        own_date,
        read_date,
        source,
        dateline,
        created,
        updated,
    ) in rows:
        date = own_date or read_date
        members.setdefault(story_id, []).append(
            StoryMember(
                document_id=doc_id,
                title=title,
                date=date,
                date_from=("page" if own_date else "path") if date else None,
                source=source,
                dateline=dateline,
                paths=tuple(paths.get(doc_id, ())),
                link=link,
                score=score,
                joined_via=via,
            )
        )
        stamps[story_id] = (created, updated)
    out = []
    for story_id in story_ids_:
        found = members.get(story_id, [])
        if len(found) < 2:
            continue  # a story whose other members were deleted is no story
        found.sort(key=lambda m: (m.date is None, m.date or "", m.document_id))
        out.append(Story(story_id, tuple(found), *stamps[story_id]))
    return out
