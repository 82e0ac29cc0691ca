"""Comparing pairs in bulk gives what comparing them one by one gives."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from reader.library.library import Library
from reader.stories.grouping import Signature, compare, compare_many, rebuild_stories
from reader.stories.pairs import Signatures

from .common import SAMPLE, SHARED


def _signatures(lib: Library) -> tuple[list[Signature], Signatures, list[str | None]]:
    rows = lib.conn.execute(
        "SELECT document_id, date, sketch, terms, weights, names FROM document_signatures"
        " ORDER BY document_id"
    ).fetchall()
    one_by_one = [Signature.from_row(*tuple(r)) for r in rows]
    laid_out = Signatures.of(*([r[i] or b"" for r in rows] for i in (2, 3, 4, 5)))
    return one_by_one, laid_out, [r[1] for r in rows]


def _check(sigs: list[Signature], laid_out: Signatures, dates: list, pairs: list) -> int:
    a = np.array([i for i, _ in pairs], np.intp)
    b = np.array([j for _, j in pairs], np.intp)
    bulk = compare_many(laid_out, dates, a, b)
    found = 0
    for n, (i, j) in enumerate(pairs):
        single = compare(sigs[i], sigs[j])
        if single is None:
            assert n not in bulk
        else:
            found += 1
            assert bulk[n][0] == single[0]
            assert bulk[n][1] == pytest.approx(single[1], abs=1e-9)
    return found


def test_every_pair_of_the_labelled_dumps(lib: Library, stories_dump: Path) -> None:
    lib.import_paths([stories_dump, SAMPLE])
    rebuild_stories(lib)
    sigs, laid_out, dates = _signatures(lib)
    pairs = [p for p in itertools.permutations(range(len(sigs)), 2)]
    assert _check(sigs, laid_out, dates, pairs) >= 10  # both kinds of link among them


def test_bbc_pairs_that_share_terms(tmp_path: Path) -> None:
    bbc = SHARED / "corpora" / "bbc" / "business"
    if not bbc.is_dir():
        pytest.skip("../shared is not beside this checkout")
    with Library(tmp_path / "bbc.sqlite") as lib:
        lib.import_paths([bbc])
        rebuild_stories(lib)
        sigs, laid_out, dates = _signatures(lib)
    rng = np.random.default_rng(5)
    by_term: dict[int, list[int]] = {}
    for i, sig in enumerate(sigs):
        for term in sig.terms[:8]:
            by_term.setdefault(term, []).append(i)
    # Pairs that share a top term (the candidates the grouping compares), and random ones.
    pairs = [p for ids in by_term.values() for p in itertools.combinations(ids[:6], 2)]
    pairs += [tuple(rng.choice(len(sigs), 2, replace=False)) for _ in range(2000)]
    assert _check(sigs, laid_out, dates, pairs) > 20


def _compiled_equals_numpy(
    laid_out: Signatures, pairs: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.stories import pairs as module

    a = np.array([i for i, _ in pairs], np.intp)
    b = np.array([j for _, j in pairs], np.intp)
    compiled = module.compare(laid_out, a, b)
    with monkeypatch.context() as m:
        m.setattr(module, "_compiled", None)
        numpy = module.compare(laid_out, a, b)
    for got, expected in zip(compiled, numpy, strict=True):
        assert got.tolist() == expected.tolist()  # bit for bit, not approximately


def test_the_compiled_comparison_is_numpys(
    lib: Library, stories_dump: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.stories import pairs as module

    if module._compiled is None:
        pytest.skip("the compiled comparison was not built (no C compiler?)")
    lib.import_paths([stories_dump, SAMPLE])
    rebuild_stories(lib)
    _, laid_out, _ = _signatures(lib)
    every = list(itertools.permutations(range(len(laid_out.sketch_bounds) - 1), 2))
    _compiled_equals_numpy(laid_out, every, monkeypatch)
    bbc = SHARED / "corpora" / "bbc" / "sport"
    if bbc.is_dir():
        lib.import_paths([bbc])
        rebuild_stories(lib)
        _, laid_out, _ = _signatures(lib)
        rng = np.random.default_rng(9)
        n = len(laid_out.sketch_bounds) - 1
        _compiled_equals_numpy(
            laid_out, [tuple(rng.choice(n, 2)) for _ in range(20000)], monkeypatch
        )


def test_taking_and_concatenating_signatures_lays_out_the_same_blobs(
    lib: Library, stories_dump: Path
) -> None:
    """What the grouper gathers from the signatures it holds (``take``) and joins to those it
    reads (``concatenate``) is what laying out those rows' blobs gives."""
    lib.import_paths([stories_dump])
    rebuild_stories(lib)
    rows = lib.conn.execute(
        "SELECT sketch, terms, weights, names FROM document_signatures ORDER BY document_id"
    ).fetchall()
    blobs = [[r[i] or b"" for r in rows] for i in range(4)]
    every = Signatures.of(*blobs)
    which = [5, 0, 3, 3, len(rows) - 1]  # any order, twice, the last

    def same(got: Signatures, wanted: Signatures) -> None:
        for field in Signatures.__dataclass_fields__:
            assert getattr(got, field).tolist() == getattr(wanted, field).tolist(), field

    taken = Signatures.of(*([b[i] for i in which] for b in blobs))
    same(every.take(np.array(which, np.intp)), taken)
    same(every.take(np.array([], np.intp)), Signatures.of([], [], [], []))
    first, second = Signatures.of(*(b[:4] for b in blobs)), Signatures.of(*(b[4:] for b in blobs))
    same(Signatures.concatenate(first, second), every)
