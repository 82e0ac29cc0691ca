"""Packages that load their names on first use still have every name they promise."""

from __future__ import annotations

import importlib

import pytest


@pytest.mark.parametrize("package", ["reader.stories", "reader.export"])
def test_every_promised_name_resolves(package: str) -> None:
    module = importlib.import_module(package)
    for name in module.__all__:
        assert getattr(module, name) is not None, name
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        module.nothing_here  # noqa: B018
