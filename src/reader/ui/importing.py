"""Imports started from the window: one job at a time, its progress and Cancel in the status bar.

:class:`Importer` starts :class:`~reader.ui.workers.ImportJob`\\ s, queues the paths asked for
while one runs, checks that folders still exist, and tells the window when to refresh its list
(at most every :data:`REFRESH_INTERVAL_MS` while the import commits its batches) and when the
import is over.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from reader.library.records import ImportReport
from reader.ui.workers import ImportJob

#: The document list refreshes at most this often while an import runs.
REFRESH_INTERVAL_MS = 500


class ImportStatus(QWidget):
    """The status bar's import indicator: what is being read, a progress bar and Cancel."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.bar = QProgressBar(self)
        self.bar.setFixedWidth(200)
        self.bar.setTextVisible(False)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.cancel_button.setToolTip("Stop the import; the files read so far stay in the library")
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self.hide()

    def start(self, what: str) -> None:
        self.label.setText(f"Importing {what}…")
        self.bar.setRange(0, 0)  # busy until the scan knows the total
        self.cancel_button.setEnabled(True)
        self.show()

    def update_progress(self, done: int, total: int, path: str) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        self.label.setText(f"Importing {done:,} of {total:,} files…")
        self.label.setToolTip(path)

    def grouping(self) -> None:
        """The pages are in; the new ones are being grouped into stories (busy, cancellable)."""
        self.bar.setRange(0, 0)
        self.label.setText("Grouping the new pages into stories…")
        self.label.setToolTip("The imported pages can be read already")

    def cancelling(self) -> None:
        self.label.setText("Cancelling the import…")
        self.cancel_button.setEnabled(False)


def _describe(paths: Sequence[str]) -> str:
    if len(paths) == 1:
        return Path(paths[0]).name or paths[0]
    return f"{len(paths):,} folders and files"


class Importer(QObject):
    """Runs the window's imports, one after the other."""

    started = Signal(list)  # the paths
    refreshDue = Signal()  # new documents may be committed: refresh the list
    finished = Signal(object)  # ImportReport
    failed = Signal(str, str)  # message, details
    foldersMissing = Signal(list)  # folders asked for that are not there

    def __init__(self, db_path: Path, status: ImportStatus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db_path = db_path
        self._status = status
        self._job: ImportJob | None = None
        self._queue: list[list[str]] = []
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(REFRESH_INTERVAL_MS)
        self._refresh.timeout.connect(self.refreshDue)
        status.cancel_button.clicked.connect(self.cancel)

    @property
    def job(self) -> ImportJob | None:
        return self._job

    def is_running(self) -> bool:
        return self._job is not None

    def import_paths(self, paths: Sequence[str | os.PathLike[str]]) -> bool:
        """Import ``paths`` (now, or after the running import). False if none exists."""
        wanted = [os.path.abspath(os.fspath(p)) for p in paths]
        missing = [p for p in wanted if not os.path.exists(p)]
        present = [p for p in wanted if os.path.exists(p)]
        if missing:
            self.foldersMissing.emit(missing)
        if not present:
            return False
        if self._job is not None:
            self._queue.append(present)
        else:
            self._start(present)
        return True

    def _start(self, paths: list[str]) -> None:
        job = ImportJob(self._db_path, paths, parent=self)
        job.progress.connect(self._on_progress)
        job.grouping.connect(self._on_grouping)
        job.finished.connect(self._on_finished)
        job.failed.connect(self._on_failed)
        self._job = job
        self._status.start(_describe(paths))
        job.start()
        self.started.emit(paths)

    def cancel(self) -> None:
        """Stop the running import (files done so far stay) and drop the queued ones."""
        self._queue.clear()
        if self._job is not None:
            self._job.cancel()
            self._status.cancelling()

    def shutdown(self, ms: int = 30_000) -> None:
        """Cancel and wait for the thread (the window is closing)."""
        job = self._job
        self.cancel()
        if job is not None:
            job.wait(ms)

    def _on_progress(self, done: int, total: int, path: str) -> None:
        self._status.update_progress(done, total, path)
        if not self._refresh.isActive():
            self._refresh.start()

    def _on_grouping(self) -> None:
        self._status.grouping()
        self.refreshDue.emit()  # every page is in: show them all now

    def _end(self) -> None:
        self._refresh.stop()
        job, self._job = self._job, None
        if job is not None:
            job.deleteLater()
        self._status.hide()
        if self._queue:
            self._start(self._queue.pop(0))

    def _on_finished(self, report: ImportReport) -> None:
        self._end()
        self.finished.emit(report)

    def _on_failed(self, message: str, details: str) -> None:
        self._end()
        self.failed.emit(message, details)
