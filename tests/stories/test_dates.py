"""Which day a page belongs to: its own date, else its path's; never its file's mtime."""

from __future__ import annotations

import pytest

from reader.stories.dates import PageDate, date_from_path, days_apart, page_date


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/dumps/2024-03-19/014_daad59d9ff183378.txt", "2024-03-19"),
        ("/dumps/2024_03_19/014.txt", "2024-03-19"),
        ("/dumps/2024.03.19/014.txt", "2024-03-19"),
        ("/dumps/site/page_20240319_0042.txt", "2024-03-19"),
        ("/dumps/20240319/0042.txt", "2024-03-19"),
        ("/dumps/2024/03/19/014.txt", "2024-03-19"),
        ("/dumps/2024-03-19T101500/014.txt", "2024-03-19"),
        ("C:\\dumps\\2024-03-19\\014.txt", "2024-03-19"),
        # The nearest date wins: the file's name, then its folder, then the one above.
        ("/dumps/2024-03-01/page_20240319.txt", "2024-03-19"),
        ("/2023-12-31/dumps/2024-03-19/a/014.txt", "2024-03-19"),
    ],
)
def test_dates_a_dump_gives(path: str, expected: str) -> None:
    assert date_from_path(path) == expected


@pytest.mark.parametrize(
    "path",
    [
        "/dumps/000_83e7dc3bb7ce7b8b.txt",
        "/dumps/000_3cdf2024031954b0.txt",  # eight digits inside a content hash
        "/dumps/news20240319.txt",  # not a token of its own
        "/dumps/2024-13-45/014.txt",  # no such day
        "/dumps/2023-02-29/014.txt",
        "/dumps/1850-01-01/014.txt",  # out of range
        "/dumps/12345678.txt",
        "/dumps/2024-0319/014.txt",  # separators must agree
        "",
    ],
)
def test_not_dates(path: str) -> None:
    assert date_from_path(path) is None


def test_the_page_date_wins_then_the_earliest_path() -> None:
    assert page_date("2024-03-18", ["/d/2024-03-19/a.txt"]) == PageDate("2024-03-18", "page")
    assert page_date(None, ["/d/2024-03-19/a.txt", "/e/2024-03-17/a.txt"]) == PageDate(
        "2024-03-17", "path"
    )
    assert page_date(None, ["/d/a.txt"]) is None


def test_days_apart() -> None:
    assert days_apart("2024-02-28", "2024-03-01") == 2
    assert days_apart("2024-03-01", "2024-02-28") == 2
