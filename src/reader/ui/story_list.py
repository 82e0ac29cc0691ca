"""The document list grouped by story (View › Group by Story).

:class:`StoryListModel` arranges the matches of the flat
:class:`~reader.ui.models.DocumentListModel` by story: the flat model asks its query thread for
the ids gathered into stories as well (:func:`reader.stories.queries.group_by_story`), and keeps
the filter, the sort order, the counts and "the newest question wins". Grouping changes how the
matches are arranged, never which documents match.

* A story is one row: the title of its first report in bold with "N reports" at the right, its
  dates in the Date column and its outlets in the Source column. Expanded, it shows **all** its
  reports beneath it in story order (by date), each marked with how it joined (first report,
  near-duplicate, same event). A story shows when any of its reports passes the filter; the
  reports that do not are dimmed, so "3 reports" always means three and the reader still sees
  which one matched. Selecting the story row reads its lead report (its first report, or the
  one that matched: :class:`~reader.stories.queries.StoryGroup`).
* A document in no story is a row of its own, where the list's order puts it. Not a "Not in a
  story" section: most pages are in no story, and a section would put them one click away and
  split the list's order (by date, say) in two.

**A tree drawn in a table.** The model is a table whose rows are the top-level rows plus the
reports of the expanded stories (a story's row is its id negated, a document's row its id), and
the view is the list's own ``QTableView``: the first column's delegate draws the disclosure
arrow and the indent, and :class:`StoryNavigation` gives it a tree's keys (Right/+ expands,
Left/- collapses or goes up to the story) and clicks. A ``QTreeView`` lays out every top-level
row again after each change, calling the Python model twice per row: 0.8 s for 100,000 rows on
each search keystroke. A table costs what is on screen, like the flat list (Thunderbird's
threaded message list is built the same way). Expanded stories are the model's state, so they
survive a new search, sort or import.

Rows are built a page at a time when the view asks for them (titles, outlets and counts of the
rows in view and their stories: two or three queries) into a bounded cache, as the flat list
does.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, QRect, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPalette,
)
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOption,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from reader.library.errors import LibraryError
from reader.library.records import DocumentFilter, DocumentSummary
from reader.stories.queries import GroupedDocuments, Story, StoryGroup, StoryMember, stories_by_id
from reader.ui.models import (
    DOCUMENT_COLUMNS,
    DocumentListModel,
    IdRole,
    IdRowsModel,
    Index,
    cells,
    summary_tooltip,
    tooltip,
)
from reader.ui.theme import colors

#: The story id of a story row (None on a document row).
StoryRole = Qt.ItemDataRole.UserRole + 20
#: Short secondary text painted at the right of the title cell: "3 reports", "same event".
BadgeRole = Qt.ItemDataRole.UserRole + 21
#: The badge when the cell is too narrow for it: a story's count of reports alone.
ShortBadgeRole = Qt.ItemDataRole.UserRole + 24
#: 0 for a top-level row, 1 for a report under its story.
DepthRole = Qt.ItemDataRole.UserRole + 22
#: On a story row: whether its reports are shown (None on a document row).
ExpandedRole = Qt.ItemDataRole.UserRole + 23

LINK_BADGE = {
    "first": "first report",
    "near-duplicate": "near-duplicate",
    "same-event": "same event",
}

# data() runs for every painted cell: plain ints compare fastest.
_DISPLAY = Qt.ItemDataRole.DisplayRole.value
_TOOLTIP = Qt.ItemDataRole.ToolTipRole.value
_ALIGN = Qt.ItemDataRole.TextAlignmentRole.value
_FOREGROUND = Qt.ItemDataRole.ForegroundRole.value
_FONT = Qt.ItemDataRole.FontRole.value
_ACCESSIBLE = Qt.ItemDataRole.AccessibleTextRole.value
_ID = int(IdRole)
_STORY = int(StoryRole)
_BADGE = int(BadgeRole)
_DEPTH = int(DepthRole)
_EXPANDED = int(ExpandedRole)
_SHORT_BADGE = int(ShortBadgeRole)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
_COLUMNS = len(DOCUMENT_COLUMNS)
_NUMERIC = tuple(c.numeric for c in DOCUMENT_COLUMNS)


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def date_range(first: str | None, last: str | None) -> str:
    """"2024-05-14", or "2024-05-14 – 2024-05-16"; "" when undated."""
    if not first:
        return ""
    return first if not last or first == last else f"{first} – {last}"


def short_range(first: str | None, last: str | None) -> str:
    """The range in a Date column's width: "2024-05-14–16", "2024-05-14–06-20", or both
    dates in full across years (ISO dates; anything else is shown whole)."""
    if not first or not last or first == last:
        return first or ""
    if len(first) == len(last) == 10 and first[:4] == last[:4]:
        return f"{first}–{last[8:] if first[:7] == last[:7] else last[5:]}"
    return f"{first}–{last}"


def outlets(story: Story) -> list[str]:
    """The story's outlets (each report's source, else its dateline), once each, in order."""
    seen: dict[str, None] = {}
    for m in story.members:
        name = m.source or m.dateline
        if name:
            seen.setdefault(name, None)
    return list(seen)


def story_line(story: Story) -> str:
    """What a story row says: "3 reports · outlets Reuters, PORT CALLAN · dates d1 – d2"."""
    parts = [_plural(len(story.members), "report")]
    names = outlets(story)
    if names:
        parts.append(("outlet " if len(names) == 1 else "outlets ") + ", ".join(names))
    dates = date_range(story.first_date, story.last_date)
    if dates:
        parts.append(("date " if story.first_date == story.last_date else "dates ") + dates)
    return " · ".join(parts)


@dataclass(frozen=True)
class _Row:
    """One row as shown, built once per page fetch and read by every paint."""

    cells: tuple[str, ...]
    tips: tuple[str, ...]  # one per column, already made safe by tooltip()
    accessible: str
    badge: str = ""
    bold: bool = False
    dim: bool = False


_MISSING = _Row(("",) * _COLUMNS, ("",) * _COLUMNS, "")


class StoryListModel(IdRowsModel):
    """The list's matches with each story's reports gathered under one row (module notes).

    Rows are keys: ``-story_id`` for a story's row, a document id for a document's (in no
    story, or under its expanded story).
    """

    PAGE = 100  # rows built per fetch
    CACHE_LIMIT = 4000  # rows kept

    libraryError = Signal(object)
    #: A story was expanded or collapsed (story id, expanded).
    expandedChanged = Signal(int, bool)

    def __init__(self, source: DocumentListModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source = source
        self._lib = source.library
        self._groups = GroupedDocuments()
        self._expanded: set[int] = set()
        self._rows: OrderedDict[int, _Row] = OrderedDict()
        self._bold = QFont()
        self._bold.setBold(True)
        source.groupsChanged.connect(self._groups_changed)
        if source.groups is not None:
            self._groups_changed()

    # ---------------------------------------------------------------------------- state

    @property
    def source(self) -> DocumentListModel:
        return self._source

    @property
    def groups(self) -> GroupedDocuments:
        return self._groups

    def clear(self) -> None:
        """Forget the rows (grouping was turned off): nothing is kept for a hidden list."""
        self.beginResetModel()
        self._groups = GroupedDocuments()
        self._ids = []
        self._rows.clear()
        self.endResetModel()

    def _groups_changed(self) -> None:
        new = self._source.groups
        if new is not None:
            self._groups = new
            self._rows.clear()  # titles and counts may have changed
            self._show(self._keys(), replace=self._source.last_change in ("load", "filter"))

    def _keys(self) -> list[int]:
        """The rows: every story collapsed (made on the query thread), with the reports of the
        expanded ones spliced in after their stories' rows."""
        groups = self._groups
        keys = groups.keys
        rows = sorted(
            row for row in map(groups.row_of_story, self._expanded) if row is not None
        )
        if not rows:
            return list(keys)
        out: list[int] = []
        at = 0
        for row in rows:
            out.extend(keys[at : row + 1])
            out.extend(groups.group(-keys[row]).documents)  # type: ignore[union-attr]
            at = row + 1
        out.extend(keys[at:])
        return out

    # --------------------------------------------------------------------- expanding

    def is_expanded(self, story_id: int) -> bool:
        return story_id in self._expanded

    def set_expanded(self, story_id: int, expanded: bool) -> None:
        """Show or hide a story's reports under its row."""
        group = self._groups.group(story_id)
        if group is None:
            return
        if expanded == (story_id in self._expanded):
            return
        row = self._ids.index(-story_id)
        n = len(group.documents)
        if expanded:
            self._expanded.add(story_id)
            self.beginInsertRows(QModelIndex(), row + 1, row + n)
            self._ids = self._ids[: row + 1] + list(group.documents) + self._ids[row + 1 :]
            self.endInsertRows()
        else:
            self._expanded.discard(story_id)
            self.beginRemoveRows(QModelIndex(), row + 1, row + n)
            self._ids = self._ids[: row + 1] + self._ids[row + 1 + n :]
            self.endRemoveRows()
        self.dataChanged.emit(self.index(row, 0), self.index(row, _COLUMNS - 1))
        self.expandedChanged.emit(story_id, expanded)

    def toggle(self, row: int) -> None:
        group = self.group_at(row)
        if group is not None:
            self.set_expanded(group.story_id, group.story_id not in self._expanded)

    # ---------------------------------------------------------------------------- access

    def group_at(self, row: int) -> StoryGroup | None:
        """The story of a story row (None on a document row)."""
        key = self._ids[row]
        return self._groups.group(-key) if key < 0 else None

    def story_row_of(self, row: int) -> int | None:
        """The row of the story a report row is under (None for a top-level row)."""
        key = self._ids[row]
        story_id = self._groups.story_id_of(key) if key > 0 else None
        return None if story_id is None else self._ids.index(-story_id)

    def depth(self, row: int) -> int:
        key = self._ids[row]
        return 1 if key > 0 and self._groups.story_id_of(key) is not None else 0

    def id_at(self, row: int) -> int:
        """The document a row stands for: its own, or a story row's lead report."""
        key = self._ids[row]
        if key > 0:
            return key
        group = self._groups.group(-key)
        return group.lead if group is not None else 0

    def documents_at(self, row: int) -> tuple[int, ...]:
        """The documents of a row: a story row's are all its reports."""
        group = self.group_at(row)
        return group.documents if group is not None else (self._ids[row],)

    def row_of(self, doc_id: int) -> int | None:
        """The row of ``doc_id`` as shown now (None when hidden or in a collapsed story)."""
        return super().row_of(doc_id) if doc_id > 0 else None

    def row_of_story(self, story_id: int) -> int | None:
        return super().row_of(-story_id)

    def reveal(self, doc_id: int) -> int | None:
        """The row to select for ``doc_id``: the row of its story when it leads that collapsed
        story, else its own (expanding its story); None when the filter hides it."""
        story_id = self._groups.story_id_of(doc_id)
        if story_id is not None and story_id not in self._expanded:
            group = self._groups.group(story_id)
            if group is not None and group.lead == doc_id:
                return self.row_of_story(story_id)
            self.set_expanded(story_id, True)
        return self.row_of(doc_id)

    # ------------------------------------------------------------------------ fetching

    def _row(self, row: int) -> _Row:
        key = self._ids[row]
        found = self._rows.get(key)
        if found is not None:
            self._rows.move_to_end(key)
            return found
        self._fetch(row)
        return self._rows.setdefault(key, _MISSING)  # a row that vanished is not asked again

    def _fetch(self, row: int) -> None:
        """Build the rows of the page holding ``row``."""
        start = row - row % self.PAGE
        keys = [k for k in self._ids[start : start + self.PAGE] if k not in self._rows]
        groups = self._groups
        story_ids: dict[int, None] = {}
        doc_ids: list[int] = []
        for key in keys:
            story_id = -key if key < 0 else groups.story_id_of(key)
            if story_id is not None:
                story_ids.setdefault(story_id, None)
            if key > 0:
                doc_ids.append(key)
            else:
                group = groups.group(-key)
                if group is not None:
                    doc_ids.append(group.lead)  # its title, should the story be gone
        try:
            found = {s.id: s for s in stories_by_id(self._lib, list(story_ids))}
            summaries = {s.id: s for s in self._lib.summaries(doc_ids)}
        except LibraryError as error:
            self.libraryError.emit(error)
            return
        filtered = self._source.filter != DocumentFilter()
        for key in keys:
            if key < 0:
                group = groups.group(-key)
                if group is not None:
                    self._rows[key] = self._story_row(group, found.get(-key), summaries)
                continue
            story_id = groups.story_id_of(key)
            if story_id is None:
                if key in summaries:
                    self._rows[key] = self._document_row(summaries[key])
                continue
            group = groups.group(story_id)
            story = found.get(story_id)
            members = story.members if story is not None else ()
            member = next((m for m in members if m.document_id == key), None)
            dim = filtered and group is not None and key not in group.matching
            self._rows[key] = self._member_row(summaries.get(key), member, dim)
        while len(self._rows) > self.CACHE_LIMIT:
            self._rows.popitem(last=False)

    @staticmethod
    def _document_row(s: DocumentSummary) -> _Row:
        tips = tuple(tooltip(summary_tooltip(s, c.key)) for c in DOCUMENT_COLUMNS)
        meta = ", ".join(x for x in (s.date, s.source) if x)
        return _Row(cells(s), tips, f"{s.title}, {meta}" if meta else s.title)

    @staticmethod
    def _story_row(
        group: StoryGroup, story: Story | None, summaries: dict[int, DocumentSummary]
    ) -> _Row:
        n = len(group.documents)
        if story is None:  # regrouped since the list was asked: say what is known
            lead = summaries.get(group.lead)
            title = lead.title if lead else f"Story {group.story_id}"
            line, dates, names = _plural(n, "report"), "", ""
        else:
            title, line = story.title, story_line(story)
            dates = short_range(story.first_date, story.last_date)
            names = ", ".join(outlets(story))
        lines = [title, line]
        if len(group.matching) < n:
            lines.append(f"{len(group.matching):,} of them match the search and filters")
        lines.append("Selecting the story reads its first report; Right shows every report.")
        tip = tooltip("\n".join(lines))
        return _Row(
            (title, dates, names, "", ""),
            (tip,) * _COLUMNS,
            f"Story: {title}. {line}",
            badge=_plural(n, "report"),
            bold=True,
        )

    @staticmethod
    def _member_row(s: DocumentSummary | None, m: StoryMember | None, dim: bool) -> _Row:
        if s is None:
            return _MISSING
        date = (m.date if m is not None else None) or s.date
        source = s.source or s.dateline
        link = LINK_BADGE.get(m.link, m.link) if m is not None else ""
        lines = [s.title, " · ".join(x for x in (date, source, link) if x)]
        if m is not None and m.date_from == "path":
            lines.append("(date from the folder or file name)")
        if dim:
            lines.append("This report does not match the search and filters itself.")
        tip = tooltip("\n".join(lines))
        row = cells(s)
        tips = tuple(
            tooltip(summary_tooltip(s, c.key)) if c.numeric else tip for c in DOCUMENT_COLUMNS
        )
        said = ", ".join(x for x in (s.title, link, date, source) if x)
        return _Row(
            (s.title, date or "", source or "", row[3], row[4]), tips, said, badge=link, dim=dim
        )

    # ---------------------------------------------------------------- QAbstractTableModel

    def flags(self, index: Index) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting is the flat list's (in SQL); its answer rearranges these rows."""
        self._source.sort(column, order)

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        row = index.row()
        if not 0 <= row < len(self._ids):  # an invalid index has row -1
            return None
        col = index.column()
        if role == _DISPLAY:
            return self._row(row).cells[col]
        if role == _ALIGN:
            return _RIGHT if _NUMERIC[col] else _LEFT
        if role == _FONT:
            return self._bold if col == 0 and self._row(row).bold else None
        if role == _FOREGROUND:
            return colors().quiet if self._row(row).dim else None
        if role == _BADGE:
            return (self._row(row).badge or None) if col == 0 else None
        if role == _SHORT_BADGE:
            group = self.group_at(row) if col == 0 else None
            return f"{len(group.documents):,}" if group is not None else None
        if role == _DEPTH:
            return self.depth(row)
        if role == _EXPANDED:
            key = self._ids[row]
            return (-key in self._expanded) if key < 0 else None
        if role == _TOOLTIP:
            return self._row(row).tips[col] or None
        if role == _ACCESSIBLE:
            if col != 0:
                return None
            key = self._ids[row]
            said = self._row(row).accessible
            if key < 0:
                return ("Expanded " if -key in self._expanded else "Collapsed ") + said
            return said
        if role == _ID:
            return self.id_at(row)
        if role == _STORY:
            key = self._ids[row]
            return -key if key < 0 else None
        return None


class StoryDelegate(QStyledItemDelegate):
    """The first column of the grouped list: the indent, a story's disclosure arrow, the title
    (bold for a story) and, at the right in the quiet colour, its badge ("3 reports", "same
    event"). The badge keeps its room; the title is elided first."""

    GAP = 12
    PILL = 10  # the short badge's pill: padding around the count
    #: The title keeps at least this share of the cell (up to TITLE_MIN px) before a badge.
    TITLE_SHARE, TITLE_MIN = 0.6, 160

    def indent(self, option: QStyleOptionViewItem | None = None) -> int:
        """The width of one level (the arrow's column)."""
        metrics = option.fontMetrics if option is not None else QFontMetrics(QFont())  # type: ignore[attr-defined]
        return max(16, metrics.height() + 4)

    def arrow_rect(self, cell: QRect, depth: int, option: QStyleOptionViewItem) -> QRect:
        step = self.indent(option)
        return QRect(cell.left() + depth * step, cell.top(), step, cell.height())

    def _badge(
        self, index: Index, width: int, depth: int, opt: QStyleOptionViewItem
    ) -> tuple[str, bool]:
        """The badge that leaves the title its room, and whether it is the short one: the full
        one, a story's count alone (drawn as a pill), or none. The reports of a story show
        theirs all or none (as if each were as wide as the longest)."""
        small = QFont(opt.font)  # type: ignore[attr-defined]
        small.setBold(False)
        metrics = QFontMetrics(small)
        keep = min(self.TITLE_MIN, width * self.TITLE_SHARE)
        full = index.data(BadgeRole)
        if full:
            need = metrics.horizontalAdvance(full)
            if depth:
                need = max(need, *(metrics.horizontalAdvance(b) for b in LINK_BADGE.values()))
            if width - need - self.GAP >= keep:
                return full, False
        short = index.data(ShortBadgeRole)
        if short and width - metrics.horizontalAdvance(short) - self.GAP - self.PILL >= keep:
            return short, True
        return "", False

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget: QWidget | None = opt.widget  # type: ignore[attr-defined]
        style = widget.style() if widget is not None else QApplication.style()
        text: str = opt.text  # type: ignore[attr-defined]
        opt.text = ""  # type: ignore[attr-defined]
        # the background, selection and focus as usual, without the text
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        cell: QRect = opt.rect  # type: ignore[attr-defined]
        depth = int(index.data(DepthRole) or 0)
        expanded = index.data(ExpandedRole)
        step = self.indent(opt)
        state = opt.state  # type: ignore[attr-defined]
        if expanded is not None:
            arrow = QStyleOption()
            arrow.rect = self.arrow_rect(cell, depth, opt)  # type: ignore[attr-defined]
            arrow.palette = opt.palette  # type: ignore[attr-defined]
            arrow.state = (  # type: ignore[attr-defined]
                QStyle.StateFlag.State_Children
                | (state & QStyle.StateFlag.State_Enabled)
                | (QStyle.StateFlag.State_Open if expanded else QStyle.StateFlag.State_None)
            )
            style.drawPrimitive(QStyle.PrimitiveElement.PE_IndicatorBranch, arrow, painter, widget)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) + 1
        rect = cell.adjusted((depth + 1) * step, 0, -margin, 0)
        selected = bool(state & QStyle.StateFlag.State_Selected)
        group = (
            QPalette.ColorGroup.Normal
            if state & QStyle.StateFlag.State_Active
            else QPalette.ColorGroup.Inactive
        )
        pal: QPalette = opt.palette  # type: ignore[attr-defined]
        text_color = pal.color(
            group, QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        painter.save()
        title_rect = QRect(rect)
        badge, pill = self._badge(index, rect.width(), depth, opt)
        if badge:
            small = QFont(opt.font)  # type: ignore[attr-defined]
            small.setBold(False)
            metrics = QFontMetrics(small)
            badge_w = metrics.horizontalAdvance(badge) + (self.PILL if pill else 0)
            title_rect.setRight(rect.right() - badge_w - self.GAP)
            box = QRect(rect.right() - badge_w + 1, rect.top(), badge_w, rect.height())
            quiet = colors(pal).quiet
            if pill:  # a count in a pill, as mail clients show a thread's size
                h = metrics.height() + 2
                box = QRect(box.left(), box.center().y() - h // 2 + 1, badge_w, h)
                fill = QColor(text_color if selected else quiet)
                fill.setAlpha(50)
                painter.setRenderHint(QPainter.RenderHint.Antialiasing)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(fill)
                painter.drawRoundedRect(box, h / 2, h / 2)
            painter.setFont(small)
            painter.setPen(text_color if selected or pill else quiet)
            align = Qt.AlignmentFlag.AlignCenter if pill else Qt.AlignmentFlag.AlignRight
            painter.drawText(box, int(align | Qt.AlignmentFlag.AlignVCenter), badge)
        painter.setFont(opt.font)  # type: ignore[attr-defined]
        painter.setPen(text_color)
        metrics = QFontMetrics(opt.font)  # type: ignore[attr-defined]
        painter.drawText(
            title_rect,
            _LEFT,
            metrics.elidedText(text, Qt.TextElideMode.ElideRight, max(0, title_rect.width())),
        )
        painter.restore()


_CLICKS = (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick)


class StoryNavigation(QObject):
    """A tree's keys and clicks for the grouped list's table (installed while grouped).

    Right or + expands a story, or goes to its first report when it is expanded; Left or -
    collapses it, or goes from a report up to its story. A click on the arrow toggles the story
    without selecting it; a double-click on a story row toggles it too.
    """

    def __init__(self, view: QTableView, model: StoryListModel, delegate: StoryDelegate) -> None:
        super().__init__(view)
        self.view = view
        self.viewport = view.viewport()  # kept: asking a view being destroyed for it fails
        self.model = model
        self.delegate = delegate

    def install(self) -> None:
        self.view.installEventFilter(self)
        self.viewport.installEventFilter(self)

    def remove(self) -> None:
        self.view.removeEventFilter(self)
        self.viewport.removeEventFilter(self)

    def _go(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)

    def key(self, event: QKeyEvent) -> bool:
        """Handle a tree key on the current row; False for any other key."""
        key = event.key()
        held = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Minus):
            held &= ~Qt.KeyboardModifier.ShiftModifier  # "+" is Shift+= on many keyboards
        elif key not in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            return False
        current = self.view.currentIndex()
        if held or not current.isValid():
            return False
        row = current.row()
        group = self.model.group_at(row)
        if group is not None:  # a story's row
            expanded = self.model.is_expanded(group.story_id)
            if key in (Qt.Key.Key_Right, Qt.Key.Key_Plus):
                if not expanded:
                    self.model.set_expanded(group.story_id, True)
                elif key == Qt.Key.Key_Right:
                    self._go(row + 1)  # its first report
            else:
                self.model.set_expanded(group.story_id, False)
            return True
        parent = self.model.story_row_of(row)
        if parent is not None and key in (Qt.Key.Key_Left, Qt.Key.Key_Minus):
            story_id = -self.model.ids()[parent]
            self._go(parent)  # up to the story (the cursor leaves the rows that go)
            if key == Qt.Key.Key_Minus:
                self.model.set_expanded(story_id, False)
        return True

    def _on_arrow(self, event: QMouseEvent) -> int | None:
        """The row whose arrow is under the mouse, if any."""
        pos = event.position().toPoint()
        index = self.view.indexAt(pos)
        if not index.isValid() or index.column() != 0:
            return None
        if self.model.group_at(index.row()) is None:
            return None
        option = QStyleOptionViewItem()
        option.initFrom(self.view)
        rect = self.delegate.arrow_rect(self.view.visualRect(index), 0, option)
        return index.row() if rect.contains(pos) else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.KeyPress and watched is self.view:
            return self.key(event)  # type: ignore[arg-type]
        if kind in _CLICKS and watched is self.viewport and isinstance(event, QMouseEvent):
            if event.button() != Qt.MouseButton.LeftButton:
                return False
            if kind == QEvent.Type.MouseButtonPress:
                row = self._on_arrow(event)
                if row is not None:
                    self.model.toggle(row)
                    return True
            elif kind == QEvent.Type.MouseButtonDblClick:
                index = self.view.indexAt(event.position().toPoint())
                if index.isValid() and self.model.group_at(index.row()) is not None:
                    self.model.toggle(index.row())
                    return True
        return False
