"""Tag everywhere: find every occurrence of a text and tag them all as one undoable batch.

The window's "Tag all occurrences" runs in two steps. :func:`find_occurrences` is the preview (how
many, in which documents) and changes nothing; :func:`tag_occurrences` then inserts the mentions,
in a worker for the whole library, with progress and cancel. It returns a :class:`BatchResult`
listing every annotation it created, so one :func:`untag_batch` takes the whole batch back, and
:func:`restore_batch` (redo) puts it back with the same ids.

Speed on a large library comes from not reading most bodies: the full-text index names the
documents that contain the phrase (``documents_fts MATCH 'body : "…"'``), and only those bodies
are scanned exactly. The index folds case and diacritics, so its answer is a superset of the exact
matches; the word-character rule in :mod:`reader.annotate.words` makes sure whole-word matches
always fall on the index's token boundaries, so the index never misses one. Texts the index
cannot look up (no letters or digits, or a search inside words) fall back to scanning bodies.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from reader.annotate import registry
from reader.annotate.anchor import CONTEXT
from reader.annotate.words import has_index_token, is_whole_word, normalise_name
from reader.library.errors import UsageError
from reader.library.records import Changes

if TYPE_CHECKING:
    import sqlite3

    from reader.library.library import Library

Progress = Callable[[int, int], None]  # (done, total)
Cancel = Callable[[], bool]

#: Ids per ``IN (…)`` list: well under SQLite's variable limit, large enough to amortise a query.
CHUNK = 500

#: Mentions inserted per transaction. A cancel stops between two; each commit is a point the
#: window can show progress from and a crash cannot undo.
BATCH = 20_000

#: At most this many documents named by the caller are scanned directly, without the index.
DIRECT = 64

#: A preview with more occurrences than this keeps no quotes (about 250 bytes each).
QUOTE_LIMIT = 200_000

_COLUMNS = (
    "id, document_id, kind, start, end, exact, prefix, suffix, color, type, entity, note,"
    " orphaned, created_at, updated_at"
)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _chunks(values: Sequence[int], size: int = CHUNK) -> Iterator[Sequence[int]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


@dataclass(frozen=True)
class Occurrences:
    """The preview of a tag-everywhere: where ``text`` occurs and is not yet tagged so.

    ``spans`` maps each document id to its spans (code-point offsets into its body, ascending).
    ``already`` counts occurrences skipped because an identical mention (same span, and same
    type when one was given) is already there.
    """

    text: str
    whole_word: bool
    case_sensitive: bool
    type: str | None
    spans: Mapping[int, tuple[tuple[int, int], ...]]
    already: int = 0
    cancelled: bool = False
    #: Per document, each span's quote (exact, prefix, suffix), aligned with ``spans``, and the
    #: content hash of the body they were cut from: tagging then need not read those bodies
    #: again. Left empty for very large previews (memory), and then tagging reads them.
    quotes: Mapping[int, tuple[tuple[str, str, str], ...]] = field(
        default_factory=dict, repr=False, compare=False
    )
    hashes: Mapping[int, str] = field(default_factory=dict, repr=False, compare=False)

    @property
    def count(self) -> int:
        return sum(len(s) for s in self.spans.values())

    @property
    def n_documents(self) -> int:
        return len(self.spans)

    @property
    def doc_ids(self) -> tuple[int, ...]:
        return tuple(self.spans)


@dataclass(frozen=True)
class BatchResult:
    """What :func:`tag_occurrences` created: every new annotation id, for one undo."""

    ids: tuple[int, ...]
    documents: tuple[int, ...]
    text: str
    type: str
    entity: str
    cancelled: bool = False
    skipped: int = 0  # occurrences not tagged: already tagged, or the body changed since

    @property
    def count(self) -> int:
        return len(self.ids)

    @property
    def changes(self) -> Changes:
        return Changes(documents=self.documents, annotations=True, document_list=True)


@dataclass(frozen=True)
class RemovedBatch:
    """The rows :func:`untag_batch` deleted, whole, so :func:`restore_batch` can redo."""

    rows: tuple[tuple[object, ...], ...] = field(repr=False)
    documents: tuple[int, ...] = ()

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def changes(self) -> Changes:
        return Changes(documents=self.documents, annotations=True, document_list=True)


# ------------------------------------------------------------------------------ finding


def _matcher(text: str, whole_word: bool, case_sensitive: bool) -> Callable[[str], list[int]]:
    """A function giving the start of every (non-overlapping) occurrence of ``text`` in a body."""
    n = len(text)
    if case_sensitive:

        def find(body: str) -> list[int]:
            out, pos = [], body.find(text)
            while pos != -1:
                if not whole_word or is_whole_word(body, pos, pos + n):
                    out.append(pos)
                    pos = body.find(text, pos + n)
                else:
                    pos = body.find(text, pos + 1)
            return out

        return find
    pattern = re.compile(re.escape(text), re.IGNORECASE)

    def search(body: str) -> list[int]:
        out, m = [], pattern.search(body)
        while m is not None:
            pos = m.start()
            if not whole_word or is_whole_word(body, pos, pos + n):
                out.append(pos)
                m = pattern.search(body, pos + n)
            else:
                m = pattern.search(body, pos + 1)
        return out

    return search


def _fts_phrase(text: str) -> str:
    """An FTS5 query for ``text`` as one phrase in the body column; nothing in it is syntax."""
    return 'body : "' + text.replace('"', '""') + '"'


def _candidates(
    conn: sqlite3.Connection,
    text: str,
    doc_ids: Sequence[int] | None,
    whole_word: bool,
    case_sensitive: bool,
) -> list[int]:
    """Documents that may contain ``text``: a superset of those that do, ascending."""
    if doc_ids is not None and len(doc_ids) <= DIRECT:
        return sorted(set(doc_ids))
    wanted = set(doc_ids) if doc_ids is not None else None
    if whole_word and has_index_token(text):
        rows = conn.execute(
            "SELECT rowid FROM documents_fts WHERE documents_fts MATCH ? ORDER BY rowid",
            (_fts_phrase(text),),
        )
    elif case_sensitive:
        rows = conn.execute(
            "SELECT document_id FROM document_bodies WHERE instr(body, ?) > 0 ORDER BY document_id",
            (text,),
        )
    else:
        rows = conn.execute("SELECT document_id FROM document_texts ORDER BY document_id")
    return [r[0] for r in rows if wanted is None or r[0] in wanted]


def _bodies(conn: sqlite3.Connection, ids: Sequence[int]) -> Iterator[tuple[int, str, str]]:
    """(id, body, content hash) of those of ``ids`` that exist."""
    marks = ",".join("?" * len(ids))
    yield from conn.execute(
        "SELECT t.document_id, t.body, d.content_hash FROM document_bodies t"
        f" JOIN documents d ON d.id = t.document_id WHERE t.document_id IN ({marks})",
        list(ids),
    )


def _tagged(
    conn: sqlite3.Connection, ids: Sequence[int], type_: str | None
) -> set[tuple[int, int, int]]:
    """(document, start, end) of the entity mentions already in ``ids`` (of ``type_`` if given)."""
    marks = ",".join("?" * len(ids))
    sql = (
        "SELECT document_id, start, end FROM annotations WHERE kind = 'entity' AND orphaned = 0"
        f" AND document_id IN ({marks})"
    )
    params: list[object] = list(ids)
    if type_ is not None:
        sql += " AND type = ?"
        params.append(type_)
    return {(r[0], r[1], r[2]) for r in conn.execute(sql, params)}


def find_occurrences(
    lib: Library,
    text: str,
    *,
    doc_ids: Iterable[int] | None = None,
    whole_word: bool = True,
    case_sensitive: bool = True,
    type: str | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> Occurrences:
    """Where ``text`` occurs in the bodies of ``doc_ids`` (default: the whole library).

    Occurrences already carrying an identical entity mention (same span; same ``type`` when
    given, any type when not) are left out and counted in ``already``. Read-only, so it can run
    on the window's thread for one document and in a worker for the library; ``cancel`` returns
    what was found so far, marked ``cancelled``.
    """
    if not text or not text.strip():
        raise UsageError("there is nothing to look for: the text is empty")
    conn = lib.conn
    ids_in = list(doc_ids) if doc_ids is not None else None
    candidates = _candidates(conn, text, ids_in, whole_word, case_sensitive)
    find = _matcher(text, whole_word, case_sensitive)
    n = len(text)
    spans: dict[int, tuple[tuple[int, int], ...]] = {}
    quotes: dict[int, tuple[tuple[str, str, str], ...]] = {}
    hashes: dict[int, str] = {}
    keep_quotes = True
    already = count = done = 0
    cancelled = False
    for chunk in _chunks(candidates):
        if cancel is not None and cancel():
            cancelled = True
            break
        found: dict[int, tuple[list[int], str, str]] = {}
        for doc_id, body, content_hash in _bodies(conn, chunk):
            starts = find(body)
            if starts:
                found[doc_id] = (starts, body, content_hash)
        if found:
            tagged = _tagged(conn, list(found), type)
            for doc_id in sorted(found):
                starts, body, content_hash = found[doc_id]
                kept = [(s, s + n) for s in starts if (doc_id, s, s + n) not in tagged]
                already += len(starts) - len(kept)
                if not kept:
                    continue
                spans[doc_id] = tuple(kept)
                count += len(kept)
                if keep_quotes and count > QUOTE_LIMIT:
                    keep_quotes = False
                    quotes.clear()
                    hashes.clear()
                if keep_quotes:
                    quotes[doc_id] = tuple(
                        (body[s:e], body[max(0, s - CONTEXT) : s], body[e : e + CONTEXT])
                        for s, e in kept
                    )
                    hashes[doc_id] = content_hash
        done += len(chunk)
        if progress is not None:
            progress(done, len(candidates))
    return Occurrences(
        text=text,
        whole_word=whole_word,
        case_sensitive=case_sensitive,
        type=type,
        spans=spans,
        already=already,
        cancelled=cancelled,
        quotes=quotes,
        hashes=hashes,
    )


# ------------------------------------------------------------------------------ tagging


def _doc_batches(occ: Occurrences, size: int) -> Iterator[list[int]]:
    """Document ids in groups of about ``size`` spans (never splitting a document)."""
    group: list[int] = []
    spans = 0
    for doc_id, doc_spans in occ.spans.items():
        group.append(doc_id)
        spans += len(doc_spans)
        if spans >= size or len(group) >= CHUNK:
            yield group
            group, spans = [], 0
    if group:
        yield group


def _quoted_spans(
    conn: sqlite3.Connection, occ: Occurrences, group: Sequence[int], same: Callable[[str], bool]
) -> tuple[list[tuple[int, list[tuple[int, int, str, str, str]]]], int]:
    """Each document's spans that still hold, with their quotes; and how many no longer do.

    A body whose content hash is the one the preview saw is not read again: the preview's quotes
    hold. Any other body (changed since, or a preview that kept no quotes) is read and every
    span checked against it; a document deleted since has no spans left.
    """
    marks = ",".join("?" * len(group))
    hashes = dict(
        conn.execute(f"SELECT id, content_hash FROM documents WHERE id IN ({marks})", group)
    )
    out: list[tuple[int, list[tuple[int, int, str, str, str]]]] = []
    lost = sum(len(occ.spans[d]) for d in group if d not in hashes)
    reread = []
    for doc_id in group:
        if doc_id not in hashes:
            continue
        if doc_id in occ.quotes and occ.hashes.get(doc_id) == hashes[doc_id]:
            pairs = zip(occ.spans[doc_id], occ.quotes[doc_id], strict=True)
            out.append((doc_id, [(s, e, *q) for (s, e), q in pairs]))
        else:
            reread.append(doc_id)
    for doc_id, body, _ in _bodies(conn, reread) if reread else ():
        kept = []
        for s, e in occ.spans[doc_id]:
            if (
                e > len(body)
                or not same(body[s:e])
                or (occ.whole_word and not is_whole_word(body, s, e))
            ):
                lost += 1
            else:
                kept.append((s, e, body[s:e], body[max(0, s - CONTEXT) : s], body[e : e + CONTEXT]))
        out.append((doc_id, kept))
    return out, lost


def tag_occurrences(
    lib: Library,
    occurrences: Occurrences,
    type: str,
    entity: str | None = None,
    *,
    note: str | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    batch_size: int = BATCH,
) -> BatchResult:
    """Tag every span of ``occurrences`` as a mention of ``entity`` (default: the text).

    The entity is remembered in the registry first, and an alias resolves to its canonical name.
    Mentions are inserted with ``executemany`` in transactions of about ``batch_size``; ids are
    assigned explicitly inside each (the write lock is held, so they are exactly the new rows),
    which is how the result can list them all for :func:`untag_batch`. Spans are checked again
    against bodies changed since the preview and against mentions made since; those that no
    longer hold are skipped, not tagged wrongly. A ``cancel`` stops between transactions and
    leaves the batches already committed, all listed in the result (``cancelled`` set).
    """
    registry._check_type(lib, type)
    name = normalise_name(entity) if entity else normalise_name(occurrences.text)
    canonical = registry.remember(lib, name, type)
    text = occurrences.text
    if occurrences.case_sensitive:

        def same(found: str) -> bool:
            return found == text

    else:
        pattern = re.compile(re.escape(text), re.IGNORECASE)

        def same(found: str) -> bool:
            return pattern.fullmatch(found) is not None

    total = occurrences.count
    created: list[int] = []
    documents: list[int] = []
    skipped = done = 0
    cancelled = False
    note = note or None
    for group in _doc_batches(occurrences, batch_size):
        if cancel is not None and cancel():
            cancelled = True
            break
        stamp = _now()
        with lib.transaction() as c:
            tagged = _tagged(c, group, type)
            per_doc, lost = _quoted_spans(c, occurrences, group, same)
            skipped += lost
            next_id = c.execute("SELECT coalesce(max(id), 0) FROM annotations").fetchone()[0] + 1
            rows = []
            for doc_id, spans in per_doc:
                before = len(rows)
                for s, e, exact, prefix, suffix in spans:
                    if (doc_id, s, e) in tagged:
                        skipped += 1
                        continue
                    rows.append(
                        (next_id + len(rows), doc_id, "entity", s, e, exact, prefix, suffix)
                    )
                if len(rows) > before:
                    documents.append(doc_id)
            c.executemany(
                f"INSERT INTO annotations ({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,NULL,?,?,?,0,?,?)",
                [(*r, type, canonical, note, stamp, stamp) for r in rows],
            )
            created.extend(range(next_id, next_id + len(rows)))
        done += sum(len(occurrences.spans[d]) for d in group)
        if progress is not None:
            progress(done, total)
    return BatchResult(
        ids=tuple(created),
        documents=tuple(sorted(documents)),
        text=text,
        type=type,
        entity=canonical,
        cancelled=cancelled,
        skipped=skipped,
    )


def untag_batch(lib: Library, result: BatchResult) -> RemovedBatch:
    """Undo a tag-everywhere: delete every annotation it created, in one transaction.

    Returns the rows as they were (notes added since included), for :func:`restore_batch`.
    Ids already gone (deleted one by one since) are simply not there to delete.
    """
    rows: list[tuple[object, ...]] = []
    ids = list(result.ids)
    with lib.transaction() as c:
        for chunk in _chunks(ids, 10_000):
            marks = ",".join("?" * len(chunk))
            rows += [
                tuple(r)
                for r in c.execute(
                    f"SELECT {_COLUMNS} FROM annotations WHERE id IN ({marks})", list(chunk)
                )
            ]
            c.execute(f"DELETE FROM annotations WHERE id IN ({marks})", list(chunk))
    return RemovedBatch(rows=tuple(rows), documents=tuple(sorted({int(r[1]) for r in rows})))


def restore_batch(lib: Library, removed: RemovedBatch) -> Changes:
    """Redo a tag-everywhere that was undone: put the rows back with their ids."""
    with lib.transaction() as c:
        c.executemany(
            f"INSERT INTO annotations ({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            removed.rows,
        )
    return removed.changes
