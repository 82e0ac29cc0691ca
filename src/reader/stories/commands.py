"""``reader stories`` and ``reader history``: the command-line face of stories and markets.

Registered by :mod:`reader.cli` through ``add_commands``. Output shapes (INTERFACE.md):

* ``reader stories --json``: an array of stories, each
  ``{"id", "title", "first_date", "last_date", "size", "documents": [...]}`` where a document is
  ``{"id", "title", "date", "date_from", "source", "dateline", "paths", "link", "score",
  "joined_via"}`` — ``link`` is ``first``, ``near-duplicate`` or ``same-event``; ``score`` the
  similarity to the document ``joined_via``; ``date_from`` ``page``, ``path`` or null.
* ``reader history SYMBOL --json``: ``{"symbol", "kind", "points": [{"date", "price", "change",
  "change_pct", "direction", "date_from", "documents"}], "undated": {"count", "documents"},
  "conflicting_dates"}``; ``--csv``: ``date,price,change,change_pct,direction,date_from,documents``
  with the document ids separated by spaces.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from reader.library.errors import LibraryLocked, LibraryReadOnly
from reader.stories.grouping import group_pending, rebuild_stories
from reader.stories.markets import history
from reader.stories.queries import Story, stories

if TYPE_CHECKING:
    from reader.library.library import Library

_ARROWS = {"up": "▲", "down": "▼", "flat": "="}


def add_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "stories",
        parents=[common],
        help="list pages that report the same event",
        description="List stories: groups of pages that report the same event — the same text "
        "under another header (near-duplicate) or another outlet's report (same-event). Pages "
        "imported since the last grouping are grouped first.",
    )
    p.add_argument("--json", action="store_true", help="print a JSON array")
    p.add_argument(
        "--rebuild",
        action="store_true",
        help="group every page again from scratch (after changing Dump Reader's version)",
    )
    p.set_defaults(func=cmd_stories)

    p = sub.add_parser(
        "history",
        parents=[common],
        help="one ticker symbol's prices across the library's dates",
        description="Print the series of a ticker symbol: its price and change on each date of "
        "the pages that carry it, with the pages behind each point. A page without a date of its "
        "own takes the date in its folder or file name (2024-03-19/, …_20240319_…); pages with "
        "neither are counted and left out.",
    )
    p.add_argument("symbol", metavar="SYMBOL", help="the ticker symbol, e.g. HBL or KSE100")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print JSON")
    fmt.add_argument("--csv", action="store_true", help="print CSV, one row per point")
    p.set_defaults(func=cmd_history)


def _print_json(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def cmd_stories(args: argparse.Namespace, lib: Library) -> int:
    """List stories (grouping the pages not grouped yet first)."""
    try:
        if args.rebuild:
            rebuild_stories(lib)
        else:
            group_pending(lib)
    except (LibraryReadOnly, LibraryLocked) as error:
        if args.rebuild:
            raise
        print(f"reader: stories not brought up to date: {error}", file=sys.stderr)
    found = stories(lib)
    if args.json:
        _print_json([s.as_json() for s in found])
        return 0
    total = lib.count_documents()
    grouped = sum(len(s.members) for s in found)
    if not found:
        print(f"No stories: none of the {total} pages reports the same event as another.")
        return 0
    for story in found:
        _print_story(story)
    print(
        f"{len(found)} stor{'y' if len(found) == 1 else 'ies'}, {grouped} pages in them;"
        f" {total - grouped} page{'' if total - grouped == 1 else 's'} stand alone."
    )
    return 0


def _print_story(story: Story) -> None:
    span = story.first_date or "undated"
    if story.last_date and story.last_date != story.first_date:
        span += f" – {story.last_date}"
    print(f"Story {story.id}: {len(story.members)} pages, {span}")
    for m in story.members:
        link = m.link if m.score is None else f"{m.link} {m.score:.2f} ← {m.joined_via}"
        meta = "  ".join(x for x in (m.date or "no date", m.source or "") if x)
        print(f"  {m.document_id:>6}  {link:<26} {meta:<22} {m.title}")
    print()


def cmd_history(args: argparse.Namespace, lib: Library) -> int:
    """Print one symbol's series."""
    series = history(lib, args.symbol)
    if args.json:
        _print_json(series.as_json())
        return 0
    if args.csv:
        sys.stdout.write(series.as_csv())
        return 0
    dates = len({p.date for p in series.points})
    print(
        f"{series.symbol} ({series.kind}): {len(series.points)} point"
        f"{'' if len(series.points) == 1 else 's'} on {dates} date{'' if dates == 1 else 's'},"
        f" from {series.pages} page{'' if series.pages == 1 else 's'}"
    )
    for p in series.points:
        docs = ", ".join(map(str, p.documents))
        mark = " (path date)" if p.date_from == "path" else ""
        print(
            f"  {p.date}  {p.price:>12,.2f} {_ARROWS.get(p.direction, ' ')} {p.change:>+10,.2f}"
            f" ({p.change_pct:+.2f}%)  page{'s' if len(p.documents) > 1 else ''} {docs}{mark}"
        )
    if series.conflicting_dates:
        print(f"Several different quotes on: {', '.join(series.conflicting_dates)}.")
    if series.undated:
        n = len(series.undated)
        print(
            f"{n} page{'' if n == 1 else 's'} without a date left out:"
            f" {', '.join(map(str, series.undated))}."
        )
    return 0
