"""Imports that prepare pages in worker processes give the same library as in-process ones."""

from __future__ import annotations

from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from reader.library import importer
from reader.library.library import Library

TICKERS = "HBL 115.91 Increased By ▲ 0.01 (0.01%)\nKSE100 75,091 Decreased By 160.7 (0.21%)\n\n"


def _dump(folder: Path) -> Path:
    """37 pages: ticker pages, titled articles, a duplicate, a refusal, in nested folders."""
    for i in range(36):
        sub = folder / f"day-{i % 4}"
        sub.mkdir(parents=True, exist_ok=True)
        head = TICKERS if i % 3 == 0 else ""
        (sub / f"{i:02}.txt").write_text(
            f"{head}Port report number {i}\n\nBerth {i} loaded {i * 11} containers; "
            f"the harbour master said work went on through the night.\n",
            encoding="utf-8",
        )
    (folder / "day-0" / "copy.txt").write_bytes((folder / "day-1" / "01.txt").read_bytes())
    (folder / "day-2" / "empty.txt").write_bytes(b"")
    return folder


def _contents(lib: Library) -> list[tuple]:
    out = []
    for doc_id in lib.document_ids():
        d = lib.document(doc_id)
        out.append(
            (d.id, d.title, d.body, d.profile, tuple(Path(p).name for p in d.paths), d.tickers)
        )
    return out


@pytest.fixture
def small_chunks(monkeypatch) -> None:
    monkeypatch.setattr(importer, "PARALLEL_MIN_FILES", 5)
    monkeypatch.setattr(importer, "CHUNK", 4)
    monkeypatch.setattr(importer, "IN_FLIGHT", 3)


def test_workers_give_the_same_library(tmp_path: Path, small_chunks) -> None:
    dump = _dump(tmp_path / "dump")
    with Library(tmp_path / "a.sqlite") as one, Library(tmp_path / "b.sqlite") as two:
        r1 = one.import_paths([dump], workers=0)
        r2 = two.import_paths([dump], workers=2)
        assert (r1.imported, r1.duplicates, r1.failed) == (r2.imported, r2.duplicates, r2.failed)
        assert r1.imported == 36 and r1.duplicates == 1 and len(r1.failed) == 1
        assert _contents(one) == _contents(two)
        assert any(t.symbol == "KSE100" and t.price == 75091 for t in two.document(1).tickers)


def test_a_broken_pool_finishes_in_this_process(
    tmp_path: Path, small_chunks, monkeypatch
) -> None:
    class BrokenPool:
        def __init__(self, **kwargs: object) -> None:
            pass

        def submit(self, *args: object) -> Future:
            future: Future = Future()
            future.set_exception(BrokenProcessPool("a worker died"))
            return future

        def shutdown(self, **kwargs: object) -> None:
            pass

    monkeypatch.setattr(importer, "ProcessPoolExecutor", BrokenPool)
    with Library(tmp_path / "lib.sqlite") as lib:
        report = lib.import_paths([_dump(tmp_path / "dump")], workers=2)
        assert report.imported == 36 and report.duplicates == 1


def test_cancel_with_workers_keeps_what_was_written(tmp_path: Path, small_chunks) -> None:
    asked = iter(range(1000))
    with Library(tmp_path / "lib.sqlite") as lib:
        report = lib.import_paths(
            [_dump(tmp_path / "dump")], workers=2, cancel=lambda: next(asked) >= 10
        )
        assert report.cancelled and lib.count_documents() == 10
        again = lib.import_paths([tmp_path / "dump"], workers=2)
        assert again.imported == 26 and lib.count_documents() == 36
