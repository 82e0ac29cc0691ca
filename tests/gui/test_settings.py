"""The typed settings wrapper: values come back as they went in, bad ones fall back."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QByteArray

from reader.ui.settings import ZOOM_MAX, Settings


def test_values_round_trip_through_the_file(tmp_path) -> None:
    s = Settings.at(tmp_path / "ui.ini")
    s.zoom = 3
    s.theme = "dark"
    s.geometry = QByteArray(b"\x01\x02geometry")
    s.set_splitter_state("panes", QByteArray(b"sizes"))
    s.set_last_document(tmp_path / "a.sqlite", 42)
    s.reading_font = "DejaVu Serif,13"
    s.sync()
    again = Settings.at(tmp_path / "ui.ini")
    assert again.zoom == 3
    assert again.theme == "dark"
    assert bytes(again.geometry) == b"\x01\x02geometry"
    assert bytes(again.splitter_state("panes")) == b"sizes"
    assert again.last_document(tmp_path / "a.sqlite") == 42
    assert again.last_document(tmp_path / "b.sqlite") is None  # per library
    assert again.reading_font == "DejaVu Serif,13"


def test_defaults_and_bad_values(tmp_path) -> None:
    s = Settings.at(tmp_path / "ui.ini")
    assert s.zoom == 0
    assert s.theme == "system"
    assert s.geometry is None
    assert s.splitter_state("panes") is None
    s.zoom = 1000
    assert s.zoom == ZOOM_MAX
    with pytest.raises(ValueError, match="unknown theme"):
        s.theme = "purple"  # type: ignore[assignment]
    (tmp_path / "broken.ini").write_text("[reading]\nzoom=big\n[window]\ntheme=neon\n")
    broken = Settings.at(tmp_path / "broken.ini")
    assert broken.zoom == 0
    assert broken.theme == "system"
