"""Package attributes imported on first use (PEP 562), for packages whose parts are heavy.

``reader.stories`` and ``reader.export`` re-export their parts' main names; importing them all
eagerly put rapidfuzz and every exporter on the path of any submodule import, including the
command line's parser (a tenth of a second at every ``reader`` start).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def lazy_attributes(package: str, names: Mapping[str, str]) -> Callable[[str], Any]:
    """A module-level ``__getattr__`` for ``package``: ``names`` maps a name to its module."""

    def __getattr__(name: str) -> Any:
        module = names.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        setattr(sys.modules[package], name, value)  # later lookups skip this function
        return value

    return __getattr__
