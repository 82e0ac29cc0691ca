"""Reading what an export needs from a :class:`~reader.library.Library`, in batches.

``Library.document(id)`` runs five queries a document; an export of 100,000 documents would spend
most of its time in round trips. :func:`iter_documents` reads a few hundred documents at a time
with one query per table and yields :class:`~reader.library.records.Document` values (their
annotations as :class:`AnnotationRow` values), so the format writers stay pure functions of
documents. The queries are read-only: the export package reads the library file and never
writes it except through ``Library`` methods.

:func:`snapshot` wraps the reads in one read transaction: in WAL mode every query inside sees
the library as it was when the export started, so the window can keep annotating while an
export runs and the export is still one consistent state.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import itertools
import operator
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from reader.ingest.page import TickerRow
from reader.library.errors import UsageError
from reader.library.records import Annotation, Document, DocumentFilter

if TYPE_CHECKING:
    from reader.library.library import Library

CHUNK = 500  # ids per IN (...) list; well under SQLite's parameter limit

_ANN_COLUMNS = (
    "id, document_id, kind, start, end, exact, coalesce(prefix, ''), coalesce(suffix, ''),"
    " color, type, entity, note, orphaned"
)
# Without the quote's context: only the Web Annotation export (orphans' TextQuoteSelector)
# needs the stored prefix and suffix; the other formats need not carry them.
_ANN_COLUMNS_NO_CONTEXT = _ANN_COLUMNS.replace(
    "coalesce(prefix, ''), coalesce(suffix, '')", "'', ''"
)


class AnnotationRow(NamedTuple):
    """An annotation as the exporters read it: the fields of
    :class:`~reader.library.records.Annotation`, in a tuple.

    A million frozen dataclasses cost ~1 µs each to build (one ``object.__setattr__`` per field);
    these rows are made from the database's tuples in C (``tuple.__new__``) for a fraction of
    that, which is most of what keeps a large ``jsonl`` export within 2× of ``json.dumps``.
    They are read-only like ``Annotation`` and the writers only read attributes, so either
    kind can be handed to them.
    """

    id: int
    document_id: int
    kind: str
    start: int
    end: int
    text: str
    prefix: str
    suffix: str
    color: str | None
    type: str | None
    entity: str | None
    note: str | None
    orphaned: int


assert AnnotationRow._fields == tuple(f.name for f in dataclasses.fields(Annotation))
_make_row = functools.partial(tuple.__new__, AnnotationRow)
_DOCUMENT = operator.itemgetter(1)


@contextlib.contextmanager
def snapshot(lib: Library) -> Iterator[None]:
    """Hold one read transaction (a consistent view) unless the caller already holds one."""
    conn = lib.conn
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    finally:
        if conn.in_transaction:
            conn.execute("COMMIT")


def _cursor(lib: Library):  # noqa: ANN202 - sqlite3.Cursor
    cur = lib.conn.cursor()
    cur.row_factory = None  # plain tuples: faster than sqlite3.Row for millions of rows
    return cur


def _chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    for i in range(0, len(ids), CHUNK):
        yield list(ids[i : i + CHUNK])


def iter_documents(
    lib: Library, ids: Sequence[int], *, tickers: bool = False, context: bool = True
) -> Iterator[Document]:
    """The documents ``ids``, in that order, whole — but ticker rows only with ``tickers=True``,
    and the annotations' ``prefix`` and ``suffix`` left empty with ``context=False``.

    Unknown ids are skipped; :func:`resolve_ids` is where they are refused.
    """
    cur = _cursor(lib)
    columns = _ANN_COLUMNS if context else _ANN_COLUMNS_NO_CONTEXT
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        rows = {
            r[0]: r
            for r in cur.execute(
                "SELECT d.id, d.title, d.title_derived, d.date, d.dateline, d.source, d.encoding,"
                " d.content_hash, t.body, d.profile FROM documents d"
                f" JOIN document_bodies t ON t.document_id = d.id WHERE d.id IN ({marks})",
                chunk,
            )
        }
        paths: dict[int, list[str]] = {}
        for doc_id, path in cur.execute(
            f"SELECT document_id, path FROM paths WHERE document_id IN ({marks})"
            " ORDER BY document_id, path",
            chunk,
        ):
            paths.setdefault(doc_id, []).append(path)
        tags: dict[int, list[str]] = {}
        for doc_id, name in cur.execute(
            "SELECT dt.document_id, t.name FROM document_tags dt JOIN tags t ON t.id = dt.tag_id"
            f" WHERE dt.document_id IN ({marks}) ORDER BY dt.document_id, t.name",
            chunk,
        ):
            tags.setdefault(doc_id, []).append(name)
        # By position, then age: the order the (document_id, start) index (which ends in the
        # rowid) already has, so SQLite does not sort. Library.annotations() breaks ties on
        # start by end first; no format depends on that.
        ann_rows = cur.execute(
            f"SELECT {columns} FROM annotations WHERE document_id IN ({marks})"
            " ORDER BY document_id, start, id",
            chunk,
        ).fetchall()
        anns = {
            doc_id: tuple(group)
            for doc_id, group in itertools.groupby(map(_make_row, ann_rows), _DOCUMENT)
        }
        ticks: dict[int, list[TickerRow]] = {}
        if tickers:
            for r in cur.execute(
                "SELECT document_id, symbol, kind, price, change, change_pct, direction, line,"
                f" position FROM tickers WHERE document_id IN ({marks})"
                " ORDER BY document_id, position",
                chunk,
            ):
                ticks.setdefault(r[0], []).append(TickerRow(*r[1:]))
        for doc_id in chunk:
            r = rows.get(doc_id)
            if r is None:
                continue
            yield Document(
                id=r[0],
                title=r[1],
                title_derived=bool(r[2]),
                date=r[3],
                dateline=r[4],
                source=r[5],
                paths=tuple(paths.get(doc_id, ())),
                encoding=r[6],
                content_hash=r[7],
                body=r[8],
                profile=r[9],
                tickers=tuple(ticks.get(doc_id, ())),
                annotations=anns.get(doc_id, ()),  # type: ignore[arg-type]
                tags=tuple(tags.get(doc_id, ())),
            )


def count_items(lib: Library, ids: Sequence[int]) -> tuple[int, int]:
    """(annotations, document tags) of the documents ``ids``."""
    cur = _cursor(lib)
    anns = tags = 0
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        anns += cur.execute(
            f"SELECT count(*) FROM annotations WHERE document_id IN ({marks})", chunk
        ).fetchone()[0]
        tags += cur.execute(
            f"SELECT count(*) FROM document_tags WHERE document_id IN ({marks})", chunk
        ).fetchone()[0]
    return anns, tags


def resolve_ids(
    lib: Library,
    *,
    ids: Sequence[int] | None = None,
    tag: str | None = None,
    entity: str | None = None,
) -> list[int]:
    """The documents a scope names, by id; unknown ids or tags are a :class:`UsageError`.

    ``ids``, ``tag`` and ``entity`` narrow together (all given must hold), as in ``reader list``;
    none of them means the whole library. Given ids keep their order (the window's selection).
    """
    if tag is not None and tag not in {name for name, _ in lib.tags()}:
        raise UsageError(f"no document has the tag {tag!r} (see `reader list`)")
    narrowed = None
    if tag is not None or entity is not None:
        narrowed = lib.document_ids(DocumentFilter(tag=tag, entity=entity))
    if ids is None:
        return narrowed if narrowed is not None else lib.document_ids()
    wanted = list(dict.fromkeys(ids))
    cur = _cursor(lib)
    known: set[int] = set()
    for chunk in _chunks(wanted):
        marks = ",".join("?" * len(chunk))
        known.update(
            r[0] for r in cur.execute(f"SELECT id FROM documents WHERE id IN ({marks})", chunk)
        )
    missing = [i for i in wanted if i not in known]
    if missing:
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        raise UsageError(
            f"there is no document {', '.join(map(str, missing[:5]))}{more} in this library"
            " (see `reader list`)"
        )
    if narrowed is not None:
        keep = set(narrowed)
        wanted = [i for i in wanted if i in keep]
    return wanted


def entity_mentions(lib: Library, ids: Sequence[int], name: str | None = None) -> list[int]:
    """Ids of the documents among ``ids`` with an entity mention (of ``name``, if given)."""
    cur = _cursor(lib)
    found: set[int] = set()
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        sql = (
            "SELECT DISTINCT document_id FROM annotations WHERE kind = 'entity'"
            f" AND document_id IN ({marks})"
        )
        params: list[Any] = list(chunk)
        if name is not None:
            sql += " AND entity = ? COLLATE NOCASE"
            params.append(name)
        found.update(r[0] for r in cur.execute(sql, params))
    return [i for i in ids if i in found]


def entity_names(lib: Library) -> list[str]:
    """Every canonical entity name in the library, by name (for the dossier's chooser)."""
    return [
        r[0]
        for r in _cursor(lib).execute(
            "SELECT DISTINCT entity FROM annotations WHERE kind = 'entity' AND entity IS NOT NULL"
            " ORDER BY entity COLLATE NOCASE"
        )
    ]
