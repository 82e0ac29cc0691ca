"""The entity registry: every entity the user has tagged, with its type and aliases.

Mentions keep their canonical entity name in ``annotations.entity``; the registry (tables
``entities`` and ``entity_aliases``) remembers names across documents, so that new pages get
suggestions (:mod:`reader.annotate.suggest`) and the entity browser can list, merge, rename and
retype entities. Names are unique without regard to ASCII case (the table's ``NOCASE`` index),
which is also how mentions are matched to their entity.

Edits that touch many rows (merge, rename, retype, alias changes) return an :class:`EntityEdit`:
a snapshot of the registry rows and mention fields they changed, so that one
:func:`undo_edit` (``unmerge`` for a merge) puts everything back in one transaction. The window
wraps each in one ``QUndoCommand``.

Functions take the :class:`~reader.library.library.Library` and use its connection; none keeps
state between calls except a per-library generation counter that tells the suggestion cache the
registry changed.
"""

from __future__ import annotations

import json
import re
import sqlite3
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Literal

from reader.annotate.words import normalise_name
from reader.library.errors import UsageError
from reader.library.records import Annotation, Changes

if TYPE_CHECKING:
    from reader.library.library import Library

_generations: weakref.WeakKeyDictionary[Library, int] = weakref.WeakKeyDictionary()

#: Sort keys of the entity browser, mapped to SQL over the rows of :func:`entities`.
ENTITY_ORDERS = {
    "name": "name COLLATE NOCASE",
    "type": "type",
    "mentions": "mentions",
    "documents": "documents",
}

_SPACE = re.compile(r"\s+")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def generation(lib: Library) -> int:
    """A counter bumped by every registry change made through this module on ``lib``.

    The suggestion cache combines it with a fingerprint read from the file, so that edits which
    keep the table sizes (a rename, a retype) also rebuild the matcher.
    """
    return _generations.get(lib, 0)


def _bump(lib: Library) -> None:
    _generations[lib] = _generations.get(lib, 0) + 1


def _check_type(lib: Library, type_: str) -> None:
    known = [t.name for t in lib.entity_types()]
    if type_ not in known:
        raise UsageError(f"unknown entity type {type_!r}; known types: {', '.join(known)}")


# ------------------------------------------------------------------------------ values


@dataclass(frozen=True)
class EntityInfo:
    """One row of the entity browser."""

    name: str
    type: str
    aliases: tuple[str, ...]
    mentions: int  # entity annotations naming it, orphaned ones included
    documents: int  # documents with at least one such mention
    id: int | None = None  # registry id; None when only mentions know the name (tagged earlier)


@dataclass(frozen=True)
class EntityEdit:
    """What a registry edit changed, enough for :func:`undo_edit` to put it back.

    ``entity_ids`` are the registry rows involved before and after (rows created by the edit
    included, so undo removes them); the ``*_before`` fields are their state before the edit.
    """

    kind: Literal["merge", "rename", "type", "alias", "forget"]
    description: str  # for the Undo menu item, e.g. 'Merge "Acme" into "Acme Corp"'
    entity_ids: tuple[int, ...]
    entities_before: tuple[tuple[int, str, str, str | None], ...]  # id, name, type, created_at
    aliases_before: tuple[tuple[str, int], ...]  # alias, entity id
    mentions_before: tuple[tuple[int, str | None, str | None], ...]  # annotation id, entity, type
    documents: tuple[int, ...]  # documents whose mentions changed

    @property
    def changes(self) -> Changes:
        return Changes(documents=self.documents, annotations=bool(self.mentions_before))


#: The result of :func:`merge_entities`; :func:`unmerge` takes it back.
MergeResult = EntityEdit


@dataclass(frozen=True)
class KwicLine:
    """One mention in context (keyword in context): ``left``, ``match``, ``right`` on one line.

    White space in the context is shown as single spaces so every line is one line. For an
    orphaned mention the context is its stored quote, since its offsets no longer point into the
    body; ``start``/``end`` are where it was.
    """

    doc_id: int
    title: str
    date: str | None
    source: str | None
    annotation_id: int
    left: str
    match: str
    right: str
    start: int
    end: int
    orphaned: bool = False


# ----------------------------------------------------------------------------- lookups


def _find(conn: sqlite3.Connection, name: str) -> sqlite3.Row | None:
    return conn.execute(
        "SELECT id, name, type, created_at FROM entities WHERE name = ? COLLATE NOCASE", (name,)
    ).fetchone()


def _alias_owner(conn: sqlite3.Connection, alias: str) -> sqlite3.Row | None:
    """The entity an alias belongs to: an exact match first, then one without ASCII case."""
    sql = (
        "SELECT e.id, e.name, e.type, e.created_at FROM entity_aliases a"
        " JOIN entities e ON e.id = a.entity_id WHERE a.alias = ?"
    )
    row = conn.execute(sql, (alias,)).fetchone()
    if row is None:
        row = conn.execute(sql + " COLLATE NOCASE ORDER BY a.alias LIMIT 1", (alias,)).fetchone()
    return row


def canonical(lib: Library, name: str) -> str | None:
    """The registry's canonical name for ``name`` (a name or an alias), or ``None``."""
    name = normalise_name(name)
    row = _find(lib.conn, name) or _alias_owner(lib.conn, name)
    return row["name"] if row else None


def _mention_type(conn: sqlite3.Connection, name: str) -> str | None:
    row = conn.execute(
        "SELECT type, count(*) AS n FROM annotations WHERE kind = 'entity'"
        " AND entity = ? COLLATE NOCASE AND type IS NOT NULL GROUP BY type ORDER BY n DESC, type"
        " LIMIT 1",
        (name,),
    ).fetchone()
    return row["type"] if row else None


# ---------------------------------------------------------------------------- remember


def remember_in(conn: sqlite3.Connection, name: str, type: str, aliases: Iterable[str] = ()) -> str:
    """:func:`remember` inside the caller's open transaction (for ``Library`` itself).

    Returns the canonical name. Does not check ``type`` against the entity types.
    """
    name = normalise_name(name)
    if not name:
        raise UsageError("an entity needs a name")
    row = _find(conn, name) or _alias_owner(conn, name)
    if row is None:
        cur = conn.execute(
            "INSERT INTO entities (name, type, created_at) VALUES (?, ?, ?)", (name, type, _now())
        )
        entity_id, canonical_name = cur.lastrowid, name
    else:
        entity_id, canonical_name = row["id"], row["name"]
    for alias in aliases:
        alias = normalise_name(alias)
        if not alias or alias.casefold() == canonical_name.casefold():
            continue
        if _find(conn, alias) is not None:
            continue  # another entity's name: two entities stay two until merged
        conn.execute(
            "INSERT OR IGNORE INTO entity_aliases (alias, entity_id) VALUES (?, ?)",
            (alias, entity_id),
        )
    return canonical_name


def remember(lib: Library, name: str, type: str, aliases: Iterable[str] = ()) -> str:
    """Make sure the registry knows ``name`` (called whenever a mention is made): an upsert.

    A new name is added with ``type``. A known name, or an alias of a known entity, resolves to
    that entity and keeps its type: one mention tagged differently must not retype an entity
    whose type drives suggestions library-wide (:func:`set_entity_type` does that on purpose).
    New ``aliases`` are added unless they are already another entity's name or alias. Returns
    the canonical name, which is what the mention's ``entity`` should be.
    """
    _check_type(lib, type)
    aliases = list(aliases)
    before = lib.conn.total_changes
    with lib.transaction() as c:
        result = remember_in(c, name, type, aliases)
    if lib.conn.total_changes != before:  # a known name must not make suggestions rebuild
        _bump(lib)
    return result


# ------------------------------------------------------------------------------ listing


_ROWS = """
WITH m AS (
  SELECT entity AS name, min(type) AS type, count(*) AS mentions,
         count(DISTINCT document_id) AS documents
  FROM annotations WHERE kind = 'entity' AND entity IS NOT NULL
  GROUP BY entity COLLATE NOCASE
),
rows AS (
  SELECT e.id AS id, e.name AS name, e.type AS type,
         coalesce(m.mentions, 0) AS mentions, coalesce(m.documents, 0) AS documents
  FROM entities e LEFT JOIN m ON m.name = e.name COLLATE NOCASE
  UNION ALL
  SELECT NULL, m.name, m.type, m.mentions, m.documents FROM m
  WHERE NOT EXISTS (SELECT 1 FROM entities e WHERE e.name = m.name COLLATE NOCASE)
)
"""


def _entity_where(search: str | None, type_: str | None) -> tuple[str, list[object]]:
    clauses, params = [], []
    if search:
        pattern = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        clauses.append(
            "(r.name LIKE ? ESCAPE '\\' OR r.id IN (SELECT entity_id FROM entity_aliases"
            " WHERE alias LIKE ? ESCAPE '\\'))"
        )
        params += [pattern, pattern]
    if type_:
        clauses.append("r.type = ?")
        params.append(type_)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def entities(
    lib: Library,
    *,
    search: str | None = None,
    type: str | None = None,
    order: str = "name",
    descending: bool = False,
    limit: int | None = None,
    offset: int = 0,
) -> list[EntityInfo]:
    """Every entity in the library, registered or only mentioned, with counts, sorted in SQL.

    ``search`` matches part of a name or an alias (LIKE, ASCII case-insensitive); ``type``
    narrows to one type; ``order`` is one of :data:`ENTITY_ORDERS`, ties broken by name.
    """
    if order not in ENTITY_ORDERS:
        raise UsageError(f"unknown sort order {order!r}; use one of {', '.join(ENTITY_ORDERS)}")
    where, params = _entity_where(search, type)
    direction = "DESC" if descending else "ASC"
    sql = (
        _ROWS + "SELECT r.id, r.name, r.type, r.mentions, r.documents,"
        " (SELECT json_group_array(alias) FROM (SELECT alias FROM entity_aliases"
        "  WHERE entity_id = r.id ORDER BY alias COLLATE NOCASE)) AS aliases"
        f" FROM rows r{where} ORDER BY {ENTITY_ORDERS[order]} {direction},"
        f" r.name COLLATE NOCASE {direction}"
    )
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params += [limit, offset]
    return [
        EntityInfo(
            name=r["name"],
            type=r["type"],
            aliases=tuple(json.loads(r["aliases"])) if r["id"] is not None else (),
            mentions=r["mentions"],
            documents=r["documents"],
            id=r["id"],
        )
        for r in lib.conn.execute(sql, params)
    ]


def count_entities(lib: Library, *, search: str | None = None, type: str | None = None) -> int:
    """How many rows :func:`entities` would return (for a paging model)."""
    where, params = _entity_where(search, type)
    return lib.conn.execute(_ROWS + f"SELECT count(*) FROM rows r{where}", params).fetchone()[0]


def entity_info(lib: Library, name: str) -> EntityInfo | None:
    """One entity by name (or alias), or ``None``."""
    name = normalise_name(name)
    target = canonical(lib, name) or name
    for info in entities(lib, search=target):
        if info.name.casefold() == target.casefold():
            return info
    return None


def entity_documents(lib: Library, name: str) -> list[int]:
    """Ids of the documents that mention ``name`` (its canonical name), ascending."""
    return [
        r[0]
        for r in lib.conn.execute(
            "SELECT DISTINCT document_id FROM annotations WHERE kind = 'entity'"
            " AND entity = ? COLLATE NOCASE ORDER BY document_id",
            (normalise_name(name),),
        )
    ]


def mentions_in_context(
    lib: Library, name: str, width: int = 60, *, limit: int | None = None, offset: int = 0
) -> list[KwicLine]:
    """Every mention of ``name`` with ``width`` characters of body either side (KWIC).

    Ordered by document date (undated last), document and position. The context is cut from the
    body in SQL (``substr`` counts code points like our offsets), so only the lines travel, not
    the bodies.
    """
    # The page of mentions is chosen first; only its lines are cut from bodies.
    page = (
        "SELECT a.id AS id, d.date IS NULL AS undated, d.date AS date FROM annotations a"
        " JOIN documents d ON d.id = a.document_id"
        " WHERE a.kind = 'entity' AND a.entity = :name COLLATE NOCASE"
        " ORDER BY undated, date, a.document_id, a.start, a.id"
    )
    params: dict[str, object] = {"w": width, "name": normalise_name(name)}
    if limit is not None:
        page += " LIMIT :limit OFFSET :offset"
        params.update(limit=limit, offset=offset)
    sql = (
        "SELECT a.id, a.document_id, a.start, a.end, a.orphaned, a.exact, a.prefix, a.suffix,"
        " d.title, d.date, d.source,"
        " substr(t.body, max(a.start - :w, 0) + 1, a.start - max(a.start - :w, 0)) AS lft,"
        " substr(t.body, a.start + 1, a.end - a.start) AS mid,"
        " substr(t.body, a.end + 1, :w) AS rgt"
        f" FROM ({page}) p JOIN annotations a ON a.id = p.id"
        " JOIN documents d ON d.id = a.document_id"
        " JOIN document_bodies t ON t.document_id = a.document_id"
        " ORDER BY p.undated, p.date, a.document_id, a.start, a.id"
    )
    lines = []
    for r in lib.conn.execute(sql, params):
        orphaned = bool(r["orphaned"])
        if orphaned:
            left, mid, right = (r["prefix"] or "")[-width:], r["exact"], (r["suffix"] or "")[:width]
        else:
            left, mid, right = r["lft"], r["mid"], r["rgt"]
        lines.append(
            KwicLine(
                doc_id=r["document_id"],
                title=r["title"],
                date=r["date"],
                source=r["source"],
                annotation_id=r["id"],
                left=_SPACE.sub(" ", left),
                match=_SPACE.sub(" ", mid),
                right=_SPACE.sub(" ", right),
                start=r["start"],
                end=r["end"],
                orphaned=orphaned,
            )
        )
    return lines


def orphans(lib: Library, doc_id: int | None = None) -> list[Annotation]:
    """Annotations whose quote was not found after a re-import, by document and old position.

    Their ``text``, ``prefix`` and ``suffix`` are the old quote. Re-attach one with
    ``Library.reattach_annotation`` or delete it with ``Library.delete_annotation``.
    """
    sql = "SELECT * FROM annotations WHERE orphaned = 1"
    params: tuple[int, ...] = ()
    if doc_id is not None:
        sql += " AND document_id = ?"
        params = (doc_id,)
    sql += " ORDER BY document_id, start, end, id"
    return [lib._annotation(r) for r in lib.conn.execute(sql, params)]


# -------------------------------------------------------------------------------- edits


class _Snapshot:
    """Collects the before-state of an edit inside its transaction."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.ids: list[int] = []
        self.entities: list[tuple[int, str, str, str | None]] = []
        self.aliases: list[tuple[str, int]] = []
        self.mentions: dict[int, tuple[int, str | None, str | None]] = {}
        self.documents: set[int] = set()

    def entity(self, row: sqlite3.Row, *, existed: bool = True) -> None:
        if row["id"] in self.ids:
            return
        self.ids.append(row["id"])
        if existed:
            self.entities.append((row["id"], row["name"], row["type"], row["created_at"]))
            self.aliases += [
                (r[0], r[1])
                for r in self.conn.execute(
                    "SELECT alias, entity_id FROM entity_aliases WHERE entity_id = ?", (row["id"],)
                )
            ]

    def mentions_of(self, name: str) -> None:
        for r in self.conn.execute(
            "SELECT id, entity, type, document_id FROM annotations WHERE kind = 'entity'"
            " AND entity = ? COLLATE NOCASE",
            (name,),
        ):
            self.mentions.setdefault(r[0], (r[0], r[1], r[2]))
            self.documents.add(r[3])

    def edit(self, kind: str, description: str) -> EntityEdit:
        return EntityEdit(
            kind=kind,  # type: ignore[arg-type]
            description=description,
            entity_ids=tuple(self.ids),
            entities_before=tuple(self.entities),
            aliases_before=tuple(self.aliases),
            mentions_before=tuple(self.mentions.values()),
            documents=tuple(sorted(self.documents)),
        )


def _ensure(snap: _Snapshot, name: str) -> sqlite3.Row:
    """The registry row for ``name``, registering a name only mentions know (recorded as new)."""
    conn = snap.conn
    row = _find(conn, name)
    if row is not None:
        snap.entity(row)
        return row
    type_ = _mention_type(conn, name)
    if type_ is None:
        raise UsageError(f"there is no entity {name!r} in this library")
    mentioned = conn.execute(
        "SELECT entity FROM annotations WHERE kind = 'entity' AND entity = ? COLLATE NOCASE"
        " LIMIT 1",
        (name,),
    ).fetchone()[0]
    conn.execute(
        "INSERT INTO entities (name, type, created_at) VALUES (?, ?, ?)",
        (mentioned, type_, _now()),
    )
    row = _find(conn, name)
    assert row is not None
    snap.entity(row, existed=False)
    return row


def merge_entities(lib: Library, keep: str, absorb: str) -> MergeResult:
    """Merge ``absorb`` into ``keep``: one canonical entity, the other name an alias of it.

    Every mention of ``absorb`` is renamed to ``keep`` and takes its type (an entity has one
    type); ``absorb``'s aliases move to ``keep``; ``absorb`` leaves the registry and becomes an
    alias, so suggestions for its spelling now propose ``keep``. Undo with :func:`unmerge`.
    """
    keep, absorb = normalise_name(keep), normalise_name(absorb)
    with lib.transaction() as c:
        snap = _Snapshot(c)
        k = _ensure(snap, keep)
        a = _ensure(snap, absorb)
        if k["id"] == a["id"]:
            raise UsageError(f"{keep!r} and {absorb!r} are the same entity")
        snap.mentions_of(a["name"])
        stamp = _now()
        c.execute(
            "UPDATE annotations SET entity = ?, type = ?, updated_at = ?"
            " WHERE kind = 'entity' AND entity = ? COLLATE NOCASE",
            (k["name"], k["type"], stamp, a["name"]),
        )
        c.execute("UPDATE entity_aliases SET entity_id = ? WHERE entity_id = ?", (k["id"], a["id"]))
        c.execute(
            "DELETE FROM entity_aliases WHERE entity_id = ? AND alias = ? COLLATE NOCASE",
            (k["id"], k["name"]),
        )
        c.execute("DELETE FROM entities WHERE id = ?", (a["id"],))
        c.execute(
            "INSERT OR REPLACE INTO entity_aliases (alias, entity_id) VALUES (?, ?)",
            (a["name"], k["id"]),
        )
        result = snap.edit("merge", f"Merge “{a['name']}” into “{k['name']}”")
    _bump(lib)
    return result


def rename_entity(lib: Library, name: str, new_name: str) -> EntityEdit:
    """Rename an entity and all its mentions (a correction; the old name is not kept).

    Renaming to one of the entity's own aliases swaps them: the alias becomes the name and the
    old name an alias. A name that belongs to another entity is refused (merge them instead).
    """
    name, new_name = normalise_name(name), normalise_name(new_name)
    if not new_name:
        raise UsageError("an entity needs a name")
    with lib.transaction() as c:
        snap = _Snapshot(c)
        row = _ensure(snap, name)
        other = _find(c, new_name)
        if other is not None and other["id"] != row["id"]:
            raise UsageError(f"there is already an entity {other['name']!r}; merge the two instead")
        owner = c.execute(
            "SELECT entity_id FROM entity_aliases WHERE alias = ? COLLATE NOCASE", (new_name,)
        ).fetchall()
        if any(o[0] != row["id"] for o in owner):
            raise UsageError(f"{new_name!r} is an alias of another entity; merge the two instead")
        snap.mentions_of(row["name"])
        if owner:
            c.execute(
                "DELETE FROM entity_aliases WHERE alias = ? COLLATE NOCASE AND entity_id = ?",
                (new_name, row["id"]),
            )
            c.execute(
                "INSERT OR REPLACE INTO entity_aliases (alias, entity_id) VALUES (?, ?)",
                (row["name"], row["id"]),
            )
        c.execute("UPDATE entities SET name = ? WHERE id = ?", (new_name, row["id"]))
        c.execute(
            "UPDATE annotations SET entity = ?, updated_at = ?"
            " WHERE kind = 'entity' AND entity = ? COLLATE NOCASE",
            (new_name, _now(), row["name"]),
        )
        result = snap.edit("rename", f"Rename “{row['name']}” to “{new_name}”")
    _bump(lib)
    return result


def set_entity_type(lib: Library, name: str, type: str) -> EntityEdit:
    """Give an entity another type, in the registry and on every one of its mentions."""
    _check_type(lib, type)
    name = normalise_name(name)
    with lib.transaction() as c:
        snap = _Snapshot(c)
        row = _ensure(snap, name)
        snap.mentions_of(row["name"])
        c.execute("UPDATE entities SET type = ? WHERE id = ?", (type, row["id"]))
        c.execute(
            "UPDATE annotations SET type = ?, updated_at = ?"
            " WHERE kind = 'entity' AND entity = ? COLLATE NOCASE AND type IS NOT ?",
            (type, _now(), row["name"], type),
        )
        result = snap.edit("type", f"Make “{row['name']}” {type}")
    _bump(lib)
    return result


def add_alias(lib: Library, name: str, alias: str) -> EntityEdit:
    """Add another spelling under which suggestions propose entity ``name``."""
    name, alias = normalise_name(name), normalise_name(alias)
    if not alias:
        raise UsageError("an alias cannot be empty")
    with lib.transaction() as c:
        snap = _Snapshot(c)
        row = _ensure(snap, name)
        if alias.casefold() == row["name"].casefold():
            raise UsageError(f"{alias!r} is already the entity's name")
        if _find(c, alias) is not None:
            raise UsageError(f"{alias!r} is another entity; merge the two instead")
        owner = c.execute(
            "SELECT e.name FROM entity_aliases a JOIN entities e ON e.id = a.entity_id"
            " WHERE a.alias = ?",
            (alias,),
        ).fetchone()
        if owner is not None and owner[0] != row["name"]:
            raise UsageError(f"{alias!r} is already an alias of {owner[0]!r}")
        c.execute(
            "INSERT OR IGNORE INTO entity_aliases (alias, entity_id) VALUES (?, ?)",
            (alias, row["id"]),
        )
        result = snap.edit("alias", f"Add alias “{alias}” to “{row['name']}”")
    _bump(lib)
    return result


def remove_alias(lib: Library, alias: str) -> EntityEdit:
    """Remove an alias (mentions are untouched; it is only no longer suggested)."""
    alias = normalise_name(alias)
    with lib.transaction() as c:
        snap = _Snapshot(c)
        row = c.execute(
            "SELECT e.id, e.name, e.type, e.created_at FROM entity_aliases a"
            " JOIN entities e ON e.id = a.entity_id WHERE a.alias = ?",
            (alias,),
        ).fetchone()
        if row is None:
            raise UsageError(f"there is no alias {alias!r}")
        snap.entity(row)
        c.execute("DELETE FROM entity_aliases WHERE alias = ?", (alias,))
        result = snap.edit("alias", f"Remove alias “{alias}”")
    _bump(lib)
    return result


def forget_entity(lib: Library, name: str) -> EntityEdit:
    """Take an entity and its aliases out of the registry, so it is no longer suggested.

    Its mentions stay (they are the user's work); the browser still lists it, unregistered.
    """
    name = normalise_name(name)
    with lib.transaction() as c:
        snap = _Snapshot(c)
        row = _find(c, name)
        if row is None:
            raise UsageError(f"there is no entity {name!r} in the registry")
        snap.entity(row)
        c.execute("DELETE FROM entity_aliases WHERE entity_id = ?", (row["id"],))
        c.execute("DELETE FROM entities WHERE id = ?", (row["id"],))
        result = snap.edit("forget", f"Forget “{row['name']}”")
    _bump(lib)
    return result


def undo_edit(lib: Library, edit: EntityEdit) -> Changes:
    """Put the registry rows and mentions an edit touched back as they were, in one transaction.

    Meant to be called in undo order (the latest edit first), as an undo stack does. Refused,
    with nothing changed, if a name it would restore has since been given to another entity.
    """
    ids = list(edit.entity_ids)
    marks = ",".join("?" * len(ids))
    try:
        with lib.transaction() as c:
            if ids:
                c.execute(f"DELETE FROM entity_aliases WHERE entity_id IN ({marks})", ids)
                c.executemany(
                    "DELETE FROM entity_aliases WHERE alias = ?",
                    [(a,) for a, _ in edit.aliases_before],
                )
                c.execute(f"DELETE FROM entities WHERE id IN ({marks})", ids)
            c.executemany(
                "INSERT INTO entities (id, name, type, created_at) VALUES (?, ?, ?, ?)",
                edit.entities_before,
            )
            c.executemany(
                "INSERT INTO entity_aliases (alias, entity_id) VALUES (?, ?)", edit.aliases_before
            )
            stamp = _now()
            c.executemany(
                "UPDATE annotations SET entity = ?, type = ?, updated_at = ? WHERE id = ?",
                [(entity, type_, stamp, ann_id) for ann_id, entity, type_ in edit.mentions_before],
            )
    except sqlite3.IntegrityError as error:
        raise UsageError(
            f"cannot undo “{edit.description}”: a name it would restore is now used by another"
            " entity"
        ) from error
    _bump(lib)
    return edit.changes


#: Undo of :func:`merge_entities`.
unmerge = undo_edit
