"""Importing from the window: through the worker, with progress, a report, cancel and drops."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_support import PAGES, open_window, settle, write_pages
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from reader.library.records import DocumentFilter
from reader.ui import importing, workers

TIMEOUT = 30_000


def synthetic_pages(n: int) -> dict[str, str]:
    """``n`` distinct small titled pages (fictional filler), each with a word of its own."""
    return {
        f"{i:05d}_{i:016x}.txt": (
            f"Parish council notice number {i}\n\nThe council met on a weekday and agreed "
            f"item {i} of its agenda, codeword{i}, after a short debate about hedges.\n"
        )
        for i in range(n)
    }


@pytest.fixture(scope="module")
def big_dump(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_pages(tmp_path_factory.mktemp("big") / "dump", synthetic_pages(1500))


def test_open_folder_imports_in_the_background(qtbot, window, tmp_path, monkeypatch) -> None:
    folder = write_pages(tmp_path / "new", synthetic_pages(5))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    progress: list[tuple[int, int]] = []
    with qtbot.waitSignal(window.importer.finished, timeout=TIMEOUT) as blocker:
        window.open_action.trigger()
        assert window.import_status.isVisible()
        assert window.cancel_action.isEnabled()
        window.importer.job.progress.connect(lambda d, t, _p: progress.append((d, t)))
    report = blocker.args[0]
    settle(qtbot, window)
    assert report.imported == 5
    assert progress and progress[-1] == (5, 5)
    assert window.list_pane.model.rowCount() == len(PAGES) + 5
    assert not window.import_status.isVisible()
    assert not window.cancel_action.isEnabled()
    assert "5 new documents" in window.statusBar().currentMessage()
    assert window.last_report_dialog is None  # nothing refused, nothing to report
    assert str(folder) in window.library.folders()
    # File › Recent Folders offers it again; choosing it re-scans it (nothing new).
    window._fill_recent()
    recent = next(a for a in window.recent_menu.actions() if str(folder) in a.text())
    with qtbot.waitSignal(window.importer.finished, timeout=TIMEOUT) as again:
        recent.trigger()
    assert (again.args[0].imported, again.args[0].unchanged) == (0, 5)


def test_refused_files_are_listed_with_their_reasons(qtbot, window, tmp_path) -> None:
    folder = write_pages(tmp_path / "mixed", {"good_0001.txt": PAGES[next(iter(PAGES))] + "x\n"})
    (folder / "blank.txt").write_text("   \n\n", encoding="utf-8")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a photo")
    with qtbot.waitSignal(window.importer.finished, timeout=TIMEOUT):
        assert window.import_paths([str(folder)])
    dialog = window.last_report_dialog
    assert dialog is not None and dialog.isVisible()
    text = dialog.text.toPlainText()
    assert str(folder / "blank.txt") in text
    assert str(folder / "photo.jpg") in text
    assert "Refused files:" in text
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == text
    dialog.close()


def test_cancel_stops_the_import_and_leaves_the_library_consistent(
    qtbot, window, big_dump, monkeypatch
) -> None:
    # On the import's thread: a child process imports 1,500 small pages before the click
    # lands (the child's own cancel is tested below).
    monkeypatch.setattr(workers, "IMPORT_IN_CHILD", False)
    cancelled_at: list[int] = []

    def cancel_once(done: int, _total: int, _path: str) -> None:
        if not cancelled_at:
            cancelled_at.append(done)
            qtbot.mouseClick(window.import_status.cancel_button, Qt.MouseButton.LeftButton)

    with qtbot.waitSignal(window.importer.finished, timeout=TIMEOUT) as blocker:
        window.import_paths([str(big_dump)])
        window.importer.job.progress.connect(cancel_once)
    report = blocker.args[0]
    settle(qtbot, window)
    assert report.cancelled
    assert 0 < report.imported < 1500
    assert "cancelled" in window.statusBar().currentMessage()
    # Consistent: every document that arrived is whole and found by the search index.
    lib = window.library
    assert lib.count_documents() == len(PAGES) + report.imported
    new = lib.document_ids(DocumentFilter(search="parish"))
    assert len(new) == report.imported
    last = lib.document(max(new))
    assert last.body and last.paths
    assert window.list_pane.model.rowCount() == lib.count_documents()
    # The rest comes in with the next import; what was done is not done again.
    with qtbot.waitSignal(window.importer.finished, timeout=TIMEOUT) as blocker:
        window.import_paths([str(big_dump)])
    assert blocker.args[0].imported == 1500 - report.imported
    assert blocker.args[0].unchanged == report.imported


def test_the_list_fills_while_an_import_runs(qtbot, library, settings, big_dump, monkeypatch):
    monkeypatch.setattr(importing, "REFRESH_INTERVAL_MS", 20)
    window = open_window(qtbot, library, settings)
    seen: list[int] = []
    window.importer.refreshDue.connect(lambda: seen.append(window.list_pane.model.rowCount()))
    with qtbot.waitSignal(window.importer.finished, timeout=TIMEOUT):
        window.import_paths([str(big_dump)])
    assert seen, "the list was not refreshed during the import"
    settle(qtbot, window)
    assert window.list_pane.model.rowCount() == len(PAGES) + 1500


def test_dropping_a_folder_imports_it(qtbot, window, tmp_path) -> None:
    folder = write_pages(tmp_path / "dropped", synthetic_pages(3))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(folder))])
    event = QDropEvent(
        QPointF(20, 20),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(window.importer.finished, timeout=TIMEOUT) as blocker:
        window.dropEvent(event)
    assert blocker.args[0].imported == 3


def test_a_vanished_folder_is_explained(qtbot, window, tmp_path) -> None:
    gone = tmp_path / "was-here"
    assert not window.import_paths([str(gone)])

    def message_box() -> QMessageBox | None:
        boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
        return next((b for b in boxes if b.isVisible()), None)

    qtbot.waitUntil(lambda: message_box() is not None)
    box = message_box()
    assert str(gone) in box.text()
    assert "no longer there" in box.text()
    box.close()


def test_rescan_picks_up_a_changed_page(qtbot, window, pages_dir) -> None:
    page = pages_dir / next(iter(PAGES))
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    with qtbot.waitSignal(window.importer.finished, timeout=TIMEOUT) as blocker:
        window.rescan_action.trigger()
    assert blocker.args[0].updated == 1
    assert blocker.args[0].unchanged == len(PAGES) - 1


def test_a_cancel_reaches_the_import_process(qtbot, window, big_dump) -> None:
    assert workers.IMPORT_IN_CHILD
    with qtbot.waitSignal(window.importer.finished, timeout=TIMEOUT) as blocker:
        window.import_paths([str(big_dump)])
        qtbot.mouseClick(window.import_status.cancel_button, Qt.MouseButton.LeftButton)
    report = blocker.args[0]
    settle(qtbot, window)
    assert report.cancelled and report.imported < 1500
    lib = window.library
    assert lib.count_documents() == len(PAGES) + report.imported
    with qtbot.waitSignal(window.importer.finished, timeout=TIMEOUT) as again:
        window.import_paths([str(big_dump)])
    assert again.args[0].imported == 1500 - report.imported


def test_an_import_failing_on_the_library_shows_why(qtbot, window, monkeypatch) -> None:
    import sqlite3

    # Another program holds the library's write lock for longer than an import waits (5 s).
    other = sqlite3.connect(str(window.library.path), isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with qtbot.waitSignal(window.importer.failed, timeout=TIMEOUT) as blocker:
            window.import_paths([str(Path(__file__).parent)])
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert "locked" in blocker.args[0]
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
    assert any("locked" in b.text() and b.isVisible() for b in boxes)


def test_closing_the_window_stops_the_import(qtbot, library, settings, big_dump) -> None:
    from reader.ui.workers import running_jobs

    window = open_window(qtbot, library, settings)
    window.import_paths([str(big_dump)])
    assert running_jobs()
    window.close()  # cancels and waits for the thread
    assert running_jobs() == []
    assert library.count_documents() < len(PAGES) + 1500


def test_an_import_from_the_window_groups_stories_afterwards(qtbot, window, tmp_path) -> None:
    from reader.stories.grouping import pending_documents

    folder = write_pages(tmp_path / "more", synthetic_pages(3))
    said: list[str] = []
    with qtbot.waitSignal(window.importer.finished, timeout=TIMEOUT):
        window.import_paths([str(folder)])
        window.importer.job.grouping.connect(
            lambda: said.append(window.import_status.label.text())
        )
    settle(qtbot, window)
    assert pending_documents(window.library) == []  # every page has been considered
    # The status bar said so while it happened (the label as it was when the signal came).
    assert said == ["Grouping the new pages into stories…"]
    assert window.import_status.isHidden()


def test_an_import_process_that_cannot_start_imports_on_the_thread(
    qtbot, window, tmp_path, monkeypatch
) -> None:
    class Unstartable:
        def __init__(self, *args: object, **kwargs: object) -> None:
            pass

        def start(self) -> None:
            pass

        def messages(self, **kwargs: object):  # noqa: ANN201
            yield ("died", 1)  # as when Python cannot re-import the program in a child

        def join(self) -> None:
            pass

    monkeypatch.setattr(workers, "ImportProcess", Unstartable)
    folder = write_pages(tmp_path / "more", {"extra_0001.txt": PAGES[next(iter(PAGES))] + "y\n"})
    with qtbot.waitSignal(window.importer.finished, timeout=TIMEOUT) as blocker:
        window.import_paths([str(folder)])
    assert blocker.args[0].imported == 1
