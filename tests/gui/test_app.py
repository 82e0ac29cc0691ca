"""Starting the window: libraries that cannot be opened, folders given on the command line."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from gui_support import PAGES, settle, write_pages
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from reader.library.errors import LibraryCorrupt, LibraryError, LibraryLocked, LibraryTooNew
from reader.library.library import Library
from reader.ui import app as app_module
from reader.ui import dialogs


@pytest.fixture
def corrupt(tmp_path: Path) -> Path:
    path = tmp_path / "corrupt.sqlite"
    path.write_bytes(b"this is not a database at all, just bytes " * 200)
    return path


@pytest.fixture
def too_new(tmp_path: Path) -> Path:
    path = tmp_path / "new.sqlite"
    Library(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    return path


def test_a_corrupt_library_asks_and_quitting_returns_none(qapp, corrupt, monkeypatch) -> None:
    seen: list[LibraryError] = []

    def ask(_parent, error):  # noqa: ANN001, ANN202
        seen.append(error)
        return "quit"

    monkeypatch.setattr(dialogs, "ask_library_error", ask)
    assert app_module.open_library(corrupt) is None
    assert isinstance(seen[0], LibraryCorrupt)


def test_a_newer_library_lets_the_user_choose_another(qapp, too_new, tmp_path, monkeypatch):
    seen: list[LibraryError] = []

    def ask(_parent, error):  # noqa: ANN001, ANN202
        seen.append(error)
        return "choose"

    other = tmp_path / "other.sqlite"
    monkeypatch.setattr(dialogs, "ask_library_error", ask)
    monkeypatch.setattr(dialogs, "choose_library_file", lambda _parent, _start: other)
    lib = app_module.open_library(too_new)
    assert lib is not None
    assert lib.path == other
    lib.close()
    assert isinstance(seen[0], LibraryTooNew)


def _answer(button_text: str, texts: list[str]) -> None:
    box = QApplication.activeModalWidget()
    if not isinstance(box, QMessageBox):
        QTimer.singleShot(20, lambda: _answer(button_text, texts))
        return
    texts.append(box.text())
    button = next(b for b in box.buttons() if button_text in b.text().replace("&", ""))
    button.click()


def test_the_library_dialog_says_what_happened_and_what_to_do(qapp, too_new) -> None:
    texts: list[str] = []
    QTimer.singleShot(0, lambda: _answer("Quit", texts))
    try:
        Library(too_new)
    except LibraryError as error:
        choice = dialogs.ask_library_error(None, error)
    assert choice == "quit"
    assert "newer version of Dump Reader" in texts[0]
    assert "--db" not in texts[0]  # the way out in the window is the button, not a flag


def test_a_locked_library_offers_to_try_again(qapp) -> None:
    texts: list[str] = []
    QTimer.singleShot(0, lambda: _answer("Try Again", texts))
    choice = dialogs.ask_library_error(None, LibraryLocked("The library x is locked."))
    assert choice == "retry"
    assert texts[0].startswith("The library is in use by another program.")


def test_start_imports_the_folders_given(qtbot, tmp_path, settings) -> None:
    folder = write_pages(tmp_path / "dump")
    started = app_module.start(tmp_path / "lib.sqlite", [str(folder)], settings)
    assert started is not None
    window, lib = started
    qtbot.addWidget(window, before_close_func=lambda w: w.importer.shutdown())
    with qtbot.waitSignal(window.importer.finished, timeout=30_000) as blocker:
        pass
    assert blocker.args[0].imported == len(PAGES)
    settle(qtbot, window)
    assert window.list_pane.model.rowCount() == len(PAGES)
    window.close()
    lib.close()


def test_the_app_icon_and_sample_dump_are_found() -> None:
    from reader.ui.resources import app_icon_files, resource_path

    assert (resource_path("sample_dump")).is_dir()
    assert any(p.suffix == ".svg" for p in app_icon_files())
    assert any(p.suffix == ".png" for p in app_icon_files())
    with pytest.raises(KeyError, match="unknown resource"):
        resource_path("no-such-thing")


def test_none_and_true_survive_many_qt_calls(qapp) -> None:
    """The shield against PySide6 6.12's lost references (see reader.ui.qtfix)."""
    import sys

    from PySide6.QtCore import QObject

    chatty = QObject()
    for _ in range(50_000):
        chatty.objectNameChanged.emit("chatty")
        chatty.setObjectName("chatty")
    assert sys.getrefcount(None) > 0 and sys.getrefcount(True) > 0
