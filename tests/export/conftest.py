"""Fixtures for the exporters' tests (the corpus itself is in :mod:`.corpus`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.library.library import Library

from .corpus import Corpus, build


@pytest.fixture
def corpus(lib: Library) -> Corpus:
    return build(lib)


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder
