"""Fixtures of the stories tests: a fresh copy of the stories fixture dump."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .common import FIXTURE


@pytest.fixture
def stories_dump(tmp_path: Path) -> Path:
    target = tmp_path / "stories-dump"
    shutil.copytree(FIXTURE, target)
    return target
