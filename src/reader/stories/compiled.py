"""The story grouping's compiled parts, when they were built.

Three small C extensions do the grouping's hottest loops (``_summary``: a page's summary;
``_pairs``: comparing pages; ``_index``: the candidate index's ranking and merges). Each mirrors
Python or NumPy code that stays as its definition and fallback: an install without a C compiler
works, slower, and gives the same results (``tests/stories/``: test_summary_c, test_pairs,
test_index hold each pair to each other).
"""

from __future__ import annotations

import importlib
import os
import sys
from types import ModuleType


def load(name: str) -> ModuleType | None:
    """``reader.stories.<name>`` if it was built, else None; None too on a big-endian machine,
    and when the environment sets ``READER_PURE_PYTHON`` (to measure or debug the fallback)."""
    if os.environ.get("READER_PURE_PYTHON") or sys.byteorder != "little":
        return None  # they read the library's little-endian arrays as the machine's own
    try:
        return importlib.import_module(f"reader.stories.{name}")
    except ImportError:
        return None
