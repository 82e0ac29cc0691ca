"""Annotate › Entity Types…: add, rename, recolour and re-key the library's entity types.

Each change is made in the library at once (a rename carries its mentions along) and the window
rebuilds its Tag-as actions from :attr:`EntityTypesDialog.typesChanged`. Type names are ours
(typed by the user), shown as plain text.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reader.library.errors import LibraryError
from reader.library.library import Library
from reader.ui.annotate_ui import swatch

#: Colours offered to a new type, in turn.
NEW_COLORS = ["#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#393b79", "#637939"]


class EntityTypesDialog(QDialog):
    typesChanged = Signal()

    def __init__(self, library: Library, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.setWindowTitle("Entity Types")
        self.list = QListWidget(self)  # a handful of types: a widget list is fine here
        self.list.setAccessibleName("Entity types")
        self.list.currentRowChanged.connect(self._current_changed)
        self.key = QComboBox(self)
        self.key.setAccessibleName("Number key")
        self.key.addItem("No key", None)
        for k in range(1, 10):
            self.key.addItem(f"Key {k}", k)
        self.key.activated.connect(self._key_chosen)
        self.add_button = QPushButton("&Add…", self)
        self.rename_button = QPushButton("&Rename…", self)
        self.color_button = QPushButton("&Colour…", self)
        self.add_button.clicked.connect(self.add)
        self.rename_button.clicked.connect(self.rename)
        self.color_button.clicked.connect(self.recolour)
        self.message = QLabel(self)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        side = QVBoxLayout()
        for w in (self.add_button, self.rename_button, self.color_button, self.key):
            side.addWidget(w)
        side.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.list, 1)
        row.addLayout(side)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Select text and press a type's number key to tag it.", self))
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(420, 320)
        self.reload()

    def reload(self, select: str | None = None) -> None:
        current = select or self.current()
        self.list.clear()
        for t in self.library.entity_types():
            key = f"   ({t.key})" if t.key is not None else ""
            item = QListWidgetItem(swatch(QColor(t.color), 14), f"{t.name}{key}")
            item.setData(Qt.ItemDataRole.UserRole, t)
            self.list.addItem(item)
            if t.name == current:
                self.list.setCurrentItem(item)
        if self.list.currentRow() < 0 and self.list.count():
            self.list.setCurrentRow(0)

    def current(self) -> str | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole).name if item else None

    def _current_changed(self, _row: int) -> None:
        item = self.list.currentItem()
        t = item.data(Qt.ItemDataRole.UserRole) if item else None
        self.key.setCurrentIndex(self.key.findData(t.key) if t and t.key else 0)

    def _do(self, fn: object, select: str | None = None) -> bool:
        try:
            fn()  # type: ignore[operator]
        except LibraryError as error:
            self.message.setText(str(error))
            return False
        self.message.setText("")
        self.reload(select)
        self.typesChanged.emit()
        return True

    def add(self, name: str | None = None, color: str | None = None) -> bool:
        if name is None:
            name, ok = QInputDialog.getText(self, "New Entity Type", "Name (e.g. PRODUCT):")
            if not ok:
                return False
        name = name.strip().upper() if name else ""
        n = self.list.count()
        color = color or NEW_COLORS[n % len(NEW_COLORS)]
        used = {t.key for t in self.library.entity_types()}
        key = next((k for k in range(1, 10) if k not in used), None)
        return self._do(lambda: self.library.add_entity_type(name, color, key), name)

    def rename(self, new_name: str | None = None) -> bool:
        name = self.current()
        if name is None:
            return False
        if new_name is None:
            new_name, ok = QInputDialog.getText(self, "Rename Entity Type", "New name:", text=name)
            if not ok:
                return False
        new = new_name.strip()
        return self._do(lambda: self.library.update_entity_type(name, new_name=new), new)

    def recolour(self, color: str | None = None) -> bool:
        name = self.current()
        if name is None:
            return False
        if color is None:
            item = self.list.currentItem()
            start = QColor(item.data(Qt.ItemDataRole.UserRole).color)
            chosen = QColorDialog.getColor(start, self, f"Colour of {name}")
            if not chosen.isValid():
                return False
            color = chosen.name()
        return self._do(lambda: self.library.update_entity_type(name, color=color), name)

    def set_key(self, key: int | None) -> bool:
        name = self.current()
        if name is None:
            return False
        return self._do(lambda: self.library.update_entity_type(name, key=key), name)

    def _key_chosen(self, index: int) -> None:
        self.set_key(self.key.itemData(index))
