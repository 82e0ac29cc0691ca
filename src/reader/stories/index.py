"""The candidate index of the story grouping: which pages share keys with a new page.

A page's keys are its :data:`~reader.stories.text.SENTENCE_KEYS` smallest sentence hashes
(near-duplicates share one) and every pair of its :data:`~reader.stories.text.KEYWORDS`
heaviest terms (reports of one event share one); see :func:`page_keys`. A new page is compared
only with the :data:`~reader.stories.grouping.MAX_CANDIDATES` pages sharing the most keys with
it, and a key gives only its :data:`KEY_CAP` newest pages, so a phrase every page shares cannot
make lookups grow with the library.

**Why in memory, and why NumPy.** The index used to be a SQLite table of one row per key, 31 a
page: writing those rows, and looking keys up and counting shared keys one by one in Python,
cost more than everything else the grouping does (1.3 s of every 10,000 pages, most of an
import's own time). The keys are a pure function of what ``document_signatures`` already
stores, so the index is built from that table when a process first needs it and kept in memory
while that process goes on grouping. It is two levels of sorted NumPy arrays (key, page) — a
large one and a small one that takes each batch's keys and is merged into the large one when
it grows, so adding a batch never copies the whole index — 12 bytes a key, ~37 MB at 100,000
pages, where Python dicts of lists took over 500 MB. A batch of pages is looked up at once
(:meth:`CandidateIndex.candidates`): each page sees the stored pages and the pages before it
in its batch, exactly as if they had been added one by one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

import numpy as np

from reader.stories import compiled, text

#: Pages a key gives at most: the newest ones.
KEY_CAP = 8
#: Keys the small level holds before it is merged into the large one.
MERGE_EVERY = 1 << 18
#: Slots of the filter that tells most keys no page has (a bit each: 2 MB).
FILTER_BITS = 24
_FILTER_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: keys' high bits mix
_FILTER_SHIFT = np.uint64(64 - FILTER_BITS)

# Positions (i, j), i < j, of the pairs of a page's KEYWORDS heaviest terms, sorted.
_PAIRS = np.array(
    [(i, j) for i in range(text.KEYWORDS) for j in range(i + 1, text.KEYWORDS)], dtype=np.intp
).T
_NO_TERM = 0xFFFFFFFF  # term ids are 31-bit: this pads a page with fewer terms
_COLUMNS = np.arange(KEY_CAP)


def page_keys(sketch: Sequence[int], terms: Sequence[int]) -> list[int]:
    """One page's keys: its smallest sentence hashes, negated (so the two kinds of key never
    meet), and a key per pair of its heaviest ``terms`` (heaviest first).

    Two pages share a pair key exactly when they share two of their top terms. Keying on pairs
    rather than single terms keeps each key's pages few whatever the vocabulary: a word common
    enough to be in thousands of pages rarely pairs with the same second word.
    """
    keys = [-1 - h for h in sketch[: text.SENTENCE_KEYS]]
    top = sorted(terms[: text.KEYWORDS])
    keys.extend((a << 31) | b for i, a in enumerate(top) for b in top[i + 1 :])
    return keys


def keys_of(sketches: Sequence[bytes], terms: Sequence[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """:func:`page_keys` of many pages at once, from their stored sketches and terms (uint32,
    little-endian): (keys, the row each key belongs to), in no particular order."""
    n = len(sketches)
    if n == 0:
        return np.empty(0, np.int64), np.empty(0, np.intp)
    width = 4 * text.SENTENCE_KEYS
    heads = b"".join([s[:width].ljust(width, b"\0") for s in sketches])
    counts = np.fromiter([min(len(s) >> 2, text.SENTENCE_KEYS) for s in sketches], np.intp, n)
    hashes = np.frombuffer(heads, "<u4").reshape(n, text.SENTENCE_KEYS).astype(np.int64)
    valid = np.arange(text.SENTENCE_KEYS) < counts[:, None]
    keys = [(-1 - hashes)[valid]]
    rows = [np.nonzero(valid)[0]]
    width = 4 * text.KEYWORDS
    pad = b"\xff" * width
    tops = b"".join([t[:width] + pad[len(t) :] for t in terms])
    top = np.sort(np.frombuffer(tops, "<u4").reshape(n, text.KEYWORDS), axis=1)
    first, second = top[:, _PAIRS[0]].astype(np.int64), top[:, _PAIRS[1]].astype(np.int64)
    valid = second != _NO_TERM  # sorted: a pad in the first is a pad in the second too
    keys.append(((first << 31) | second)[valid])
    rows.append(np.nonzero(valid)[0])
    return np.concatenate(keys), np.concatenate(rows)


def sort_keys(keys: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``keys`` and their ``rows`` sorted by key, equal keys in the order of their rows — the
    order :meth:`CandidateIndex.candidates` and :meth:`CandidateIndex.add` take them in. Rows
    must already be in order among equal keys, as :func:`keys_of` gives them (a stable sort)."""
    order = np.argsort(keys, kind="stable")
    return keys[order], rows[order]


class CandidateIndex:
    """key → the pages that have it, in the order they were added (newest last)."""

    def __init__(self) -> None:
        # Each level: keys (int64) sorted, and within a key, its pages (int32: document ids)
        # in the order added.
        self.levels: list[tuple[np.ndarray, np.ndarray]] = [_EMPTY, _EMPTY]
        # A slot per hash of a key, set when a page has the key: most of a new page's keys are
        # nobody else's, and one look-up here spares each of them two binary searches of
        # millions of keys (cache misses, mostly). 31 keys a page set ~2 % of the slots in
        # 10,000 pages, ~17 % in 100,000.
        self.seen = np.zeros(1 << (FILTER_BITS - 3), np.uint8)

    @classmethod
    def load(cls, conn: sqlite3.Connection, chunk: int = 20_000) -> CandidateIndex:
        """The index of every page the grouping has read (``document_signatures``), built in
        page order — the order an import adds them.

        Read ``chunk`` pages at a time, and only the bytes the keys come from, so building it
        for 100,000 pages takes ~1 s and no more memory than the index itself twice over (it
        peaked at 330 MB when every row was read at once)."""
        index = cls()
        cur = conn.cursor()
        cur.row_factory = None
        cur.execute(
            f"SELECT document_id, substr(sketch, 1, {4 * text.SENTENCE_KEYS}),"
            f" substr(terms, 1, {4 * text.KEYWORDS}) FROM document_signatures"
            " ORDER BY document_id"
        )
        all_keys: list[np.ndarray] = []
        all_pages: list[np.ndarray] = []
        while rows := cur.fetchmany(chunk):
            ids = np.fromiter([r[0] for r in rows], np.int32, len(rows))
            keys, row_numbers = keys_of([r[1] or b"" for r in rows], [r[2] or b"" for r in rows])
            all_keys.append(keys)
            all_pages.append(ids[row_numbers])
            del rows, keys, row_numbers
        if all_keys:
            keys = np.concatenate(all_keys)
            pages = np.concatenate(all_pages)
            del all_keys, all_pages
            for start in range(0, len(keys), 1 << 20):  # bounded temporaries
                index._see(keys[start : start + (1 << 20)])
            # Pages came in id order, and keys_of keeps a chunk's rows in order for any key.
            order = np.argsort(keys, kind="stable")
            keys = keys[order]
            pages = pages[order]
            del order
            index.levels[0] = (keys, pages)
        return index

    def __len__(self) -> int:
        return sum(len(keys) for keys, _ in self.levels)

    def _stored(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For sorted unique ``keys``: how many pages each gives (≤ KEY_CAP), and those pages,
        newest last, right-aligned in a (len(keys), KEY_CAP) matrix."""
        (big_keys, big_pages), (small_keys, small_pages) = self.levels
        if _compiled is not None:  # one binary search a key and level, not two
            held, pages = _compiled.newest(
                np.ascontiguousarray(big_keys, np.int64),
                np.ascontiguousarray(big_pages, np.int32),
                np.ascontiguousarray(small_keys, np.int64),
                np.ascontiguousarray(small_pages, np.int32),
                np.ascontiguousarray(keys, np.int64),
                KEY_CAP,
            )
            return np.frombuffer(held, np.int64), np.frombuffer(pages, np.int64).reshape(
                len(keys), KEY_CAP
            )
        lo_big = np.searchsorted(big_keys, keys, "left")
        n_big = np.searchsorted(big_keys, keys, "right") - lo_big
        lo_small = np.searchsorted(small_keys, keys, "left")
        n_small = np.searchsorted(small_keys, keys, "right") - lo_small
        total = n_big + n_small
        # Column c holds the page at position total - KEY_CAP + c of big(key) ++ small(key).
        at = total[:, None] - KEY_CAP + _COLUMNS
        pages = np.full(at.shape, -1, np.int64)
        in_big = (at >= 0) & (at < n_big[:, None])
        in_small = at >= n_big[:, None]
        if big_pages.size:
            pages[in_big] = big_pages[(lo_big[:, None] + at)[in_big]]
        if small_pages.size:
            pages[in_small] = small_pages[(lo_small[:, None] + at - n_big[:, None])[in_small]]
        return np.minimum(total, KEY_CAP), pages

    def candidates(
        self, keys: np.ndarray, rows: np.ndarray, ids: Sequence[int], limit: int
    ) -> list[list[int]]:
        """For each page of a batch, the ``limit`` pages sharing the most keys with it, as of
        just before it is added (the stored pages, and the batch's pages before it), most
        shared keys first, then the newest.

        ``ids`` are the batch's pages in the order they are added; ``keys[i]`` is a key of page
        ``ids[rows[i]]``; ``keys`` are sorted, and equal keys come in the order of their pages
        (:func:`sort_keys`).
        """
        n = len(ids)
        found: list[list[int]] = [[] for _ in range(n)]
        if not len(keys):
            return found
        page_ids = np.asarray(ids, np.int64)
        first = np.ones(len(keys), bool)
        first[1:] = keys[1:] != keys[:-1]
        starts = np.flatnonzero(first)
        group = np.cumsum(first) - 1
        before = np.arange(len(keys)) - starts[group]  # earlier pages of the batch with the key
        unique = keys[first]
        slots = _slots(unique)
        maybe = np.flatnonzero((self.seen[slots >> 3] >> (slots & 7).astype(np.uint8)) & 1)
        held = np.zeros(len(unique), np.int64)
        stored = np.full((len(unique), KEY_CAP), -1, np.int64)
        if len(maybe):
            held[maybe], stored[maybe] = self._stored(unique[maybe])
        if _compiled is not None:  # the rest, compiled: the same lists in a fifth of the time
            return _compiled.rank(
                np.ascontiguousarray(keys, np.int64),
                np.ascontiguousarray(rows, np.int64),
                page_ids,
                held,
                stored.ravel(),
                KEY_CAP,
                limit,
            )
        held = held[group]
        # Column c: position total - KEY_CAP + c of stored(key) ++ the batch's earlier pages.
        at = (held + before)[:, None] - KEY_CAP + _COLUMNS
        pages = np.full(at.shape, -1, np.int64)
        from_store = (at >= 0) & (at < held[:, None])
        posting, _ = np.nonzero(from_store)
        pages[from_store] = stored[group[posting], KEY_CAP - held[posting] + at[from_store]]
        from_batch = at >= held[:, None]
        posting, _ = np.nonzero(from_batch)
        earlier = starts[group[posting]] + at[from_batch] - held[posting]
        pages[from_batch] = page_ids[rows[earlier]]
        mine = page_ids[rows]
        valid = (pages >= 0) & (pages != mine[:, None])
        page_row = np.broadcast_to(rows[:, None], pages.shape)[valid]
        codes = (page_row.astype(np.int64) << 32) | pages[valid]
        pairs, shared = np.unique(codes, return_counts=True)
        row_of, other = pairs >> 32, pairs & 0xFFFFFFFF
        ranked = np.lexsort((-other, -shared, row_of))
        row_of, other = row_of[ranked], other[ranked]
        first = np.ones(len(row_of), bool)
        first[1:] = row_of[1:] != row_of[:-1]
        rank = np.arange(len(row_of)) - np.flatnonzero(first)[np.cumsum(first) - 1]
        keep = rank < limit
        for row, page in zip(row_of[keep].tolist(), other[keep].tolist(), strict=True):
            found[row].append(page)
        return found

    def _see(self, keys: np.ndarray) -> None:
        slots = _slots(keys)
        if _compiled is not None:
            _compiled.see(self.seen, np.ascontiguousarray(slots, np.uint64))
            return
        np.bitwise_or.at(self.seen, slots >> 3, np.left_shift(1, slots & 7).astype(np.uint8))

    def add(self, keys: np.ndarray, pages: np.ndarray) -> None:
        """Add ``pages[i]`` under ``keys[i]`` (a batch's, after its lookups; sorted as
        :func:`sort_keys` sorts them)."""
        if not len(keys):
            return
        self._see(keys)
        small = _merge(self.levels[1], keys, pages.astype(np.int32))
        if len(small[0]) >= MERGE_EVERY:
            self.levels = [_merge(self.levels[0], *small), _EMPTY]
        else:
            self.levels[1] = small


_EMPTY = (np.empty(0, np.int64), np.empty(0, np.int32))


def _slots(keys: np.ndarray) -> np.ndarray:
    """Each key's slot in :attr:`CandidateIndex.seen`."""
    return (keys.astype(np.uint64) * _FILTER_MULTIPLIER) >> _FILTER_SHIFT


def _merge(
    level: tuple[np.ndarray, np.ndarray], keys: np.ndarray, pages: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """A level with sorted ``keys`` added, each after the pages its key already has."""
    if _compiled is not None:  # one pass over both, a third of np.insert's time
        merged = _compiled.merge(
            np.ascontiguousarray(level[0], np.int64),
            np.ascontiguousarray(level[1], np.int32),
            np.ascontiguousarray(keys, np.int64),
            np.ascontiguousarray(pages, np.int32),
        )
        return np.frombuffer(merged[0], np.int64), np.frombuffer(merged[1], np.int32)
    at = np.searchsorted(level[0], keys, "right")
    return np.insert(level[0], at, keys), np.insert(level[1], at, pages)


_compiled = compiled.load("_index")
