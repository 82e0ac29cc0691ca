"""Tag all occurrences of a mention, in this document or in the whole library.

Two steps, as :mod:`reader.annotate.everywhere` has them: a preview (how many occurrences are not
tagged yet, in how many documents) and, after the user confirms, the tagging. In one document
both run here at once; for the library both run in a :class:`~reader.ui.workers.LibraryJob` with
its own Library, with a progress dialog that can cancel. The result goes to the
:class:`~reader.ui.annotating.Annotator` as one undo step.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from reader.annotate import everywhere
from reader.library.errors import LibraryError
from reader.ui import dialogs
from reader.ui.annotating import Annotator, short
from reader.ui.workers import LibraryJob


class TagEverywhere(QObject):
    """One run: ``start()``, then the user confirms; :attr:`done` when it is over (or not)."""

    done = Signal(object)  # BatchResult, or None when nothing was tagged

    def __init__(
        self,
        annotator: Annotator,
        parent_widget: QWidget,
        text: str,
        type_: str,
        entity: str | None,
        doc_id: int | None,
    ) -> None:
        super().__init__(parent_widget)
        self.annotator = annotator
        self.widget = parent_widget
        self.text = text
        self.type = type_
        self.entity = entity
        self.doc_id = doc_id  # None: the whole library
        self.job: LibraryJob | None = None
        self.progress: QProgressDialog | None = None
        self.confirm: QMessageBox | None = None
        self.occurrences: everywhere.Occurrences | None = None

    @property
    def _db(self) -> Path | None:
        path = self.annotator.library.path
        return path if isinstance(path, Path) else None

    def start(self) -> None:
        if self.doc_id is not None or self._db is None:
            ids = [self.doc_id] if self.doc_id is not None else None
            try:
                occ = everywhere.find_occurrences(
                    self.annotator.library, self.text, doc_ids=ids, type=self.type
                )
            except LibraryError as error:
                self._fail(str(error))
                return
            self._confirm(occ)
            return
        text, type_ = self.text, self.type

        def find(lib, progress, cancel):  # noqa: ANN001, ANN202
            return everywhere.find_occurrences(
                lib, text, type=type_, progress=progress, cancel=cancel
            )

        self._run(find, "Counting occurrences…", self._confirm)

    def _run(self, fn: object, label: str, then: object) -> None:
        assert self._db is not None
        self.job = LibraryJob(self._db, fn, "tag everywhere", self)
        self.progress = QProgressDialog(label, "Cancel", 0, 0, self.widget)
        self.progress.setWindowTitle("Tag All Occurrences")
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(300)
        self.progress.canceled.connect(self.job.cancel)
        self.job.progress.connect(self._progress)
        self.job.finished.connect(lambda result: self._job_done(result, then))
        self.job.failed.connect(lambda message, details: self._fail(message, details))
        self.job.start()

    def _progress(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress.setMaximum(max(total, 1))
            self.progress.setValue(done)

    def _job_done(self, result: object, then: object) -> None:
        self.job = None
        if self.progress is not None:
            self.progress.reset()
            self.progress.deleteLater()
            self.progress = None
        then(result)  # type: ignore[operator]

    def _confirm(self, occ: everywhere.Occurrences) -> None:
        self.occurrences = occ
        where = "this document" if self.doc_id is not None else "the library"
        if occ.count == 0:
            more = f" ({occ.already:,} already tagged)" if occ.already else ""
            self.annotator.failed.emit(
                f"No untagged occurrences of “{short(self.text)}” in {where}{more}."
            )
            self.done.emit(None)
            return
        docs = "" if self.doc_id is not None else f" in {occ.n_documents:,} documents"
        box = QMessageBox(self.widget)
        box.setWindowTitle("Tag All Occurrences")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setIcon(QMessageBox.Icon.Question)
        box.setText(f"Tag {occ.count:,} occurrences of “{self.text}”{docs} as {self.type}?")
        already = f"{occ.already:,} are tagged so already. " if occ.already else ""
        box.setInformativeText(f"{already}One Undo (Ctrl+Z) takes them all back.")
        tag = box.addButton(f"Tag {occ.count:,}", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(tag)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _r: self._answered(box.clickedButton() is tag))
        self.confirm = box
        box.open()

    def _answered(self, yes: bool) -> None:
        self.confirm = None
        if not yes or self.occurrences is None:
            self.done.emit(None)
            return
        occ, type_, entity = self.occurrences, self.type, self.entity
        if self.doc_id is not None or self._db is None:
            try:
                result = everywhere.tag_occurrences(self.annotator.library, occ, type_, entity)
            except LibraryError as error:
                self._fail(str(error))
                return
            self._tagged(result)
            return

        def tag(lib, progress, cancel):  # noqa: ANN001, ANN202
            return everywhere.tag_occurrences(
                lib, occ, type_, entity, progress=progress, cancel=cancel
            )

        self._run(tag, f"Tagging {occ.count:,} occurrences…", self._tagged)

    def _tagged(self, result: everywhere.BatchResult) -> None:
        self.annotator.batch_done(result)
        self.done.emit(result)

    def _fail(self, message: str, details: str = "") -> None:
        self.job = None
        if self.progress is not None:
            self.progress.reset()
            self.progress.deleteLater()
            self.progress = None
        if details:
            dialogs.show_error(self.widget, "Tag All Occurrences", message, details)
        else:
            self.annotator.failed.emit(message)
        self.done.emit(None)
