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

**Finding candidates without comparing all pairs.** Each page gets keys in ``story_keys``: its
three smallest sentence hashes (two pages with resemblance 0.7 share one with probability
≈ 0.97), and one key per pair of its eight heaviest terms (28 keys; pages sharing two top terms).
On the BBC corpus that finds 98.5 % of the pairs whose cosine is ≥ 0.5. A key keeps only its
:data:`KEY_CAP` newest pages, so a phrase every page shares cannot make lookups grow with the
library, and a new report still finds the latest pages of a long-running story. Pages are read
:data:`BATCH` at a time: one indexed query finds the keys of the whole batch; each page, in id
order, is compared with at most :data:`MAX_CANDIDATES` pages (those sharing the most keys,
earlier pages of its batch included) using their stored signatures — no body is read twice —
and joins the story of its best match (a near-duplicate beats a same-event match, then the
higher score). Pages it matches that are in no story yet join too, through it; two existing
stories are never merged, so a long-running topic does not snowball into one story; and a
same-event page joins a story only within the date window of the story's dated pages, so an
undated page cannot bridge two events weeks apart. Only groups of two or more are stories.

**Document frequencies** for the IDF come from a hashed count table (2^16 counters in
``story_state``), updated a batch at a time before the batch is placed: exact up to collisions,
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
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date as date_type
from datetime import datetime, timedelta, timezone
from itertools import chain, repeat
from operator import and_
from typing import TYPE_CHECKING, Literal

from reader.stories import text
from reader.stories.dates import days_apart, page_dates
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
#: Pages a key is stored for at most: the newest ones.
KEY_CAP = 8
#: Pages read per step (one lookup, one insert of their keys).
BATCH = 500

SENTENCE_KIND, KEYWORD_KIND = 0, 1
DF_BITS = 16
_DF_MASK = (1 << DF_BITS) - 1
_DF_BYTES = 4 << DF_BITS


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


@dataclass(frozen=True)
class Match:
    """How a page relates to one it was compared with."""

    document_id: int
    kind: LinkKind
    score: float

    def rank(self) -> tuple[bool, float, int]:
        return (self.kind == "near-duplicate", self.score, -self.document_id)


@dataclass
class Signature:
    """A read page as the index keeps it (a row of ``document_signatures``)."""

    document_id: int
    date: str | None
    sketch: array  # uint32 sentence hashes, ascending
    terms: list[int]  # its heaviest TF-IDF terms, heaviest first
    weights: list[float]  # L2-normalised
    names: frozenset[int] = frozenset()  # those terms that are names

    @property
    def vector(self) -> dict[int, float]:
        return dict(zip(self.terms, self.weights, strict=True))

    def index_keys(self) -> list[tuple[int, int]]:
        """(kind, key) rows of this page in ``story_keys``. Sentence keys are negated, so the
        two kinds never share a key."""
        keys = [(SENTENCE_KIND, -1 - h) for h in self.sketch[: text.SENTENCE_KEYS]]
        keys.extend((KEYWORD_KIND, k) for k in text.keyword_keys(self.terms))
        return keys

    def row(self, content_hash: str) -> tuple:
        return (
            self.document_id,
            content_hash,
            self.date,
            pack_array(self.sketch),
            pack_array(array("I", self.terms)),
            pack_array(array("f", self.weights)),
            pack_array(array("I", sorted(self.names))),
        )

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
) -> StoryReport:
    """Read new or changed documents ``doc_ids`` and place each in a story (or in none).

    Incremental: each document looks its candidates up in the index, never all pairs. Runs in
    the caller's transaction when ``lib.conn`` is in one (the importer's batch), else in its own.
    ``cancel()`` is asked between documents; those not reached stay unread and are listed by
    :func:`pending_documents` (nothing is half-done). ``summaries`` may give
    :func:`reader.stories.text.summarise` of some bodies, computed elsewhere (the importer's
    worker processes); the others are read from the library.
    """
    started = time.perf_counter()
    ids = sorted(set(doc_ids))
    if not ids and _scheme(lib.conn) == text.SCHEME:
        return StoryReport()  # nothing to do: do not even take the write lock
    with _writing(lib) as conn:
        grouper = _Grouper(conn, summaries)
        if grouper.scheme_changed():
            grouper.rebuild(cancel)
        else:
            grouper.update(ids, cancel)
        grouper.save()
    grouper.report.seconds = time.perf_counter() - started
    return grouper.report


def group_pending(
    lib: Library,
    *,
    cancel: Callable[[], bool] | None = None,
    progress: Callable[[int, int], None] | None = None,
    batch: int = BATCH,
) -> StoryReport:
    """Group every page not yet read (:func:`pending_documents`), ``batch`` at a time.

    Each batch is its own transaction, so the write lock is never held for more than a
    fraction of a second: the window's edits go on while a large import's pages are grouped
    behind them, and a cancel or a crash keeps every finished batch. ``progress(done, total)``
    follows each batch. The reports of the batches are added up.
    """
    started = time.perf_counter()
    ids = pending_documents(lib)
    total = StoryReport()
    for start in range(0, len(ids), batch):
        if cancel is not None and cancel():
            total.cancelled = True
            break
        part = update_stories(lib, ids[start : start + batch], cancel=cancel)
        total.read += part.read
        total.unchanged += part.unchanged
        total.removed += part.removed
        total.joined.extend(part.joined)
        total.stories |= part.stories
        if progress is not None:
            progress(min(start + batch, len(ids)), len(ids))
        if part.cancelled:
            total.cancelled = True
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
    started = time.perf_counter()
    with _writing(lib) as conn:
        grouper = _Grouper(conn)
        grouper.rebuild(cancel)
        grouper.save()
    grouper.report.seconds = time.perf_counter() - started
    return grouper.report


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


def compare(
    a: Signature, b: Signature, a_vector: dict[int, float] | None = None
) -> tuple[LinkKind, float] | None:
    """How two read pages relate: (kind, score), or None when they are not one story.

    Near-duplicates first (sentence resemblance ≥ :data:`NEAR_DUPLICATE`, any dates); else
    same-event (cosine ≥ :data:`SAME_EVENT` and, when both have dates, at most
    :data:`DATE_WINDOW_DAYS` apart).
    """
    resemblance = text.resemblance(a.sketch, b.sketch)
    if resemblance >= NEAR_DUPLICATE:
        return "near-duplicate", resemblance
    if len(a.names & b.names) < SHARED_NAMES:
        return None
    similarity = text.cosine(a.vector if a_vector is None else a_vector, b.vector)
    if similarity < SAME_EVENT:
        return None
    if a.date and b.date and days_apart(a.date, b.date) > DATE_WINDOW_DAYS:
        return None
    return "same-event", min(similarity, 1.0)


# ------------------------------------------------------------------------------- machinery


@contextmanager
def _writing(lib: Library) -> Iterator[sqlite3.Connection]:
    if lib.conn.in_transaction:
        yield lib.conn
    else:
        with lib.transaction() as conn:
            yield conn


def _chunks(items: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _marks(n: int) -> str:
    return ",".join("?" * n)


class _Grouper:
    """One pass of grouping over one connection, inside one transaction."""

    def __init__(self, conn: sqlite3.Connection, summaries: Mapping[int, Summary] | None = None):
        self.conn = conn
        self.summaries = summaries or {}
        self.stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
        self.report = StoryReport()
        self.batch_dates: dict[int, str | None] = {}  # pages read but not stored yet
        # Caches for placing pages, valid within one pass (this object's life):
        self.member_of: dict[int, int | None] = {}  # document → its story (None: in none)
        self.spans: dict[int, tuple[str, str] | None] = {}  # story → its dated pages' span
        self.known: dict[int, Signature] = {}  # signatures read in the current batch
        state = dict(self._cursor().execute("SELECT name, value FROM story_state").fetchall())
        self.scheme = state.get("scheme")
        blob = state.get("df")
        self.df = unpack_array("I", blob) if isinstance(blob, bytes) else array("I")
        if len(self.df) != 1 << DF_BITS:
            self.df = array("I", bytes(_DF_BYTES))
        self.documents = int(state.get("documents") or 0)

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

    # ----------------------------------------------------------------------------- state

    def scheme_changed(self) -> bool:
        if self.scheme is not None:
            return self.scheme != text.SCHEME
        # A library never grouped, or one whose signatures predate the scheme record.
        return bool(self.conn.execute("SELECT 1 FROM document_signatures LIMIT 1").fetchone())

    def save(self) -> None:
        self.conn.executemany(
            "INSERT INTO story_state (name, value) VALUES (?, ?)"
            " ON CONFLICT(name) DO UPDATE SET value = excluded.value",
            [("scheme", text.SCHEME), ("documents", self.documents), ("df", pack_array(self.df))],
        )

    def _count(self, summaries: Iterable[tuple[Summary, bool]], sign: int = 1) -> None:
        """Add pages' terms to the document frequencies (``again``: a page read before), or
        take them away again (``sign=-1``)."""
        counts: Counter[int] = Counter()
        for summary, again in summaries:
            counts.update(map(and_, summary.term_ids, repeat(_DF_MASK)))
            if not again:
                self.documents += sign
        df = self.df
        for bucket, n in counts.items():
            df[bucket] = max(0, min(df[bucket] + sign * n, 0xFFFFFFFF))

    def _signature(self, doc_id: int, date: str | None, summary: Summary) -> Signature:
        dfs = list(map(self.df.__getitem__, map(and_, summary.term_ids, repeat(_DF_MASK))))
        terms, weights = text.vector(summary, dfs, self.documents)
        names = frozenset(summary.name_ids).intersection(terms)
        return Signature(doc_id, date, summary.sketch, terms, weights, names)

    # ---------------------------------------------------------------------------- passes

    def rebuild(self, cancel: Callable[[], bool] | None) -> None:
        for table in ("story_members", "stories", "story_keys", "document_signatures"):
            self.conn.execute(f"DELETE FROM {table}")
        self.df = array("I", bytes(_DF_BYTES))
        self.documents = 0
        ids = [r[0] for r in self._cursor().execute("SELECT id FROM documents ORDER BY id")]
        self._read_all(ids, cancel, again=set())

    def update(self, ids: Sequence[int], cancel: Callable[[], bool] | None) -> None:
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
        todo: list[int] = []
        broken: set[int] = set()
        for doc_id in ids:
            if doc_id not in current:
                self._forget(doc_id, broken)
                report.removed += 1
            elif read_before.get(doc_id) == current[doc_id]:
                report.unchanged += 1
            else:
                self._forget(doc_id, broken)
                todo.append(doc_id)
        self._reform(broken)
        if report.removed:
            self._prune()
        self._read_all(todo, cancel, again={d for d in todo if d in read_before})

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
        self, ids: Sequence[int], cancel: Callable[[], bool] | None, *, again: set[int]
    ) -> None:
        """Read ``ids`` :data:`BATCH` at a time: count a batch's terms, then place its pages."""
        for chunk in _chunks(list(ids), BATCH):
            hashes = dict(
                self._rows("SELECT id, content_hash FROM documents WHERE id IN ({marks})", chunk)
            )
            summaries = {d: self.summaries[d] for d in chunk if d in self.summaries}
            unread = [d for d in chunk if d not in summaries and d in hashes]
            for doc_id, body in self._rows(
                "SELECT document_id, body FROM document_bodies WHERE document_id IN ({marks})",
                unread,
            ):
                summaries[doc_id] = text.summarise(body)
            order = sorted(d for d in summaries if d in hashes)
            dates = page_dates(self.conn, order)
            self._count((summaries[d], d in again) for d in order)
            batch = []
            for doc_id in order:
                found = dates.get(doc_id)
                date = found.date if found else None
                batch.append(self._signature(doc_id, date, summaries[doc_id]))
            read = self._read_batch(batch, hashes, cancel)
            if read < len(batch):  # cancelled: the pages not read are not counted either
                self._count(((summaries[d], d in again) for d in order[read:]), sign=-1)
                self.report.cancelled = True
                return

    # ------------------------------------------------------------------------------ a batch

    def _read_batch(
        self,
        batch: Sequence[Signature],
        hashes: Mapping[int, str],
        cancel: Callable[[], bool] | None,
    ) -> int:
        """Index and place ``batch`` in order; return how many were read before a cancel (those
        are kept, the others stay unread)."""
        keys = {sig.document_id: sig.index_keys() for sig in batch}
        postings: defaultdict[int, list[int]] = defaultdict(list)
        wanted = list({key for rows in keys.values() for _, key in rows})
        for key, doc_id in self._rows(
            "SELECT key, document_id FROM story_keys WHERE key IN ({marks})", wanted, 900
        ):
            postings[key].append(doc_id)
        known: dict[int, Signature] = {}  # signatures of candidates, read once
        self.known = known
        done: list[Signature] = []
        evicted: list[tuple[int, int, int]] = []  # (key, kind, document) rows to delete
        self.batch_dates = {sig.document_id: sig.date for sig in batch}
        # The likely candidates among stored pages, read in a few queries rather than per page.
        likely: set[int] = set()
        for sig in batch:
            shared = Counter(chain.from_iterable(postings[key] for _, key in keys[sig.document_id]))
            likely.update(d for d, _ in shared.most_common(MAX_CANDIDATES))
        likely -= self.batch_dates.keys()
        known.update(self._signatures(sorted(likely)))
        self._memberships(sorted(likely))
        for sig in batch:
            if cancel is not None and cancel():
                break
            doc_id = sig.document_id
            lists = [postings[key] for _, key in keys[doc_id]]
            shared = Counter(chain.from_iterable(lists))
            shared.pop(doc_id, None)
            for (kind, key), holders in zip(keys[doc_id], lists, strict=True):
                holders.append(doc_id)
                if len(holders) > KEY_CAP:  # the key keeps its newest pages
                    evicted.append((key, kind, holders.pop(0)))
            candidates = [d for d, _ in shared.most_common(MAX_CANDIDATES)]
            missing = [d for d in candidates if d not in known]
            if missing:
                known.update(self._signatures(missing))
            known[doc_id] = sig
            done.append(sig)
            self.report.read += 1
            if candidates:
                self._place(sig, self._verify(sig, [known[d] for d in candidates if d in known]))
        self._store(done, hashes, keys, postings, evicted)
        return len(done)

    def _store(
        self,
        done: Sequence[Signature],
        hashes: Mapping[int, str],
        keys: Mapping[int, list[tuple[int, int]]],
        postings: Mapping[int, list[int]],
        evicted: Sequence[tuple[int, int, int]],
    ) -> None:
        """Write the read pages' signatures and keys; drop the keys' pages pushed out."""
        self.conn.executemany(
            "INSERT INTO document_signatures (document_id, content_hash, date, sketch, terms,"
            " weights, names) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(document_id) DO UPDATE"
            " SET content_hash = excluded.content_hash, date = excluded.date,"
            " sketch = excluded.sketch, terms = excluded.terms, weights = excluded.weights,"
            " names = excluded.names",
            [s.row(hashes[s.document_id]) for s in done],
        )
        self.conn.executemany(
            "DELETE FROM story_keys WHERE key = ? AND kind = ? AND document_id = ?", evicted
        )
        rows = []
        for sig in done:
            for kind, key in keys[sig.document_id]:
                if sig.document_id in postings[key]:  # not when pushed out within the batch
                    rows.append((key, kind, sig.document_id))
        rows.sort()
        self.conn.executemany(
            "INSERT OR IGNORE INTO story_keys (key, kind, document_id) VALUES (?, ?, ?)", rows
        )

    def _signatures(self, ids: Sequence[int]) -> dict[int, Signature]:
        return {
            row[0]: Signature.from_row(*row)
            for row in self._rows(
                "SELECT document_id, date, sketch, terms, weights, names FROM document_signatures"
                " WHERE document_id IN ({marks})",
                ids,
            )
        }

    def _verify(self, sig: Signature, candidates: Sequence[Signature]) -> list[Match]:
        mine = sig.vector
        matches = []
        for other in candidates:
            match = compare(sig, other, mine)
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

    def _new_story(self, preferred: int | None = None) -> int:
        if (
            preferred is not None
            and not self.conn.execute("SELECT 1 FROM stories WHERE id = ?", (preferred,)).fetchone()
        ):
            self.conn.execute(
                "INSERT INTO stories (id, created_at, updated_at) VALUES (?, ?, ?)",
                (preferred, self.stamp, self.stamp),
            )
            return preferred
        cur = self.conn.execute(
            "INSERT INTO stories (created_at, updated_at) VALUES (?, ?)", (self.stamp, self.stamp)
        )
        assert cur.lastrowid is not None
        return cur.lastrowid

    def _join(
        self, doc_id: int, story: int, link: LinkKind, score: float | None, via: int | None
    ) -> None:
        self.conn.execute(
            "INSERT INTO story_members (document_id, story_id, link, score, joined_via)"
            " VALUES (?, ?, ?, ?, ?)",
            (doc_id, story, link, None if score is None else round(score, 4), via),
        )
        self.conn.execute("UPDATE stories SET updated_at = ? WHERE id = ?", (self.stamp, story))
        self.report.joined.append((doc_id, story))
        self.report.stories.add(story)
        self.member_of[doc_id] = story
        date = self._date_of(doc_id)
        if date and story in self.spans:
            span = self.spans[story]
            self.spans[story] = (min(span[0], date), max(span[1], date)) if span else (date, date)

    def _place(
        self, sig: Signature, matches: Sequence[Match], preferred: int | None = None
    ) -> None:
        """Put a page (in no story) into its best match's story, with the loners it matches.

        A same-event page joins a story only if its date, when it has one, is within the window
        of the story's dated pages: an undated page cannot bridge two events weeks apart.
        """
        doc_id = sig.document_id
        for best in matches:
            story = self._story_of(best.document_id)
            if story is None or best.kind != "same-event" or self._fits(story, sig.date):
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
        if doc_id in self.known:
            return self.known[doc_id].date
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

    def _forget(self, doc_id: int, broken: set[int]) -> bool:
        """Take a document out of the index and out of its story (whose id goes to ``broken``).

        Returns whether there was anything to forget. (Keys of a document deleted without this
        are harmless: they find no signature, and the next rebuild drops them.)
        """
        had = self._signatures([doc_id]).get(doc_id)
        if had is not None:
            self.conn.executemany(
                "DELETE FROM story_keys WHERE key = ? AND kind = ? AND document_id = ?",
                [(key, kind, doc_id) for kind, key in had.index_keys()],
            )
            self.conn.execute("DELETE FROM document_signatures WHERE document_id = ?", (doc_id,))
        story = self._story_of(doc_id)
        if story is not None:
            self.conn.execute("DELETE FROM story_members WHERE document_id = ?", (doc_id,))
            broken.add(story)
        self._forget_caches()
        return had is not None or story is not None

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
                wanted = list({key for _, key in sig.index_keys()})
                shared = Counter(
                    d
                    for _, d in self._rows(
                        "SELECT key, document_id FROM story_keys WHERE key IN ({marks})", wanted
                    )
                )
                shared.pop(doc_id, None)
                found = self._signatures([d for d, _ in shared.most_common(MAX_CANDIDATES)])
                if found:
                    self._place(sig, self._verify(sig, list(found.values())), story)
