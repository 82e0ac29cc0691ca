"""Document tags in the article header: one chip per tag (click ✕ to remove) and a box to add.

The box completes from the library's tags; Enter adds what it holds (several tags at once,
separated by commas). The widget only says what the user asked for (:attr:`TagChips.added`,
:attr:`TagChips.removed`); the window makes the edit (undoable) and calls :meth:`set_tags`.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtWidgets import (
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QWidget,
)

from reader.ui.theme import make_quiet


class TagChips(QWidget):
    added = Signal(list)  # [name, …]
    removed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 2, 0, 2)
        self._layout.setSpacing(4)
        self.label = QLabel("Tags:", self)
        make_quiet(self.label)
        self._layout.addWidget(self.label)
        self.chips: list[QToolButton] = []
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("Add a tag…")
        self.edit.setAccessibleName("Add a tag to this document")
        self.edit.setToolTip("Type a tag and press Enter (commas separate several)")
        self.edit.setMaximumWidth(180)
        self.completions = QStringListModel(self)
        completer = QCompleter(self.completions, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.edit.setCompleter(completer)
        self.edit.returnPressed.connect(self._add)
        self._layout.addWidget(self.edit)
        self._layout.addStretch(1)

    def set_tags(self, tags: Sequence[str]) -> None:
        for chip in self.chips:
            self._layout.removeWidget(chip)
            chip.deleteLater()
        self.chips = []
        for n, name in enumerate(tags):
            chip = QToolButton(self)
            chip.setText(f"{name}  ✕")  # a QToolButton shows text as text, never markup
            chip.setObjectName("tagChip")
            chip.setToolTip("Remove this tag")
            chip.setAccessibleName(f"Remove tag {name}")
            chip.setAutoRaise(False)
            chip.setStyleSheet(
                "QToolButton#tagChip { border: 1px solid palette(mid); border-radius: 9px;"
                " padding: 1px 8px; background: palette(alternate-base); }"
            )
            chip.clicked.connect(lambda _c=False, t=name: self.removed.emit(t))
            self._layout.insertWidget(1 + n, chip)
            self.chips.append(chip)

    def set_completions(self, names: Sequence[str]) -> None:
        self.completions.setStringList(list(names))

    def tags(self) -> list[str]:
        return [c.text().rsplit("  ✕", 1)[0] for c in self.chips]

    def _add(self) -> None:
        names = [" ".join(n.split()) for n in self.edit.text().split(",")]
        names = [n for n in names if n]
        self.edit.clear()
        if names:
            self.added.emit(names)
