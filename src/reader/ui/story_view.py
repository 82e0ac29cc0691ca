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
    QHeaderView,
    QLabel,
    QMenu,
    QStyle,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reader.library.errors import LibraryError, UsageError
from reader.library.library import Library
from reader.library.records import Document
from reader.stories.markets import history as ticker_history
from reader.stories.markets import symbols_with_history
from reader.stories.queries import Story, StoryMember, story_of
from reader.ui.compare_view import CompareDialog, outlet_of
from reader.ui.history_view import HistoryDialog
from reader.ui.models import tooltip
from reader.ui.theme import make_quiet
from reader.ui.workers import NewestJob

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
    outlet, date = outlet_of(m.source, m.dateline, m.title), m.date or "undated"
    return f"{outlet}  ·  {date}  ·  {LINK_TEXT.get(m.link, m.link)}"


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
            button.hide()  # deleted later: it must not show under the new ones meanwhile
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
    """Pick the other report to compare with (when the story has more than one).

    Each report is two lines (outlet · date · how it joined, then its title). The list is as
    wide as its longest line, within most of the screen; a line still too long is elided at
    the right, and the tooltip holds it whole.
    """

    chosen = Signal(int)
    #: Of the screen's available width, the most the list takes.
    SCREEN_SHARE = 0.8
    #: Reports shown without scrolling.
    VISIBLE_ROWS = 8

    def __init__(self, members: tuple[StoryMember, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Compare With")
        # A one-column tree, not a QListWidget: a list's rows are as wide as their text, so
        # nothing is elided; a column is as wide as the view.
        self.list = QTreeWidget(self)
        self.list.setAccessibleName("Other reports of this story")
        self.list.setHeaderHidden(True)
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setAlternatingRowColors(True)  # two lines a report: where one ends shows
        self.list.setWordWrap(False)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for m in members:
            item = QTreeWidgetItem([f"{member_text(m)}\n{m.title}"])
            item.setData(0, Qt.ItemDataRole.UserRole, m.document_id)
            item.setToolTip(0, tooltip("\n".join([m.title, member_text(m), *m.paths[:3]])))
            self.list.addTopLevelItem(item)
        self.list.setCurrentItem(self.list.topLevelItem(0))
        self._fit(members)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.list.itemActivated.connect(lambda _i, _c: self.accept())
        label = QLabel("Compare the current page with:", self)
        label.setBuddy(self.list)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.adjustSize()

    def _fit(self, members: tuple[StoryMember, ...]) -> None:
        """Size the list to its longest line and a few rows, within the screen."""
        metrics = self.list.fontMetrics()
        lines = [line for m in members for line in (member_text(m), m.title)]
        widest = max((metrics.horizontalAdvance(line) for line in lines), default=0)
        chrome = (
            2 * self.list.frameWidth()
            + self.list.verticalScrollBar().sizeHint().width()
            + 4 * self.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin)
            + 16
        )
        screen = (self.parentWidget() or self).screen().availableGeometry()
        width = min(widest + chrome, int(screen.width() * self.SCREEN_SHARE))
        self.list.setMinimumWidth(max(320, width))
        rows = min(len(members), self.VISIBLE_ROWS)
        row_height = self.list.sizeHintForRow(0) if members else metrics.height() * 2
        height = min(rows * row_height + 2 * self.list.frameWidth() + 4, int(screen.height() * 0.6))
        self.list.setMinimumHeight(height)
        if len(members) <= self.VISIBLE_ROWS:  # every report in view: no empty space below
            self.list.setMaximumHeight(height)

    def accept(self) -> None:
        item = self.list.currentItem()
        super().accept()
        if item is not None:
            self.chosen.emit(int(item.data(0, Qt.ItemDataRole.UserRole)))


def spark_prices(
    lib: Library, request: tuple[int, tuple[str, ...], frozenset[str] | None]
) -> tuple[frozenset[str], dict[str, tuple[float, ...]]]:
    """(the symbols with a history, {symbol: its prices}) for the symbols asked that have one.
    Runs on the sparklines' job thread; ``request`` is (library state, symbols, the symbols
    with a history when already known)."""
    _state, wanted, known = request
    if known is None:
        known = frozenset(s.symbol for s in symbols_with_history(lib, min_pages=2))
    prices = {}
    for symbol in wanted:
        if symbol in known:
            try:
                prices[symbol] = tuple(p.price for p in ticker_history(lib, symbol).points)
            except UsageError:  # gone from the library since
                continue
    return known, prices


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
        self._state = 0  # counts library changes: a read begun before one is not used
        self.spark_loader = NewestJob(window.library, spark_prices, "sparklines", window)
        self.spark_loader.done.connect(self._sparks_read)
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
            dialog = CompareDialog(w.library, self.doc_id, other, w.annotate.annotator, w)
        except LibraryError as error:
            w.library_failed(error)
            return
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # The copy is an edit like any other: the window's undo and redo keys work here too
        # (the annotator's changed signal redraws the window after it).
        dialog.addActions([w.annotate.undo_action, w.annotate.redo_action])
        key = id(dialog)
        dialog.destroyed.connect(lambda _o=None, k=key: self._forget("compare_dialog", k))
        self.compare_dialog = dialog
        dialog.show()

    def shutdown(self) -> None:
        """The window is closing: stop the background reads (no thread outlives the window)."""
        self.spark_loader.close()
        if self.history_dialog is not None:
            self.history_dialog.close()

    def _forget(self, name: str, key: int) -> None:
        if id(getattr(self, name)) == key:
            setattr(self, name, None)

    # ------------------------------------------------------------------------- markets

    def library_changed(self) -> None:
        """An import finished: histories and the symbols that have one may have changed."""
        self._symbols = None
        self._sparks = {}
        self._state += 1
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
        """Show the sparklines known; read the missing ones off the UI thread (a symbol on
        every page of a large library takes tens of milliseconds: one per new document)."""
        missing = tuple(
            dict.fromkeys(
                t.symbol
                for t in doc.tickers
                if t.symbol not in self._sparks
                and (self._symbols is None or t.symbol in self._symbols)
            )
        )
        self.window.tickers.sparklines.set_prices(self._sparks)
        if missing:
            known = frozenset(self._symbols) if self._symbols is not None else None
            self.spark_loader.request((self._state, missing, known))

    def _sparks_read(self, request: tuple, result: tuple) -> None:
        state = request[0]
        with_history, prices = result
        if state != self._state:
            return  # the library changed meanwhile: a newer read is on its way
        if self._symbols is None:
            self._symbols = set(with_history)
        self._sparks.update(prices)
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
