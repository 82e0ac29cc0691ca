"""Ticker history: the fixture dump's series match exactly; undated pages are counted."""

from __future__ import annotations

import csv
import io
import os
import time
from pathlib import Path

import pytest

from reader.library.errors import UsageError
from reader.library.library import Library
from reader.stories.grouping import update_stories
from reader.stories.markets import CSV_HEADER, history, symbols_with_history

from .common import names

# MRWF across the fixture dump: (date, price, change, change %, direction, date from, files).
MRWF = [
    ("2024-05-13", 41.2, 0.35, 0.86, "up", "path", ["001_7c1e9a04b2d35f68.txt"]),
    (
        "2024-05-14",
        38.75,
        -2.45,
        -5.95,
        "down",
        "path",
        ["003_5be1c0a7d2e94f16.txt", "004_e03f6d29a8c41b75.txt", "005_9a4d17c2f6be0e83.txt"],
    ),
    ("2024-05-15", 39.1, 0.35, 0.9, "up", "path", ["006_2f8b0d6e1a7c9435.txt"]),
    ("2024-05-15", 38.9, -0.2, -0.51, "down", "path", ["007_c4a90e3b7f15d268.txt"]),
    ("2024-05-16", 39.6, 0.5, 1.28, "up", "path", ["0007_b81f4a6c20d9e357.txt"]),
    ("2024-05-17", 40.05, 0.45, 1.14, "up", "path", ["market_20240517_close.txt"]),
    # Filed under 2024-05-20/, but the page says `date 2024-05-18`: the page wins.
    ("2024-05-18", 40.3, 0.25, 0.62, "up", "page", ["008_61d2b8f09e4a7c35.txt"]),
]
UNDATED = ["009_0e7a3c5d91b2f468.txt"]


@pytest.fixture(params=["grouped", "not grouped"])
def fixture_lib(request: pytest.FixtureRequest, lib: Library, stories_dump: Path) -> Library:
    """The fixture dump imported; its dates recorded by the grouping, or parsed by history."""
    report = lib.import_paths([stories_dump])
    if request.param == "grouped":
        update_stories(lib, report.document_ids)
    return lib


def _expected(lib: Library, rows: list) -> list[tuple]:
    ids = names(lib)
    return [(*r[:6], tuple(sorted(ids[n] for n in r[6]))) for r in rows]


def test_series_matches_exactly(fixture_lib: Library) -> None:
    series = history(fixture_lib, "MRWF")
    assert (series.symbol, series.kind) == ("MRWF", "stock")
    assert [tuple(p) for p in series.points] == _expected(fixture_lib, MRWF)
    assert series.undated == tuple(names(fixture_lib)[n] for n in UNDATED)
    assert series.conflicting_dates == ("2024-05-15",)
    assert series.pages == 10


def test_index_series(fixture_lib: Library) -> None:
    series = history(fixture_lib, "KSE100")
    assert series.kind == "index"
    assert [(p.date, p.price, p.change) for p in series.points][:3] == [
        ("2024-05-13", 71204.0, 210.5),
        ("2024-05-14", 70950.0, -254.0),
        ("2024-05-15", 71012.0, 62.0),  # then 70,990 (another page that day)
    ]


def test_a_symbol_missing_from_some_pages(fixture_lib: Library) -> None:
    series = history(fixture_lib, "TRVL")
    assert [p.date for p in series.points] == [
        "2024-05-13",
        "2024-05-14",
        "2024-05-15",
        "2024-05-16",
        "2024-05-17",
    ]


def test_the_files_mtime_is_not_a_date(lib: Library, stories_dump: Path) -> None:
    undated = stories_dump / "outlet-a" / "undated" / UNDATED[0]
    stamp = time.mktime((2024, 5, 19, 12, 0, 0, 0, 0, -1))
    os.utime(undated, (stamp, stamp))
    lib.import_paths([stories_dump])
    assert history(lib, "MRWF").undated == (names(lib)[UNDATED[0]],)


def test_symbol_spelling(fixture_lib: Library) -> None:
    assert history(fixture_lib, "mrwf").symbol == "MRWF"
    with pytest.raises(UsageError, match="MRWF"):
        history(fixture_lib, "MRWX")


def test_unknown_symbol_in_an_empty_library(lib: Library) -> None:
    with pytest.raises(UsageError, match="no ticker rows"):
        history(lib, "HBL")


def test_json_and_csv_shapes(fixture_lib: Library) -> None:
    series = history(fixture_lib, "MRWF")
    data = series.as_json()
    assert list(data) == ["symbol", "kind", "points", "undated", "conflicting_dates"]
    assert list(data["points"][0]) == [
        "date",
        "price",
        "change",
        "change_pct",
        "direction",
        "date_from",
        "documents",
    ]
    assert data["undated"]["count"] == 1
    rows = list(csv.reader(io.StringIO(series.as_csv())))
    assert tuple(rows[0]) == CSV_HEADER
    assert rows[2][:6] == ["2024-05-14", "38.75", "-2.45", "-5.95", "down", "path"]
    assert len(rows[2][6].split()) == 3
    assert len(rows) == 1 + len(MRWF)


def test_symbols_with_history(fixture_lib: Library) -> None:
    found = {s.symbol: s for s in symbols_with_history(fixture_lib)}
    assert set(found) == {"MRWF", "GLNC", "TRVL", "KSE100"}
    assert (found["MRWF"].pages, found["KSE100"].kind) == (10, "index")
    assert symbols_with_history(fixture_lib, min_pages=11) == []
