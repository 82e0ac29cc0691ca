"""Help › Quick Tour: it pages with the keyboard, and the keys it names are the window's own."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from reader.ui.tour import PAGES, TourDialog


def test_tour_pages_with_keys_and_is_remembered(qtbot, window) -> None:  # noqa: ANN001
    assert not window.settings.tour_seen
    window.show_tour()
    dialog = window.findChild(TourDialog)
    assert dialog is not None and dialog.isVisible()
    assert window.settings.tour_seen
    assert dialog.position.text() == f"1 of {len(PAGES)}"
    qtbot.keyClick(dialog, Qt.Key.Key_Return)  # Next is the default button
    assert dialog.stack.currentIndex() == 1
    qtbot.keyClick(dialog.back, Qt.Key.Key_Space)
    assert dialog.stack.currentIndex() == 0
    dialog.accept()


def test_the_keys_the_tour_names_exist(window) -> None:  # noqa: ANN001
    bound = {
        key.toString(QKeySequence.SequenceFormat.PortableText)
        for _menu, _what, keys in window.shortcut_rows()
        for key in keys
    }
    named = {
        k for _t, body in PAGES for k in re.findall(r"<b>(Ctrl\+[^<]+|Alt\+\d|F\d+)</b>", body)
    }
    missing = named - bound
    assert missing == set(), f"the tour names keys the window does not have: {missing}"
