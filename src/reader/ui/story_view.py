"""Stories in the window: "Also reported by …" in the article header, the Stories and Markets
menus, and the wiring to the side-by-side view and the ticker history.

Reads :mod:`reader.stories` (plain Python, no SQL here). Every piece of page-derived text goes
into plain-text widgets: the "Also reported by" entries are ``QToolButton`` s whose text is the
outlet, date and link kind (``&`` doubled so it is not taken for a mnemonic).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reader.library.errors import LibraryError
from reader.library.records import Document
from reader.stories.markets import history as ticker_history
from reader.stories.markets import symbols_with_history
from reader.stories.queries import Story, StoryMember, story_of
from reader.ui.compare_view import CompareDialog, outlet_of
from reader.ui.history_view import HistoryDialog
from reader.ui.theme import make_quiet

if TYPE_CHECKING:
    from reader.ui.main_window import MainWindow

LINK_TEXT = {
    "first": "first report",
    "near-duplicate": "near-duplicate",
    "same-event": "same event",
}
#: Entries shown in the header before "and N more" (the Stories menu lists them all).
MAX_SHOWN = 5


def member_text(m: StoryMember) -> str:
    """One "Also reported by" entry, plain text: outlet · date · how it joined."""
    date = m.date or "undated"
    return f"{outlet_of(m.source, m.dateline)}  ·  {date}  ·  {LINK_TEXT.get(m.link, m.link)}"


class AlsoReportedBy(QWidget):
    """The other members of the current document's story, each a button that opens it."""

    openRequested = Signal(int)
    compareRequested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alsoReportedBy")
        self.label = QLabel("Also reported by", self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        make_quiet(self.label)
        self.more = QLabel(self)
        self.more.setTextFormat(Qt.TextFormat.PlainText)
        make_quiet(self.more)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 2, 0, 2)
        self._layout.setSpacing(0)
        self._layout.addWidget(self.label)
        self._layout.addWidget(self.more)
        self.buttons: list[QToolButton] = []
        self.members: tuple[StoryMember, ...] = ()
        self.hide()

    def set_story(self, doc_id: int | None, story: Story | None) -> None:
        for button in self.buttons:
            self._layout.removeWidget(button)
            button.deleteLater()
        self.buttons = []
        self.members = story.others(doc_id) if story is not None and doc_id is not None else ()
        if not self.members:
            self.hide()
            return
        for n, m in enumerate(self.members[:MAX_SHOWN]):
            button = QToolButton(self)
            button.setAutoRaise(True)
            button.setText(member_text(m).replace("&", "&&"))
            button.setToolTip("")  # the title goes in the accessible description, as plain text
            button.setAccessibleDescription(m.title)
            button.setStatusTip(m.title)
            button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
            menu = QMenu(button)
            menu.addAction("&Open This Report").triggered.connect(
                lambda _c=False, d=m.document_id: self.openRequested.emit(d)
            )
            menu.addAction("&Compare Side by Side…").triggered.connect(
                lambda _c=False, d=m.document_id: self.compareRequested.emit(d)
            )
            button.setMenu(menu)
            button.clicked.connect(lambda _c=False, d=m.document_id: self.openRequested.emit(d))
            self._layout.insertWidget(1 + n, button, 0, Qt.AlignmentFlag.AlignLeft)
            self.buttons.append(button)
        extra = len(self.members) - MAX_SHOWN
        self.more.setText(f"and {extra} more (Stories › Compare With…)" if extra > 0 else "")
        self.more.setVisible(extra > 0)
        self.show()


class ChooseReportDialog(QDialog):
    """Pick the other report to compare with (when the story has more than one)."""

    chosen = Signal(int)

    def __init__(self, members: tuple[StoryMember, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Compare With")
        self.list = QListWidget(self)
        for m in members:
            item = QListWidgetItem(f"{member_text(m)}\n{m.title}")
            item.setData(Qt.ItemDataRole.UserRole, m.document_id)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.list.itemActivated.connect(lambda _i: self.accept())
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Compare the current page with:", self))
        layout.addWidget(self.list)
        layout.addWidget(buttons)

    def accept(self) -> None:
        item = self.list.currentItem()
        super().accept()
        if item is not None:
            self.chosen.emit(int(item.data(Qt.ItemDataRole.UserRole)))


class StoriesUI:
    """The window's stories and markets commands; the window calls :meth:`document_shown`."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.story: Story | None = None
        self.doc_id: int | None = None
        self.compare_dialog: CompareDialog | None = None
        self.history_dialog: HistoryDialog | None = None
        self._symbols: set[str] | None = None  # symbols with a history, per library state
        self._sparks: dict[str, tuple[float, ...]] = {}
        self.also = AlsoReportedBy(window.article.header)
        window.article.header.layout().insertWidget(2, self.also)
        self.also.openRequested.connect(self.open_document)
        self.also.compareRequested.connect(self.compare_with)
        window.tickers.historyRequested.connect(self.show_history)
        window.importer.finished.connect(lambda _r: self.library_changed())

    def build_menus(self) -> None:
        """Stories and Markets menus, before Help."""
        w = self.window
        bar = w.menuBar()
        help_action = next(a for a in bar.actions() if a.text() == "&Help")
        m = QMenu("&Stories", bar)
        bar.insertMenu(help_action, m)
        self.compare_action: QAction = w._action(
            m,
            "&Compare With…",
            self.compare_with,
            ["Ctrl+Shift+D"],
            "Put the current page beside another report of the same story",
        )
        self.next_report_action: QAction = w._action(
            m,
            "&Next Report of This Story",
            self.next_report,
            ["Ctrl+Shift+J"],
            "Open the next page of the current story",
        )
        m = QMenu("&Markets", bar)
        bar.insertMenu(help_action, m)
        self.history_action: QAction = w._action(
            m,
            "Ticker &History…",
            self.show_history,
            ["Ctrl+Shift+H"],
            "Chart a symbol's price over the dates of every page that carries it",
        )
        self._update_actions()

    # ------------------------------------------------------------------------- stories

    def document_shown(self, doc: Document) -> None:
        self.doc_id = doc.id
        try:
            self.story = story_of(self.window.library, doc.id)
        except LibraryError:
            self.story = None
        self.also.set_story(doc.id, self.story)
        self._update_sparklines(doc)
        self._update_actions()

    def _update_actions(self) -> None:
        has = self.story is not None
        for name in ("compare_action", "next_report_action"):
            action = getattr(self, name, None)
            if action is not None:
                action.setEnabled(has)

    def open_document(self, doc_id: int) -> None:
        w = self.window
        if not w.list_pane.select_document(doc_id):  # filtered out of the list: open it anyway
            w.show_document(doc_id)

    def next_report(self) -> None:
        if self.story is None or self.doc_id is None:
            return
        ids = self.story.document_ids
        at = ids.index(self.doc_id) if self.doc_id in ids else -1
        self.open_document(ids[(at + 1) % len(ids)])

    def compare_with(self, other: int | None = None) -> None:
        """Open the side-by-side view of the current page and ``other`` (asked for if None)."""
        w = self.window
        if self.doc_id is None:
            return
        if other is None:
            others = self.story.others(self.doc_id) if self.story else ()
            if not others:
                w.statusBar().showMessage(
                    "This page is in no story: no other report to compare it with.", 5000
                )
                return
            if len(others) > 1:
                chooser = ChooseReportDialog(others, w)
                chooser.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
                chooser.chosen.connect(self.compare_with)
                chooser.open()
                return
            other = others[0].document_id
        if self.compare_dialog is not None:
            self.compare_dialog.close()
        try:
            dialog = CompareDialog(w.library, self.doc_id, other, w)
        except LibraryError as error:
            w.library_failed(error)
            return
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.annotationsCopied.connect(self._annotations_copied)
        key = id(dialog)
        dialog.destroyed.connect(lambda _o=None, k=key: self._forget("compare_dialog", k))
        self.compare_dialog = dialog
        dialog.show()

    def _forget(self, name: str, key: int) -> None:
        if id(getattr(self, name)) == key:
            setattr(self, name, None)

    def _annotations_copied(self, doc_id: int) -> None:
        w = self.window
        w.list_pane.refresh()
        if w.list_pane.current_id() == doc_id or self.doc_id == doc_id:
            w.show_document(doc_id)

    # ------------------------------------------------------------------------- markets

    def library_changed(self) -> None:
        """An import finished: histories and the symbols that have one may have changed."""
        self._symbols = None
        self._sparks = {}
        doc = self.window.article.document
        if doc is not None:
            self._update_sparklines(doc)

    def symbols(self) -> set[str]:
        if self._symbols is None:
            try:
                found = symbols_with_history(self.window.library, min_pages=2)
            except LibraryError:
                found = []
            self._symbols = {s.symbol for s in found}
        return self._symbols

    def _update_sparklines(self, doc: Document) -> None:
        with_history = self.symbols()
        for t in doc.tickers:
            if t.symbol in with_history and t.symbol not in self._sparks:
                try:
                    h = ticker_history(self.window.library, t.symbol)
                except LibraryError:
                    continue
                self._sparks[t.symbol] = tuple(p.price for p in h.points)
        self.window.tickers.sparklines.set_prices(self._sparks)

    def show_history(self, symbol: str | None = None) -> None:
        """Markets › Ticker History…: for ``symbol``, the selected ticker, or the first one."""
        w = self.window
        symbols = sorted(self.symbols())
        if not symbols:
            w.statusBar().showMessage(
                "No symbol is carried by two or more pages yet: there is no history to chart.",
                6000,
            )
            return
        if symbol is None:
            symbol = w.tickers.selected_symbol()
        if symbol is None and w.article.document is not None:
            symbol = next(
                (t.symbol for t in w.article.document.tickers if t.symbol in self.symbols()), None
            )
        if self.history_dialog is not None:
            self.history_dialog.close()
        dialog = HistoryDialog(w.library, symbols, symbol or symbols[0], w)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.openRequested.connect(self.open_document)
        key = id(dialog)
        dialog.destroyed.connect(lambda _o=None, k=key: self._forget("history_dialog", k))
        self.history_dialog = dialog
        dialog.show()
