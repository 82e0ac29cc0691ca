"""Dialogs: the import report, the keyboard shortcuts, and errors a person can act on.

Every text here is shown as plain text: messages carry file paths and page titles, which are
never interpreted as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reader.library.errors import (
    LibraryCorrupt,
    LibraryDiskFull,
    LibraryError,
    LibraryLocked,
    LibraryReadOnly,
    LibraryTooNew,
)
from reader.library.records import ImportReport


def _plain_label(text: str, parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def report_summary(report: ImportReport) -> str:
    """One sentence saying what an import did."""
    parts = [f"{report.imported:,} new document{'s' if report.imported != 1 else ''}"]
    if report.updated:
        parts.append(f"{report.updated:,} updated")
    if report.duplicates:
        parts.append(f"{report.duplicates:,} duplicate file{'s' if report.duplicates != 1 else ''}")
    if report.unchanged:
        parts.append(f"{report.unchanged:,} unchanged")
    if report.failed:
        parts.append(f"{len(report.failed):,} refused")
    if report.skipped:
        parts.append(f"{len(report.skipped):,} skipped (not pages)")
    head = "Import cancelled after " if report.cancelled else "Imported: "
    return head + ", ".join(parts) + "."


def report_text(report: ImportReport) -> str:
    """The refused and skipped files with their reasons, one a line (what Copy copies)."""
    lines = [report_summary(report)]
    if report.orphaned:
        lines.append(
            f"{report.orphaned:,} annotation(s) could not be found again in changed pages; they "
            "are kept and marked orphaned."
        )
    if report.failed:
        lines += ["", "Refused files:"]
        lines += [f"{path}\t{reason}" for path, reason in report.failed]
    if report.skipped:
        lines += ["", "Skipped files (not .txt pages):"]
        lines += [f"{path}\t{reason}" for path, reason in report.skipped]
    return "\n".join(lines)


class ImportReportDialog(QDialog):
    """The end of an import that refused files: each file with its reason, copyable."""

    def __init__(self, report: ImportReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import Report")
        self.report = report
        layout = QVBoxLayout(self)
        layout.addWidget(_plain_label(report_summary(report)))
        if report.failed:
            layout.addWidget(
                _plain_label(
                    "These files were not imported. Each line gives the file and the reason; "
                    "the rest of the import went on."
                )
            )
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setPlainText(report_text(report))
        layout.addWidget(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = QPushButton("&Copy Report", self)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(760, 420)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text.toPlainText())


class ShortcutsDialog(QDialog):
    """Help › Keyboard Shortcuts: every action of the window with its keys."""

    def __init__(
        self, rows: Sequence[tuple[str, str, Sequence[QKeySequence]]], parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard Shortcuts")
        layout = QVBoxLayout(self)
        layout.addWidget(
            _plain_label(
                "Every command is in a menu (F10 or Alt opens the menu bar). These have keys "
                "of their own:"
            )
        )
        self.table = QTableWidget(len(rows), 3, self)
        self.table.setHorizontalHeaderLabels(["Menu", "Command", "Keys"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        for r, (menu, command, keys) in enumerate(rows):
            text = ",  ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in keys)
            for c, value in enumerate((menu, command, text)):
                self.table.setItem(r, c, QTableWidgetItem(value))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        buttons.button(QDialogButtonBox.StandardButton.Close).setFocus()
        rows_height = self.table.verticalHeader().defaultSectionSize() * (len(rows) + 1)
        self.resize(640, min(760, rows_height + 120))


# --------------------------------------------------------------------------------- errors


def _message_box(
    parent: QWidget | None,
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    details: str = "",
) -> QMessageBox:
    box = QMessageBox(parent)
    box.setIcon(icon)
    box.setWindowTitle(title)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    if details:
        box.setDetailedText(details)
    return box


def library_error_headline(error: LibraryError) -> str:
    if isinstance(error, LibraryLocked):
        return "The library is in use by another program."
    if isinstance(error, LibraryTooNew):
        return "The library was made by a newer version of Dump Reader."
    if isinstance(error, LibraryCorrupt):
        return "The library file is damaged or is not a Dump Reader library."
    if isinstance(error, LibraryReadOnly):
        return "The library cannot be written."
    if isinstance(error, LibraryDiskFull):
        return "The disk is full."
    return "The library could not be opened."


LibraryChoice = Literal["retry", "choose", "quit"]


def ask_library_error(parent: QWidget | None, error: LibraryError) -> LibraryChoice:
    """Say why the library could not be opened; the user retries, picks another file or quits."""
    # The library's message speaks of --db and READER_DB (the command line); in the window
    # the way out is the button below.
    message = str(error).replace(" with --db PATH or READER_DB", "")
    box = _message_box(
        parent,
        QMessageBox.Icon.Critical,
        "Dump Reader",
        f"{library_error_headline(error)}\n\n{message}",
    )
    retry = None
    if isinstance(error, LibraryLocked):
        retry = box.addButton("Try &Again", QMessageBox.ButtonRole.AcceptRole)
    choose = box.addButton("&Choose Another Library…", QMessageBox.ButtonRole.AcceptRole)
    quit_ = box.addButton("&Quit", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(retry or choose)
    box.setEscapeButton(quit_)
    box.exec()
    clicked = box.clickedButton()
    if retry is not None and clicked is retry:
        return "retry"
    return "choose" if clicked is choose else "quit"


def choose_library_file(parent: QWidget | None, start: Path) -> Path | None:
    """A file dialog for an existing library or a new one's name."""
    name, _ = QFileDialog.getSaveFileName(
        parent,
        "Choose a Library File",
        str(start),
        "Dump Reader libraries (*.sqlite);;All files (*)",
        options=QFileDialog.Option.DontConfirmOverwrite,
    )
    return Path(name) if name else None


def show_error(parent: QWidget | None, title: str, text: str, details: str = "") -> QMessageBox:
    """A non-blocking error message (``open()``, so the window keeps running)."""
    box = _message_box(parent, QMessageBox.Icon.Warning, title, text, details)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def missing_folders_text(folders: Sequence[str]) -> str:
    listed = "\n".join(f"  {f}" for f in folders)
    one = len(folders) == 1
    return (
        f"{'This folder is' if one else 'These folders are'} no longer there:\n{listed}\n\n"
        f"{'It' if one else 'They'} may have been moved, renamed or deleted, or be on a drive "
        "that is not connected. The documents already imported stay in the library. Connect "
        "the drive and try again, or open the folder from its new place with File › Open "
        "Folder…"
    )
