"""Which day a page belongs to: the page's own date, else the date its dump gives it.

The page's own date (``documents.date``, from a ``date YYYY-MM-DD`` header) always wins. A page
without one — ticker pages never carry one — takes the date written in its *path*, because
scrapers commonly file a day's pages under a dated folder or name:

* ``…/2024-03-19/014_daad59d9.txt``, ``…/2024_03_19/…``, ``…/2024.03.19/…``
* ``…/page_20240319_0042.txt`` (eight digits standing as a whole token)
* ``…/2024/03/19/014.txt`` (year, month and day folders)
* ``…/2024-03-19T101500/…`` (a timestamp: its day counts)

A date must stand as its own token: bounded by the start or end of a name, a path separator,
``-``, ``_``, ``.`` or a space, never by a letter or a digit, so eight digits inside a hex
content hash (``000_3cdf2024031954b0.txt``) are not a date. It must be a real calendar day in
1970–2099. The date nearest the file wins (the file's name, then its folder, then the folder
above …); a page known under several paths takes the earliest of their dates.

The file's modification time is **not** a date: it says when the file was copied, not when the
page was published or scraped, and is never used. A page with neither kind of date is undated;
callers leave it out of date-ordered views and count it.
"""

from __future__ import annotations

import datetime
import functools
import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

DateOrigin = Literal["page", "path"]

_PATH_DATE = re.compile(
    r"(?<![0-9A-Za-z])((?:19[7-9]|20[0-9])[0-9])"
    r"([-_./\\]?)(0[1-9]|1[0-2])\2(0[1-9]|[12][0-9]|3[01])(?!(?!T[0-9])[0-9A-Za-z])"
)


@dataclass(frozen=True)
class PageDate:
    date: str  # ISO YYYY-MM-DD
    origin: DateOrigin  # "page": the page says so; "path": its folder or file name does


def _last_date(text: str) -> str | None:
    found = None
    for m in _PATH_DATE.finditer(text):
        try:
            found = datetime.date(int(m[1]), int(m[3]), int(m[4])).isoformat()
        except ValueError:
            continue
    return found  # the last valid match: nearest the file


@functools.lru_cache(maxsize=4096)
def _folder_date(folder: str) -> str | None:
    return _last_date(folder)


def date_from_path(path: str) -> str | None:
    """The date a dump's path gives a page (see the module docstring), or None."""
    cut = max(path.rfind("/"), path.rfind("\\"))
    return _last_date(path[cut + 1 :]) or (_folder_date(path[:cut]) if cut > 0 else None)


def page_date(own: str | None, paths: Iterable[str]) -> PageDate | None:
    """A page's date from its own date and its paths (the rules in the module docstring)."""
    if own:
        return PageDate(own, "page")
    dated = [d for d in map(date_from_path, paths) if d]
    return PageDate(min(dated), "path") if dated else None


def page_dates(conn: sqlite3.Connection, ids: Sequence[int]) -> dict[int, PageDate]:
    """Dates of the documents ``ids`` (undated ones are absent from the result)."""
    out: dict[int, PageDate] = {}
    undated: list[int] = []
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        marks = ",".join("?" * len(chunk))
        for doc_id, date in conn.execute(
            f"SELECT id, date FROM documents WHERE id IN ({marks})", chunk
        ):
            if date:
                out[doc_id] = PageDate(date, "page")
            else:
                undated.append(doc_id)
    paths: dict[int, list[str]] = {}
    for start in range(0, len(undated), 500):
        chunk = undated[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for doc_id, path in conn.execute(
            f"SELECT document_id, path FROM paths WHERE document_id IN ({marks})", chunk
        ):
            paths.setdefault(doc_id, []).append(path)
    for doc_id, doc_paths in paths.items():
        found = page_date(None, doc_paths)
        if found is not None:
            out[doc_id] = found
    return out


def days_apart(a: str, b: str) -> int:
    return abs((datetime.date.fromisoformat(a) - datetime.date.fromisoformat(b)).days)
