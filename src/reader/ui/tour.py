"""Help › Quick Tour: a few pages on the keys for reading, tagging and exporting.

Shown once on the first run (``Settings.tour_seen``) and reopened from the Help menu. The text is
ours, so rich text is safe here; no page text ever reaches this dialog.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

#: (title, body) per page. Keys named here are the window's own; a test checks them.
PAGES: list[tuple[str, str]] = [
    (
        "Reading",
        "<p>Open a dump folder with <b>Ctrl+O</b> (or drop it on the window); the pages are "
        "imported in the background and the list fills as they arrive.</p>"
        "<p><b>Ctrl+K</b> searches titles and text; <b>Ctrl+PgDown</b> and <b>Ctrl+PgUp</b> go "
        "to the next and previous document; <b>Alt+1</b>, <b>Alt+2</b>, <b>Alt+3</b> move "
        "between the list, the article and the tickers.</p>"
        "<p><b>Ctrl+F</b> finds in the article, <b>Ctrl+=</b> and <b>Ctrl+-</b> zoom.</p>",
    ),
    (
        "Tagging",
        "<p>Select text in the article, then press a number key <b>1</b>–<b>9</b> to tag it "
        "as an entity type (1 is PERSON, 2 ORG, 3 GPE …), or <b>H</b> to highlight it. "
        "<b>N</b> adds a note. The Annotate menu and the right-click menu offer the same.</p>"
        "<p>Everything is saved the moment you do it; <b>Ctrl+Z</b> undoes, "
        "<b>Ctrl+Shift+Z</b> redoes.</p>",
    ),
    (
        "Exporting",
        "<p><b>Ctrl+E</b> exports this document, the selected ones, a tag or the whole library "
        "as Markdown notes, Web Annotation JSON, JSONL, CoNLL, brat or CSV.</p>"
        "<p><b>Ctrl+Shift+I</b> merges a colleague's JSON export into your library.</p>"
        "<p>All keys are listed under Help › Keyboard Shortcuts (<b>F1</b>).</p>",
    ),
]


class TourDialog(QDialog):
    """A small paged dialog: Back, Next, Done. Keyboard: Alt+B, Alt+N, Esc."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Quick Tour of Dump Reader")
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        self.stack = QStackedWidget(self)
        for title, body in PAGES:
            page = QWidget(self.stack)
            page_layout = QVBoxLayout(page)
            heading = QLabel(f"<h3>{title}</h3>", page)
            heading.setTextFormat(Qt.TextFormat.RichText)
            text = QLabel(body, page)
            text.setTextFormat(Qt.TextFormat.RichText)
            text.setWordWrap(True)
            page_layout.addWidget(heading)
            page_layout.addWidget(text)
            page_layout.addStretch(1)
            self.stack.addWidget(page)
        layout.addWidget(self.stack, 1)
        buttons = QHBoxLayout()
        self.position = QLabel(self)
        self.back = QPushButton("&Back", self)
        self.next = QPushButton("&Next", self)
        self.done_button = QPushButton("&Done", self)
        buttons.addWidget(self.position)
        buttons.addStretch(1)
        for button in (self.back, self.next, self.done_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.back.clicked.connect(lambda: self.go(-1))
        self.next.clicked.connect(lambda: self.go(1))
        self.done_button.clicked.connect(self.accept)
        self.go(0)

    def go(self, step: int) -> None:
        index = max(0, min(self.stack.count() - 1, self.stack.currentIndex() + step))
        self.stack.setCurrentIndex(index)
        last = index == self.stack.count() - 1
        self.back.setEnabled(index > 0)
        self.next.setEnabled(not last)
        (self.done_button if last else self.next).setDefault(True)
        (self.done_button if last else self.next).setFocus()
        self.position.setText(f"{index + 1} of {self.stack.count()}")
