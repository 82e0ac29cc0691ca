"""The window's entry point: the QApplication, its look and settings, the library, the window.

``reader``, ``reader FOLDER …`` and ``reader open …`` call :func:`run`. With no folders the window
opens on the library as it is; an empty library shows the welcome state, which offers to open a
dump folder or to explore the bundled sample dump (nothing is imported without being asked).
Folders given are imported in the background once the window is up.

A library that cannot be opened (locked, damaged, from a newer version, not writable) gives a
dialog that says so and offers to try again, pick another library file, or quit; never a
traceback.
"""

from __future__ import annotations

import signal
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from reader import APP_ID, APP_NAME, __version__
from reader.library.errors import LibraryError
from reader.library.library import Library
from reader.ui import dialogs, qtfix
from reader.ui.main_window import MainWindow
from reader.ui.resources import app_icon
from reader.ui.settings import Settings
from reader.ui.theme import apply_theme

EXIT_OK, EXIT_LIBRARY = 0, 3


def application() -> QApplication:
    """The QApplication, created once, named and given the app's icon."""
    qtfix.shield()
    # The window's background threads (import, story grouping, queries) are Python too and
    # share one interpreter lock with the event loop; a 1 ms switch interval (the default is
    # 5 ms) makes them hand it back sooner. Measured during a 10,000-page import into 100,000
    # documents: the event loop's 99th-percentile delay went from 20 ms to 11 ms, the import's
    # time unchanged.
    sys.setswitchinterval(0.001)
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication([sys.argv[0] if sys.argv else APP_NAME])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName("DumpReader")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())
    return app


def open_library(db_path: Path) -> Library | None:
    """Open the library at ``db_path``, asking the user what to do while it fails.

    Returns None when the user chose to quit.
    """
    path = db_path
    while True:
        try:
            return Library(path)
        except LibraryError as error:
            choice = dialogs.ask_library_error(None, error)
            if choice == "quit":
                return None
            if choice == "choose":
                picked = dialogs.choose_library_file(None, path.parent)
                if picked is None:
                    continue
                path = picked


def start(
    db_path: Path, folders: Sequence[str], settings: Settings
) -> tuple[MainWindow, Library] | None:
    """Open the library and show the window (importing ``folders``); None if the user quit."""
    app = application()
    apply_theme(app, settings.theme)
    library = open_library(db_path)
    if library is None:
        return None
    window = MainWindow(library, settings)
    window.show()
    if folders:
        window.import_paths(list(folders))
    return window, library


def _excepthook(window: MainWindow) -> Callable[..., None]:
    """Show a bug that escaped a slot in a dialog (with the details to report it) and go on."""

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        details = "".join(traceback.format_exception(kind, value, tb))
        sys.stderr.write(details)
        if isinstance(value, LibraryError):
            window.library_failed(value)
            return
        dialogs.show_error(
            window,
            "Unexpected Error",
            "Something went wrong in Dump Reader. Your library is safe: every change was "
            "saved when you made it. Please report this with the details below.",
            details,
        )

    return hook


def run(db_path: Path, folders: list[str]) -> int:
    """Run the window until it closes; the exit status for the command line."""
    app = application()
    settings = Settings.for_user()
    started = start(Path(db_path), folders, settings)
    if started is None:
        return EXIT_LIBRARY
    window, library = started
    if not folders and not settings.tour_seen and library.count_documents() == 0:
        QTimer.singleShot(0, window.show_tour)  # the first run: welcome page, then the tour
    app.aboutToQuit.connect(window.shutdown)  # threads stop even if the window was not closed
    sys.excepthook = _excepthook(window)  # type: ignore[assignment]
    # Let Ctrl+C in the terminal close the window: Python handles signals only when it runs.
    signal.signal(signal.SIGINT, lambda *_: window.close())
    tick = QTimer()
    tick.start(250)
    tick.timeout.connect(lambda: None)
    try:
        return app.exec()
    finally:
        tick.stop()
        library.close()
