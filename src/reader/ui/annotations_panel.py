"""The Annotations pane: the current document's highlights and mentions, and its orphans.

One row per annotation (type or colour, text, note), by position. A click or Enter jumps to it
in the article; the note is edited in place (double-click or F2); Del deletes. A filter shows one
entity type, or only highlights. Orphans (annotations whose text was not found after a
re-import) are listed apart with their old quote: re-attach one to the article's selection, or
delete it.

The models only hold what the window gives them and say what the user asked for (signals); the
window makes the edits through the :class:`~reader.ui.annotating.Annotator`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from reader.library.records import Annotation
from reader.ui.article_view import highlight_color
from reader.ui.theme import make_quiet

Index = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole
_EDIT = Qt.ItemDataRole.EditRole
#: The annotation of a row (any column).
ANNOTATION_ROLE = Qt.ItemDataRole.UserRole + 1

HIGHLIGHTS = "\x00highlights"  # the filter key for "highlights only"


def _one_line(text: str | None, limit: int = 200) -> str:
    one = " ".join((text or "").split())
    return one if len(one) <= limit else one[: limit - 1] + "…"


class AnnotationsModel(QAbstractTableModel):
    """A document's live annotations (not orphaned), filtered by type; the note is editable."""

    COLUMNS = ("Type", "Text", "Note")
    noteEdited = Signal(object, str)  # Annotation, the new note

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[Annotation] = []
        self._rows: list[Annotation] = []
        self._filter: str | None = None
        self._colors: dict[str, str] = {}

    def set_annotations(self, annotations: Sequence[Annotation]) -> None:
        self.beginResetModel()
        self._all = [a for a in annotations if not a.orphaned]
        self._apply()
        self.endResetModel()

    def set_type_colors(self, colors: dict[str, str]) -> None:
        self._colors = dict(colors)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0))

    def set_filter(self, key: str | None) -> None:
        """None: everything; :data:`HIGHLIGHTS`: highlights only; else an entity type."""
        self.beginResetModel()
        self._filter = key
        self._apply()
        self.endResetModel()

    def _apply(self) -> None:
        f = self._filter
        if f is None:
            self._rows = list(self._all)
        elif f == HIGHLIGHTS:
            self._rows = [a for a in self._all if a.kind == "highlight"]
        else:
            self._rows = [a for a in self._all if a.kind == "entity" and a.type == f]

    def annotation(self, row: int) -> Annotation:
        return self._rows[row]

    def row_of(self, ann_id: int) -> int | None:
        return next((r for r, a in enumerate(self._rows) if a.id == ann_id), None)

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
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == 2:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        a = self._rows[index.row()]
        col = index.column()
        if role == ANNOTATION_ROLE:
            return a
        if role == _DISPLAY:
            if col == 0:
                return a.type if a.kind == "entity" else f"Highlight · {a.color}"
            if col == 1:
                return _one_line(a.text)
            return _one_line(a.note)
        if role == _EDIT and col == 2:
            return a.note or ""
        if role == Qt.ItemDataRole.DecorationRole and col == 0:
            if a.kind == "entity":
                return QColor(self._colors.get(a.type or "", "#888888"))
            return highlight_color(a.color)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == 1:
                return a.text if a.kind == "highlight" else f"{a.text}\n(entity: {a.entity})"
            if col == 2 and a.note:
                return a.note
        return None

    def setData(self, index: Index, value: Any, role: int = _EDIT) -> bool:
        if not index.isValid() or index.column() != 2 or role != _EDIT:
            return False
        a = self._rows[index.row()]
        text = str(value or "").strip()
        if text != (a.note or ""):
            self.noteEdited.emit(a, text)
        return True


class OrphansModel(QAbstractTableModel):
    """Orphaned annotations of a document, with their old quote."""

    COLUMNS = ("Old quote", "Type")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Annotation] = []

    def set_orphans(self, annotations: Sequence[Annotation]) -> None:
        self.beginResetModel()
        self._rows = [a for a in annotations if a.orphaned]
        self.endResetModel()

    def annotation(self, row: int) -> Annotation:
        return self._rows[row]

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

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        a = self._rows[index.row()]
        if role == ANNOTATION_ROLE:
            return a
        if role == _DISPLAY:
            if index.column() == 0:
                return (
                    f"…{_one_line(a.prefix[-20:])}[{_one_line(a.text)}]{_one_line(a.suffix[:20])}…"
                )
            return a.type if a.kind == "entity" else f"Highlight · {a.color}"
        if role == Qt.ItemDataRole.ToolTipRole:
            note = f"\nNote: {a.note}" if a.note else ""
            return f"Not found after a re-import (was at {a.start}–{a.end}):\n{a.text}{note}"
        return None


class _Table(QTableView):
    deletePressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if (
            event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
            and self.state() != QAbstractItemView.State.EditingState
        ):
            self.deletePressed.emit()
            return
        super().keyPressEvent(event)


def _table(model: QAbstractTableModel, parent: QWidget) -> _Table:
    view = _Table(parent)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.setTabKeyNavigation(False)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return view


class AnnotationsPanel(QWidget):
    """The pane: filter, annotations table, and the orphans below when there are any."""

    jumpRequested = Signal(object)  # Annotation
    deleteRequested = Signal(object)  # Annotation
    noteEdited = Signal(object, str)  # Annotation, note
    reattachRequested = Signal(object)  # Annotation (to the article's selection)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = AnnotationsModel(self)
        self.model.noteEdited.connect(self.noteEdited)
        self.orphans_model = OrphansModel(self)

        self.title = QLabel("Annotations", self)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.filter = QComboBox(self)
        self.filter.setAccessibleName("Annotation type filter")
        self.filter.currentIndexChanged.connect(
            lambda _i: self.model.set_filter(self.filter.currentData())
        )
        self.view = _table(self.model, self)
        self.view.setObjectName("annotations")
        self.view.setAccessibleName("Annotations of this document")
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.view.horizontalHeader().resizeSection(0, 110)
        self.view.horizontalHeader().resizeSection(1, 150)
        self.view.clicked.connect(self._jump)
        self.view.activated.connect(self._jump)
        self.view.deletePressed.connect(self._delete_current)
        self.empty = QLabel(
            "No annotations yet. Select text in the article, then press H to highlight it or a "
            "number key to tag it.",
            self,
        )
        self.empty.setWordWrap(True)
        make_quiet(self.empty)

        self.orphans_box = QWidget(self)
        box = QVBoxLayout(self.orphans_box)
        box.setContentsMargins(0, 6, 0, 0)
        self.orphans_label = QLabel(self.orphans_box)
        self.orphans_label.setWordWrap(True)
        self.orphans_view = _table(self.orphans_model, self.orphans_box)
        self.orphans_view.setObjectName("orphans")
        self.orphans_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.orphans_view.deletePressed.connect(self._delete_orphan)
        self.orphans_view.setMaximumHeight(120)
        buttons = QHBoxLayout()
        self.reattach_button = QPushButton("&Re-attach to Selection", self.orphans_box)
        self.reattach_button.setToolTip(
            "Select the text in the article where this annotation belongs, then click here"
        )
        self.reattach_button.clicked.connect(self._reattach)
        self.delete_orphan_button = QPushButton("Delete", self.orphans_box)
        self.delete_orphan_button.clicked.connect(self._delete_orphan)
        buttons.addWidget(self.reattach_button)
        buttons.addWidget(self.delete_orphan_button)
        buttons.addStretch(1)
        box.addWidget(self.orphans_label)
        box.addWidget(self.orphans_view)
        box.addLayout(buttons)

        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.filter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.orphans_box)
        self.set_types([])
        self.show_annotations([])

    def set_types(self, types: Sequence[tuple[str, str]]) -> None:
        """(name, colour) of every entity type: the filter's choices and the swatches."""
        current = self.filter.currentData()
        self.filter.blockSignals(True)
        self.filter.clear()
        self.filter.addItem("All annotations", None)
        self.filter.addItem("Highlights", HIGHLIGHTS)
        for name, color in types:
            self.filter.addItem(name, name)
            self.filter.setItemData(
                self.filter.count() - 1, QColor(color), Qt.ItemDataRole.DecorationRole
            )
        index = self.filter.findData(current)
        self.filter.setCurrentIndex(max(0, index))
        self.filter.blockSignals(False)
        self.model.set_type_colors(dict(types))
        self.model.set_filter(self.filter.currentData())

    def show_annotations(self, annotations: Sequence[Annotation]) -> None:
        """The current document's annotations (orphans included: they go to their own list)."""
        selected = self._current()
        self.model.set_annotations(annotations)
        self.orphans_model.set_orphans(annotations)
        n_live = sum(1 for a in annotations if not a.orphaned)
        n_orphans = self.orphans_model.rowCount()
        self.title.setText(f"Annotations ({n_live})" if n_live else "Annotations")
        self.empty.setVisible(n_live == 0)
        self.orphans_box.setVisible(n_orphans > 0)
        self.orphans_label.setText(
            f"{n_orphans} not found after a re-import (kept with their old text): select where "
            "one belongs in the article and re-attach it, or delete it."
        )
        if selected is not None:
            self.select(selected.id)

    def select(self, ann_id: int) -> bool:
        row = self.model.row_of(ann_id)
        if row is None:
            return False
        self.view.setCurrentIndex(self.model.index(row, 1))
        return True

    def _current(self) -> Annotation | None:
        index = self.view.currentIndex()
        return self.model.annotation(index.row()) if index.isValid() else None

    def _jump(self, index: QModelIndex) -> None:
        if index.isValid():
            self.jumpRequested.emit(self.model.annotation(index.row()))

    def _delete_current(self) -> None:
        ann = self._current()
        if ann is not None:
            self.deleteRequested.emit(ann)

    def _orphan(self) -> Annotation | None:
        index = self.orphans_view.currentIndex()
        if not index.isValid() and self.orphans_model.rowCount() == 1:
            return self.orphans_model.annotation(0)
        return self.orphans_model.annotation(index.row()) if index.isValid() else None

    def _reattach(self) -> None:
        ann = self._orphan()
        if ann is not None:
            self.reattachRequested.emit(ann)

    def _delete_orphan(self) -> None:
        ann = self._orphan()
        if ann is not None:
            self.deleteRequested.emit(ann)
