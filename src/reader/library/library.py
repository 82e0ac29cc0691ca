"""The :class:`Library`: one SQLite file holding documents, ticker rows, annotations and tags.

The window and the command line are two thin faces over this one object. Every mutation runs in
its own transaction and is committed before the method returns ("there is no Save"). Expected
failures of the file (locked, read-only, corrupt, too new, disk full) surface as
:class:`~reader.library.errors.LibraryError` subclasses with messages for people; asking for a
document that does not exist or offsets outside a body is a :class:`UsageError`.

A ``Library`` belongs to the thread that opened it (sqlite3's rule). Workers open their own on
the same path; WAL lets the window keep reading while they write.
"""

from __future__ import annotations

import functools
import os
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import platformdirs

from reader import APP_NAME
from reader.annotate.anchor import quote_for, reanchor_all
from reader.ingest.page import DecodedPage, ParsedPage, TickerRow
from reader.library import schema
from reader.library.errors import (
    LibraryCorrupt,
    LibraryError,
    LibraryTooNew,
    UsageError,
    classify,
)
from reader.library.page_record import (
    TICKERS,
    PageRecord,
    body_of,
    page_record,
    stored_body,
)
from reader.library.records import (
    HIGHLIGHT_COLORS,
    Annotation,
    Changes,
    Document,
    DocumentFilter,
    DocumentSummary,
    EntityType,
    ImportReport,
)

if TYPE_CHECKING:
    from reader.library.importer import PageHook

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
LIBRARY_FILE_NAME = "library.sqlite"

F = TypeVar("F", bound=Callable[..., Any])

_HEX_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_WORD = re.compile(r"\w+", re.UNICODE)
PREFIX_MIN = 3  # letters before the last word of a search matches as a prefix

#: Sort keys the document list offers, mapped to SQL. Ties always fall back to the id.
ORDERS = {
    "title": "d.title COLLATE NOCASE",
    "date": "d.date",
    "source": "d.source COLLATE NOCASE",
    "tickers": "d.n_tickers",
    "annotations": "(d.n_highlights + d.n_entities)",
    "id": "d.id",
}
NULLABLE_ORDERS = {"date", "source"}


def default_library_path() -> Path:
    """``READER_DB`` if set, else ``library.sqlite`` in the platform's user data folder."""
    env = os.environ.get("READER_DB")
    if env:
        return Path(env).expanduser()
    return platformdirs.user_data_path(APP_NAME, appauthor=False) / LIBRARY_FILE_NAME


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def fts_query(text: str) -> str | None:
    """Turn what a person typed into a safe FTS5 query: all words must match, the last as a prefix.

    Quoting every word means FTS5 operators and punctuation in the input are searched as text,
    never parsed (a search for ``AND (`` cannot raise a syntax error). The last word is a prefix
    only from three letters on: "s*" matches nearly every page of a large library and ranking
    them all takes seconds, while nobody means it — they are still typing.
    """
    words = _WORD.findall(text)
    if not words:
        return None
    quoted = [f'"{w}"' for w in words]
    if len(words[-1]) >= PREFIX_MIN:
        quoted[-1] += "*"
    return " ".join(quoted)


#: The columns of ``documents`` that a page's text decides (set on import, reset on change).
_DERIVED = (
    "content_hash",
    "title",
    "title_derived",
    "date",
    "dateline",
    "source",
    "encoding",
    "profile",
    "n_tickers",
)


def _derived(content_hash: str, encoding: str, page: ParsedPage) -> tuple[Any, ...]:
    """Values for :data:`_DERIVED`, in order."""
    return (
        content_hash,
        page.title,
        int(page.title_derived),
        page.date,
        page.dateline,
        page.source,
        encoding,
        page.profile,
        len(page.tickers),
    )


_INSERT_TICKER = (
    "INSERT INTO tickers (document_id, position, symbol, kind, price, change, change_pct,"
    " direction, line) VALUES (?,?,?,?,?,?,?,?,?)"
)


def _ticker_rows(doc_id: int, rows: Sequence[tuple]) -> list[tuple]:
    """A record's ticker tuples as ``tickers`` rows, numbered in page order."""
    return [(doc_id, i, *row[:7]) for i, row in enumerate(rows)]


def _guarded(method: F) -> F:
    """Turn sqlite3 errors escaping a public method into :class:`LibraryError`."""

    @functools.wraps(method)
    def wrapper(self: Library, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as error:
            raise classify(error, self.path) from error

    return wrapper  # type: ignore[return-value]


class Library:
    """One library file. Open with ``Library(path)``; use as a context manager to close it."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path: Path | str = (
            ":memory:" if str(path) == ":memory:" else Path(path or default_library_path())
        )
        self.backup_path: Path | None = None
        try:
            if isinstance(self.path, Path):
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(str(self.path), isolation_level=None, timeout=5.0)
        except sqlite3.Error as error:
            raise classify(error, self.path) from error
        except OSError as error:
            raise LibraryError(
                f"The library {self.path} could not be created: {error.strerror}. "
                "Pick another place with --db PATH or READER_DB."
            ) from error
        try:
            self._configure()
            self._upgrade()
        except sqlite3.Error as error:
            self.conn.close()
            raise classify(error, self.path) from error
        except LibraryError:
            self.conn.close()
            raise

    # ----------------------------------------------------------------- opening and transactions

    def _configure(self) -> None:
        c = self.conn
        c.row_factory = sqlite3.Row
        c.execute("PRAGMA busy_timeout = 5000")
        # Reading the schema version first makes a non-database file fail here, clearly.
        c.execute("PRAGMA schema_version").fetchone()
        if self.path != ":memory:":
            mode = c.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":  # a read-only folder cannot hold the -wal file
                c.execute("PRAGMA journal_mode").fetchone()
        c.execute("PRAGMA synchronous = NORMAL")
        c.execute("PRAGMA cache_size = -32768")  # 32 MiB: fewer spills while importing
        c.execute("PRAGMA foreign_keys = ON")

    def _upgrade(self) -> None:
        version = schema.user_version(self.conn)
        if version > schema.LATEST:
            raise LibraryTooNew(
                f"The library {self.path} was written by a newer version of Dump Reader "
                f"(schema {version}; this version knows up to {schema.LATEST}). Update Dump "
                "Reader, or pick another library with --db PATH or READER_DB."
            )
        if version == 0:
            tables = self.conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
            ).fetchone()[0]
            if tables:
                raise LibraryCorrupt(
                    f"{self.path} is an SQLite file but not a Dump Reader library. Pick another "
                    "file with --db PATH or READER_DB."
                )
            if schema.create(self.conn):  # a new library: the whole schema at once
                return
        elif version < schema.LATEST and isinstance(self.path, Path):
            self.backup_path = self._backup(version)
        schema.migrate(self.conn)
        if version and schema.missing_indexes(self.conn):
            self._restore_indexes()

    def _restore_indexes(self) -> None:
        """Rebuild the indexes a killed bulk import left out (see schema.REBUILDABLE_INDEXES).

        A read-only or busy file is used as it is: the indexes only make reading faster.
        """
        try:
            with self.transaction():
                schema.restore_indexes(self.conn)
        except (sqlite3.OperationalError, LibraryError):
            pass

    def _backup(self, version: int) -> Path:
        """Copy the library aside before a migration: ``library.sqlite.bak-v1``."""
        assert isinstance(self.path, Path)
        target = self.path.with_name(f"{self.path.name}.bak-v{version}")
        n = 1
        while target.exists():
            n += 1
            target = self.path.with_name(f"{self.path.name}.bak-v{version}.{n}")
        dest = sqlite3.connect(str(target))
        try:
            self.conn.backup(dest)
        finally:
            dest.close()
        return target

    def close(self) -> None:
        self.conn.close()

    def interrupt(self) -> None:
        """Abort the query running on this library's connection (safe from another thread).

        The window uses it to drop a search that a newer keystroke has made pointless; the
        interrupted call raises :class:`LibraryError` ("interrupted"), which the caller expects.
        """
        self.conn.interrupt()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed when the block ends, rolled back if it raises."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise classify(error, self.path) from error
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as error:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise classify(error, self.path) from error

    @_guarded
    def schema_version(self) -> int:
        return schema.user_version(self.conn)

    # ------------------------------------------------------------------------------- importing

    def import_paths(
        self,
        paths: Iterable[str | os.PathLike[str]],
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        progress: Callable[[int, int, str], None] | None = None,
        cancel: Callable[[], bool] | None = None,
        workers: int | None = None,
        batch_seconds: float | None = None,
        hook: PageHook | None = None,
    ) -> ImportReport:
        """Import dump folders or single files; see :func:`reader.library.importer.import_paths`.

        The stories are not brought up to date: :func:`reader.stories.on_import.import_grouped`
        does both."""
        from reader.library.importer import BATCH_SECONDS, import_paths

        try:
            return import_paths(
                self,
                paths,
                max_bytes=max_bytes,
                progress=progress,
                cancel=cancel,
                workers=workers,
                batch_seconds=BATCH_SECONDS if batch_seconds is None else batch_seconds,
                hook=hook,
            )
        except sqlite3.Error as error:
            raise classify(error, self.path) from error

    def _insert_document(
        self, content_hash: str, raw: str, encoding: str, page: ParsedPage, stamp: str
    ) -> int:
        """Insert a new document with its text, tickers and index rows (inside a transaction)."""
        record = page_record(DecodedPage(raw, encoding, content_hash), page)
        doc_id = self._next_document_id()
        self._insert_records([(doc_id, record)], stamp)
        return doc_id

    def _next_document_id(self) -> int:
        """The id the next new document gets (inside a write transaction)."""
        return self.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM documents").fetchone()[0]

    def _insert_records(self, records: Sequence[tuple[int, PageRecord]], stamp: str) -> None:
        """Insert many new documents, given with their ids: one ``executemany`` per table.

        The importer writes its batches this way: the per-statement overhead, not SQLite's own
        work, was most of the writer's time. ``record``'s layout: :mod:`reader.library.page_record`.
        """
        documents, texts, index, tickers = [], [], [], []
        for doc_id, record in records:
            text, encoding, content_hash, _, title, derived, profile, date, dateline, source = (
                record[:TICKERS]
            )
            rows = record[TICKERS]
            documents.append(
                (doc_id, content_hash, title, derived, date, dateline, source, encoding, profile,
                 len(rows), stamp, stamp)
            )
            texts.append((doc_id, text, *stored_body(record)))
            index.append((doc_id, title, body_of(record)))
            tickers.extend(_ticker_rows(doc_id, rows))
        c = self.conn
        c.executemany(
            "INSERT INTO documents (id, content_hash, title, title_derived, date, dateline,"
            " source, encoding, profile, n_tickers, imported_at, updated_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            documents,
        )
        c.executemany(
            "INSERT INTO document_texts (document_id, raw, body, body_start, body_end)"
            " VALUES (?,?,?,?,?)",
            texts,
        )
        c.executemany("INSERT INTO documents_fts (rowid, title, body) VALUES (?,?,?)", index)
        c.executemany(_INSERT_TICKER, tickers)

    def _insert_tickers(self, doc_id: int, rows: Sequence[tuple]) -> None:
        """Insert a page's ticker rows, given as a record's ticker tuples (see page_record)."""
        self.conn.executemany(_INSERT_TICKER, _ticker_rows(doc_id, rows))

    def _replace_document_text(
        self,
        doc_id: int,
        content_hash: str,
        raw: str,
        encoding: str,
        page: ParsedPage,
        stamp: str,
    ) -> tuple[int, int]:
        """Give a document new text (its file changed) and re-anchor its annotations.

        Returns (re-anchored, orphaned) counts. Runs inside the caller's transaction.
        """
        c = self.conn
        record = page_record(DecodedPage(raw, encoding, content_hash), page)
        old = c.execute(
            "SELECT d.title, b.body FROM documents d JOIN document_bodies b"
            " ON b.document_id = d.id WHERE d.id = ?",
            (doc_id,),
        ).fetchone()
        c.execute(
            "INSERT INTO documents_fts (documents_fts, rowid, title, body)"
            " VALUES ('delete', ?, ?, ?)",
            (doc_id, old["title"], old["body"]),
        )
        c.execute(
            f"UPDATE documents SET {', '.join(f'{k} = ?' for k in _DERIVED)}, updated_at = ?"
            " WHERE id = ?",
            (*_derived(content_hash, encoding, page), stamp, doc_id),
        )
        c.execute(
            "UPDATE document_texts SET raw=?, body=?, body_start=?, body_end=?"
            " WHERE document_id=?",
            (raw, *stored_body(record), doc_id),
        )
        c.execute(
            "INSERT INTO documents_fts (rowid, title, body) VALUES (?,?,?)",
            (doc_id, page.title, page.body),
        )
        c.execute("DELETE FROM tickers WHERE document_id = ?", (doc_id,))
        c.execute("DELETE FROM rejected_suggestions WHERE document_id = ?", (doc_id,))
        self._insert_tickers(doc_id, record[TICKERS])
        moves = reanchor_all(page.body, self._annotations(doc_id))
        moved = orphaned = 0
        for ann, span in moves:
            if span is None:
                orphaned += 1
                c.execute(
                    "UPDATE annotations SET orphaned = 1, updated_at = ? WHERE id = ?",
                    (stamp, ann.id),
                )
            else:
                moved += 1
                q = quote_for(page.body, *span)
                c.execute(
                    "UPDATE annotations SET start=?, end=?, exact=?, prefix=?, suffix=?,"
                    " orphaned=0, updated_at=? WHERE id=?",
                    (span[0], span[1], q.exact, q.prefix, q.suffix, stamp, ann.id),
                )
        return moved, orphaned

    # ------------------------------------------------------------------------------ documents

    def _where(self, flt: DocumentFilter | None) -> tuple[str, str, list[Any]]:
        """(join, where, params) for a filter. The join brings in FTS rank when searching."""
        join, clauses, params = "", [], []
        if flt is None:
            return join, "", params
        if flt.search:
            query = fts_query(flt.search)
            if query is None:
                clauses.append("0")
            else:
                join = (
                    " JOIN (SELECT rowid AS fts_id, rank AS fts_rank FROM documents_fts"
                    " WHERE documents_fts MATCH ?) f ON f.fts_id = d.id"
                )
                params.append(query)
        if flt.tag:
            clauses.append(
                "d.id IN (SELECT dt.document_id FROM document_tags dt"
                " JOIN tags t ON t.id = dt.tag_id WHERE t.name = ?)"
            )
            params.append(flt.tag)
        if flt.source:
            clauses.append("d.source = ?")
            params.append(flt.source)
        if flt.entity:
            clauses.append(
                "d.id IN (SELECT a.document_id FROM annotations a WHERE a.kind = 'entity'"
                " AND a.entity = ? COLLATE NOCASE)"
            )
            params.append(flt.entity)
        if flt.date_from:
            clauses.append("d.date >= ?")
            params.append(flt.date_from)
        if flt.date_to:
            clauses.append("d.date <= ?")
            params.append(flt.date_to)
        if flt.has_tickers is not None:
            clauses.append("d.n_tickers > 0" if flt.has_tickers else "d.n_tickers = 0")
        if flt.ids is not None:
            clauses.append(f"d.id IN ({','.join('?' * len(flt.ids))})" if flt.ids else "0")
            params.extend(flt.ids)
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        return join, where, params

    @_guarded
    def count_documents(self, flt: DocumentFilter | None = None) -> int:
        join, where, params = self._where(flt)
        return self.conn.execute(
            f"SELECT count(*) FROM documents d{join}{where}", params
        ).fetchone()[0]

    @_guarded
    def document_ids(
        self,
        flt: DocumentFilter | None = None,
        *,
        order: str = "id",
        descending: bool = False,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[int]:
        """Ids of the documents that pass ``flt``, sorted in SQL. ``order="relevance"`` ranks
        search results (falls back to id without a search)."""
        join, where, params = self._where(flt)
        direction = "DESC" if descending else "ASC"
        if order == "relevance":
            key = "f.fts_rank" if join else "d.id"
        elif order in ORDERS:
            key = ORDERS[order]
        else:
            raise UsageError(f"unknown sort order {order!r}; use one of {', '.join(ORDERS)}")
        # Documents without a date or source sort last either way; other keys are never NULL,
        # and leaving the NULL test out lets SQLite walk an index instead of sorting.
        nulls_last = f"{key} IS NULL, " if order in NULLABLE_ORDERS else ""
        sql = (
            f"SELECT d.id FROM documents d{join}{where}"
            f" ORDER BY {nulls_last}{key} {direction}, d.id {direction}"
        )
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params = [*params, limit, offset]
        return [row[0] for row in self.conn.execute(sql, params)]

    @_guarded
    def summaries(self, ids: Sequence[int]) -> list[DocumentSummary]:
        """List rows for ``ids``, in that order (unknown ids are left out)."""
        if not ids:
            return []
        out: dict[int, DocumentSummary] = {}
        for chunk_start in range(0, len(ids), 500):
            chunk = list(ids[chunk_start : chunk_start + 500])
            marks = ",".join("?" * len(chunk))
            paths: dict[int, list[str]] = {}
            for row in self.conn.execute(
                f"SELECT document_id, path FROM paths WHERE document_id IN ({marks}) ORDER BY path",
                chunk,
            ):
                paths.setdefault(row[0], []).append(row[1])
            tags: dict[int, list[str]] = {}
            for row in self.conn.execute(
                f"SELECT dt.document_id, t.name FROM document_tags dt JOIN tags t"
                f" ON t.id = dt.tag_id WHERE dt.document_id IN ({marks}) ORDER BY t.name",
                chunk,
            ):
                tags.setdefault(row[0], []).append(row[1])
            for r in self.conn.execute(
                "SELECT id, title, date, source, dateline, n_tickers, n_highlights, n_entities"
                f" FROM documents WHERE id IN ({marks})",
                chunk,
            ):
                out[r["id"]] = DocumentSummary(
                    id=r["id"],
                    title=r["title"],
                    date=r["date"],
                    source=r["source"],
                    dateline=r["dateline"],
                    n_tickers=r["n_tickers"],
                    n_highlights=r["n_highlights"],
                    n_entities=r["n_entities"],
                    paths=tuple(paths.get(r["id"], ())),
                    tags=tuple(tags.get(r["id"], ())),
                )
        return [out[i] for i in ids if i in out]

    def list_documents(
        self, flt: DocumentFilter | None = None, *, order: str = "id", descending: bool = False
    ) -> list[DocumentSummary]:
        return self.summaries(self.document_ids(flt, order=order, descending=descending))

    def _require(self, doc_id: int) -> sqlite3.Row:
        row = self.conn.execute(
            "SELECT d.*, b.body FROM documents d JOIN document_bodies b ON b.document_id = d.id"
            " WHERE d.id = ?",
            (doc_id,),
        ).fetchone()
        if row is None:
            raise UsageError(f"there is no document {doc_id} in this library (see `reader list`)")
        return row

    @_guarded
    def document(self, doc_id: int) -> Document:
        """The whole document: metadata, body, paths, tickers, annotations and tags."""
        r = self._require(doc_id)
        return Document(
            id=r["id"],
            title=r["title"],
            title_derived=bool(r["title_derived"]),
            date=r["date"],
            dateline=r["dateline"],
            source=r["source"],
            paths=tuple(self.paths(doc_id)),
            encoding=r["encoding"],
            content_hash=r["content_hash"],
            body=r["body"],
            profile=r["profile"],
            tickers=tuple(self.tickers(doc_id)),
            annotations=tuple(self._annotations(doc_id)),
            tags=tuple(self.document_tags(doc_id)),
        )

    @_guarded
    def body(self, doc_id: int) -> str:
        return self._require(doc_id)["body"]

    @_guarded
    def raw(self, doc_id: int) -> str:
        self._require(doc_id)
        return self.conn.execute(
            "SELECT raw FROM document_texts WHERE document_id = ?", (doc_id,)
        ).fetchone()[0]

    @_guarded
    def document_by_hash(self, content_hash: str) -> int | None:
        row = self.conn.execute(
            "SELECT id FROM documents WHERE content_hash = ?", (content_hash,)
        ).fetchone()
        return row[0] if row else None

    @_guarded
    def paths(self, doc_id: int) -> list[str]:
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT path FROM paths WHERE document_id = ? ORDER BY path", (doc_id,)
            )
        ]

    @_guarded
    def tickers(self, doc_id: int) -> list[TickerRow]:
        return [
            TickerRow(
                symbol=r["symbol"],
                kind=r["kind"],
                price=r["price"],
                change=r["change"],
                change_pct=r["change_pct"],
                direction=r["direction"],
                line=r["line"],
                position=r["position"],
            )
            for r in self.conn.execute(
                "SELECT * FROM tickers WHERE document_id = ? ORDER BY position", (doc_id,)
            )
        ]

    @_guarded
    def sources(self) -> list[str]:
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT DISTINCT source FROM documents WHERE source IS NOT NULL ORDER BY source"
            )
        ]

    @_guarded
    def date_range(self) -> tuple[str | None, str | None]:
        row = self.conn.execute("SELECT min(date), max(date) FROM documents").fetchone()
        return row[0], row[1]

    @_guarded
    def forget_folder(self, path: str) -> None:
        """Drop a folder from the re-scan and Recent lists (its documents stay)."""
        with self.transaction() as c:
            c.execute("DELETE FROM folders WHERE path = ?", (path,))

    @_guarded
    def folders(self) -> list[str]:
        """Folders imported so far, most recently scanned first (for re-scan and Recent)."""
        return [
            r[0]
            for r in self.conn.execute("SELECT path FROM folders ORDER BY scanned_at DESC, path")
        ]

    # ---------------------------------------------------------------------------- annotations

    @staticmethod
    def _annotation(r: sqlite3.Row) -> Annotation:
        return Annotation(
            id=r["id"],
            document_id=r["document_id"],
            kind=r["kind"],
            start=r["start"],
            end=r["end"],
            text=r["exact"],
            prefix=r["prefix"] or "",
            suffix=r["suffix"] or "",
            color=r["color"],
            type=r["type"],
            entity=r["entity"],
            note=r["note"],
            orphaned=bool(r["orphaned"]),
        )

    def _annotations(self, doc_id: int) -> list[Annotation]:
        return [
            self._annotation(r)
            for r in self.conn.execute(
                "SELECT * FROM annotations WHERE document_id = ? ORDER BY start, end, id",
                (doc_id,),
            )
        ]

    @_guarded
    def annotations(self, doc_id: int) -> list[Annotation]:
        """Every highlight and mention of a document, orphaned ones included, by position."""
        self._require(doc_id)
        return self._annotations(doc_id)

    @_guarded
    def annotation(self, ann_id: int) -> Annotation:
        row = self.conn.execute("SELECT * FROM annotations WHERE id = ?", (ann_id,)).fetchone()
        if row is None:
            raise UsageError(f"there is no annotation {ann_id}")
        return self._annotation(row)

    def _check_span(self, body: str, start: int, end: int) -> None:
        if not (isinstance(start, int) and isinstance(end, int)) or not (
            0 <= start < end <= len(body)
        ):
            raise UsageError(
                f"the span {start}–{end} is outside the body, which has {len(body)} characters "
                "(offsets count Unicode code points; start < end)"
            )

    def _check_type(self, type_: str) -> None:
        known = [t.name for t in self.entity_types()]
        if type_ not in known:
            raise UsageError(f"unknown entity type {type_!r}; known types: {', '.join(known)}")

    @staticmethod
    def _check_color(color: str) -> None:
        if color not in HIGHLIGHT_COLORS and not _HEX_COLOR.match(color):
            raise UsageError(
                f"unknown colour {color!r}; use one of {', '.join(HIGHLIGHT_COLORS)} or #rrggbb"
            )

    @_guarded
    def add_highlight(
        self, doc_id: int, start: int, end: int, color: str = "yellow", note: str | None = None
    ) -> Annotation:
        self._check_color(color)
        return self._add(doc_id, "highlight", start, end, color=color, note=note)

    @_guarded
    def add_entity(
        self,
        doc_id: int,
        start: int,
        end: int,
        type: str,
        entity: str | None = None,
        note: str | None = None,
    ) -> Annotation:
        """Tag ``body[start:end]`` as a mention of ``entity`` (default: the text) of ``type``."""
        self._check_type(type)
        return self._add(doc_id, "entity", start, end, type=type, entity=entity, note=note)

    def _add(self, doc_id: int, kind: str, start: int, end: int, **fields: Any) -> Annotation:
        body = self._require(doc_id)["body"]
        self._check_span(body, start, end)
        q = quote_for(body, start, end)
        if kind == "entity" and not fields.get("entity"):
            fields["entity"] = " ".join(q.exact.split())
        stamp = now()
        with self.transaction() as c:
            if kind == "entity":
                # Every mention reaches the registry (window, command line, import), and an
                # alias resolves to its canonical entity.
                from reader.annotate import registry  # only when annotating: quicker start

                fields["entity"] = registry.remember_in(c, fields["entity"], fields["type"])
            cur = c.execute(
                "INSERT INTO annotations (document_id, kind, start, end, exact, prefix, suffix,"
                " color, type, entity, note, orphaned, created_at, updated_at)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,0,?,?)",
                (
                    doc_id,
                    kind,
                    start,
                    end,
                    q.exact,
                    q.prefix,
                    q.suffix,
                    fields.get("color"),
                    fields.get("type"),
                    fields.get("entity"),
                    fields.get("note") or None,
                    stamp,
                    stamp,
                ),
            )
            ann_id = cur.lastrowid
        assert ann_id is not None
        return self.annotation(ann_id)

    @_guarded
    def update_annotation(self, ann_id: int, **fields: Any) -> Annotation:
        """Change ``note``, ``color``, ``type`` or ``entity`` of an annotation."""
        allowed = {"note", "color", "type", "entity"}
        unknown = set(fields) - allowed
        if unknown:
            raise UsageError(f"cannot change {', '.join(sorted(unknown))} of an annotation")
        current = self.annotation(ann_id)
        if "color" in fields and current.kind == "highlight":
            self._check_color(fields["color"])
        if "type" in fields and current.kind == "entity":
            self._check_type(fields["type"])
        if "note" in fields and not fields["note"]:
            fields["note"] = None
        if not fields:
            return current
        sets = ", ".join(f"{k} = ?" for k in fields)
        with self.transaction() as c:
            if current.kind == "entity" and fields.get("entity"):
                from reader.annotate import registry

                fields["entity"] = registry.remember_in(
                    c, fields["entity"], fields.get("type") or current.type or "PERSON"
                )
            c.execute(
                f"UPDATE annotations SET {sets}, updated_at = ? WHERE id = ?",
                [*fields.values(), now(), ann_id],
            )
        return self.annotation(ann_id)

    @_guarded
    def reattach_annotation(self, ann_id: int, start: int, end: int) -> Annotation:
        """Point an (orphaned) annotation at a new span of its document's body."""
        current = self.annotation(ann_id)
        body = self._require(current.document_id)["body"]
        self._check_span(body, start, end)
        q = quote_for(body, start, end)
        with self.transaction() as c:
            c.execute(
                "UPDATE annotations SET start=?, end=?, exact=?, prefix=?, suffix=?, orphaned=0,"
                " updated_at=? WHERE id=?",
                (start, end, q.exact, q.prefix, q.suffix, now(), ann_id),
            )
        return self.annotation(ann_id)

    @_guarded
    def delete_annotation(self, ann_id: int) -> Annotation:
        """Delete an annotation and return it whole, so an undo can :meth:`restore_annotation`."""
        current = self.annotation(ann_id)
        with self.transaction() as c:
            c.execute("DELETE FROM annotations WHERE id = ?", (ann_id,))
        return current

    @_guarded
    def restore_annotation(self, ann: Annotation) -> Annotation:
        """Put back a deleted annotation with its id (undo of a delete, or of many)."""
        self._require(ann.document_id)
        stamp = now()
        with self.transaction() as c:
            c.execute(
                "INSERT INTO annotations (id, document_id, kind, start, end, exact, prefix,"
                " suffix, color, type, entity, note, orphaned, created_at, updated_at)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    ann.id,
                    ann.document_id,
                    ann.kind,
                    ann.start,
                    ann.end,
                    ann.text,
                    ann.prefix,
                    ann.suffix,
                    ann.color,
                    ann.type,
                    ann.entity,
                    ann.note,
                    int(ann.orphaned),
                    stamp,
                    stamp,
                ),
            )
        return self.annotation(ann.id)

    # ------------------------------------------------------------------------------ tags

    @staticmethod
    def _clean_tags(tags: Iterable[str]) -> list[str]:
        out = []
        for tag in tags:
            name = " ".join(str(tag).split())
            if not name:
                raise UsageError("a tag cannot be empty")
            if name not in out:
                out.append(name)
        return out

    @_guarded
    def tag(self, doc_id: int, tags: Iterable[str]) -> Changes:
        """Add tags to a document (those it has already are left as they are)."""
        self._require(doc_id)
        names = self._clean_tags(tags)
        with self.transaction() as c:
            for name in names:
                c.execute("INSERT OR IGNORE INTO tags (name) VALUES (?)", (name,))
                c.execute(
                    "INSERT OR IGNORE INTO document_tags (document_id, tag_id)"
                    " SELECT ?, id FROM tags WHERE name = ?",
                    (doc_id, name),
                )
        return Changes(documents=(doc_id,), tags=True)

    @_guarded
    def untag(self, doc_id: int, tags: Iterable[str]) -> Changes:
        """Remove tags from a document; a tag no document uses any more is forgotten."""
        self._require(doc_id)
        names = self._clean_tags(tags)
        with self.transaction() as c:
            for name in names:
                c.execute(
                    "DELETE FROM document_tags WHERE document_id = ?"
                    " AND tag_id = (SELECT id FROM tags WHERE name = ?)",
                    (doc_id, name),
                )
            c.execute(
                "DELETE FROM tags WHERE id NOT IN (SELECT DISTINCT tag_id FROM document_tags)"
            )
        return Changes(documents=(doc_id,), tags=True)

    @_guarded
    def document_tags(self, doc_id: int) -> list[str]:
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT t.name FROM document_tags dt JOIN tags t ON t.id = dt.tag_id"
                " WHERE dt.document_id = ? ORDER BY t.name",
                (doc_id,),
            )
        ]

    @_guarded
    def tags(self) -> list[tuple[str, int]]:
        """Every tag with the number of documents that carry it, by name."""
        return [
            (r[0], r[1])
            for r in self.conn.execute(
                "SELECT t.name, count(dt.document_id) FROM tags t LEFT JOIN document_tags dt"
                " ON dt.tag_id = t.id GROUP BY t.id ORDER BY t.name"
            )
        ]

    # ------------------------------------------------------------------------ entity types

    @_guarded
    def entity_types(self) -> list[EntityType]:
        return [
            EntityType(r["name"], r["color"], r["key"], r["position"])
            for r in self.conn.execute("SELECT * FROM entity_types ORDER BY position, name")
        ]

    @_guarded
    def add_entity_type(self, name: str, color: str, key: int | None = None) -> EntityType:
        name = name.strip()
        if not name:
            raise UsageError("an entity type needs a name")
        if any(t.name == name for t in self.entity_types()):
            raise UsageError(f"there is already an entity type {name!r}")
        with self.transaction() as c:
            if key is not None:
                c.execute("UPDATE entity_types SET key = NULL WHERE key = ?", (key,))
            c.execute(
                "INSERT INTO entity_types (name, color, key, position)"
                " VALUES (?, ?, ?, (SELECT coalesce(max(position), -1) + 1 FROM entity_types))",
                (name, color, key),
            )
        return next(t for t in self.entity_types() if t.name == name)

    @_guarded
    def update_entity_type(
        self,
        name: str,
        *,
        new_name: str | None = None,
        color: str | None = None,
        key: int | None | bool = False,
    ) -> Changes:
        """Rename, recolour or re-key a type; a rename carries its mentions along.

        ``key=False`` leaves the key alone; ``None`` clears it; a number takes it from any other
        type that had it.
        """
        if not any(t.name == name for t in self.entity_types()):
            raise UsageError(f"unknown entity type {name!r}")
        with self.transaction() as c:
            if color is not None:
                c.execute("UPDATE entity_types SET color = ? WHERE name = ?", (color, name))
            if key is not False:
                if key is not None:
                    c.execute("UPDATE entity_types SET key = NULL WHERE key = ?", (key,))
                c.execute("UPDATE entity_types SET key = ? WHERE name = ?", (key, name))
            if new_name and new_name != name:
                if c.execute("SELECT 1 FROM entity_types WHERE name = ?", (new_name,)).fetchone():
                    raise UsageError(f"there is already an entity type {new_name!r}")
                c.execute("UPDATE entity_types SET name = ? WHERE name = ?", (new_name, name))
                c.execute("UPDATE annotations SET type = ? WHERE type = ?", (new_name, name))
                c.execute("UPDATE entities SET type = ? WHERE type = ?", (new_name, name))
        return Changes(entity_types=True, annotations=bool(new_name))
