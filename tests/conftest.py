"""Fixtures shared by every test: a temporary library, the project's own fixture dump, ../shared."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# Qt must never need a display in the test run; set before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SHARED = ROOT.parent / "shared"


@pytest.fixture
def dump_dir(tmp_path: Path) -> Path:
    """A copy of ``tests/fixtures/dump``: three pages in the three shapes, a duplicate, junk."""
    target = tmp_path / "dump"
    shutil.copytree(FIXTURES / "dump", target)
    return target


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "lib" / "library.sqlite"


@pytest.fixture
def lib(db_path: Path):
    from reader.library.library import Library

    with Library(db_path) as library:
        yield library


@pytest.fixture
def shared() -> Path:
    """``../shared`` beside the checkout; tests using it are skipped when it is absent."""
    if not (SHARED / "seeds").is_dir():
        pytest.skip("../shared is not beside this checkout")
    return SHARED
