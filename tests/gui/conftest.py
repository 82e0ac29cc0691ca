"""Fixtures for the window's tests: offscreen Qt, a small library, settings in a temporary file.

The platform is set before anything imports Qt. The fixture pages are written here, as original
fictional text in the three page shapes (a ticker-block page, a ` date … (Reuters)` wire story
and a titled article). Every test fails if it leaves an import thread running.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import threading
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"

if importlib.util.find_spec("reader") is None:  # a checkout that is not installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

import pytest  # noqa: E402
from gui_support import PAGES, open_window, write_pages  # noqa: E402

#: The offscreen platform warns about window size hints it cannot pass on; not our warning.
OFFSCREEN_NOISE = r"This plugin does not support propagateSizeHints\(\)"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.fixture(scope="session", autouse=True)
def _qt_session() -> None:
    from PySide6.QtCore import QStandardPaths

    from reader.ui import qtfix

    qtfix.shield()  # as the app does: PySide6 6.12 on Python 3.11 loses references to None
    QStandardPaths.setTestModeEnabled(True)  # never touch the user's own settings


@pytest.fixture(autouse=True)
def no_leaked_threads():
    """Fail a test that leaves an import thread (or any other thread) running."""
    from reader.ui.workers import live_threads, running_jobs

    before = set(threading.enumerate())
    yield
    leaked = running_jobs()
    for job in leaked:  # stop them so the next test starts clean, then fail this one
        job.cancel()
        job.wait(10_000)
    qthreads = live_threads()
    assert not qthreads, f"Qt threads left running: {[t.objectName() for t in qthreads]}"
    # Python lists a thread it did not start (a QThread that ran Python code) as a "dummy"
    # forever; those are the import threads checked above.
    extra = [
        t
        for t in threading.enumerate()
        if t not in before and t.is_alive() and type(t).__name__ != "_DummyThread"
    ]
    assert not leaked, f"import threads left running: {leaked}"
    assert not extra, f"threads left running: {extra}"


@pytest.fixture
def pages_dir(tmp_path: Path) -> Path:
    return write_pages(tmp_path / "dump")


@pytest.fixture
def db_path(tmp_path: Path, pages_dir: Path) -> Path:
    """A library file holding the three fixture pages."""
    from reader.library.library import Library

    path = tmp_path / "library.sqlite"
    with Library(path) as lib:
        report = lib.import_paths([pages_dir])
    assert report.imported == len(PAGES)
    return path


@pytest.fixture
def library(db_path: Path):
    from reader.library.library import Library

    lib = Library(db_path)
    yield lib
    lib.close()


@pytest.fixture
def empty_library(tmp_path: Path):
    from reader.library.library import Library

    lib = Library(tmp_path / "empty.sqlite")
    yield lib
    lib.close()


@pytest.fixture
def settings(tmp_path: Path):
    from reader.ui.settings import Settings

    return Settings.at(tmp_path / "ui.ini")


@pytest.fixture
def window(qtbot, library, settings):  # noqa: ANN001, ANN201
    return open_window(qtbot, library, settings)


@pytest.fixture
def light_theme(qapp):  # noqa: ANN001, ANN201
    """Put the light look back after a test that changes the theme."""
    yield
    from reader.ui.theme import apply_theme

    apply_theme(qapp, "light")
