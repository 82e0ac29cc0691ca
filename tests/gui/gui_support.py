"""Helpers for the window's tests: the fixture pages (original fictional text in the three page
shapes) and opening a window the way a person would see it."""

from __future__ import annotations

from pathlib import Path

TICKER_PAGE = """\
ZARCO 112.40 Increased By ▲ 1.25 (1.12%)
MIRAB 8.06 Decreased By ▼ -0.14 (-1.71%)
TELVA 1,015.00 No Change ▼ 0.00 (0%)
KSE100 81,204 Increased By 212.6 (0.26%)
BR30 25,010 Decreased By -40.5 (-0.16%)

LAHORE: Zarco Cement said on Tuesday it would fire a second kiln at its plant near Chakwal by \
the autumn, and brokers said ZARCO shares could climb further if coal stayed cheap.

Mirab Foods, which makes biscuits and noodles, said it had no plans to build anything this year.

Comments

Comments are closed.
"""

WIRE_PAGE = (
    " date 2024-01-02 Harbour pilots in Valletta agreed on Tuesday to end a three-day stoppage "
    "after the port authority promised two new tugs, a union official said. Ferries to Gozo ran "
    "normally by the evening. (Reuters)\n"
)

TITLED_PAGE = """\
Seed packets join the lending shelves in Tampere

The city library in Tampere now lends packets of vegetable seed 🌱 alongside its books, and asks \
borrowers to bring back seed from their harvest. A line that reads <b>not bold</b> stays as written.

Librarian Aino Virtanen said the seed shelf emptied within a week of opening.
"""

PAGES = {
    "000_1a2b3c4d5e6f7081.txt": TICKER_PAGE,
    "001_2b3c4d5e6f708192.txt": WIRE_PAGE,
    "002_3c4d5e6f70819203.txt": TITLED_PAGE,
}

TICKER_TITLE_START = "Zarco Cement said on Tuesday"
WIRE_TITLE_START = "Harbour pilots in Valletta"
TITLED_TITLE = "Seed packets join the lending shelves in Tampere"


def write_pages(folder: Path, pages: dict[str, str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in (pages or PAGES).items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def open_window(qtbot, library, settings):  # noqa: ANN001, ANN201
    from PySide6.QtWidgets import QApplication

    from reader.ui.main_window import MainWindow

    window = MainWindow(library, settings)
    qtbot.addWidget(window, before_close_func=lambda w: w.importer.shutdown())
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
    settle(qtbot, window)  # the list's first rows arrive from its query thread
    return window


def settle(qtbot, window) -> None:  # noqa: ANN001
    """Wait until the document list shows the answer to the newest question asked of it."""
    qtbot.waitUntil(lambda: not window.list_pane.model.is_pending(), timeout=10_000)
