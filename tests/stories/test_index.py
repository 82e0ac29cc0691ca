"""The candidate index: a page's keys, and candidates that see stored pages and earlier ones."""

from __future__ import annotations

import sqlite3
from array import array
from collections import Counter

import numpy as np
import pytest

from reader.stories import index as index_module
from reader.stories.index import KEY_CAP, CandidateIndex, keys_of, page_keys, sort_keys
from reader.stories.text import pack_array


def test_page_keys_pair_the_top_terms_and_negate_sentences() -> None:
    keys = page_keys(array("I", [10, 20, 30, 40]), [5, 3, 9, 1, 7, 2, 8, 4, 6])
    assert keys[:3] == [-11, -21, -31]  # the three smallest sentence hashes, negated
    pairs = keys[3:]
    assert len(pairs) == 28  # the pairs of the eight heaviest terms (not the ninth, 6)
    assert (1 << 31) | 3 in pairs and all(k >= 0 for k in pairs)
    assert not any(k & ((1 << 31) - 1) == 6 for k in pairs)
    assert page_keys(array("I"), []) == [] and page_keys(array("I", [7]), [4]) == [-8]


def _random_pages(n: int, seed: int = 3) -> list[tuple[array, list[int]]]:
    rng = np.random.default_rng(seed)
    return [
        (
            array("I", sorted(int(h) for h in rng.choice(30, rng.integers(0, 5), replace=False))),
            [int(t) for t in rng.choice(25, rng.integers(0, 12), replace=False)],
        )
        for _ in range(n)
    ]


def test_keys_of_many_pages_are_each_pages_keys() -> None:
    pages = _random_pages(50)
    keys, rows = keys_of(
        [pack_array(s) for s, _ in pages], [pack_array(array("I", t)) for _, t in pages]
    )
    for row, (sketch, terms) in enumerate(pages):
        assert sorted(keys[rows == row].tolist()) == sorted(page_keys(sketch, terms))


def _by_hand(pages: list[list[int]], limit: int) -> list[list[int]]:
    """What candidates() must give: page by page, the KEY_CAP newest of each key, counted."""
    held: dict[int, list[int]] = {}
    out = []
    for page, keys in enumerate(pages, start=1):
        shared = Counter(d for key in keys for d in held.get(key, [])[-KEY_CAP:])
        shared.pop(page, None)
        ranked = sorted(shared.items(), key=lambda item: (-item[1], -item[0]))
        out.append([d for d, _ in ranked[:limit]])
        for key in keys:
            held.setdefault(key, []).append(page)
    return out


@pytest.mark.parametrize("batch", [1, 7, 200])
@pytest.mark.parametrize("engine", ["compiled", "numpy"])
def test_candidates_in_batches_are_those_of_pages_added_one_by_one(
    batch: int, engine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if engine == "numpy":
        monkeypatch.setattr(index_module, "_compiled", None)
    elif index_module._compiled is None:
        pytest.skip("the compiled ranking was not built (no C compiler?)")
    monkeypatch.setattr(index_module, "MERGE_EVERY", 300)  # the two levels merge on the way
    pages = [page_keys(s, t) for s, t in _random_pages(200)]
    expected = _by_hand(pages, limit=4)
    index = CandidateIndex()
    found: list[list[int]] = []
    for start in range(0, len(pages), batch):
        part = pages[start : start + batch]
        ids = list(range(start + 1, start + len(part) + 1))
        keys, rows = sort_keys(
            np.array([k for keys in part for k in keys], np.int64),
            np.array([r for r, keys in enumerate(part) for _ in keys], np.intp),
        )
        found.extend(index.candidates(keys, rows, ids, 4))
        index.add(keys, np.asarray(ids, np.int64)[rows])
    assert found == expected
    assert any(found) and len(index) == sum(map(len, pages))


def test_a_key_gives_only_its_newest_pages() -> None:
    index = CandidateIndex()
    ids = list(range(1, 3 * KEY_CAP + 1))
    index.add(np.full(len(ids), 42, np.int64), np.array(ids, np.int64))
    (found,) = index.candidates(np.array([42], np.int64), np.array([0]), [999], limit=100)
    assert sorted(found) == ids[-KEY_CAP:]


def test_built_from_storage_as_it_was_built_page_by_page(tmp_path) -> None:
    conn = sqlite3.connect(tmp_path / "s.sqlite")
    conn.execute(
        "CREATE TABLE document_signatures (document_id INTEGER PRIMARY KEY, sketch BLOB,"
        " terms BLOB)"
    )
    live = CandidateIndex()
    pages = _random_pages(150)
    for page, (sketch, terms) in enumerate(pages, start=1):
        keys = np.sort(np.array(page_keys(sketch, terms), np.int64))
        live.add(keys, np.full(len(keys), page, np.int64))
        conn.execute(
            "INSERT INTO document_signatures VALUES (?, ?, ?)",
            (page, pack_array(sketch), pack_array(array("I", terms))),
        )
    loaded = CandidateIndex.load(conn)
    assert len(loaded) == len(live)
    probe = [page_keys(s, t) for s, t in _random_pages(20, seed=9)]
    keys, rows = sort_keys(
        np.array([k for ks in probe for k in ks], np.int64),
        np.array([r for r, ks in enumerate(probe) for _ in ks], np.intp),
    )
    ids = list(range(1000, 1020))
    assert loaded.candidates(keys, rows, ids, 4) == live.candidates(keys, rows, ids, 4)


def test_the_compiled_look_up_is_numpys_across_both_levels(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Keys with no page, one, fewer than KEY_CAP and hundreds, split between the levels."""
    if index_module._compiled is None:
        pytest.skip("the compiled look-up was not built (no C compiler?)")
    monkeypatch.setattr(index_module, "MERGE_EVERY", 2_000)
    rng = np.random.default_rng(5)
    index = CandidateIndex()
    rare = []
    for start in range(0, 3_000, 300):  # 9,000 keys: merged into the large level on the way
        rare.append(rng.integers(1_000, 1_000_000, 100))
        keys = np.concatenate([rng.integers(0, 50, 200), rare[-1]])
        rows = np.arange(len(keys)) % 300
        keys, rows = sort_keys(keys.astype(np.int64), rows)
        index.add(keys, start + 1 + rows)
    big, small = index.levels
    assert len(big[0]) and len(small[0])
    probe = np.unique(
        np.concatenate([np.arange(-5, 60), np.concatenate(rare)[::7], rng.integers(1, 999, 50)])
    )
    held, pages = index._stored(probe)
    with monkeypatch.context() as m:
        m.setattr(index_module, "_compiled", None)
        expected_held, expected_pages = index._stored(probe)
    assert held.tolist() == expected_held.tolist()
    assert pages.tolist() == expected_pages.tolist()
    assert {0, 1, KEY_CAP} <= set(held.tolist())


def test_the_compiled_ranking_is_numpys_on_many_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Many pages sharing few keys (ties, keys over KEY_CAP pages, a page's own keys again)."""
    if index_module._compiled is None:
        pytest.skip("the compiled ranking was not built (no C compiler?)")
    rng = np.random.default_rng(11)
    results = {}
    for engine in ("compiled", "numpy"):
        with monkeypatch.context() as m:
            if engine == "numpy":
                m.setattr(index_module, "_compiled", None)
            index = CandidateIndex()
            found = []
            for start in range(0, 3000, 500):
                ids = list(range(start + 1, start + 501))
                rows = np.repeat(np.arange(500), 12)
                keys, rows = sort_keys(rng.integers(0, 400, len(rows)).astype(np.int64), rows)
                if start == 1000:  # pages read again: their ids are in the index already
                    ids = list(range(1, 501))
                found.extend(index.candidates(keys, rows, ids, 4))
                index.add(keys, np.asarray(ids, np.int64)[rows])
        results[engine] = found
        rng = np.random.default_rng(11)
    assert results["compiled"] == results["numpy"]
    assert sum(map(len, results["numpy"])) > 10_000
