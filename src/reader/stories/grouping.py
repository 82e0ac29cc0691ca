"""Grouping pages into stories, incrementally, as they are imported.

Two kinds of link join pages into a story:

* **near-duplicate** — the same text under different chrome: a re-scrape with another header,
  the same wire copy on two outlets. Estimated Jaccard similarity of their sentence sets
  ≥ :data:`NEAR_DUPLICATE` (a bottom-16 MinHash, :mod:`reader.stories.text`), whatever their
  dates.
* **same-event** — two reports of one event in different words (the two pages in ``seeds/``).
  TF-IDF cosine ≥ :data:`SAME_EVENT` over the 48 heaviest content terms of their leads (stop
  words out, names count double), at least :data:`SHARED_NAMES` names among those terms in
  common, and, when both pages have a date (:mod:`reader.stories.dates`), at most
  :data:`DATE_WINDOW_DAYS` days apart.

**Why these measures** (numbers from ``tests/stories/test_shared_corpus.py`` and
``tests/benchmarks/bench_stories.py``): the two seeds share 8 % of their word 3-shingles and the
sample dump's two outlets 2 %, as unrelated pages do, so MinHash over shingles alone cannot find
same-event reports. Their TF-IDF cosine is 0.58–0.66, where almost all BBC pairs score below
0.3. Unweighted word-set Jaccard and overlap of capitalised names separated them less well (2×
and 1.6× more BBC pairs as high as the seeds); counting names double and reading only the lead
each cut the BBC groups further at no loss on the labelled pairs. Requiring two shared names
changed nothing on the labelled pages or the BBC corpus (all their pairs above the threshold
share more) and cut the benchmark's gibberish from a quarter of its pages grouped to under 1 %.
Sentence resemblance, in turn, is what tells a copy from a rewrite.

**Thresholds.** Near-duplicate 0.7 sentence resemblance: the BBC corpus's re-published articles
(same body under a new headline, or a line changed) score 0.8–1.0, rewrites of a story ≤ 0.6.
Same-event 0.5 was chosen from precision and recall on the project's fixture dump, the seeds and
the sample dump (all 1.0 from 0.4 to 0.6) and the number of groups the BBC corpus makes at each
threshold (it has no dates, so the window cannot help there; 238 groups at 0.4, 169 at 0.5, 123
at 0.6, of which ~50 are its re-published copies): each labelled page's best true link scores
≥ 0.58 in a library of its own dump alone, and 0.5 keeps a margin of 0.08 below that.

**Finding candidates without comparing all pairs.** Each page has keys (:mod:`reader.stories
.index`): its three smallest sentence hashes (two pages with resemblance 0.7 share one with
probability ≈ 0.97), and one key per pair of its eight heaviest terms (28 keys; pages sharing
two top terms). On the BBC corpus with the labelled pages, that finds 99.2 % of the 397 pairs
with cosine ≥ 0.5 and two names in common (``test_keys_find_the_pairs_worth_comparing``;
keying the six heaviest terms, 18 keys, found 96.8 % of the BBC's own 372). A key gives
only its :data:`~reader.stories.index.KEY_CAP` newest pages, so a phrase every page shares
cannot make lookups grow with the library, and a new report still finds the latest pages of a
long-running story.
Pages are read :data:`BATCH` at a time: their terms are counted, their vectors weighed and
their candidates found for the whole batch at once (NumPy); then each page, in id order, is
compared with at most :data:`MAX_CANDIDATES` pages (those sharing the most keys, earlier pages
of its batch included) using their stored signatures — no body is read twice — and joins the
story of its best match (a near-duplicate beats a same-event match, then the higher score).
Pages it matches that are in no story yet join too, through it; two existing stories are never
merged, so a long-running topic does not snowball into one story; and a same-event page joins a
story only within the date window of the story's dated pages, so an undated page cannot bridge
two events weeks apart. Only groups of two or more are stories.

**When.** An import groups its new pages as it writes them (:mod:`reader.stories.on_import`),
their summaries made beside the parser in its worker processes; :func:`group_pending` catches
up on whatever is left (changed pages, a cancelled import, a library made before stories).

**Document frequencies** for the IDF come from a hashed count table (2^16 counters in
``story_state``, held in memory by :class:`Grouping` between transactions), updated a batch at a
time before the batch is placed: exact up to collisions,
which can only make a rare word look commoner. A page whose text changed is counted again (its
old text cannot be uncounted) until :func:`rebuild_stories`, which reads pages in the same id
order and batches as imports do.

**Updates.** A changed or vanished document leaves its story; the story's other members are
placed again from their signatures (they may stay together, split, or join another story), the
group that re-forms first around its earliest member keeping the story's id. Reading a document
whose text did not change since it was read does nothing.
"""

from __future__ import annotations

import sqlite3
import time
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date as date_type
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Literal

import numpy as np

from reader.stories import pairs, text
from reader.stories.dates import days_apart, page_dates
from reader.stories.index import CandidateIndex, keys_of, sort_keys
from reader.stories.text import Summary, pack_array, unpack_array

if TYPE_CHECKING:
    from reader.library.library import Library

LinkKind = Literal["first", "near-duplicate", "same-event"]

#: Estimated sentence-set Jaccard similarity at or above which two pages are the same text.
NEAR_DUPLICATE = 0.7
#: Term cosine at or above which two pages report the same event.
SAME_EVENT = 0.5
#: Names (terms a page never writes in lower case) two same-event pages share among their
#: heaviest terms at least: reports of one event name the same people and places.
SHARED_NAMES = 2
#: Same-event pages with dates are at most this many days apart. Near-duplicates have no window:
#: a re-scrape a month later is still the same article.
DATE_WINDOW_DAYS = 3
#: Pages compared with each new page, those sharing the most keys first.
MAX_CANDIDATES = 4
#: Pages read per step: their terms are counted, then they are placed one by one. An import
#: places its new pages in steps of the same size, so both find the same stories.
BATCH = 500

DF_BITS = 16
_DF_SIZE = 1 << DF_BITS
_DF_MASK = np.uint32(_DF_SIZE - 1)

#: :meth:`reader.stories.text.Summary.pack` of a page: what an import's workers send.
Packed = tuple[bytes, bytes, bytes, bytes]


@dataclass
class StoryReport:
    """What :func:`update_stories` did; ``stories`` are the ids a view should redraw."""

    read: int = 0  # documents read (new or changed text)
    unchanged: int = 0  # already read with this text: nothing to do
    removed: int = 0  # asked for but no longer in the library (their rows were dropped)
    joined: list[tuple[int, int]] = field(default_factory=list)  # (document, story) placed
    stories: set[int] = field(default_factory=set)  # created, changed or dissolved
    cancelled: bool = False
    seconds: float = 0.0

    def add(self, other: StoryReport) -> None:
        self.read += other.read
        self.unchanged += other.unchanged
        self.removed += other.removed
        self.joined.extend(other.joined)
        self.stories |= other.stories
        self.cancelled = self.cancelled or other.cancelled


@dataclass(frozen=True)
class Match:
    """How a page relates to one it was compared with."""

    document_id: int
    kind: LinkKind
    score: float

    def rank(self) -> tuple[bool, float, int]:
        return (self.kind == "near-duplicate", self.score, -self.document_id)


@dataclass
class Compared:
    """A batch of pages compared with their candidates: what placing them takes, beyond the
    pages themselves (it travels between processes, so it holds no more than that)."""

    terms: list[bytes]  # each page's stored vector: its heaviest terms (uint32)…
    weights: list[bytes]  # …their weights (float32)…
    names: list[bytes]  # …and those that are names (uint32)
    stored: list[tuple[int, str | None]]  # (id, date) of the stored pages among the matches
    # The matches of the pages that have any (by position in the batch), best first. Only
    # those: an empty list a page was most of what the writer unpickled, and the collector's
    # work for the objects, 0.2-0.3 s of the writer's time in a 100,000-page import.
    matches: dict[int, list[Match]]

    def rows(self, pages: Sequence[tuple[int, str, str | None, Packed]]) -> Iterator[tuple]:
        """The ``document_signatures`` rows of ``pages`` (those compared, in order), one at a
        time: each is gone before the next is made, so the collector never sees them."""
        return zip(
            [p[0] for p in pages],
            [p[1] for p in pages],
            [p[2] for p in pages],
            [p[3][0] for p in pages],
            self.terms,
            self.weights,
            self.names,
            strict=False,  # fewer pages: the first ones
        )


@dataclass
class Signature:
    """A read page as the grouping keeps it (a row of ``document_signatures``)."""

    document_id: int
    date: str | None
    sketch: array  # uint32 sentence hashes, ascending
    terms: list[int]  # its heaviest TF-IDF terms, heaviest first
    weights: list[float]  # L2-normalised
    names: frozenset[int] = frozenset()  # those terms that are names

    @property
    def vector(self) -> dict[int, float]:
        return dict(zip(self.terms, self.weights, strict=True))

    @classmethod
    def from_row(
        cls,
        doc_id: int,
        date: str | None,
        sketch: bytes,
        terms: bytes,
        weights: bytes,
        names: bytes | None,
    ) -> Signature:
        return cls(
            doc_id,
            date,
            unpack_array("I", sketch),
            unpack_array("I", terms).tolist(),
            unpack_array("f", weights).tolist(),
            frozenset(unpack_array("I", names)),
        )


def update_stories(
    lib: Library,
    doc_ids: Iterable[int],
    *,
    cancel: Callable[[], bool] | None = None,
    summaries: Mapping[int, Summary] | None = None,
    grouping: Grouping | None = None,
) -> StoryReport:
    """Read new or changed documents ``doc_ids`` and place each in a story (or in none).

    Incremental: each document looks its candidates up in the index, never all pairs. Runs in
    the caller's transaction when ``lib.conn`` is in one, else in its own. ``cancel()`` is
    asked between documents; those not reached stay unread and are listed by
    :func:`pending_documents` (nothing is half-done). ``summaries`` may give
    :func:`reader.stories.text.summarise` of some bodies, computed elsewhere; the others are
    read from the library. ``grouping`` keeps what was learnt between calls (see
    :class:`Grouping`); without one, the candidate index is built afresh.
    """
    ids = sorted(set(doc_ids))
    if not ids and _scheme(lib.conn) == text.SCHEME:
        return StoryReport()  # nothing to do: do not even take the write lock
    return (grouping or Grouping(lib)).update(ids, cancel=cancel, summaries=summaries)


def group_pending(
    lib: Library,
    *,
    cancel: Callable[[], bool] | None = None,
    progress: Callable[[int, int], None] | None = None,
    batch: int = BATCH,
    grouping: Grouping | None = None,
) -> StoryReport:
    """Group every page not yet read (:func:`pending_documents`), ``batch`` at a time.

    Each batch is its own transaction, so the write lock is never held for more than a
    fraction of a second: the window's edits go on while a large import's pages are grouped
    behind them, and a cancel or a crash keeps every finished batch. ``progress(done, total)``
    follows each batch. The reports of the batches are added up. ``grouping`` is one to go on
    with (its candidate index already built), else a new one.
    """
    started = time.perf_counter()
    ids = pending_documents(lib)
    total = StoryReport()
    grouping = grouping or Grouping(lib)  # one candidate index for all the batches
    for start in range(0, len(ids), batch):
        if cancel is not None and cancel():
            total.cancelled = True
            break
        total.add(grouping.update(ids[start : start + batch], cancel=cancel))
        if progress is not None:
            progress(min(start + batch, len(ids)), len(ids))
        if total.cancelled:
            break
    total.seconds = time.perf_counter() - started
    return total


def _scheme(conn: sqlite3.Connection) -> str | None:
    row = conn.execute("SELECT value FROM story_state WHERE name = 'scheme'").fetchone()
    return row[0] if row else None


def rebuild_stories(lib: Library, *, cancel: Callable[[], bool] | None = None) -> StoryReport:
    """Forget every story and signature and read the whole library again, in id order.

    The same steps as an import's, so the result does not depend on which of the two ran. A
    cancelled rebuild leaves the documents not reached unread (see :func:`pending_documents`).
    """
    return Grouping(lib).rebuild(cancel=cancel)


def pending_documents(lib: Library) -> list[int]:
    """Documents the grouping has not read in their current text (new, changed, or skipped by a
    cancel), in id order."""
    return [
        r[0]
        for r in lib.conn.execute(
            "SELECT d.id FROM documents d LEFT JOIN document_signatures s"
            " ON s.document_id = d.id"
            " WHERE s.document_id IS NULL OR s.content_hash != d.content_hash ORDER BY d.id"
        )
    ]


def compare(a: Signature, b: Signature) -> tuple[LinkKind, float] | None:
    """How two read pages relate: (kind, score), or None when they are not one story.

    Near-duplicates first (sentence resemblance ≥ :data:`NEAR_DUPLICATE`, any dates); else
    same-event (cosine ≥ :data:`SAME_EVENT` and, when both have dates, at most
    :data:`DATE_WINDOW_DAYS` apart).
    """
    if not set(a.sketch).isdisjoint(b.sketch):  # no sentence in common: resemblance 0
        resemblance = text.resemblance(a.sketch, b.sketch)
        if resemblance >= NEAR_DUPLICATE:
            return "near-duplicate", resemblance
    if len(a.names & b.names) < SHARED_NAMES:
        return None
    similarity = text.cosine(a.vector, b.vector)
    if similarity < SAME_EVENT:
        return None
    if a.date and b.date and days_apart(a.date, b.date) > DATE_WINDOW_DAYS:
        return None
    return "same-event", min(similarity, 1.0)


def compare_many(
    sigs: pairs.Signatures, dates: Sequence[str | None], a: np.ndarray, b: np.ndarray
) -> dict[int, tuple[LinkKind, float]]:
    """:func:`compare` of many pairs ``(a[j], b[j])`` of the signatures ``sigs`` (whose dates
    are ``dates``) at once (:mod:`reader.stories.pairs`): {j: (kind, score)} of the pairs that
    are one story."""
    resemblance, shared, cosines = pairs.compare(sigs, a, b)
    near = resemblance >= NEAR_DUPLICATE
    maybe = np.flatnonzero(~near & (shared >= SHARED_NAMES))
    similarity = np.zeros(len(a))
    similarity[maybe] = cosines[maybe]
    found: dict[int, tuple[LinkKind, float]] = {
        j: ("near-duplicate", float(resemblance[j])) for j in np.flatnonzero(near).tolist()
    }
    for j in maybe[similarity[maybe] >= SAME_EVENT].tolist():
        first, second = dates[a[j]], dates[b[j]]
        if first and second and days_apart(first, second) > DATE_WINDOW_DAYS:
            continue
        found[j] = ("same-event", min(float(similarity[j]), 1.0))
    return found


# ------------------------------------------------------------------------------- machinery


def _chunks(items: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _marks(n: int) -> str:
    return ",".join("?" * n)


@dataclass
class _Batch:
    """Pages read together, as the grouping made them: their fields side by side, and their
    terms, weights and names as one byte string each (sliced per page for storage)."""

    ids: list[int]
    hashes: list[str]
    dates: list[str | None]
    sketches: list[bytes]
    term_blobs: list[bytes]
    weight_blobs: list[bytes]
    name_blobs: list[bytes]
    sigs: pairs.Signatures  # the same, laid end to end for comparing

    @classmethod
    def of(
        cls,
        pages: Sequence[tuple[int, str, str | None, Packed]],
        terms: np.ndarray,
        weights: np.ndarray,
        bounds: np.ndarray,
        is_name: np.ndarray,
    ) -> _Batch:
        """From (id, hash, date, packed summary) of each page and their kept terms (uint32),
        weights and name flags, laid end to end (page ``i``'s at ``bounds[i]:bounds[i + 1]``)."""
        n = len(pages)
        # Each page's names, sorted, as one sort of (page, term) codes.
        page_of_term = np.repeat(np.arange(n, dtype=np.int64), np.diff(bounds))
        names = np.sort((page_of_term[is_name] << 32) | terms[is_name])
        name_bounds = np.searchsorted(names >> 32, np.arange(n + 1), "left")
        sketches = [p[3][0] for p in pages]
        terms = terms.astype("<u4")
        weights = weights.astype("<f4")
        names = (names & 0xFFFFFFFF).astype("<u4")
        return cls(
            [p[0] for p in pages],
            [p[1] for p in pages],
            [p[2] for p in pages],
            sketches,
            _slices(terms.tobytes(), bounds),
            _slices(weights.tobytes(), bounds),
            _slices(names.tobytes(), name_bounds),
            pairs.Signatures(
                *pairs.laid_out(sketches, "<u4"), terms, weights, bounds, names, name_bounds
            ),
        )


def _slices(data: bytes, bounds: np.ndarray, width: int = 4) -> list[bytes]:
    """``data`` cut at ``bounds`` (in items of ``width`` bytes)."""
    cuts = (bounds * width).tolist()
    return [data[a:b] for a, b in zip(cuts, cuts[1:], strict=False)]


class Grouping:
    """The grouping of one library, kept in memory between transactions.

    It holds the document frequencies, the number of pages read and the candidate index
    (:class:`reader.stories.index.CandidateIndex`, built from the stored signatures the first
    time a page is looked up). Each transaction that changes them records a new *generation*
    in ``story_state``; at the start of the next one, a different generation (another process
    grouped, or a transaction was rolled back) makes it read them again, so what it holds is
    never stale.
    """

    def __init__(self, lib: Library) -> None:
        self.lib = lib
        self.conn = lib.conn
        self._init_state()

    def _init_state(self) -> None:
        self.stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
        self.report = StoryReport()
        self.generation: object = None  # of the state held here; None: nothing held
        self.scheme: str | None = None
        self.df = np.zeros(_DF_SIZE, np.uint32)
        self.documents = 0
        self.index: CandidateIndex | None = None
        self.batch_dates: dict[int, str | None] = {}  # pages read but not stored yet
        # Caches for placing pages, valid within one transaction:
        self.member_of: dict[int, int | None] = {}  # document → its story (None: in none)
        self.spans: dict[int, tuple[str, str] | None] = {}  # story → its dated pages' span
        self.stamped: set[int] = set()  # stories whose updated_at is this grouping's stamp
        self.known_dates: dict[int, str | None] = {}  # of the current batch's stored candidates

    # --------------------------------------------------------------------- transactions

    def update(
        self,
        ids: Sequence[int],
        *,
        cancel: Callable[[], bool] | None = None,
        summaries: Mapping[int, Summary] | None = None,
    ) -> StoryReport:
        """:func:`update_stories` with this grouping's state."""
        started = time.perf_counter()
        self.report = StoryReport()
        with self._transaction():
            if self.begin():
                self._rebuild(cancel)
            else:
                self._update(sorted(set(ids)), cancel, summaries or {})
            self.save()
        self.report.seconds = time.perf_counter() - started
        return self.report

    def rebuild(self, *, cancel: Callable[[], bool] | None = None) -> StoryReport:
        """:func:`rebuild_stories` with this grouping's state."""
        started = time.perf_counter()
        self.report = StoryReport()
        with self._transaction():
            self.begin()
            self._rebuild(cancel)
            self.save()
        self.report.seconds = time.perf_counter() - started
        return self.report

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        try:
            if self.conn.in_transaction:
                yield
            else:
                with self.lib.transaction():
                    yield
        except BaseException:
            self.generation = None  # what is held may be ahead of the file: read it again
            raise

    def begin(self) -> bool:
        """Call at the start of each transaction. Reads the state again when the file's is not
        the one held here; returns whether every page must be read again (a new scheme)."""
        self._forget_caches()
        cur = self._cursor()
        row = cur.execute("SELECT value FROM story_state WHERE name = 'generation'").fetchone()
        generation = row[0] if row else None
        if generation is None or generation != self.generation:
            state = dict(cur.execute("SELECT name, value FROM story_state").fetchall())
            self.scheme = state.get("scheme")
            blob = state.get("df")
            self.df = (
                np.frombuffer(blob, "<u4").astype(np.uint32)
                if isinstance(blob, bytes) and len(blob) == 4 * _DF_SIZE
                else np.zeros(_DF_SIZE, np.uint32)
            )
            self.documents = int(state.get("documents") or 0)
            self.index = None
            self.generation = generation
        if self.scheme is not None:
            return self.scheme != text.SCHEME
        # A library never grouped, or one whose signatures predate the scheme record.
        return bool(cur.execute("SELECT 1 FROM document_signatures LIMIT 1").fetchone())

    def save(self) -> None:
        """Record the state (inside the transaction that changed it), as a new generation."""
        generation = self.generation + 1 if isinstance(self.generation, int) else 1
        self.conn.executemany(
            "INSERT INTO story_state (name, value) VALUES (?, ?)"
            " ON CONFLICT(name) DO UPDATE SET value = excluded.value",
            [
                ("scheme", text.SCHEME),
                ("documents", self.documents),
                ("df", self.df.astype("<u4").tobytes()),
                ("generation", generation),
            ],
        )
        self.scheme, self.generation = text.SCHEME, generation

    def _cursor(self) -> sqlite3.Cursor:
        cur = self.conn.cursor()
        cur.row_factory = None  # plain tuples: the library's sqlite3.Row costs here
        return cur

    def _rows(self, sql: str, ids: Sequence[int], size: int = 500) -> list[tuple]:
        """``sql`` with ``{marks}`` run over ``ids`` in chunks."""
        rows: list[tuple] = []
        for chunk in _chunks(ids, size):
            sql_chunk = sql.format(marks=_marks(len(chunk)))
            rows.extend(self._cursor().execute(sql_chunk, list(chunk)).fetchall())
        return rows

    def _index(self) -> CandidateIndex:
        if self.index is None:
            self.index = CandidateIndex.load(self.conn)
        return self.index

    def _count(self, terms: np.ndarray, fresh: int, sign: int = 1) -> None:
        """Add pages' terms (laid end to end) to the document frequencies (``fresh``: how many
        of the pages were not read before), or take them away again (``sign=-1``)."""
        if len(terms):
            counts = np.bincount(terms & _DF_MASK, minlength=_DF_SIZE)
            if sign > 0:  # in place: no page count comes near 2³² (every batch of an import)
                self.df += counts.astype(np.uint32)
            else:
                df = self.df.astype(np.int64) - counts
                self.df = np.clip(df, 0, None).astype(np.uint32)
        self.documents += sign * fresh

    # ---------------------------------------------------------------------------- passes

    def _rebuild(self, cancel: Callable[[], bool] | None) -> None:
        for table in ("story_members", "stories", "document_signatures"):
            self.conn.execute(f"DELETE FROM {table}")
        self.df = np.zeros(_DF_SIZE, np.uint32)
        self.documents = 0
        self.index = CandidateIndex()
        self._forget_caches()
        ids = [r[0] for r in self._cursor().execute("SELECT id FROM documents ORDER BY id")]
        self._read_all(ids, cancel, again=set(), summaries={})

    def _update(
        self,
        ids: Sequence[int],
        cancel: Callable[[], bool] | None,
        summaries: Mapping[int, Summary],
    ) -> None:
        report = self.report
        read_before = dict(
            self._rows(
                "SELECT document_id, content_hash FROM document_signatures"
                " WHERE document_id IN ({marks})",
                ids,
            )
        )
        current = dict(
            self._rows("SELECT id, content_hash FROM documents WHERE id IN ({marks})", ids)
        )
        members = dict(
            self._rows(
                "SELECT document_id, story_id FROM story_members WHERE document_id IN ({marks})",
                ids,
            )
        )
        todo: list[int] = []
        broken: set[int] = set()
        for doc_id in ids:
            if doc_id not in current:
                self._forget(doc_id, doc_id in read_before, members.get(doc_id), broken)
                report.removed += 1
            elif read_before.get(doc_id) == current[doc_id]:
                report.unchanged += 1
            else:
                self._forget(doc_id, doc_id in read_before, members.get(doc_id), broken)
                todo.append(doc_id)
        self._reform(broken)
        if report.removed:
            self._prune()
        again = {d for d in todo if d in read_before}
        self._read_all(todo, cancel, again=again, summaries=summaries)

    def _prune(self) -> None:
        """Drop stories left with one member (their others deleted with their documents)."""
        lone = [
            r[0]
            for r in self.conn.execute(
                "SELECT story_id FROM story_members GROUP BY story_id HAVING count(*) < 2"
            )
        ]
        lone += [
            r[0]
            for r in self.conn.execute(
                "SELECT id FROM stories WHERE id NOT IN (SELECT story_id FROM story_members)"
            )
        ]
        for story in lone:
            self.conn.execute("DELETE FROM story_members WHERE story_id = ?", (story,))
            self.conn.execute("DELETE FROM stories WHERE id = ?", (story,))
            self.report.stories.add(story)
        self._forget_caches()

    def _read_all(
        self,
        ids: Sequence[int],
        cancel: Callable[[], bool] | None,
        *,
        again: set[int],
        summaries: Mapping[int, Summary],
    ) -> None:
        """Read ``ids`` :data:`BATCH` at a time, from their bodies or ``summaries``."""
        for chunk in _chunks(list(ids), BATCH):
            hashes = dict(
                self._rows("SELECT id, content_hash FROM documents WHERE id IN ({marks})", chunk)
            )
            packed = {d: summaries[d].pack() for d in chunk if d in summaries and d in hashes}
            unread = [d for d in chunk if d not in packed and d in hashes]
            for doc_id, body in self._rows(
                "SELECT document_id, body FROM document_bodies WHERE document_id IN ({marks})",
                unread,
            ):
                packed[doc_id] = text.summarise_packed(body)
            order = sorted(packed)
            dates = page_dates(self.conn, order)
            pages = [
                (d, hashes[d], dates[d].date if d in dates else None, packed[d]) for d in order
            ]
            if not self._read(pages, cancel, again):
                return

    def read_new(self, pages: Sequence[tuple[int, str, str | None, Packed]]) -> None:
        """Read pages new to the library — (id, content hash, date, packed summary), in id
        order — inside the caller's transaction, after :meth:`begin` (an import's batches)."""
        self._read(pages, None, set())

    # ------------------------------------------------------------------------------ a batch

    def _read(
        self,
        pages: Sequence[tuple[int, str, str | None, Packed]],
        cancel: Callable[[], bool] | None,
        again: set[int],
    ) -> bool:
        """Count a batch's terms, then place its pages in order. Returns False when cancelled:
        the pages not reached are then not counted either, and stay unread."""
        if not pages:
            return True
        batch, terms, lengths = self._weigh(pages, again)
        compared, keys, rows = self._compare(batch)
        read = self._apply(pages, compared, cancel)
        self._index().add(keys[rows < read], np.asarray(batch.ids, np.int64)[rows[rows < read]])
        if read < len(pages):
            rest = pages[read:]
            self._count(
                terms[int(lengths[:read].sum()) :],
                sum(1 for p in rest if p[0] not in again),
                sign=-1,
            )
            self.report.cancelled = True
            return False
        return True

    def compare_new(self, pages: Sequence[tuple[int, str, str | None, Packed]]) -> Compared:
        """The first half of :meth:`read_new`, for a process that only compares
        (:mod:`reader.stories.grouper`): count and weigh the pages, compare each with its
        candidates and add all their keys to the index. :meth:`place_compared` of the result,
        in the library's transaction, is the second half."""
        batch, _, _ = self._weigh(pages, set())
        compared, keys, rows = self._compare(batch)
        self._index().add(keys, np.asarray(batch.ids, np.int64)[rows])
        self._keep(batch)
        return compared

    def _keep(self, batch: _Batch) -> None:
        """Hold on to a compared batch's signatures, where they will not be in the library
        before later batches are compared (the grouper's, :mod:`reader.stories.grouper`)."""

    def place_compared(
        self, pages: Sequence[tuple[int, str, str | None, Packed]], compared: Compared
    ) -> None:
        """The second half of :meth:`read_new`: count the pages' terms and place them as
        ``compared`` (:meth:`compare_new` of the same pages, made with the same state) says.
        The candidate index held here does not learn their keys: it is dropped, and built
        again from the file if this grouping looks a page up itself."""
        self._count(np.frombuffer(b"".join([p[3][1] for p in pages]), "<u4"), len(pages))
        self._apply(pages, compared, None)
        self.index = None

    def _weigh(
        self, pages: Sequence[tuple[int, str, str | None, Packed]], again: set[int]
    ) -> tuple[_Batch, np.ndarray, np.ndarray]:
        """Count the pages' terms into the document frequencies and weigh their vectors."""
        terms = np.frombuffer(b"".join([p[3][1] for p in pages]), "<u4")
        lengths = np.fromiter([len(p[3][3]) for p in pages], np.intp, len(pages))
        flags = np.frombuffer(b"".join([p[3][3] for p in pages]), np.uint8)
        weights = text.weights_of(np.frombuffer(b"".join([p[3][2] for p in pages]), "<u2"), flags)
        self._count(terms, sum(1 for p in pages if p[0] not in again))
        kept, kept_weights, bounds = text.vectors(terms, weights, lengths, self.df, self.documents)
        batch = _Batch.of(pages, terms[kept], kept_weights, bounds, flags[kept].astype(bool))
        return batch, terms, lengths

    def _compare(self, batch: _Batch) -> tuple[Compared, np.ndarray, np.ndarray]:
        """Find each batch page's candidates and compare it with them; also return the batch's
        keys and, for each, the page it belongs to (an index into the batch)."""
        index = self._index()
        keys, rows = sort_keys(*keys_of(batch.sketches, batch.term_blobs))
        candidates = index.candidates(keys, rows, batch.ids, MAX_CANDIDATES)
        position = {doc_id: i for i, doc_id in enumerate(batch.ids)}
        stored = sorted({d for found in candidates for d in found if d not in position})
        found, found_dates, sigs = self._stored_signatures(stored)
        matches = self._match(batch, candidates, position, found, found_dates, sigs)
        matched = {m.document_id for page in matches.values() for m in page}
        compared = Compared(
            batch.term_blobs,
            batch.weight_blobs,
            batch.name_blobs,
            [(i, d) for i, d in zip(found, found_dates, strict=True) if i in matched],
            matches,
        )
        return compared, keys, rows

    def _stored_signatures(
        self, ids: Sequence[int]
    ) -> tuple[list[int], list[str | None], pairs.Signatures]:
        """The stored signatures of ``ids`` (those that have one), laid end to end for
        comparing: (their ids, their dates, the signatures)."""
        rows = self._stored(ids)
        return (
            [r[0] for r in rows],
            [r[1] for r in rows],
            pairs.Signatures.of(
                [r[2] or b"" for r in rows],
                [r[3] or b"" for r in rows],
                [r[4] or b"" for r in rows],
                [r[5] or b"" for r in rows],
            ),
        )

    def _stored(self, ids: Sequence[int]) -> list[tuple]:
        """The stored signatures of ``ids`` (those that have one): (id, date, sketch, terms,
        weights, names)."""
        return self._rows(
            "SELECT document_id, date, sketch, terms, weights, names FROM document_signatures"
            " WHERE document_id IN ({marks})",
            ids,
        )

    def _apply(
        self,
        pages: Sequence[tuple[int, str, str | None, Packed]],
        compared: Compared,
        cancel: Callable[[], bool] | None,
    ) -> int:
        """Place compared pages in order and store their signatures; return how many were
        placed before a cancel (those are kept, the others stay unread)."""
        ids = [p[0] for p in pages]
        dates = [p[2] for p in pages]
        # The stories of the stored pages matched (placing asks for those only), in one query.
        self._memberships(
            sorted({m.document_id for page in compared.matches.values() for m in page})
        )
        self.known_dates = dict(compared.stored)
        self.batch_dates = dict(zip(ids, dates, strict=True))
        done = 0
        for i, doc_id in enumerate(ids):
            if cancel is not None and cancel():
                break
            done += 1
            if i in compared.matches:
                self._place(doc_id, dates[i], compared.matches[i])
        self.report.read += done
        self.conn.executemany(
            "INSERT INTO document_signatures (document_id, content_hash, date, sketch, terms,"
            " weights, names) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(document_id) DO UPDATE"
            " SET content_hash = excluded.content_hash, date = excluded.date,"
            " sketch = excluded.sketch, terms = excluded.terms, weights = excluded.weights,"
            " names = excluded.names",
            compared.rows(pages[:done]),
        )
        return done

    def _match(
        self,
        batch: _Batch,
        candidates: Sequence[Sequence[int]],
        position: Mapping[int, int],
        stored: Sequence[int],
        stored_dates: Sequence[str | None],
        stored_sigs: pairs.Signatures,
    ) -> dict[int, list[Match]]:
        """The matches among its candidates of each batch page that has any (by its position in
        the batch; best first), all compared at once (:func:`compare_many`): the batch's pages
        are signatures 0…n−1, ``stored`` ones after."""
        slot = dict(position)
        slot.update((doc_id, len(batch.ids) + j) for j, doc_id in enumerate(stored))
        a, b, owners = [], [], []
        for i, found in enumerate(candidates):
            for doc_id in found:
                if doc_id in slot:  # else its document is gone
                    a.append(i)
                    b.append(slot[doc_id])
                    owners.append(doc_id)
        matches: dict[int, list[Match]] = {}
        if not a:
            return matches
        sigs = pairs.Signatures.concatenate(batch.sigs, stored_sigs)
        dates = [*batch.dates, *stored_dates]
        found = compare_many(sigs, dates, np.array(a, np.intp), np.array(b, np.intp))
        for j, (kind, score) in found.items():
            matches.setdefault(a[j], []).append(Match(owners[j], kind, score))
        for page_matches in matches.values():
            page_matches.sort(key=Match.rank, reverse=True)
        return matches

    def _signatures(self, ids: Sequence[int]) -> dict[int, Signature]:
        return {row[0]: Signature.from_row(*row) for row in self._stored(ids)}

    def _verify(self, sig: Signature, candidates: Sequence[Signature]) -> list[Match]:
        matches = []
        for other in candidates:
            match = compare(sig, other)
            if match is not None:
                matches.append(Match(other.document_id, *match))
        matches.sort(key=Match.rank, reverse=True)
        return matches

    # ------------------------------------------------------------------------ membership

    def _story_of(self, doc_id: int) -> int | None:
        if doc_id not in self.member_of:
            row = self.conn.execute(
                "SELECT story_id FROM story_members WHERE document_id = ?", (doc_id,)
            ).fetchone()
            self.member_of[doc_id] = row[0] if row else None
        return self.member_of[doc_id]

    def _memberships(self, ids: Sequence[int]) -> None:
        wanted = [d for d in ids if d not in self.member_of]
        found = dict(
            self._rows(
                "SELECT document_id, story_id FROM story_members WHERE document_id IN ({marks})",
                wanted,
            )
        )
        for doc_id in wanted:
            self.member_of[doc_id] = found.get(doc_id)

    def _forget_caches(self) -> None:
        self.member_of.clear()
        self.spans.clear()
        self.stamped.clear()

    def _new_story(self, preferred: int | None = None) -> int:
        if (
            preferred is not None
            and not self.conn.execute("SELECT 1 FROM stories WHERE id = ?", (preferred,)).fetchone()
        ):
            self.conn.execute(
                "INSERT INTO stories (id, created_at, updated_at) VALUES (?, ?, ?)",
                (preferred, self.stamp, self.stamp),
            )
            self.stamped.add(preferred)
            return preferred
        cur = self.conn.execute(
            "INSERT INTO stories (created_at, updated_at) VALUES (?, ?)", (self.stamp, self.stamp)
        )
        assert cur.lastrowid is not None
        self.stamped.add(cur.lastrowid)
        return cur.lastrowid

    def _join(
        self, doc_id: int, story: int, link: LinkKind, score: float | None, via: int | None
    ) -> None:
        self.conn.execute(
            "INSERT INTO story_members (document_id, story_id, link, score, joined_via)"
            " VALUES (?, ?, ?, ?, ?)",
            (doc_id, story, link, None if score is None else round(score, 4), via),
        )
        if story not in self.stamped:  # once a transaction: a story just made has the stamp
            self.conn.execute("UPDATE stories SET updated_at = ? WHERE id = ?", (self.stamp, story))
            self.stamped.add(story)
        self.report.joined.append((doc_id, story))
        self.report.stories.add(story)
        self.member_of[doc_id] = story
        date = self._date_of(doc_id)
        if date and story in self.spans:
            span = self.spans[story]
            self.spans[story] = (min(span[0], date), max(span[1], date)) if span else (date, date)

    def _place(
        self,
        doc_id: int,
        date: str | None,
        matches: Sequence[Match],
        preferred: int | None = None,
    ) -> None:
        """Put a page (in no story) into its best match's story, with the loners it matches.

        A same-event page joins a story only if its date, when it has one, is within the window
        of the story's dated pages: an undated page cannot bridge two events weeks apart.
        """
        for best in matches:
            story = self._story_of(best.document_id)
            if story is None or best.kind != "same-event" or self._fits(story, date):
                break
        else:
            return
        if story is None:
            story = self._new_story(preferred)
            self._join(best.document_id, story, "first", None, None)
        self._join(doc_id, story, best.kind, best.score, best.document_id)
        for m in matches:
            if m is best or self._story_of(m.document_id) is not None:
                continue
            if m.kind == "same-event" and not self._fits(story, self._date_of(m.document_id)):
                continue
            self._join(m.document_id, story, m.kind, m.score, doc_id)

    def _date_of(self, doc_id: int) -> str | None:
        if doc_id in self.batch_dates:
            return self.batch_dates[doc_id]
        if doc_id in self.known_dates:
            return self.known_dates[doc_id]
        row = self.conn.execute(
            "SELECT date FROM document_signatures WHERE document_id = ?", (doc_id,)
        ).fetchone()
        return row[0] if row else None

    def _fits(self, story: int, date: str | None) -> bool:
        """Whether a page of ``date`` is within the window of ``story``'s dated pages."""
        if date is None:
            return True
        if story not in self.spans:
            dates = [
                d
                for d in map(
                    self._date_of,
                    (
                        r[0]
                        for r in self.conn.execute(
                            "SELECT document_id FROM story_members WHERE story_id = ?", (story,)
                        )
                    ),
                )
                if d
            ]
            self.spans[story] = (min(dates), max(dates)) if dates else None
        span = self.spans[story]
        if span is None:
            return True
        window = timedelta(days=DATE_WINDOW_DAYS)
        day = date_type.fromisoformat(date)
        return (
            date_type.fromisoformat(span[0]) - window
            <= day
            <= date_type.fromisoformat(span[1]) + window
        )

    # ----------------------------------------------------------------------------- removal

    def _forget(
        self, doc_id: int, had_signature: bool, story: int | None, broken: set[int]
    ) -> None:
        """Take a document out of its story (whose id goes to ``broken``) and drop its signature.

        Its keys stay in the candidate index until the index is next built: they lead to a page
        with no signature (skipped) or to the page's new text, which is compared on its merits.
        """
        if had_signature:
            self.conn.execute("DELETE FROM document_signatures WHERE document_id = ?", (doc_id,))
        if story is not None:
            self.conn.execute("DELETE FROM story_members WHERE document_id = ?", (doc_id,))
            broken.add(story)
            self._forget_caches()

    def _reform(self, broken: set[int]) -> None:
        """Place the remaining members of stories that lost one again, from their signatures.

        The group that re-forms first around the story's earliest member keeps the story's id.
        """
        for story in sorted(broken):
            members = [
                r[0]
                for r in self.conn.execute(
                    "SELECT document_id FROM story_members WHERE story_id = ? ORDER BY document_id",
                    (story,),
                )
            ]
            self.conn.execute("DELETE FROM story_members WHERE story_id = ?", (story,))
            self.conn.execute("DELETE FROM stories WHERE id = ?", (story,))
            self.report.stories.add(story)
            self._forget_caches()
            signatures = self._signatures(members)
            for doc_id in members:
                sig = signatures.get(doc_id)
                if sig is None or self._story_of(doc_id) is not None:
                    continue  # gone, or pulled in by an earlier member
                keys, rows = sort_keys(
                    *keys_of([pack_array(sig.sketch)], [pack_array(array("I", sig.terms))])
                )
                (candidates,) = self._index().candidates(keys, rows, [doc_id], MAX_CANDIDATES)
                found = self._signatures(candidates)
                if found:
                    matches = self._verify(sig, list(found.values()))
                    self._place(doc_id, sig.date, matches, story)
