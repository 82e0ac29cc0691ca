"""The document list pane: a search box, filters, the count of matches and the list itself.

The list is a ``QTableView`` over :class:`~reader.ui.models.DocumentListModel`, so a library of
any size costs what is on screen. The search runs on the library's full-text index; tag, source,
date range and "has tickers" narrow it further (all in SQL). With an empty library the pane shows
the welcome: open a dump folder, or explore the sample dump.

Grouped by story (View › Group by Story, or the check box under the filters), the same view
shows a :class:`~reader.ui.story_list.StoryListModel` instead: the same matches, each story's
reports gathered under one expandable row. Everything the window asks of the pane (the current
document, selecting one, next and previous, the selected documents) works in both.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, QEvent, QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from reader.library.errors import LibraryError
from reader.library.library import Library
from reader.library.records import DocumentFilter
from reader.ui.models import DocumentListModel, DocumentQueries, IdRowsModel
from reader.ui.story_list import StoryDelegate, StoryListModel, StoryNavigation
from reader.ui.theme import make_quiet

#: Delay between a keystroke in the search box and the query (coalesces fast typing).
SEARCH_DELAY_MS = 0
NO_DATE = QDate(1900, 1, 1)  # the date edits' minimum, shown as "Any"


def _label(text: str, parent: QWidget, *, quiet: bool = False, wrap: bool = False) -> QLabel:
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    if quiet:
        make_quiet(label)
    return label


class DocumentTable(QTableView):
    """The list itself: rows, one selected, Enter opens the document for reading.

    Typing a word while the list has the focus searches for it (``typedToSearch``): Qt's own
    type-to-jump would read the title of every row to find a match, which on a 100,000-document
    list loads every page of it (2.8 s a key, measured).
    """

    openRequested = Signal()
    typedToSearch = Signal(str)

    def keyboardSearch(self, search: str) -> None:  # noqa: N802 (Qt's name)
        if search.strip():
            self.typedToSearch.emit(search)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.openRequested.emit()
            return
        super().keyPressEvent(event)


class Welcome(QWidget):
    """The empty library: what a dump folder is and the two ways to begin."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 24, 20, 24)
        layout.setSpacing(12)
        title = _label("Welcome to Dump Reader", self)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)
        layout.addWidget(
            _label(
                "A dump folder is a folder of news pages saved as .txt files by a scraper. "
                "Open one to read its pages, search them and see their market tickers.",
                self,
                wrap=True,
            )
        )
        self.open_button = QPushButton("Open a Dump Folder…", self)
        self.open_button.setDefault(True)
        self.sample_button = QPushButton("Explore the Sample Dump", self)
        self.sample_button.setToolTip("Import the 21 fictional pages that come with Dump Reader")
        for b in (self.open_button, self.sample_button):
            b.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
            layout.addWidget(b)
        layout.addWidget(
            _label(
                "You can also drop folders or .txt files on this window, or start Dump Reader "
                "with folders: reader FOLDER …",
                self,
                quiet=True,
                wrap=True,
            )
        )
        self.busy = _label(
            "Importing… the pages appear in this list as they are read.", self, wrap=True
        )
        self.busy.hide()
        layout.insertWidget(2, self.busy)
        layout.addStretch(1)

    def set_busy(self, busy: bool) -> None:
        """An import is running: say so instead of offering to start one."""
        self.busy.setVisible(busy)
        self.open_button.setEnabled(not busy)
        self.sample_button.setEnabled(not busy)


class NoMatches(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 24, 20, 24)
        self.text = _label("No documents match the search and filters.", self, wrap=True)
        self.clear_button = QPushButton("Clear Search and Filters", self)
        self.clear_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        layout.addWidget(self.text)
        layout.addWidget(self.clear_button)
        layout.addStretch(1)


class DocumentListPane(QWidget):
    """Search, filters, count and list. Emits the id of the document to show."""

    currentDocumentChanged = Signal(int)
    searchChanged = Signal(str)  # the search text in effect ("" for none)
    openRequested = Signal()  # Enter on a row: read it
    openFolderRequested = Signal()
    sampleRequested = Signal()
    libraryError = Signal(object)
    groupedChanged = Signal(bool)  # the list was grouped by story, or no longer

    def __init__(
        self,
        library: Library,
        queries: DocumentQueries | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._lib = library
        self._current_id: int | None = None
        self._clearing = False
        self.model = DocumentListModel(library, queries, self)
        self.model.libraryError.connect(self.libraryError)
        self.model.countsChanged.connect(self._show_counts)
        self.model.updated.connect(self._keep_current)
        self.story_model = StoryListModel(self.model, self)
        self.story_model.libraryError.connect(self.libraryError)
        self._grouped = False

        # --- search and filters
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search titles and text")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search documents")
        self.search.installEventFilter(self)
        self.tag = QComboBox(self)
        self.tag.setAccessibleName("Tag filter")
        self.source = QComboBox(self)
        self.source.setAccessibleName("Source filter")
        self.tickers = QComboBox(self)
        self.tickers.setAccessibleName("Ticker filter")
        self.tickers.addItem("With or without tickers", None)
        self.tickers.addItem("With tickers", True)
        self.tickers.addItem("Without tickers", False)
        self.date_from = self._date_edit("Documents dated on or after this day")
        self.date_to = self._date_edit("Documents dated on or before this day")
        self.count = _label("", self, quiet=True)
        self.group_check = QCheckBox("Group by story", self)
        self.group_check.setToolTip(
            "Gather the reports of each story (the same event from several outlets, or copies "
            "of one page) under one row"
        )
        self.clear_button = QPushButton("Clear", self)
        self.clear_button.setToolTip("Clear the search and the filters")
        self.clear_button.clicked.connect(self.clear_filters)

        filters = QGridLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.setHorizontalSpacing(6)
        filters.setVerticalSpacing(4)
        filters.addWidget(self.search, 0, 0, 1, 4)
        filters.addWidget(self.tag, 1, 0, 1, 2)
        filters.addWidget(self.source, 1, 2, 1, 2)
        filters.addWidget(_label("From", self), 2, 0)
        filters.addWidget(self.date_from, 2, 1)
        filters.addWidget(_label("to", self), 2, 2, Qt.AlignmentFlag.AlignRight)
        filters.addWidget(self.date_to, 2, 3)
        filters.setColumnStretch(1, 1)
        filters.setColumnStretch(3, 1)
        count_row = QHBoxLayout()
        count_row.addWidget(self.tickers, 1)
        count_row.addWidget(self.clear_button)

        # --- the list and its empty states
        self.view = DocumentTable(self)
        self.view.typedToSearch.connect(self._type_to_search)
        self.view.setObjectName("documentList")
        self.view.setModel(self.model)
        self.view.setAccessibleName("Documents")
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Several rows can be selected (Shift/Ctrl) for File › Export… "the selected documents";
        # the current row is the one shown in the article.
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setTabKeyNavigation(False)
        self.view.setAlternatingRowColors(True)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        vheader = self.view.verticalHeader()
        vheader.hide()
        vheader.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vheader.setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.view.horizontalHeader()
        header.setHighlightSections(False)
        header.setSortIndicatorClearable(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        metrics = self.fontMetrics()
        header.setMinimumSectionSize(metrics.horizontalAdvance("✎") + 20)
        for col, sample in enumerate(("", "2024-12-31", "Reuters", "Tickers", "99")):
            if sample:
                header.resizeSection(col, metrics.horizontalAdvance(sample) + 20)
        self.view.setSortingEnabled(True)
        self.story_delegate = StoryDelegate(self.view)
        self._story_keys = StoryNavigation(self.view, self.story_model, self.story_delegate)

        self.welcome = Welcome(self)
        self.welcome.open_button.clicked.connect(self.openFolderRequested)
        self.welcome.sample_button.clicked.connect(self.sampleRequested)
        self.no_matches = NoMatches(self)
        self.no_matches.clear_button.clicked.connect(self.clear_filters)
        self.stack = QStackedWidget(self)
        for w in (self.view, self.welcome, self.no_matches):
            self.stack.addWidget(w)

        self.filter_box = QWidget(self)
        box = QVBoxLayout(self.filter_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(4)
        box.addLayout(filters)
        box.addLayout(count_row)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 4, 4)
        layout.setSpacing(6)
        count_line = QHBoxLayout()
        count_line.setContentsMargins(0, 0, 0, 0)
        count_line.addWidget(self.count, 1)
        count_line.addWidget(self.group_check)
        layout.addWidget(self.filter_box)
        layout.addLayout(count_line)
        layout.addWidget(self.stack, 1)

        order = [
            self.search,
            self.tag,
            self.source,
            self.date_from,
            self.date_to,
            self.tickers,
            self.clear_button,
            self.group_check,
            self.view,
        ]
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)

        # --- wiring
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self._search_timer.start)
        for combo in (self.tag, self.source, self.tickers):
            combo.currentIndexChanged.connect(self.apply_filter)
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(self.apply_filter)
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        self.group_check.toggled.connect(self.set_grouped)
        self.view.openRequested.connect(self.openRequested)
        self.view.doubleClicked.connect(lambda _index: self.openRequested.emit())
        self.reload_choices()
        self._show_counts(self.model.rowCount(), self.model.total)

    def _date_edit(self, tooltip: str) -> QDateEdit:
        edit = QDateEdit(self)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setMinimumDate(NO_DATE)
        edit.setSpecialValueText("Any")
        edit.setDate(NO_DATE)
        edit.setToolTip(tooltip)
        edit.setAccessibleName(tooltip)
        return edit

    # ------------------------------------------------------------------------- filtering

    def _type_to_search(self, text: str) -> None:
        """Letters typed in the list go to the search box, which keeps the focus for the rest."""
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.end(False)
        self.search.insert(text)

    def current_filter(self) -> DocumentFilter:
        def date(edit: QDateEdit) -> str | None:
            return None if edit.date() == NO_DATE else edit.date().toString("yyyy-MM-dd")

        search = self.search.text().strip()
        return DocumentFilter(
            search=search or None,
            tag=self.tag.currentData(),
            source=self.source.currentData(),
            date_from=date(self.date_from),
            date_to=date(self.date_to),
            has_tickers=self.tickers.currentData(),
        )

    def apply_filter(self) -> None:
        """Run the search and filters now (the search box waits :data:`SEARCH_DELAY_MS`)."""
        self._search_timer.stop()
        flt = self.current_filter()
        if self._clearing or flt == self.model.filter:
            return
        self.model.set_filter(flt)
        self.searchChanged.emit(flt.search or "")

    def _keep_current(self) -> None:
        """After new rows, keep the document being read selected when it is among them; after
        a new search or filter that leaves it out, open the first match instead."""
        if self.view.currentIndex().isValid():
            return
        if self._current_id is not None and self.select_document(self._current_id):
            return
        if self.model.last_change == "filter":
            self.select_relative(1)

    def clear_filters(self) -> None:
        # Signals stay on (the search box's clear button listens to them); one query at the end.
        self._clearing = True
        try:
            self.search.clear()
            for combo in (self.tag, self.source, self.tickers):
                combo.setCurrentIndex(0)
            self.date_from.setDate(NO_DATE)
            self.date_to.setDate(NO_DATE)
        finally:
            self._clearing = False
        self.apply_filter()

    def reload_choices(self) -> None:
        """Fill the tag and source filters from the library, keeping what is chosen."""
        try:
            tags = [name for name, _count in self._lib.tags()]
            sources = self._lib.sources()
        except LibraryError as error:
            self.libraryError.emit(error)
            return
        self._fill(self.tag, "All tags", "No tags yet", tags)
        self._fill(self.source, "All sources", "No sources yet", sources)

    @staticmethod
    def _fill(combo: QComboBox, all_text: str, none_text: str, values: list[str]) -> None:
        chosen = combo.currentData()
        current = [combo.itemData(i) for i in range(1, combo.count())]
        if current == values and combo.count():
            return
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(all_text if values else none_text, None)
        for v in values:
            combo.addItem(v, v)
        combo.setEnabled(bool(values))
        i = combo.findData(chosen) if chosen is not None else 0
        combo.setCurrentIndex(max(i, 0))
        combo.blockSignals(False)

    def _show_counts(self, matches: int, total: int) -> None:
        filtered = self.model.filter != DocumentFilter()
        word = "document" if total == 1 else "documents"
        stories = ""
        if self._grouped and self.model.groups is not None:
            n = self.model.groups.story_count
            stories = f" · {n:,} {'story' if n == 1 else 'stories'}" if n else " · no stories"
        if total == 0:
            self.count.setText("No documents yet")
            self.stack.setCurrentWidget(self.welcome)
        elif filtered:
            self.count.setText(f"{matches:,} of {total:,} {word}{stories}")
            self.stack.setCurrentWidget(self.view if matches else self.no_matches)
        else:
            self.count.setText(f"{total:,} {word}{stories}")
            self.stack.setCurrentWidget(self.view)
        self.filter_box.setVisible(total > 0)
        self.count.setVisible(total > 0)
        self.group_check.setVisible(total > 0)

    # ------------------------------------------------------------------------- the list

    def refresh(self) -> None:
        """The library changed (an import): update the rows and the filter choices."""
        self.model.refresh()
        self.reload_choices()

    def current_id(self) -> int | None:
        """The document shown last (it may be hidden by the filter now)."""
        return self._current_id

    # ------------------------------------------------------------------- grouped by story

    @property
    def grouped(self) -> bool:
        return self._grouped

    def rows(self) -> IdRowsModel:
        """The model the list shows now: the flat one, or the one grouped by story."""
        return self.story_model if self._grouped else self.model

    def set_grouped(self, grouped: bool) -> None:
        """Show the list grouped by story, or flat. The same view shows the other model (its
        columns, widths, sort order and keyboard focus stay), on the same document."""
        grouped = bool(grouped)
        if grouped == self._grouped:
            return
        self._grouped = grouped
        header = self.view.horizontalHeader()
        state = header.saveState()
        old_selection = self.view.selectionModel()
        if grouped:
            self.model.set_grouped(True)  # the rows come with the answer (_keep_current)
            self.view.setModel(self.story_model)
            self.view.setItemDelegateForColumn(0, self.story_delegate)
            self._story_keys.install()
        else:
            self._story_keys.remove()
            self.view.setItemDelegateForColumn(0, None)  # type: ignore[arg-type]
            self.view.setModel(self.model)
            self.model.set_grouped(False)
            self.story_model.clear()
        header.restoreState(state)
        if grouped:  # a story's dates are a range: "2024-05-14–16"
            wide = self.fontMetrics().horizontalAdvance("2024-12-31–31") + 20
            header.resizeSection(1, max(header.sectionSize(1), wide))
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        old_selection.deleteLater()
        self.group_check.blockSignals(True)
        self.group_check.setChecked(grouped)
        self.group_check.blockSignals(False)
        if self._current_id is not None:
            self.select_document(self._current_id)
        self._show_counts(self.model.rowCount(), self.model.total)
        self.groupedChanged.emit(grouped)

    # ------------------------------------------------------------------------- the list

    def selected_ids(self) -> list[int]:
        """The documents selected in the list, in list order (a story's row: all its reports)."""
        rows = sorted(index.row() for index in self.view.selectionModel().selectedRows())
        if not self._grouped:
            return [self.model.id_at(row) for row in rows]
        found = (d for row in rows for d in self.story_model.documents_at(row))
        return list(dict.fromkeys(found))

    def select_document(self, doc_id: int) -> bool:
        if self._grouped:
            current = self.view.currentIndex()
            if current.isValid() and self.story_model.id_at(current.row()) == doc_id:
                self.view.scrollTo(current)  # already there (a story's row reads its lead)
                return True
            row = self.story_model.reveal(doc_id)
        else:
            row = self.model.row_of(doc_id)
        if row is None:
            return False
        self._select_row(row)
        return True

    def select_relative(self, step: int) -> bool:
        """Select the next (``step`` 1) or previous (-1) document; False at either end.

        Grouped, a story's row and its first report can be the same document: the step goes
        on to the next row that reads another one."""
        rows = self.rows()
        n = rows.rowCount()
        if n == 0:
            return False
        current = self.view.currentIndex()
        row = current.row() + step if current.isValid() else (0 if step > 0 else n - 1)
        if current.isValid() and self._grouped:
            here = rows.id_at(current.row())
            while 0 <= row < n and rows.id_at(row) == here:
                row += step
        if not 0 <= row < n:
            return False
        self._select_row(row)
        return True

    def _select_row(self, row: int) -> None:
        """Make ``row`` the current, only selected row, and show it."""
        index = self.rows().index(row, 0)
        self.view.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.view.scrollTo(index)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def focus_list(self) -> None:
        self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if not self.view.currentIndex().isValid() and self.rows().rowCount():
            self.select_relative(1)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        doc_id = self.rows().id_at(current.row())
        if doc_id != self._current_id:
            self._current_id = doc_id
            self.currentDocumentChanged.emit(doc_id)

    def eventFilter(self, watched: object, event: object) -> bool:
        # Down from the search box goes to the list; Escape clears the search.
        if (
            watched is self.search
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
        ):
            if event.key() == Qt.Key.Key_Down and self.model.rowCount():
                self.focus_list()
                return True
            if event.key() == Qt.Key.Key_Escape and self.search.text():
                self.search.clear()
                return True
        return super().eventFilter(watched, event)  # type: ignore[arg-type]
