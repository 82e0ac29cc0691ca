"""Table models over the library: the document list and a document's ticker rows.

:class:`DocumentListModel` holds only the ids of the documents that pass the current filter, in
the current order (one SQL query: filtering and sorting happen in the library), and fetches the
rows' summaries a page at a time, when a view asks for them, into a bounded cache (after Anki's
card browser). A 100,000-document library costs a list of ints, not 100,000 rows of text.
While the list is grouped by story (:mod:`reader.ui.story_list`), each answer also carries the
ids gathered into stories, computed on the same query thread.

:class:`TickerModel` holds one document's ticker rows, stocks and indices in two groups, each
group headed by a row that names it.
"""

from __future__ import annotations

import html
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont

from reader.ingest.page import TickerRow
from reader.library.errors import LibraryError
from reader.library.library import Library
from reader.library.records import DocumentFilter, DocumentSummary
from reader.stories.queries import GroupedDocuments, group_by_story
from reader.ui.theme import colors

Index = QModelIndex | QPersistentModelIndex
IdRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2
SymbolRole = Qt.ItemDataRole.UserRole + 3

# data() runs thousands of times a second while painting: plain ints compare fastest.
_DISPLAY = Qt.ItemDataRole.DisplayRole.value
_TOOLTIP = Qt.ItemDataRole.ToolTipRole.value
_ALIGN = Qt.ItemDataRole.TextAlignmentRole.value
_FOREGROUND = Qt.ItemDataRole.ForegroundRole.value
_FONT = Qt.ItemDataRole.FontRole.value
_ACCESSIBLE = Qt.ItemDataRole.AccessibleTextRole.value
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_ROW_FLAGS = (
    Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
)


@dataclass(frozen=True)
class Column:
    key: str  # the library's sort key (Library.ORDERS)
    title: str
    tooltip: str
    numeric: bool = False


DOCUMENT_COLUMNS = (
    Column("title", "Title", "The page's headline, or its first sentence"),
    Column("date", "Date", "The date the page gives (none is invented)"),
    Column("source", "Source", "The news agency the page credits"),
    Column("tickers", "Tickers", "Number of market ticker rows on the page", numeric=True),
    Column(
        "annotations",
        "✎",
        "Annotations: the number of highlights and entity mentions",
        numeric=True,
    ),
)


@dataclass(frozen=True)
class Query:
    """What the list asks the library: the ids passing a filter, in an order."""

    generation: int
    filter: DocumentFilter
    order: str
    descending: bool
    kind: str = "refresh"  # "load" and "filter" answers replace the rows; others move them
    grouped: bool = False  # also gather the ids into stories (the list grouped by story)


@dataclass(frozen=True)
class Answer:
    query: Query
    ids: list[int]
    total: int  # documents in the library, whatever the filter
    error: LibraryError | None = None
    groups: GroupedDocuments | None = None  # when the query asked for them


def answer(library: Library, query: Query) -> Answer:
    """Run ``query`` on ``library`` (on whichever thread owns that Library)."""
    try:
        ids = library.document_ids(query.filter, order=query.order, descending=query.descending)
        total = len(ids) if query.filter == DocumentFilter() else library.count_documents()
        groups = group_by_story(library, ids) if query.grouped else None
    except LibraryError as error:
        return Answer(query, [], 0, error)
    return Answer(query, ids, total, groups=groups)


class DocumentQueries(QObject):
    """Answers the list's queries at once, on the calling thread.

    :class:`reader.ui.workers.BackgroundQueries` answers the same on a thread of its own, so a
    slow query (a common word in a 100,000-document library) never stalls the window.
    """

    answered = Signal(object)  # Answer

    def __init__(self, library: Library, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lib = library

    def ask(self, query: Query) -> None:
        self.answered.emit(answer(self._lib, query))

    def close(self) -> None:
        """Stop answering (the window is closing)."""


class IdRowsModel(QAbstractTableModel):
    """A table of :data:`DOCUMENT_COLUMNS` whose rows are ints (ids), in a list that an answer
    replaces: :meth:`_show` goes from the rows shown to the new list with the fewest signals,
    so the views' selection and current row stay on the same ids."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._ids: list[int] = []  # replaced, never changed in place (threads read it)

    def row_of(self, doc_id: int) -> int | None:
        """The row showing ``doc_id``, or None when the filter hides it."""
        try:
            return self._ids.index(doc_id)
        except ValueError:
            return None

    def id_at(self, row: int) -> int:
        return self._ids[row]

    def ids(self) -> Sequence[int]:
        return self._ids

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(DOCUMENT_COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(DOCUMENT_COLUMNS):
            return None
        column = DOCUMENT_COLUMNS[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tooltip
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return column.key.title()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column.numeric else _LEFT
        return None

    def _show(self, new: list[int], *, replace: bool) -> None:
        """Go from the rows shown to ``new``. A new filter replaces the rows (a reset: the list
        pane selects the document being read again); a refresh or a sort moves them with the
        fewest signals, keeping the views' selection and current row on their documents."""
        old = self._ids
        if new[: len(old)] == old:  # the usual case while importing: rows added at the end
            if len(new) > len(old):
                self.beginInsertRows(QModelIndex(), len(old), len(new) - 1)
                self._ids = new
                self.endInsertRows()
        elif replace or not self.persistentIndexList():
            self.beginResetModel()
            self._ids = new
            self.endResetModel()
        else:
            new_set, old_set = set(new), set(old)
            kept = [i for i in new if i in old_set]
            gone = [i for i in old if i not in new_set]
            if gone:  # move what goes to the end (same rows, new order), then cut it off
                self._relayout(kept + gone)
                self.beginRemoveRows(QModelIndex(), len(kept), len(old) - 1)
                self._ids = kept
                self.endRemoveRows()
            elif kept != old:
                self._relayout(kept)
            if len(new) > len(kept):
                self.beginInsertRows(QModelIndex(), len(kept), len(new) - 1)
                kept_set = set(kept)
                self._ids = kept + [i for i in new if i not in kept_set]
                self.endInsertRows()
            if self._ids != new:
                self._relayout(new)
        if self._ids:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._ids) - 1, len(DOCUMENT_COLUMNS) - 1)
            )

    def _relayout(self, ids: list[int]) -> None:
        """Put the same ids in a new order, moving persistent indexes with their documents."""
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        held = [self._ids[i.row()] for i in before]
        self._ids = ids
        if len(held) > 16:
            rows = {doc_id: row for row, doc_id in enumerate(ids)}
            after = [self.index(rows[d], i.column()) for d, i in zip(held, before, strict=True)]
        else:
            after = [
                self.index(ids.index(d), i.column()) for d, i in zip(held, before, strict=True)
            ]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()


class DocumentListModel(IdRowsModel):
    """The documents that pass a :class:`DocumentFilter`, sorted in SQL, fetched lazily.

    Sorting by a column uses the library's order for it; ``sort(-1)`` (no column) is the
    default order: relevance while searching, import order otherwise.

    Rows (at first, and after a filter, sort or refresh) are asked of ``queries`` and applied
    when the answer comes (``updated``): only the newest question counts. Applying an answer
    keeps the views' selection on the same documents.
    """

    PAGE = 100  # summaries fetched per query
    CACHE_LIMIT = 4000  # summaries kept

    #: (documents matching, documents in the library), after every change.
    countsChanged = Signal(int, int)
    #: While grouped: :attr:`groups` answers the newest question (before ``updated``).
    groupsChanged = Signal()
    #: The rows now answer the newest filter, order and library state.
    updated = Signal()
    #: A LibraryError met while reading (the window shows it once).
    libraryError = Signal(object)

    def __init__(
        self, library: Library, queries: DocumentQueries | None = None, parent: Any = None
    ) -> None:
        super().__init__(parent)
        self._lib = library
        self._queries = queries or DocumentQueries(library, self)
        self._queries.answered.connect(self._answered)
        self._filter = DocumentFilter()
        self._sort_column = -1
        self._descending = False
        # id -> (summary, the five cells as shown), least recently used first
        self._cache: OrderedDict[int, tuple[DocumentSummary, tuple[str, ...]]] = OrderedDict()
        self._total = 0
        self._generation = 0
        self._applied = 0
        self._grouped = False
        self._groups: GroupedDocuments | None = None
        self.last_change = "load"  # the kind of the last question answered
        # The size of the library is known at once (an empty one shows the welcome); the
        # rows come with the first answer, so the window shows before 100,000 ids are read.
        try:
            self._total = library.count_documents()
        except LibraryError as error:
            self.libraryError.emit(error)
        self._ask("load")

    # --------------------------------------------------------------------------- querying

    @property
    def library(self) -> Library:
        return self._lib

    @property
    def filter(self) -> DocumentFilter:
        return self._filter

    @property
    def total(self) -> int:
        """Documents in the library, whatever the filter."""
        return self._total

    def is_pending(self) -> bool:
        """True while an asked change has not been applied yet."""
        return self._applied != self._generation

    @property
    def grouped(self) -> bool:
        return self._grouped

    @property
    def groups(self) -> GroupedDocuments | None:
        """The rows gathered into stories, while grouped (None before the first answer)."""
        return self._groups

    def set_grouped(self, grouped: bool) -> None:
        """Ask for the rows gathered into stories as well (or stop asking)."""
        if grouped == self._grouped:
            return
        self._grouped = grouped
        self._groups = None
        if grouped:
            self._ask("group")

    @property
    def sort_order(self) -> tuple[int, Qt.SortOrder]:
        """The column sorted by (-1: the default order) and its direction."""
        order = Qt.SortOrder.DescendingOrder if self._descending else Qt.SortOrder.AscendingOrder
        return self._sort_column, order

    def _query(self, kind: str = "refresh") -> Query:
        if self._sort_column >= 0:
            order, descending = DOCUMENT_COLUMNS[self._sort_column].key, self._descending
        else:
            order, descending = ("relevance" if self._filter.search else "id"), False
        return Query(self._generation, self._filter, order, descending, kind, self._grouped)

    def _ask(self, kind: str) -> None:
        self._generation += 1
        self._queries.ask(self._query(kind))

    def set_filter(self, flt: DocumentFilter) -> None:
        """Show the documents passing ``flt``."""
        if flt != self._filter:
            self._filter = flt
            self._ask("filter")

    def refresh(self) -> None:
        """Bring the rows up to date with the library (documents were added or changed)."""
        self._ask("refresh")

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        column = column if 0 <= column < len(DOCUMENT_COLUMNS) else -1
        descending = order == Qt.SortOrder.DescendingOrder and column >= 0
        if (column, descending) != (self._sort_column, self._descending):
            self._sort_column, self._descending = column, descending
            self._ask("sort")

    def _answered(self, reply: Answer) -> None:
        if reply.query.generation != self._generation:
            return  # a newer question is on its way
        self._applied = reply.query.generation
        self.last_change = reply.query.kind
        if reply.error is not None:
            self.libraryError.emit(reply.error)
        else:
            self._total = reply.total
            self._cache.clear()  # counts and titles may have changed
            self._groups = reply.groups if self._grouped else None
            self._show(reply.ids, replace=reply.query.kind in ("load", "filter"))
            if self._groups is not None:
                self.groupsChanged.emit()
        self.countsChanged.emit(len(self._ids), self._total)
        self.updated.emit()

    # ---------------------------------------------------------------------------- access

    def summary(self, row: int) -> DocumentSummary | None:
        """The summary shown in ``row``, fetched with its page when not cached."""
        entry = self._entry(row)
        return entry[0] if entry is not None else None

    def _entry(self, row: int) -> tuple[DocumentSummary, tuple[str, ...]] | None:
        doc_id = self._ids[row]
        found = self._cache.get(doc_id)
        if found is not None:
            self._cache.move_to_end(doc_id)
            return found
        start = row - row % self.PAGE
        wanted = [i for i in self._ids[start : start + self.PAGE] if i not in self._cache]
        try:
            fetched = self._lib.summaries(wanted)
        except LibraryError as error:
            self.libraryError.emit(error)
            return None
        for s in fetched:
            self._cache[s.id] = (s, cells(s))
        while len(self._cache) > self.CACHE_LIMIT:
            self._cache.popitem(last=False)
        return self._cache.get(doc_id)

    # ---------------------------------------------------------------- QAbstractTableModel

    def flags(self, index: Index) -> Qt.ItemFlag:
        return _ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        row = index.row()
        if not 0 <= row < len(self._ids):  # an invalid index has row -1
            return None
        if role == _DISPLAY:
            entry = self._entry(row)
            return entry[1][index.column()] if entry is not None else None
        if role == _ALIGN:
            return _RIGHT if DOCUMENT_COLUMNS[index.column()].numeric else _LEFT
        if role == IdRole:
            return self._ids[row]
        if role == _TOOLTIP:
            entry = self._entry(row)
            if entry is not None:
                return tooltip(summary_tooltip(entry[0], DOCUMENT_COLUMNS[index.column()].key))
        return None


def tooltip(text: str) -> str:
    """A tooltip that shows ``text`` as written. Qt guesses "rich text" from a leading tag and
    page titles are untrusted, so the text is escaped inside an explicit rich-text wrapper."""
    return "<qt>" + html.escape(text).replace("\n", "<br>") + "</qt>"


def _count(n: int) -> str:
    return f"{n:,}" if n else ""


def cells(s: DocumentSummary) -> tuple[str, ...]:
    """The row of the list as shown, in DOCUMENT_COLUMNS order."""
    return (s.title, s.date or "", s.source or "", _count(s.n_tickers), _count(s.n_annotations))


def summary_tooltip(s: DocumentSummary, key: str) -> str:
    if key == "tickers":
        return f"{s.n_tickers:,} ticker rows" if s.n_tickers else "No ticker rows"
    if key == "annotations":
        return f"{s.n_highlights:,} highlights, {s.n_entities:,} entity mentions"
    lines = [s.title]
    meta = " · ".join(x for x in (s.date, s.dateline, s.source) if x)
    if meta:
        lines.append(meta)
    if s.tags:
        lines.append("Tags: " + ", ".join(s.tags))
    lines.extend(s.paths[:3])
    if len(s.paths) > 3:
        lines.append(f"… and {len(s.paths) - 3} more files")
    return "\n".join(lines)


# ------------------------------------------------------------------------------ tickers

TICKER_COLUMNS = ("Symbol", "Price", "Change", "Change %", "Direction")
DIRECTION_TEXT = {"up": "▲ Up", "down": "▼ Down", "flat": "= Flat"}
GROUP_TITLES = {"stock": "Stocks", "index": "Indices"}
GROUP_ORDER = ("stock", "index")


def format_price(value: float) -> str:
    return f"{value:,.2f}"


def format_change(value: float) -> str:
    return f"{value:+,.2f}" if value else "0.00"


def format_percent(value: float) -> str:
    return f"{value:+,.2f}%" if value else "0.00%"


@dataclass(frozen=True)
class GroupHeader:
    kind: str
    count: int

    @property
    def title(self) -> str:
        return f"{GROUP_TITLES.get(self.kind, self.kind.title())} ({self.count})"


def _identity(row: TickerRow | GroupHeader) -> object:
    """What a row stays across a re-sort: its group, or the very ticker row."""
    return ("group", row.kind) if isinstance(row, GroupHeader) else id(row)


class TickerModel(QAbstractTableModel):
    """One document's ticker rows: a "Stocks" group then an "Indices" group.

    Each group starts with a header row (not selectable; a view spans it across the columns).
    Sorting orders the rows inside each group; ``sort(-1)`` restores the page's order.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[TickerRow | GroupHeader] = []
        self._tickers: tuple[TickerRow, ...] = ()
        self._page_order: dict[int, int] = {}
        self._cells: dict[int, tuple[str, ...]] = {}
        self._sort_column = -1
        self._descending = False

    def set_tickers(self, tickers: Sequence[TickerRow]) -> None:
        self.beginResetModel()
        self._tickers = tuple(tickers)
        self._page_order = {id(t): i for i, t in enumerate(self._tickers)}
        self._cells = {
            id(t): (
                t.symbol,
                format_price(t.price),
                format_change(t.change),
                format_percent(t.change_pct),
                DIRECTION_TEXT.get(t.direction, t.direction),
            )
            for t in self._tickers
        }
        self._rows = self._arrange()
        self.endResetModel()

    def tickers(self) -> tuple[TickerRow, ...]:
        return self._tickers

    def header_rows(self) -> list[int]:
        return [i for i, r in enumerate(self._rows) if isinstance(r, GroupHeader)]

    def ticker_at(self, row: int) -> TickerRow | None:
        item = self._rows[row] if 0 <= row < len(self._rows) else None
        return item if isinstance(item, TickerRow) else None

    def row_of_symbol(self, symbol: str) -> int | None:
        for i, r in enumerate(self._rows):
            if isinstance(r, TickerRow) and r.symbol == symbol:
                return i
        return None

    def _key(self, t: TickerRow) -> Any:
        c = self._sort_column
        if c == 0:
            return t.symbol.casefold()
        if c == 1:
            return t.price
        if c == 2:
            return t.change
        if c == 3:
            return t.change_pct
        if c == 4:
            return {"down": 0, "flat": 1, "up": 2}.get(t.direction, 1)
        return self._page_order[id(t)]

    def _arrange(self) -> list[TickerRow | GroupHeader]:
        rows: list[TickerRow | GroupHeader] = []
        kinds = [*GROUP_ORDER, *sorted({t.kind for t in self._tickers} - set(GROUP_ORDER))]
        for kind in kinds:
            group = [t for t in self._tickers if t.kind == kind]
            if not group:
                continue
            group.sort(key=lambda t: self._page_order[id(t)])  # ties keep the page's order
            if self._sort_column >= 0:
                group.sort(key=self._key, reverse=self._descending)
            rows.append(GroupHeader(kind, len(group)))
            rows.extend(group)
        return rows

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort_column = column if 0 <= column < len(TICKER_COLUMNS) else -1
        self._descending = order == Qt.SortOrder.DescendingOrder and self._sort_column >= 0
        self.layoutAboutToBeChanged.emit()
        old_rows = self._rows
        self._rows = self._arrange()
        where = {_identity(r): i for i, r in enumerate(self._rows)}
        before = self.persistentIndexList()
        after = [self.index(where[_identity(old_rows[i.row()])], i.column()) for i in before]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    # ---------------------------------------------------------------- QAbstractTableModel

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(TICKER_COLUMNS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if isinstance(self._rows[index.row()], GroupHeader):
            return Qt.ItemFlag.ItemNeverHasChildren  # not enabled: the cursor skips it
        return _ROW_FLAGS

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(TICKER_COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return TICKER_COLUMNS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _LEFT if section == 0 else _RIGHT
        return None

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        row = index.row()
        if not 0 <= row < len(self._rows):  # an invalid index has row -1
            return None
        item = self._rows[row]
        col = index.column()
        if isinstance(item, GroupHeader):
            if role == _DISPLAY:
                return item.title if col == 0 else None
            if role == _FONT:
                font = QFont()
                font.setBold(True)
                return font
            if role == _FOREGROUND:
                return colors().quiet
            return None
        if role == _DISPLAY:
            return self._cells[id(item)][col]
        if role == _ALIGN:
            return _LEFT if col == 0 else _RIGHT
        if role == _FOREGROUND:
            if col < 2:
                return None
            c = colors()
            return (
                c.up if item.direction == "up" else c.down if item.direction == "down" else c.flat
            )
        if role == SortRole:
            return (item.symbol, item.price, item.change, item.change_pct, item.direction)[col]
        if role == SymbolRole:
            return item.symbol
        if role == _TOOLTIP:
            return f"{item.line}\n({item.kind}, {item.direction})"
        if role == _ACCESSIBLE and col == 4:
            return item.direction
        return None
