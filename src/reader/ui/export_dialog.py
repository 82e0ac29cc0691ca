"""File › Export… and File › Import Annotations…: the window's faces of :mod:`reader.export`.

:class:`ExportDialog` asks for a format, a scope (this document, the selected documents, a tag,
the whole library), a destination and the format's options, and remembers the last choice in
the UI settings. The export itself runs in a :class:`Job`: a ``QThread`` whose worker opens its
**own** :class:`~reader.library.library.Library` on the same file (a Library belongs to the
thread that opened it; WAL lets the window keep reading and writing meanwhile, and the export
reads one consistent snapshot). Progress and Cancel are in the dialog; a cancelled or failed
export leaves nothing behind (the exporters write to temporary names). Nothing is overwritten
without asking, and at the end the dialog offers to open the folder.

:func:`import_annotations` picks a ``json`` export, merges it in a :class:`Job` with a progress
dialog, and shows what was added, what was already there and what could not be matched.

Message boxes are opened with ``open()``, not ``exec()``: the window keeps running, and tests can
answer them like a user. No SQL here: scopes and entity names come from :mod:`reader.export`.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings, Qt, QThread, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from reader.export import (
    FORMATS,
    ExportOptions,
    ExportReport,
    ImportAnnotationsReport,
    default_name,
    entity_names,
    export,
    resolve_ids,
    writes_folder,
)
from reader.export import import_annotations as merge_annotations
from reader.library.errors import LibraryError, UsageError
from reader.library.library import Library
from reader.ui.dialogs import show_error

#: Progress is reported at most this often (seconds), so a large export cannot flood the window.
PROGRESS_INTERVAL = 0.05

SCOPES = ("current", "selected", "tag", "library")

_running: set[Job] = set()


def running_export_jobs() -> list[Job]:
    """Export and import-annotations jobs whose thread still runs (tests check none is left)."""
    return list(_running)


def open_folder(path: Path) -> bool:
    """Show ``path`` in the system's file manager (a seam tests replace)."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


# ------------------------------------------------------------------------------------ jobs

Work = Callable[[Library, Callable[[int, int, str], None], Callable[[], bool]], Any]


class _Worker(QObject):
    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(str, str)

    def __init__(self, db_path: Path, work: Work) -> None:
        super().__init__()
        self.db_path = db_path
        self.work = work
        self.cancel_event = threading.Event()
        self._last = 0.0

    def _progress(self, done: int, total: int, label: str) -> None:
        now = time.monotonic()
        if done == total or now - self._last >= PROGRESS_INTERVAL:
            self._last = now
            self.progress.emit(done, total, label)

    @Slot()
    def run(self) -> None:
        try:
            with Library(self.db_path) as lib:
                result = self.work(lib, self._progress, self.cancel_event.is_set)
        except (UsageError, LibraryError) as error:  # for people: what to do about it
            self.failed.emit(str(error).replace("use --force to replace", "choose to replace"), "")
        except OSError as error:  # the destination: permissions, a full disk, a vanished drive
            self.failed.emit(f"The files could not be written: {error.strerror or error}.", "")
        except Exception:  # a bug: say so, with the details to report it
            self.failed.emit(
                "Dump Reader stopped because of an error in its own code. Nothing was written. "
                "Please report this with the details below.",
                traceback.format_exc(),
            )
        else:
            self.finished.emit(result)
        finally:
            QThread.currentThread().quit()


class Job(QObject):
    """``work(lib, progress, cancel)`` on its own thread with its own Library on ``db_path``.

    ``finished(result)`` / ``failed(message, details)`` are emitted after the thread has stopped,
    so whoever hears them may drop the job at once.
    """

    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(str, str)

    def __init__(self, db_path: Path, work: Work, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = QThread()
        self._thread.setObjectName("export")
        self._worker = _Worker(db_path, work)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progress.connect(self.progress)
        self._worker.finished.connect(self._on_finished)
        self._worker.failed.connect(self._on_failed)
        self._thread.finished.connect(self._on_thread_finished)
        self._outcome: tuple[str, tuple[Any, ...]] | None = None

    def start(self) -> None:
        _running.add(self)
        self._thread.start()

    def cancel(self) -> None:
        """Ask the work to stop before its next document or item (safe from any thread)."""
        self._worker.cancel_event.set()

    def is_running(self) -> bool:
        return self in _running

    def wait(self, ms: int = 30_000) -> bool:
        return self._thread.wait(ms)

    @Slot(object)
    def _on_finished(self, result: object) -> None:
        self._outcome = ("finished", (result,))

    @Slot(str, str)
    def _on_failed(self, message: str, details: str) -> None:
        self._outcome = ("failed", (message, details))

    @Slot()
    def _on_thread_finished(self) -> None:
        self._thread.wait()
        _running.discard(self)
        kind, args = self._outcome or ("failed", ("The job stopped without a word.", ""))
        (self.finished if kind == "finished" else self.failed).emit(*args)


# ------------------------------------------------------------------------------ the dialog


@dataclass(frozen=True)
class Choice:
    """What the dialog asks for; what it remembers between exports."""

    fmt: str
    scope: str  # one of SCOPES
    tag: str | None
    dest: str
    options: ExportOptions


def export_work(choice: Choice, ids: Sequence[int] | None, force: bool) -> Work:
    """The job's work: resolve the scope in the worker's library, then export."""

    def work(lib: Library, progress: Callable[..., None], cancel: Callable[[], bool]) -> Any:
        if choice.scope == "tag":
            scoped: Sequence[int] | None = resolve_ids(lib, tag=choice.tag)
        elif choice.scope == "library":
            scoped = None
        else:
            scoped = resolve_ids(lib, ids=ids)
        return export(
            lib,
            choice.fmt,
            scoped,
            choice.dest,
            options=choice.options,
            force=force,
            progress=progress,
            cancel=cancel,
        )

    return work


def _raw_settings(settings: Any) -> QSettings:
    """The QSettings under ``reader.ui.settings.Settings`` (or a QSettings as it is)."""
    if isinstance(settings, QSettings):
        return settings
    inner = getattr(settings, "_s", None)
    return inner if isinstance(inner, QSettings) else QSettings()


class ExportDialog(QDialog):
    """File › Export…. Open with ``open()``; it closes itself when the export is done.

    ``library`` is the window's (quick reads on this thread: tags, entity names); the export
    runs on its own connection to ``library.path``. ``current_id`` is the open document,
    ``selected_ids`` the documents selected in the list.
    """

    exported = Signal(object)  # ExportReport, after a complete export

    def __init__(
        self,
        library: Library,
        settings: Any = None,
        *,
        current_id: int | None = None,
        selected_ids: Sequence[int] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export")
        self.library = library
        self.settings = _raw_settings(settings)
        self.current_id = current_id
        self.selected_ids = list(selected_ids)
        self.job: Job | None = None
        self._question: tuple[QMessageBox, Choice] | None = None
        self._offer: tuple[QMessageBox, Path] | None = None
        self._shape: tuple[str, bool] | None = None  # (format, writes a folder) last shown
        self._build()
        self._restore()
        self._update()

    # ----------------------------------------------------------------------------- layout

    def _build(self) -> None:
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.format_box = QComboBox(self)
        for spec in FORMATS.values():
            self.format_box.addItem(spec.label, spec.name)
            self.format_box.setItemData(
                self.format_box.count() - 1, spec.help, Qt.ItemDataRole.ToolTipRole
            )
        form.addRow("&Format:", self.format_box)
        layout.addLayout(form)

        scope = QGroupBox("Documents", self)
        scope_layout = QVBoxLayout(scope)
        self.scope_group = QButtonGroup(self)
        n = len(self.selected_ids)
        self.scope_buttons = {
            "current": QRadioButton("&This document", scope),
            "selected": QRadioButton(
                f"The &selected document{'s' if n != 1 else ''} ({n:,})", scope
            ),
            "tag": QRadioButton("Documents ta&gged", scope),
            "library": QRadioButton("The whole &library", scope),
        }
        self.tag_box = QComboBox(scope)
        tags = [name for name, _ in self.library.tags()]
        self.tag_box.addItems(tags)
        for key, button in self.scope_buttons.items():
            self.scope_group.addButton(button)
            if key == "tag":
                row = QHBoxLayout()
                row.addWidget(button)
                row.addWidget(self.tag_box, 1)
                scope_layout.addLayout(row)
            else:
                scope_layout.addWidget(button)
        self.scope_buttons["current"].setEnabled(self.current_id is not None)
        self.scope_buttons["selected"].setEnabled(bool(self.selected_ids))
        self.scope_buttons["tag"].setEnabled(bool(tags))
        layout.addWidget(scope)

        dest_row = QHBoxLayout()
        self.dest_label = QLabel(self)
        self.dest_edit = QLineEdit(self)
        self.dest_label.setBuddy(self.dest_edit)
        self.browse_button = QPushButton("C&hoose…", self)
        dest_row.addWidget(self.dest_label)
        dest_row.addWidget(self.dest_edit, 1)
        dest_row.addWidget(self.browse_button)
        layout.addLayout(dest_row)

        self.options_box = QGroupBox("Options", self)
        options = QFormLayout(self.options_box)
        self.single_check = QCheckBox("One file for &all (no front matter)", self.options_box)
        self.body_check = QCheckBox("Include the article te&xt", self.options_box)
        self.wiki_check = QCheckBox("Entity names as [[&wiki-links]]", self.options_box)
        self.bom_check = QCheckBox("Byte-order mark for Ex&cel", self.options_box)
        self.entity_box = QComboBox(self.options_box)
        self.entity_box.setEditable(True)
        self.entity_box.addItem("")
        self.entity_box.addItems(entity_names(self.library))
        self.entity_box.setToolTip("Empty: a dossier for each entity")
        line_edit = self.entity_box.lineEdit()
        if line_edit is not None:
            line_edit.setPlaceholderText("every entity")
        self.entity_label = QLabel("Entit&y:", self.options_box)
        self.entity_label.setBuddy(self.entity_box)
        options.addRow(self.single_check)
        options.addRow(self.body_check)
        options.addRow(self.wiki_check)
        options.addRow(self.bom_check)
        options.addRow(self.entity_label, self.entity_box)
        layout.addWidget(self.options_box)

        self.progress_bar = QProgressBar(self)
        self.progress_bar.hide()
        self.status = QLabel(self)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.status)

        self.buttons = QDialogButtonBox(self)
        self.export_button = self.buttons.addButton(
            "&Export", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        layout.addWidget(self.buttons)

        self.format_box.currentIndexChanged.connect(self._format_changed)
        for check in (self.single_check, self.body_check, self.wiki_check, self.bom_check):
            check.toggled.connect(self._update)
        self.entity_box.currentTextChanged.connect(self._update)
        self.scope_group.buttonToggled.connect(self._update)
        self.dest_edit.textChanged.connect(self._update)
        self.browse_button.clicked.connect(self.choose_destination)
        self.export_button.clicked.connect(self.start_export)
        self.cancel_button.clicked.connect(self.reject)

    # ---------------------------------------------------------------------- the choice

    def choice(self) -> Choice:
        fmt = self.format_box.currentData()
        scope = next((k for k, b in self.scope_buttons.items() if b.isChecked()), "library")
        entity = self.entity_box.currentText().strip() or None
        options = ExportOptions(
            single=self.single_check.isChecked() and fmt in ("md", "dossier"),
            with_body=self.body_check.isChecked() and fmt == "md",
            wiki_links=self.wiki_check.isChecked() and fmt in ("md", "dossier"),
            entity=entity if fmt == "dossier" else None,
            bom=self.bom_check.isChecked() and fmt.endswith("csv"),
        )
        tag = self.tag_box.currentText() if scope == "tag" else None
        return Choice(fmt, scope, tag, self.dest_edit.text().strip(), options)

    def _scope_ids(self, scope: str) -> list[int] | None:
        if scope == "current":
            return [self.current_id] if self.current_id is not None else []
        if scope == "selected":
            return self.selected_ids
        return None

    def _format_changed(self) -> None:
        """A new format gets the destination last used with it (a file or a folder)."""
        fmt = self.format_box.currentData()
        remembered = self.settings.value(f"export/dest/{fmt}", "")
        current = Path(self.dest_edit.text().strip() or Path.home() / "x")
        folder = current if current.is_dir() else current.parent
        options = self.choice().options
        self.dest_edit.setText(
            str(remembered) if remembered else str(folder / default_name(fmt, options))
        )
        self._update()

    def _update(self) -> None:
        fmt = self.format_box.currentData()
        options = self.choice().options
        folder = writes_folder(fmt, options)
        if self._shape is not None and self._shape != (fmt, folder):
            # One file instead of a folder (or back): a suggested name follows the change.
            dest = Path(self.dest_edit.text().strip())
            old_fmt, _ = self._shape
            if old_fmt == fmt and dest.name in (
                default_name(fmt, ExportOptions(single=True, entity="x")),
                default_name(fmt, ExportOptions()),
            ):
                self._shape = (fmt, folder)
                self.dest_edit.setText(str(dest.with_name(default_name(fmt, options))))
        self._shape = (fmt, folder)
        self.dest_label.setText("Fol&der:" if folder else "File &name:")
        self.single_check.setVisible(fmt in ("md", "dossier"))
        self.body_check.setVisible(fmt == "md")
        self.wiki_check.setVisible(fmt in ("md", "dossier"))
        self.bom_check.setVisible(fmt.endswith("csv"))
        self.entity_box.setVisible(fmt == "dossier")
        self.entity_label.setVisible(fmt == "dossier")
        self.options_box.setVisible(fmt in ("md", "dossier") or fmt.endswith("csv"))
        running = self.job is not None
        self.export_button.setEnabled(not running and bool(self.dest_edit.text().strip()))

    def choose_destination(self) -> None:
        choice = self.choice()
        if writes_folder(choice.fmt, choice.options):
            path = QFileDialog.getExistingDirectory(self, "Export into Folder", choice.dest)
        else:
            spec = FORMATS[choice.fmt]
            path, _ = QFileDialog.getSaveFileName(
                self,
                "Export to File",
                choice.dest,
                f"{spec.label} (*{spec.extension});;All files (*)",
                # The dialog asks itself, knowing what the export will do with the file.
                options=QFileDialog.Option.DontConfirmOverwrite,
            )
        if path:
            self.dest_edit.setText(path)

    # ----------------------------------------------------------------------- remembering

    def _restore(self) -> None:
        s = self.settings
        fmt = s.value("export/format", "md")
        index = self.format_box.findData(fmt)
        self.format_box.setCurrentIndex(max(index, 0))
        scope = s.value("export/scope", "")
        preferred = [scope] if scope in SCOPES else []
        for key in [*preferred, "selected", "current", "library"]:
            button = self.scope_buttons[key]
            if button.isEnabled():
                button.setChecked(True)
                break
        tag = s.value("export/tag", "")
        if tag:
            self.tag_box.setCurrentText(str(tag))
        for key, check in (
            ("single", self.single_check),
            ("with_body", self.body_check),
            ("wiki_links", self.wiki_check),
            ("bom", self.bom_check),
        ):
            check.setChecked(str(s.value(f"export/{key}", "false")).lower() == "true")
        self.entity_box.setCurrentText(str(s.value("export/entity", "")))
        self._format_changed()

    def _remember(self, choice: Choice) -> None:
        s = self.settings
        s.setValue("export/format", choice.fmt)
        s.setValue("export/scope", choice.scope)
        s.setValue("export/tag", choice.tag or "")
        s.setValue(f"export/dest/{choice.fmt}", choice.dest)
        s.setValue("export/single", self.single_check.isChecked())
        s.setValue("export/with_body", self.body_check.isChecked())
        s.setValue("export/wiki_links", self.wiki_check.isChecked())
        s.setValue("export/bom", self.bom_check.isChecked())
        s.setValue("export/entity", self.entity_box.currentText().strip())
        s.sync()

    # ------------------------------------------------------------------------- running

    def start_export(self) -> None:
        """Check the destination (asking before replacing anything), then start the job."""
        choice = self.choice()
        if not choice.dest:
            return
        dest = Path(choice.dest).expanduser()
        if not dest.is_absolute():
            dest = Path.home() / dest
        choice = Choice(choice.fmt, choice.scope, choice.tag, str(dest), choice.options)
        self._remember(choice)
        folder = writes_folder(choice.fmt, choice.options)
        question = None
        if folder and dest.is_dir() and any(dest.iterdir()):
            question = (
                f"The folder {dest} is not empty.\n\nFiles this export writes replace files of "
                "the same name there; other files are left alone."
            )
        elif not folder and dest.exists() and not dest.is_dir():
            question = f"{dest} already exists.\n\nDo you want to replace it?"
        if question is None:
            self._run(choice, force=False)
            return
        box = QMessageBox(QMessageBox.Icon.Question, "Replace?", question, parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.addButton("&Replace", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        # Answered through a method, not a closure over the box: a box whose own signal holds
        # a reference to it crashes PySide when it is deleted.
        self._question = (box, choice)
        box.finished.connect(self._replace_answered)
        box.open()

    @Slot()
    def _replace_answered(self) -> None:
        box, choice = self._question
        self._question = None
        clicked = box.clickedButton()
        replace = (
            clicked is not None
            and box.buttonRole(clicked) == QMessageBox.ButtonRole.DestructiveRole
        )
        box.deleteLater()
        if replace:
            self._run(choice, force=True)

    def _run(self, choice: Choice, force: bool) -> None:
        if self.job is not None:
            return
        if str(self.library.path) == ":memory:":  # tests and scripts only; a worker needs a file
            show_error(self, "Export", "This library is not a file, so it cannot be exported.")
            return
        ids = self._scope_ids(choice.scope)
        self.job = Job(Path(self.library.path), export_work(choice, ids, force), self)
        self.job.progress.connect(self._on_progress)
        self.job.finished.connect(self._on_finished)
        self.job.failed.connect(self._on_failed)
        for widget in (self.format_box, self.dest_edit, self.browse_button, self.options_box):
            widget.setEnabled(False)
        for button in self.scope_buttons.values():
            button.setEnabled(False)
        self.progress_bar.setRange(0, 0)
        self.progress_bar.show()
        self.status.setText("Exporting…")
        self._update()
        self.job.start()

    def cancel_export(self) -> None:
        if self.job is not None:
            self.status.setText("Cancelling…")
            self.cancel_button.setEnabled(False)
            self.job.cancel()

    def reject(self) -> None:
        """Cancel while an export runs (the dialog stays until it has stopped); else close."""
        if self.job is not None:
            self.cancel_export()
            return
        super().reject()

    def closeEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt's name
        if self.job is not None:
            self.cancel_export()
            event.ignore()
            return
        super().closeEvent(event)

    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, title: str) -> None:
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(done)
        self.status.setText(f"Exporting {done:,} of {total:,} documents…")
        self.status.setToolTip(title)

    def _stopped(self) -> None:
        self.job = None
        self.progress_bar.hide()
        self.cancel_button.setEnabled(True)
        for widget in (self.format_box, self.dest_edit, self.browse_button, self.options_box):
            widget.setEnabled(True)
        self.scope_buttons["current"].setEnabled(self.current_id is not None)
        self.scope_buttons["selected"].setEnabled(bool(self.selected_ids))
        self.scope_buttons["tag"].setEnabled(self.tag_box.count() > 0)
        self.scope_buttons["library"].setEnabled(True)
        self._update()

    @Slot(object)
    def _on_finished(self, report: ExportReport) -> None:
        self._stopped()
        if report.cancelled:
            self.status.setText("Export cancelled. Nothing was written.")
            return
        self.status.setText(export_summary(report))
        self.exported.emit(report)
        self.offer_to_open(report)

    @Slot(str, str)
    def _on_failed(self, message: str, details: str) -> None:
        self._stopped()
        self.status.setText("The export did not run.")
        show_error(self, "Export", message, details)

    def offer_to_open(self, report: ExportReport) -> QMessageBox:
        """Say what was written and offer to open its folder; the dialog closes after."""
        box = QMessageBox(
            QMessageBox.Icon.Warning if report.failed else QMessageBox.Icon.Information,
            "Export",
            export_summary(report),
            parent=self,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        if report.failed:
            box.setDetailedText("\n".join(f"{what}: {why}" for what, why in report.failed))
        open_button = box.addButton("&Open Folder", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Close)
        box.setDefaultButton(open_button)
        self._offer = (box, report.dest if report.dest.is_dir() else report.dest.parent)
        box.finished.connect(self._offer_answered)
        box.open()
        return box

    @Slot()
    def _offer_answered(self) -> None:
        box, folder = self._offer
        self._offer = None
        clicked = box.clickedButton()
        if clicked is not None and box.buttonRole(clicked) == QMessageBox.ButtonRole.AcceptRole:
            open_folder(folder)
        box.deleteLater()
        self.accept()


def export_summary(report: ExportReport) -> str:
    n, k = report.documents, report.annotations
    text = (
        f"Exported {n:,} document{'s' if n != 1 else ''} and {k:,} item{'s' if k != 1 else ''} "
        f"to {report.dest}."
    )
    if report.left_out:
        text += (
            f"\n\n{report.left_out:,} annotation(s) whose text is no longer in their page were "
            "left out of this format."
        )
    if report.failed:
        text += f"\n\n{len(report.failed):,} annotation(s) could not be written (see details)."
    return text


# --------------------------------------------------------------------- importing annotations


def import_report_text(report: ImportAnnotationsReport) -> tuple[str, str]:
    """(summary, details) of an import, for people."""
    lines = [
        ("Cancelled. So far: " if report.cancelled else "")
        + f"{report.added:,} annotation(s) added, {report.present:,} already here; "
        f"{report.tags_added:,} tag(s) added, {report.tags_present:,} already here."
    ]
    if report.types_added:
        lines.append(f"New entity types: {', '.join(report.types_added)}.")
    if report.unmatched:
        n = sum(report.unmatched.values())
        lines.append(
            f"{n:,} annotation(s) belong to {len(report.unmatched):,} page(s) this library does "
            "not have. Import those pages, then import the annotations again."
        )
    if report.invalid:
        lines.append(f"{len(report.invalid):,} item(s) could not be used (see details).")
    details = [
        f"Unmatched page {source}: {n} annotation(s)" for source, n in report.unmatched.items()
    ]
    details += [f"{item}: {why}" for item, why in report.invalid]
    return "\n\n".join(lines), "\n".join(details)


def import_annotations(
    parent: QWidget,
    library: Library,
    path: str | Path | None = None,
    on_done: Callable[[ImportAnnotationsReport], None] | None = None,
) -> Job | None:
    """File › Import Annotations…: choose a ``json`` export (unless ``path`` is given), merge
    it on a worker thread with a progress dialog, then show the report.

    ``on_done(report)`` runs after a merge that finished (cancelled or not), so the window can
    refresh what it shows. Returns the job, or None when no file was chosen.
    """
    if path is None:
        chosen, _ = QFileDialog.getOpenFileName(
            parent,
            "Import Annotations",
            "",
            "Web Annotation JSON (*.json *.jsonld);;All files (*)",
        )
        if not chosen:
            return None
        path = chosen
    file = Path(path)
    progress = QProgressDialog("Importing annotations…", "Cancel", 0, 0, parent)
    progress.setWindowTitle("Import Annotations")
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(300)
    progress.setAutoClose(False)
    progress.setAutoReset(False)

    def work(lib: Library, report_progress: Callable[..., None], cancel: Callable[[], bool]) -> Any:
        return merge_annotations(lib, file, progress=report_progress, cancel=cancel)

    job = Job(Path(library.path), work, parent)

    def on_progress(done: int, total: int, _label: str) -> None:
        progress.setMaximum(max(total, 1))
        progress.setValue(done)

    def finished(report: ImportAnnotationsReport) -> None:
        progress.close()
        progress.deleteLater()
        summary, details = import_report_text(report)
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Information if report.complete else QMessageBox.Icon.Warning)
        box.setWindowTitle("Import Annotations")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(summary)
        if details:
            box.setDetailedText(details)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        if on_done is not None:
            on_done(report)

    def failed(message: str, details: str) -> None:
        progress.close()
        progress.deleteLater()
        show_error(parent, "Import Annotations", message, details)

    job.progress.connect(on_progress)
    job.finished.connect(finished)
    job.failed.connect(failed)
    progress.canceled.connect(job.cancel)
    job.start()
    return job
