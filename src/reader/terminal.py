"""What every ``reader`` subcommand shares on the terminal: id arguments, JSON, progress bars.

Kept apart from :mod:`reader.cli` so that the subcommand modules of other packages
(``reader.export.commands``, ``reader.stories.commands``) can use it without importing the
command line's entry point.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections.abc import Callable
from typing import Any


def doc_id(text: str) -> int:
    """argparse type for a document id: a whole number from 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a document id (a number)") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a document id (ids start at 1)")
    return value


def print_json(value: Any) -> None:
    """JSON on standard output, readable, with non-ASCII text as it is."""
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def progress_bar(
    desc: str, unit: str, enabled: bool = True
) -> tuple[Any, Callable[[int, int, str], None] | None]:
    """(bar, callback(done, total, label)): a tqdm bar on standard error when it is a terminal,
    else ``(None, None)`` so that pipes and logs get no control characters. Close the bar."""
    if not (enabled and sys.stderr.isatty()):
        return None, None
    from tqdm import tqdm

    # A terminal that reports a size of 0×0 (a bare pty) would make tqdm draw nothing;
    # shutil falls back to 80×24 there.
    size = shutil.get_terminal_size()
    bar = tqdm(
        total=0,
        unit=unit,
        desc=desc,
        file=sys.stderr,
        leave=False,
        ncols=size.columns,
        nrows=size.lines,
    )

    def progress(done: int, total: int, _label: str) -> None:
        if bar.total != total:
            bar.total = total
            bar.refresh()
        bar.update(done - bar.n)

    return bar, progress
