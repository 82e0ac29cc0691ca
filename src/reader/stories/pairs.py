"""Comparing many pairs of read pages at once: :func:`reader.stories.grouping.compare`, in NumPy.

How two pages relate depends on their signatures alone, not on the stories already formed, so a
batch's comparisons can all be made before its pages are placed one by one. Made one pair at a
time in Python they were most of the grouping's time on a large library (a signature decoded, a
dictionary built and a cosine summed for each of ~1.8 candidates a page: 35 µs a page at
100,000 pages, where most candidates share a pair of top terms and nothing else). Here every
pair of a batch is one set of array operations: each side's sentence hashes, terms and names
become ``(pair, value)`` codes, and one sort of both sides' codes finds what the two have in
common.

The results equal :func:`~reader.stories.grouping.compare`'s (``tests/stories/test_pairs.py``):
the resemblance exactly, the cosine up to the order of a float sum. The date window is left to
the caller, who has the dates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from reader.stories import compiled, text


@dataclass
class Signatures:
    """Signatures laid end to end: signature ``i``'s terms are ``terms[term_bounds[i]:
    term_bounds[i + 1]]``, and so on. Built from the stored blobs (little-endian uint32 sketch,
    terms and names; float32 weights)."""

    sketches: np.ndarray
    sketch_bounds: np.ndarray
    terms: np.ndarray
    weights: np.ndarray
    term_bounds: np.ndarray
    names: np.ndarray
    name_bounds: np.ndarray

    @classmethod
    def of(
        cls,
        sketches: Sequence[bytes],
        terms: Sequence[bytes],
        weights: Sequence[bytes],
        names: Sequence[bytes],
    ) -> Signatures:
        return cls(
            *laid_out(sketches, "<u4"),
            laid_out(terms, "<u4")[0],
            *laid_out(weights, "<f4"),
            *laid_out(names, "<u4"),
        )


    def take(self, which: np.ndarray) -> Signatures:
        """Signatures ``which[0]``, ``which[1]``, … of these, laid end to end in that order."""
        sketches, sketch_bounds = _gather(self.sketches, self.sketch_bounds, which)
        positions, term_bounds = _positions(self.term_bounds, which)
        names, name_bounds = _gather(self.names, self.name_bounds, which)
        return Signatures(
            sketches,
            sketch_bounds,
            self.terms[positions],
            self.weights[positions],
            term_bounds,
            names,
            name_bounds,
        )

    @classmethod
    def concatenate(cls, first: Signatures, second: Signatures) -> Signatures:
        """``first``'s signatures, then ``second``'s."""
        return cls(
            np.concatenate((first.sketches, second.sketches)),
            _follow(first.sketch_bounds, second.sketch_bounds),
            np.concatenate((first.terms, second.terms)),
            np.concatenate((first.weights, second.weights)),
            _follow(first.term_bounds, second.term_bounds),
            np.concatenate((first.names, second.names)),
            _follow(first.name_bounds, second.name_bounds),
        )


def _positions(bounds: np.ndarray, which: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where the values of signatures ``which`` are, laid end to end, and their new bounds."""
    starts = bounds[which]
    lengths = bounds[which + 1] - starts
    new_bounds = np.zeros(len(which) + 1, np.intp)
    np.cumsum(lengths, out=new_bounds[1:])
    return np.repeat(starts - new_bounds[:-1], lengths) + np.arange(new_bounds[-1]), new_bounds


def _gather(
    values: np.ndarray, bounds: np.ndarray, which: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    positions, new_bounds = _positions(bounds, which)
    return values[positions], new_bounds


def _follow(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Bounds of two runs of signatures laid one after the other."""
    return np.concatenate((first, second[1:] + first[-1]))


def laid_out(blobs: Sequence[bytes], dtype: str) -> tuple[np.ndarray, np.ndarray]:
    """Blobs of 4-byte ``dtype`` items laid end to end: (values, bounds)."""
    values = np.frombuffer(b"".join(blobs), dtype)
    bounds = np.zeros(len(blobs) + 1, np.intp)
    np.cumsum(np.fromiter(map(len, blobs), np.intp, len(blobs)) // 4, out=bounds[1:])
    return values, bounds


def _spread(bounds: np.ndarray, owners: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each pair ``j`` owning signature ``owners[j]``, that signature's positions in the
    laid-out values: (pair of each position, position)."""
    starts = bounds[owners]
    lengths = bounds[owners + 1] - starts
    pair = np.repeat(np.arange(len(owners), dtype=np.int64), lengths)
    within = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return pair, starts[pair] + within


def _codes(
    values: np.ndarray, bounds: np.ndarray, a: np.ndarray, b: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Both sides' values as ``pair << 32 | value`` codes, sorted; returns (sorted codes, the
    position in ``values`` of each, and where a code equals the next — a value both sides have,
    since each side's values are distinct)."""
    pair_a, at_a = _spread(bounds, a)
    pair_b, at_b = _spread(bounds, b)
    codes = np.concatenate(
        ((pair_a << 32) | values[at_a].astype(np.int64), (pair_b << 32) | values[at_b])
    )
    order = np.argsort(codes)  # equal codes are one of each side: their order does not matter
    codes = codes[order]
    positions = np.concatenate((at_a, at_b))[order]
    return codes, positions, np.flatnonzero(codes[1:] == codes[:-1])


def resemblances(
    sigs: Signatures, a: np.ndarray, b: np.ndarray, k: int = text.SKETCH
) -> np.ndarray:
    """:func:`reader.stories.text.resemblance` of the sketches of each pair ``(a[j], b[j])``."""
    n = len(a)
    codes, _, both = _codes(sigs.sketches, sigs.sketch_bounds, a, b)
    if not len(codes):
        return np.zeros(n)
    shared = np.zeros(len(codes), bool)
    shared[both] = True
    union = np.ones(len(codes), bool)
    union[both + 1] = False  # a code both have counts once
    codes, shared = codes[union], shared[union]
    pair = codes >> 32
    first = np.searchsorted(pair, np.arange(n))
    smallest = np.arange(len(codes)) - first[pair] < k  # the k smallest of each pair's union
    in_union = np.bincount(pair[smallest], minlength=n)
    in_both = np.bincount(pair[smallest & shared], minlength=n)
    empty = (np.diff(sigs.sketch_bounds)[a] == 0) | (np.diff(sigs.sketch_bounds)[b] == 0)
    return np.where(empty | (in_union == 0), 0.0, in_both / np.maximum(in_union, 1))


def shared_names(sigs: Signatures, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """How many names each pair has in common."""
    codes, _, both = _codes(sigs.names, sigs.name_bounds, a, b)
    return np.bincount(codes[both] >> 32, minlength=len(a))


def cosines(sigs: Signatures, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """:func:`reader.stories.text.cosine` of each pair's weighted terms."""
    codes, positions, both = _codes(sigs.terms, sigs.term_bounds, a, b)
    products = sigs.weights[positions[both]].astype(np.float64) * sigs.weights[positions[both + 1]]
    return np.bincount(codes[both] >> 32, weights=products, minlength=len(a))


def compare(
    sigs: Signatures, a: np.ndarray, b: np.ndarray, k: int = text.SKETCH
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`resemblances`, :func:`shared_names` and :func:`cosines` of every pair at once:
    by the compiled :mod:`reader.stories._pairs` when it was built (the same numbers, bit for
    bit, in a fifth of the time), else by those three."""
    if _compiled is None or not len(a):
        return resemblances(sigs, a, b, k), shared_names(sigs, a, b), cosines(sigs, a, b)
    contiguous = np.ascontiguousarray
    found = _compiled.compare(
        contiguous(sigs.sketches, "<u4"),
        contiguous(sigs.sketch_bounds, np.int64),
        contiguous(sigs.terms, "<u4"),
        contiguous(sigs.weights, "<f4"),
        contiguous(sigs.term_bounds, np.int64),
        contiguous(sigs.names, "<u4"),
        contiguous(sigs.name_bounds, np.int64),
        contiguous(a, np.int64),
        contiguous(b, np.int64),
        k,
    )
    return (
        np.frombuffer(found[0], np.float64),
        np.frombuffer(found[1], np.int64),
        np.frombuffer(found[2], np.float64),
    )


_compiled = compiled.load("_pairs")
