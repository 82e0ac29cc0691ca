"""Two reports of one story side by side (Stories › Compare With…).

Each report sits in a read-only ``QPlainTextEdit`` filled with ``setPlainText`` only: page text is
never interpreted as markup. The alignment comes from
:func:`reader.stories.compare.compare_reports`; a sentence the *other* report lacks gets a
background, a sentence shared only approximately (a word changed) gets a dotted underline. The
spans are code points; :mod:`reader.ui.offsets` turns them into Qt positions.

"Copy Tags and Mentions →" copies from the left report to the right one through the window's
:class:`~reader.ui.annotating.Annotator` (:func:`reader.stories.copying.copy_annotations`, as
one undo step: Edit › Undo, or Ctrl+Z in this window too, takes back exactly what it added) and
says what it did.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPalette, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from reader.library.library import Library
from reader.library.records import Document
from reader.stories.compare import Comparison, Span, compare_reports
from reader.stories.copying import CopyReport
from reader.ui.annotating import Annotator
from reader.ui.offsets import offset_map
from reader.ui.theme import make_quiet


def outlet_of(source: str | None, dateline: str | None, title: str | None = None) -> str:
    """What the window calls a report's outlet: its source, else its dateline.

    A page that names neither (a titled article) is called by its title, shortened: the
    reader can tell "Grounded ferry Saltmarsh…" from another report, not "unknown outlet".
    """
    if source or dateline:
        return source or dateline or ""
    if title:
        title = " ".join(title.split())
        return f"“{title[:30].rstrip()}…”" if len(title) > 32 else f"“{title}”"
    return "unknown outlet"


def only_colors(palette: QPalette) -> tuple[QColor, QColor]:
    """Backgrounds of "only in the left report" and "only in the right report"."""
    if palette.color(QPalette.ColorRole.Base).lightness() < 128:
        return QColor("#5a4a1a"), QColor("#1d4a5a")
    return QColor("#ffe8a3"), QColor("#c8ecf7")


def _swatch(color: QColor, text: str, parent: QWidget) -> QWidget:
    box = QWidget(parent)
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    chip = QFrame(box)
    chip.setFixedSize(28, 14)
    chip.setAutoFillBackground(True)
    pal = chip.palette()
    pal.setColor(QPalette.ColorRole.Window, color)
    chip.setPalette(pal)
    chip.setFrameShape(QFrame.Shape.Box)
    label = QLabel(text, box)
    label.setTextFormat(Qt.TextFormat.PlainText)
    row.addWidget(chip)
    row.addWidget(label)
    row.addStretch(1)
    return box


def copy_report_text(report: CopyReport) -> str:
    tags = len(report.tags)
    parts = [
        f"{tags} tag{'s' if tags != 1 else ''} added",
        f"{len(report.copied)} mention{'s' if len(report.copied) != 1 else ''} copied",
    ]
    if report.already:
        parts.append(f"{report.already} already there")
    if report.not_found:
        parts.append(f"{len(report.not_found)} not found in the other text")
    return "Copied: " + ", ".join(parts) + "."


class ReportPane(QWidget):
    """One column: the report's outlet and date over its read-only text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel(self)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.meta = QLabel(self)
        self.meta.setTextFormat(Qt.TextFormat.PlainText)
        self.meta.setWordWrap(True)
        make_quiet(self.meta)
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.meta)
        layout.addWidget(self.text, 1)
        self.body = ""

    def show_document(self, doc: Document) -> None:
        self.body = doc.body
        self.heading.setText(doc.title)
        parts = [outlet_of(doc.source, doc.dateline, doc.title), doc.date or "undated"]
        self.meta.setText("   ·   ".join(parts))
        self.text.setPlainText(doc.body)
        self.text.setAccessibleName(f"Report from {parts[0]}")

    def mark(self, only: list[Span], near: list[Span], color: QColor) -> None:
        """Backgrounds over ``only`` and dotted underlines under ``near`` (code points)."""
        conv = offset_map(self.body)
        doc = self.text.document()
        selections: list[QTextEdit.ExtraSelection] = []
        only_fmt = QTextCharFormat()
        only_fmt.setBackground(color)
        only_fmt.setForeground(QColor("#111111"))
        near_fmt = QTextCharFormat()
        near_fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
        for spans, fmt in ((only, only_fmt), (near, near_fmt)):
            for start, end in spans:
                sel = QTextEdit.ExtraSelection()
                cursor = QTextCursor(doc)
                cursor.setPosition(conv.to_utf16(start))
                cursor.setPosition(conv.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
                sel.cursor = cursor
                sel.format = fmt
                selections.append(sel)
        self.text.setExtraSelections(selections)

    def marked_text(self) -> list[str]:
        """The text under each background mark (for tests and screen readers' sake)."""
        return [
            s.cursor.selectedText()
            for s in self.text.extraSelections()
            if s.format.background().style() != Qt.BrushStyle.NoBrush
        ]


class CompareDialog(QDialog):
    """Left: report A (usually the one being read); right: report B."""

    annotationsCopied = Signal(int)  # the document that received them

    def __init__(
        self,
        library: Library,
        doc_a: int,
        doc_b: int,
        annotator: Annotator,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.annotator = annotator
        self._copied_at: int | None = None  # the undo stack's index just after our copy
        annotator.stack.indexChanged.connect(self._undo_moved)
        self.setWindowTitle("Compare Reports")
        self.resize(1200, 760)
        self.left = ReportPane(self)
        self.right = ReportPane(self)
        self.comparison: Comparison | None = None
        self.summary = QLabel(self)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)

        self.legend = QWidget(self)
        legend = QHBoxLayout(self.legend)
        legend.setContentsMargins(0, 0, 0, 0)
        a_color, b_color = only_colors(self.palette())
        self.legend_left = _swatch(a_color, "Only in the left report", self.legend)
        self.legend_right = _swatch(b_color, "Only in the right report", self.legend)
        near = QLabel("Dotted underline: nearly the same sentence", self.legend)
        make_quiet(near)
        legend.addWidget(self.legend_left)
        legend.addWidget(self.legend_right)
        legend.addWidget(near)
        legend.addStretch(1)

        self.copy_button = QPushButton("Copy Tags and &Mentions →", self)
        self.copy_button.setToolTip(
            "Give the right report the left report's tags, and its entity mentions wherever the "
            "same words occur there"
        )
        self.swap_button = QPushButton("&Swap Sides", self)
        self.copy_result = QLabel(self)
        self.copy_result.setTextFormat(Qt.TextFormat.PlainText)
        self.copy_result.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)

        grid = QGridLayout()
        grid.addWidget(self.left, 0, 0)
        grid.addWidget(self.right, 0, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.copy_button)
        actions.addWidget(self.swap_button)
        actions.addWidget(self.copy_result, 1)
        actions.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.legend)
        layout.addLayout(grid, 1)
        layout.addLayout(actions)

        self.copy_button.clicked.connect(self.copy_annotations)
        self.swap_button.clicked.connect(self.swap)
        self.doc_a = doc_a
        self.doc_b = doc_b
        self._load()

    def _load(self) -> None:
        a = self.library.document(self.doc_a)
        b = self.library.document(self.doc_b)
        self.left.show_document(a)
        self.right.show_document(b)
        cmp = compare_reports(a.body, b.body)
        self.comparison = cmp
        a_color, b_color = only_colors(self.palette())
        near = [i for i in cmp.shared if i.score < 1.0]
        self.left.mark([i.a for i in cmp.only_a if i.a], [i.a for i in near if i.a], a_color)
        self.right.mark([i.b for i in cmp.only_b if i.b], [i.b for i in near if i.b], b_color)
        self.summary.setText(
            f"{len(cmp.shared)} sentences shared ({len(near)} with small differences); "
            f"{len(cmp.only_a)} only on the left, {len(cmp.only_b)} only on the right."
        )
        self.copy_result.setText("")

    def swap(self) -> None:
        self.doc_a, self.doc_b = self.doc_b, self.doc_a
        self._load()

    def copy_annotations(self) -> CopyReport | None:
        failed: list[str] = []
        self.annotator.failed.connect(failed.append)
        try:
            report = self.annotator.copy_from(self.doc_a, self.doc_b)
        finally:
            self.annotator.failed.disconnect(failed.append)
        if report is None:
            self.copy_result.setText(f"Could not copy: {' '.join(failed)}")
            return None
        text = copy_report_text(report)
        if report.tags or report.copied:
            self._copied_at = self.annotator.stack.index()
            text += " Edit › Undo (Ctrl+Z) takes it back."
            self.annotationsCopied.emit(self.doc_b)
        else:
            self._copied_at = None
        self.copy_result.setText(text)
        return report

    def _undo_moved(self, index: int) -> None:
        """Say so when our copy is undone (or redone) while the dialog is open."""
        if self._copied_at is None:
            return
        if index < self._copied_at:
            self.copy_result.setText("The copy was undone: its tags and mentions are gone.")
        elif index == self._copied_at:
            self.copy_result.setText("The copy was done again.")
