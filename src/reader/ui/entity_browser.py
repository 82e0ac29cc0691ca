"""Annotate › Entity Browser: every entity in the library, its mentions in context, merging.

The entity list is a :class:`EntityTableModel` over :func:`reader.annotate.registry.entities`,
fetched a page at a time (``canFetchMore`` / ``fetchMore``) and sorted in SQL. Selecting an entity
lists its mentions as keyword-in-context lines (:class:`KwicModel`, paged the same way);
activating a line opens the document at the mention. Select two entities to merge them: the
current one is kept, the other becomes its alias (one undo step, Ctrl+Z in the window).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from reader.annotate import registry
from reader.library.errors import LibraryError
from reader.library.library import Library
from reader.ui.annotating import Annotator, short

Index = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole
PAGE = 200


class _PagedModel(QAbstractTableModel):
    COLUMNS: tuple[str, ...] = ()

    def __init__(self, library: Library, parent: Any = None) -> None:
        super().__init__(parent)
        self.library = library
        self._rows: list[Any] = []
        self._total = 0

    def _count(self) -> int:  # pragma: no cover - overridden
        raise NotImplementedError

    def _page(self, offset: int, limit: int) -> list[Any]:  # pragma: no cover - overridden
        raise NotImplementedError

    def reload(self) -> None:
        self.beginResetModel()
        try:
            self._total = self._count()
            self._rows = self._page(0, PAGE) if self._total else []
        except LibraryError:
            self._total, self._rows = 0, []
        self.endResetModel()

    @property
    def total(self) -> int:
        return self._total

    def row(self, row: int) -> Any:
        return self._rows[row]

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        more = self._page(len(self._rows), PAGE)[: self._total - len(self._rows)]
        if not more:
            self._total = len(self._rows)
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == _DISPLAY and 0 <= section < len(self.COLUMNS):
            return self.COLUMNS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class EntityTableModel(_PagedModel):
    COLUMNS = ("Entity", "Type", "Mentions", "Documents", "Aliases")
    ORDERS = ("name", "type", "mentions", "documents", None)

    def __init__(self, library: Library, parent: Any = None) -> None:
        super().__init__(library, parent)
        self.search: str | None = None
        self.type: str | None = None
        self.order = "name"
        self.descending = False

    def _count(self) -> int:
        return registry.count_entities(self.library, search=self.search, type=self.type)

    def _page(self, offset: int, limit: int) -> list[Any]:
        return registry.entities(
            self.library,
            search=self.search,
            type=self.type,
            order=self.order,
            descending=self.descending,
            limit=limit,
            offset=offset,
        )

    def set_filter(self, search: str | None, type_: str | None) -> None:
        self.search, self.type = (search or None), type_
        self.reload()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self.ORDERS[column] if 0 <= column < len(self.ORDERS) else None
        if key is None:
            return
        self.order, self.descending = key, order == Qt.SortOrder.DescendingOrder
        self.reload()

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        e: registry.EntityInfo = self._rows[index.row()]
        col = index.column()
        if role == _DISPLAY:
            return (e.name, e.type, f"{e.mentions:,}", f"{e.documents:,}", ", ".join(e.aliases))[
                col
            ]
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (2, 3):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class KwicModel(_PagedModel):
    COLUMNS = ("Document", "Before", "Mention", "After")

    def __init__(self, library: Library, parent: Any = None) -> None:
        super().__init__(library, parent)
        self.name: str | None = None

    def set_entity(self, name: str | None) -> None:
        self.name = name
        self.reload()

    def _count(self) -> int:
        if self.name is None:
            return 0
        info = registry.entity_info(self.library, self.name)
        return info.mentions if info else 0

    def _page(self, offset: int, limit: int) -> list[Any]:
        if self.name is None:
            return []
        return registry.mentions_in_context(self.library, self.name, limit=limit, offset=offset)

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        k: registry.KwicLine = self._rows[index.row()]
        col = index.column()
        if role == _DISPLAY:
            doc = f"{k.date or ''} {short(k.title, 40)}".strip()
            return (doc, k.left, k.match, k.right)[col]
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and col == 0:
            return k.title + (" (orphaned: not found after a re-import)" if k.orphaned else "")
        return None


def _table(model: QAbstractTableModel, parent: QWidget) -> QTableView:
    view = QTableView(parent)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return view


class EntityBrowser(QDialog):
    jumpRequested = Signal(int, int, int)  # document id, start, end

    def __init__(self, annotator: Annotator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.annotator = annotator
        lib = annotator.library
        self.setWindowTitle("Entity Browser")
        self.model = EntityTableModel(lib, self)
        self.kwic = KwicModel(lib, self)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Find an entity or alias")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        self.type = QComboBox(self)
        self.type.addItem("All types", None)
        for t in lib.entity_types():
            self.type.addItem(t.name, t.name)
        self.type.currentIndexChanged.connect(self._filter)
        self.view = _table(self.model, self)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._selection())
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._selection())
        self.view.horizontalHeader().resizeSection(0, 200)
        self.merge_button = QPushButton("&Merge…", self)
        self.merge_button.clicked.connect(self.merge)
        self.count = QLabel(self)
        self.lines = _table(self.kwic, self)
        self.lines.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.lines.activated.connect(self._jump)
        self.lines.doubleClicked.connect(self._jump)
        self.lines.horizontalHeader().resizeSection(0, 180)
        self.lines.horizontalHeader().resizeSection(1, 260)

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.type)
        top.addWidget(self.merge_button)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.view)
        split.addWidget(self.lines)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.count)
        layout.addWidget(split, 1)
        self.resize(860, 620)
        self.refresh()

    def refresh(self) -> None:
        """The library changed: reload the page of entities and the mentions shown."""
        current = self.current()
        self.model.reload()
        self.count.setText(f"{self.model.total:,} entities")
        if current is not None:
            self.select(current.name)
        self.kwic.name = None  # mentions may have moved: fetch them again
        self._selection()

    def _filter(self) -> None:
        self.model.set_filter(self.search.text().strip(), self.type.currentData())
        self.count.setText(f"{self.model.total:,} entities")
        self._selection()

    def select(self, name: str) -> bool:
        for row in range(self.model.rowCount()):
            if self.model.row(row).name.casefold() == name.casefold():
                self.view.selectRow(row)
                return True
        return False

    def current(self) -> registry.EntityInfo | None:
        index = self.view.currentIndex()
        return self.model.row(index.row()) if index.isValid() else None

    def selected(self) -> list[registry.EntityInfo]:
        return [self.model.row(i.row()) for i in self.view.selectionModel().selectedRows()]

    def _pair(self) -> tuple[registry.EntityInfo, registry.EntityInfo] | None:
        chosen = self.selected()
        keep = self.current()
        if len(chosen) != 2 or keep is None or keep not in chosen:
            return None
        other = chosen[0] if chosen[1] == keep else chosen[1]
        return keep, other

    def _selection(self) -> None:
        pair = self._pair()
        self.merge_button.setEnabled(pair is not None)
        if pair is not None:
            keep, other = pair
            self.merge_button.setText(
                f"&Merge “{short(other.name, 20)}” into “{short(keep.name, 20)}”"
            )
        else:
            self.merge_button.setText("&Merge (select two)")
        current = self.current()
        name = current.name if current else None
        if name != self.kwic.name:
            self.kwic.set_entity(name)

    def merge(self) -> bool:
        pair = self._pair()
        if pair is None:
            return False
        keep, other = pair
        done = self.annotator.merge(keep.name, other.name)
        if done:
            self.refresh()
            self.select(keep.name)
        return done

    def _jump(self, index: QModelIndex) -> None:
        if index.isValid():
            k: registry.KwicLine = self.kwic.row(index.row())
            self.jumpRequested.emit(k.doc_id, k.start, k.end)
