"""The ticker pane: the document's market ticker rows, stocks and indices in two groups.

Direction is shown by colour *and* by an arrow with a word, never by colour alone. Selecting a
row asks the article to mark that symbol's mentions (``symbolSelected``); the pane then says how
many there are.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QModelIndex, QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMenu,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from reader.library.records import Document
from reader.ui.history_view import SparklineDelegate  # stories: sparklines
from reader.ui.models import TICKER_COLUMNS, TickerModel
from reader.ui.theme import make_quiet


def _quiet_label(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setMinimumWidth(1)
    make_quiet(label)
    return label


class TickerPane(QWidget):
    symbolSelected = Signal(object)  # str, or None when no row is selected
    historyRequested = Signal(str)  # stories: a row's "Ticker History…" (or a double-click)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = TickerModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("tickerTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setTabKeyNavigation(False)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.view.horizontalHeader()
        header.setSortIndicatorClearable(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.setHighlightSections(False)
        # Widths from the widest figures a ticker block carries, not measured on every page.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(48)
        metrics = self.fontMetrics()
        for col, sample in enumerate(("", "107,487.00", "+1,456.68", "Change %", "▼ Down")):
            if sample:
                header.resizeSection(col, metrics.horizontalAdvance(sample) + 18)
        self.view.setSortingEnabled(True)
        self.view.setAccessibleName("Ticker rows")

        self.title = QLabel("Tickers", self)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.mentions = _quiet_label("", self)
        self.empty = _quiet_label("", self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.empty.setMargin(16)

        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.view)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 10, 8, 8)
        layout.setSpacing(6)
        layout.addWidget(self.title)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.mentions)

        self.model.modelReset.connect(self._span_headers)
        self.model.layoutChanged.connect(self._span_headers)
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        # --- stories: sparklines in the symbol column, and "Ticker History…" on a row
        self.sparklines = SparklineDelegate(self.view)
        self.view.setItemDelegateForColumn(0, self.sparklines)
        self.view.doubleClicked.connect(self._history_at)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        # --- end stories
        self.show_document(None)

    def _span_headers(self) -> None:
        self.view.clearSpans()
        for row in self.model.header_rows():
            self.view.setSpan(row, 0, 1, len(TICKER_COLUMNS))

    def show_document(self, doc: Document | None) -> None:
        self.model.set_tickers(doc.tickers if doc is not None else ())
        self.mentions.setText("")
        if doc is None:
            self.title.setText("Tickers")
            self.empty.setText("Select a document to see its market ticker rows.")
            self.stack.setCurrentWidget(self.empty)
        elif not doc.tickers:
            self.title.setText("Tickers")
            self.empty.setText("This page has no ticker rows.")
            self.stack.setCurrentWidget(self.empty)
        else:
            self.title.setText(f"Tickers ({len(doc.tickers)})")
            self.stack.setCurrentWidget(self.view)

    def selected_symbol(self) -> str | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        ticker = self.model.ticker_at(rows[0].row())
        return ticker.symbol if ticker is not None else None

    def select_symbol(self, symbol: str | None) -> bool:
        row = self.model.row_of_symbol(symbol) if symbol else None
        if row is None:
            self.view.clearSelection()
            return False
        self.view.setCurrentIndex(self.model.index(row, 0))
        return True

    # --- stories: "Ticker History…" from a row
    def _history_at(self, index: QModelIndex) -> None:
        ticker = self.model.ticker_at(index.row())
        if ticker is not None:
            self.historyRequested.emit(ticker.symbol)

    def _context_menu(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        ticker = self.model.ticker_at(index.row()) if index.isValid() else None
        if ticker is None:
            return
        menu = QMenu(self.view)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        action = menu.addAction(f"Ticker &History of {ticker.symbol.replace('&', '&&')}…")
        action.triggered.connect(lambda _c=False, s=ticker.symbol: self.historyRequested.emit(s))
        menu.popup(self.view.viewport().mapToGlobal(pos))

    # --- end stories

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self.symbolSelected.emit(self.selected_symbol())

    def set_mentions(self, symbol: str | None, count: int) -> None:
        """Say how many times the selected symbol appears in the article."""
        if not symbol:
            self.mentions.setText("")
        elif count == 0:
            self.mentions.setText(f"{symbol} is not mentioned in the article.")
        else:
            times = "once" if count == 1 else f"{count:,} times"
            self.mentions.setText(f"{symbol} is mentioned {times} in the article (marked).")

    def focus_table(self) -> None:
        """Keyboard focus to the table, on the first ticker row if none is current."""
        if self.stack.currentWidget() is not self.view:
            return
        self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if not self.view.currentIndex().isValid():
            first = next((r for r in range(self.model.rowCount()) if self.model.ticker_at(r)), None)
            if first is not None:
                self.view.setCurrentIndex(self.model.index(first, 0))
