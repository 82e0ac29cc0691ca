"""A "Sort … By" menu for a table view, so sorting works from the keyboard as well as the header.

The menu and the header's sort indicator stay in step: choosing an entry sets the indicator
(which sorts the model), clicking a header checks the matching entry.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QTableView, QWidget


class SortMenu(QMenu):
    def __init__(
        self,
        title: str,
        view: QTableView,
        labels: Sequence[str],
        natural: str,
        parent: QWidget | None = None,
    ) -> None:
        """``labels`` name the columns in order; ``natural`` names the unsorted order."""
        super().__init__(title, parent)
        self._header = view.horizontalHeader()
        group = QActionGroup(self)
        self.by_column: dict[int, QAction] = {}
        for column, label in [(-1, natural), *enumerate(labels)]:
            action = self.addAction(label)
            action.setCheckable(True)
            group.addAction(action)
            action.triggered.connect(lambda _checked=False, c=column: self._sort(c))
            self.by_column[column] = action
        self.addSeparator()
        self.descending = self.addAction("&Descending")
        self.descending.setCheckable(True)
        self.descending.triggered.connect(lambda _checked=False: self._sort(self._column()))
        self._header.sortIndicatorChanged.connect(self._sync)
        self._sync(self._header.sortIndicatorSection(), self._header.sortIndicatorOrder())

    def _column(self) -> int:
        return next((c for c, a in self.by_column.items() if a.isChecked()), -1)

    def _sort(self, column: int) -> None:
        descending = self.descending.isChecked() and column >= 0
        order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        self._header.setSortIndicator(column, order)

    def _sync(self, column: int, order: Qt.SortOrder) -> None:
        column = column if column in self.by_column else -1
        self.by_column[column].setChecked(True)
        self.descending.setEnabled(column >= 0)
        self.descending.setChecked(column >= 0 and order == Qt.SortOrder.DescendingOrder)
