"""Reading stories back: what the command line lists and the window will show.

Everything here reads; :mod:`reader.stories.grouping` writes. Stories hold two or more
documents; a document in no story is simply absent (``story_of`` returns None).

The window's parts map onto these calls: the document list grouped by story on
:func:`group_by_story` (the list's filtered, sorted ids gathered into stories, on the list's
query thread) and :func:`stories_by_id` (the stories of the rows in view, a page at a time),
"Also reported by" on :func:`story_of`, the story list on :func:`stories`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from reader.library.errors import UsageError, classify

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


def stories_by_id(lib: Library, story_ids_: Sequence[int]) -> list[Story]:
    """The stories of ``story_ids_`` that still hold two or more documents, in that order.

    What the grouped document list fetches for the rows in view (a page of ids at a time).
    """
    try:
        return _stories(lib, story_ids_)
    except sqlite3.Error as error:
        raise classify(error, lib.path) from error


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


# ------------------------------------------------------------------ the list grouped by story


class StoryGroup(NamedTuple):
    """One story as a row of the document list grouped by story.

    ``documents`` holds every member in story order (dated first, by date, then id), also the
    ones the list's filter leaves out: a story is shown whole, so "3 reports" means three.
    ``matching`` holds the members that passed the filter. ``lead`` is the document the row
    stands for (selecting the row opens it): the story's first report when it passed the
    filter, else the member that put the story where it is in the list.

    (A named tuple: 10,000 of them are made for every answer of a large list.)
    """

    story_id: int
    documents: tuple[int, ...]
    lead: int
    matching: frozenset[int]


class GroupedDocuments:
    """The document list's ids, gathered into stories.

    ``entries`` keeps the list's order: a document in no story is its own entry (an ``int``);
    a story is one :class:`StoryGroup`, placed where its first member in the list was.
    ``keys`` is the same as ints, a story as its id negated (the rows of a list with every
    story collapsed). Lookups by document and by story are dictionaries. All of it is built
    once, on the list's query thread.
    """

    __slots__ = ("entries", "keys", "_rows", "_story_rows", "_story_of", "_groups")

    def __init__(self, entries: Sequence[int | StoryGroup] = ()) -> None:
        self.entries: tuple[int | StoryGroup, ...] = tuple(entries)
        groups = [(row, e) for row, e in enumerate(self.entries) if isinstance(e, StoryGroup)]
        self._groups: dict[int, StoryGroup] = {g.story_id: g for _row, g in groups}
        self._story_rows: dict[int, int] = {g.story_id: row for row, g in groups}
        self._story_of: dict[int, int] = {d: g.story_id for _row, g in groups for d in g.documents}
        keys = [e if isinstance(e, int) else 0 for e in self.entries]
        for row, g in groups:
            keys[row] = -g.story_id
        self.keys: tuple[int, ...] = tuple(keys)
        self._rows: dict[int, int] | None = None  # document in no story -> row, when asked

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[int | StoryGroup]:
        return iter(self.entries)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GroupedDocuments) and self.entries == other.entries

    __hash__ = None  # type: ignore[assignment]

    @property
    def story_count(self) -> int:
        return len(self._groups)

    def row_of_story(self, story_id: int) -> int | None:
        return self._story_rows.get(story_id)

    def group(self, story_id: int) -> StoryGroup | None:
        return self._groups.get(story_id)

    def story_id_of(self, doc_id: int) -> int | None:
        """The story ``doc_id`` is shown under (None: a row of its own, or not listed)."""
        return self._story_of.get(doc_id)

    def locate(self, doc_id: int) -> tuple[int, int | None] | None:
        """Where ``doc_id`` is shown: (row, None) for a document in no story, (the story's
        row, the row under it) for a member of a story; None when the list leaves it out."""
        story_id = self._story_of.get(doc_id)
        if story_id is not None:
            return self._story_rows[story_id], self._groups[story_id].documents.index(doc_id)
        if self._rows is None:
            self._rows = {k: row for row, k in enumerate(self.keys) if k > 0}
        row = self._rows.get(doc_id)
        return None if row is None else (row, None)


#: Above this many ids the grouping reads every story's members in one pass instead of
#: asking for the stories of the ids (a chunked ``IN`` over 100,000 ids is the slower way).
SCAN_ABOVE = 2000


def group_by_story(
    lib: Library, ids: Sequence[int], *, scan_above: int = SCAN_ABOVE
) -> GroupedDocuments:
    """``ids`` (the document list: filtered and sorted) with each story's documents gathered
    into one :class:`StoryGroup` where its first member was; documents in no story stay as they
    are. A story with a member among ``ids`` brings all its members (see :class:`StoryGroup`).

    Reads integers and dates only (titles come later, for the rows in view, from
    :func:`stories_by_id`): 100,000 ids with 10,000 stories take a fifth of a second on a
    small machine.
    """
    listed = set(ids)
    try:
        members = _members(lib, ids, listed, scan_above)
    except sqlite3.Error as error:
        raise classify(error, lib.path) from error
    if not members:
        return GroupedDocuments(ids)
    story_of = {doc_id: story_id for story_id, rows in members.items() for doc_id, _l in rows}
    placed: dict[int, tuple[int, int]] = {}  # story id -> (its row, the document placing it)
    entries: list[int | StoryGroup] = []
    append, get = entries.append, story_of.get
    for doc_id in ids:
        story_id = get(doc_id)
        if story_id is None:
            append(doc_id)
        elif story_id not in placed:
            placed[story_id] = (len(entries), doc_id)
            append(doc_id)  # replaced by the story below
    for story_id, (row, placer) in placed.items():
        rows = members[story_id]
        documents = tuple(d for d, _link in rows)
        first = next((d for d, link in rows if link == "first"), documents[0])
        matching = listed.intersection(documents)
        entries[row] = StoryGroup(
            story_id, documents, first if first in matching else placer, frozenset(matching)
        )
    return GroupedDocuments(entries)


_MEMBERS = (
    "SELECT m.story_id, m.document_id, m.link, coalesce(d.date, s.date)"
    " FROM story_members m JOIN documents d ON d.id = m.document_id"
    " LEFT JOIN document_signatures s ON s.document_id = m.document_id"
)


def _members(
    lib: Library, ids: Sequence[int], listed: set[int], scan_above: int
) -> dict[int, list[tuple[int, str]]]:
    """{story id: [(document, link)] in story order} for the stories (of two or more
    documents) that hold one of ``ids`` (``listed`` is the same, as a set)."""
    cur = lib.conn.cursor()
    cur.row_factory = None
    found: dict[int, list[tuple[str, int, str]]] = {}  # story -> [(date, document, link)]
    if len(ids) > scan_above:
        rows = cur.execute(_MEMBERS).fetchall()
    else:
        stories_: set[int] = set()
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            marks = ",".join("?" * len(chunk))
            stories_.update(
                r[0]
                for r in cur.execute(
                    f"SELECT story_id FROM story_members WHERE document_id IN ({marks})", chunk
                )
            )
        wanted = sorted(stories_)
        rows = []
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows.extend(cur.execute(f"{_MEMBERS} WHERE m.story_id IN ({marks})", chunk))
    for story_id, doc_id, link, date in rows:
        # sorts as the story does: dated first (by date), then by id
        found.setdefault(story_id, []).append((date or "\uffff", doc_id, link))
    out = {}
    for story_id, members in found.items():
        if len(members) < 2 or listed.isdisjoint(m[1] for m in members):
            continue  # a story whose other members were deleted is no story
        members.sort()
        out[story_id] = [(doc_id, link) for _date, doc_id, link in members]
    return out
