"""What "Also reported by" and the side-by-side view call a report's outlet."""

from __future__ import annotations

from reader.ui.compare_view import outlet_of


def test_source_then_dateline() -> None:
    assert outlet_of("Reuters", "PORT CALLAN", "Ferry aground") == "Reuters"
    assert outlet_of(None, "PORT CALLAN", "Ferry aground") == "PORT CALLAN"


def test_a_page_naming_neither_is_called_by_its_title() -> None:
    assert outlet_of(None, None, "Ferry aground") == "“Ferry aground”"
    long = "Grounded ferry Saltmarsh Star refloated on the evening tide"
    assert outlet_of(None, None, long) == "“Grounded ferry Saltmarsh Star…”"
    assert outlet_of(None, None, None) == "unknown outlet"
