"""A symbol's price over the dump's dates: the chart dialog and the ticker pane's sparklines.

Both are drawn with plain ``QPainter`` on ordinary widgets. Qt Charts would do it too, but it
ships in PySide6's *Addons* wheel; painting by hand keeps the app on the *Essentials* wheel
(``PySide6-Essentials``), a third of the download.

The data comes from :func:`reader.stories.markets.history` (no SQL here): one point per date and
quote, each with the pages behind it. Pages without any date cannot be placed and are counted.
The dialog reads it off the UI thread (:func:`load_history` in a
:class:`~reader.ui.workers.NewestJob`: a symbol carried by every page of a large library takes
a good part of a second), shows that it is busy meanwhile, and only the newest symbol chosen
is shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reader.library.errors import LibraryError, UsageError
from reader.library.library import Library
from reader.stories.markets import HistoryPoint, TickerHistory
from reader.stories.markets import history as ticker_history
from reader.ui.models import format_change, format_percent, format_price
from reader.ui.theme import colors, make_quiet
from reader.ui.workers import NewestJob

#: Above this many points the chart draws only the line (no dot per point).
DOTS_UP_TO = 150


def point_text(symbol: str, p: HistoryPoint) -> str:
    pages = len(p.documents)
    return (
        f"{symbol}  {p.date}\nPrice {format_price(p.price)}   Change {format_change(p.change)}"
        f" ({format_percent(p.change_pct)})\n{pages} page{'s' if pages != 1 else ''}"
        + ("" if p.date_from == "page" else "  (date from the folder or file name)")
    )


def _tooltip(text: str) -> str:
    import html

    return "<qt>" + html.escape(text).replace("\n", "<br>") + "</qt>"


@dataclass(frozen=True)
class HistoryAnswer:
    """What the dialog shows for one symbol, read in one go (on the job's thread)."""

    symbol: str
    history: TickerHistory | None
    titles: dict[int, tuple[str, str]] = field(default_factory=dict)  # id -> (title, outlet)
    error: str | None = None  # the symbol is not in the library (any more)


#: Pages whose titles are read for the table (the rest are listed by number).
MAX_TITLES = 5000


def load_history(lib: Library, symbol: str) -> HistoryAnswer:
    """A symbol's history and the titles of its pages. Runs on whichever thread owns ``lib``."""
    try:
        h = ticker_history(lib, symbol)
    except UsageError as error:  # the symbol left the library
        return HistoryAnswer(symbol, None, error=str(error))
    ids = sorted({d for p in h.points for d in p.documents})
    titles: dict[int, tuple[str, str]] = {}
    try:
        for s in lib.summaries(ids[:MAX_TITLES]):
            titles[s.id] = (s.title, s.source or s.dateline or "")
    except LibraryError:
        pass  # the chart is still worth showing; the pages are listed by number
    return HistoryAnswer(symbol, h, titles)


class HistoryChart(QWidget):
    """Price line over dates; hover shows a point, click or Return picks it.

    Left/Right move the current point with the keyboard; ``pointActivated`` is emitted on a
    click or Return, ``currentChanged`` whenever the current point changes.
    """

    currentChanged = Signal(int)
    pointActivated = Signal(int)

    MARGIN_L, MARGIN_R, MARGIN_T, MARGIN_B = 72, 48, 16, 36

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(360, 220)
        self.setAccessibleName("Price chart")
        self.symbol = ""
        self.points: tuple[HistoryPoint, ...] = ()
        self._days: list[int] = []
        self.current = -1
        self.hovered = -1

    def set_history(self, h: TickerHistory) -> None:
        self.symbol = h.symbol
        self.points = h.points
        self._days = [dt.date.fromisoformat(p.date).toordinal() for p in h.points]
        self.current = -1
        self.hovered = -1
        self.update()

    # geometry ---------------------------------------------------------------------------

    def plot_rect(self) -> QRectF:
        return QRectF(
            self.MARGIN_L,
            self.MARGIN_T,
            max(1, self.width() - self.MARGIN_L - self.MARGIN_R),
            max(1, self.height() - self.MARGIN_T - self.MARGIN_B),
        )

    def _ranges(self) -> tuple[int, int, float, float]:
        lo_d, hi_d = min(self._days), max(self._days)
        prices = [p.price for p in self.points]
        lo_p, hi_p = min(prices), max(prices)
        pad = (hi_p - lo_p) * 0.08 or max(abs(hi_p) * 0.02, 1.0)
        return lo_d, hi_d, lo_p - pad, hi_p + pad

    def point_pos(self, i: int) -> QPointF:
        r = self.plot_rect()
        lo_d, hi_d, lo_p, hi_p = self._ranges()
        x = (
            r.center().x()
            if hi_d == lo_d
            else r.left() + (self._days[i] - lo_d) / (hi_d - lo_d) * r.width()
        )
        y = r.bottom() - (self.points[i].price - lo_p) / (hi_p - lo_p) * r.height()
        return QPointF(x, y)

    def point_at(self, pos: QPointF, radius: float = 10.0) -> int:
        """The index of the point nearest ``pos`` within ``radius`` pixels (by x first), or -1."""
        if not self.points:
            return -1
        best, best_d = -1, radius * radius
        for i in range(len(self.points)):
            q = self.point_pos(i)
            d = (q.x() - pos.x()) ** 2 + min((q.y() - pos.y()) ** 2, radius * radius * 0.9)
            if d <= best_d:
                best, best_d = i, d
        return best

    # painting ---------------------------------------------------------------------------

    def paintEvent(self, _event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        p.fillRect(self.rect(), pal.color(QPalette.ColorRole.Base))
        text = pal.color(QPalette.ColorRole.Text)
        quiet = pal.color(QPalette.ColorRole.PlaceholderText)
        r = self.plot_rect()
        if not self.points:
            p.setPen(quiet)
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No dated quotes to chart.")
            return
        lo_d, hi_d, lo_p, hi_p = self._ranges()
        fm = self.fontMetrics()
        # grid and price labels
        grid = QColor(quiet)
        grid.setAlpha(60)
        for k in range(5):
            price = lo_p + (hi_p - lo_p) * k / 4
            y = r.bottom() - r.height() * k / 4
            p.setPen(QPen(grid, 1))
            p.drawLine(QPointF(r.left(), y), QPointF(r.right(), y))
            p.setPen(quiet)
            label = format_price(price)
            p.drawText(
                QRectF(0, y - fm.height() / 2, self.MARGIN_L - 8, fm.height()),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                label,
            )
        # date labels: first, last and a few between, never overlapping
        p.setPen(quiet)
        label_w = fm.horizontalAdvance("2000-00-00") + 16
        slots = max(1, int(r.width() // label_w))
        span = max(1, hi_d - lo_d)
        shown: list[float] = []
        for k in range(slots + 1):
            day = lo_d + round(span * k / slots) if hi_d > lo_d else lo_d
            x = r.left() + (day - lo_d) / span * r.width() if hi_d > lo_d else r.center().x()
            if any(abs(x - s) < label_w for s in shown):
                continue
            shown.append(x)
            p.drawText(
                QRectF(x - label_w / 2, r.bottom() + 6, label_w, fm.height()),
                Qt.AlignmentFlag.AlignHCenter,
                dt.date.fromordinal(day).isoformat(),
            )
            if hi_d == lo_d:
                break
        p.setPen(QPen(text, 1))
        p.drawLine(r.bottomLeft(), r.bottomRight())
        p.drawLine(r.bottomLeft(), r.topLeft())
        # the line
        line = QPainterPath()
        positions = [self.point_pos(i) for i in range(len(self.points))]
        line.moveTo(positions[0])
        for q in positions[1:]:
            line.lineTo(q)
        accent = pal.color(QPalette.ColorRole.Highlight)
        p.setPen(QPen(accent, 2))
        p.drawPath(line)
        c = colors(pal)
        if len(positions) <= DOTS_UP_TO:
            for i, q in enumerate(positions):
                direction = self.points[i].direction
                fill = c.up if direction == "up" else c.down if direction == "down" else c.flat
                p.setPen(QPen(pal.color(QPalette.ColorRole.Base), 1))
                p.setBrush(fill)
                p.drawEllipse(q, 4, 4)
        for i, ring in ((self.hovered, quiet), (self.current, text)):
            if 0 <= i < len(positions):
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.setPen(QPen(ring, 2))
                p.drawEllipse(positions[i], 7, 7)

    # interaction ------------------------------------------------------------------------

    def set_current(self, i: int) -> None:
        if i == self.current or not -1 <= i < len(self.points):
            return
        self.current = i
        self.update()
        self.currentChanged.emit(i)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        i = self.point_at(event.position())
        if i != self.hovered:
            self.hovered = i
            self.update()
        if i >= 0:
            QToolTip.showText(
                event.globalPosition().toPoint(),
                _tooltip(point_text(self.symbol, self.points[i])),
                self,
            )
        else:
            QToolTip.hideText()

    def leaveEvent(self, event: object) -> None:
        self.hovered = -1
        self.update()
        super().leaveEvent(event)  # type: ignore[arg-type]

    def mousePressEvent(self, event: QMouseEvent) -> None:
        i = self.point_at(event.position())
        if i >= 0 and event.button() == Qt.MouseButton.LeftButton:
            self.set_current(i)
            self.pointActivated.emit(i)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        n = len(self.points)
        if n and key in (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Home, Qt.Key.Key_End):
            step = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1}.get(key)
            if step is None:
                i = 0 if key == Qt.Key.Key_Home else n - 1
            else:
                i = min(n - 1, max(0, (self.current if self.current >= 0 else -step) + step))
            self.set_current(i)
            return
        if n and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.current >= 0:
            self.pointActivated.emit(self.current)
            return
        super().keyPressEvent(event)


class HistoryDialog(QDialog):
    """Markets › Ticker History…: symbol picker, chart, and the points with their pages."""

    openRequested = Signal(int)
    #: The newest symbol asked for is shown (its history, or why there is none).
    loaded = Signal(str)

    def __init__(
        self, library: Library, symbols: Sequence[str], symbol: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.setWindowTitle("Ticker History")
        self.resize(900, 680)
        self.history: TickerHistory | None = None
        self.loader = NewestJob(library, load_history, "ticker history", self)
        self.loader.done.connect(self._loaded)
        self.loader.failed.connect(self._failed)
        self.loader.busyChanged.connect(self._set_busy)
        self.picker = QComboBox(self)
        self.picker.addItems(list(symbols))
        self.picker.setAccessibleName("Symbol")
        pick_label = QLabel("&Symbol:", self)
        pick_label.setBuddy(self.picker)
        self.summary = QLabel(self)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)  # busy, no percentage
        self.busy.setTextVisible(False)
        self.busy.setMaximumWidth(120)
        self.busy.setAccessibleName("Reading the history")
        self.busy.hide()
        self.chart = HistoryChart(self)
        self.note = QLabel(self)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setWordWrap(True)
        make_quiet(self.note)
        self.table = QTreeWidget(self)
        self.table.setHeaderLabels(["Date", "Price", "Change", "Change %", "Pages"])
        self.table.setAccessibleName("Quotes and their pages")
        self.table.setUniformRowHeights(True)
        self.table.setColumnWidth(0, 260)
        hint = QLabel("Double-click a page (or press Return on it) to open it.", self)
        make_quiet(hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(pick_label)
        top.addWidget(self.picker)
        top.addWidget(self.summary, 1)
        top.addWidget(self.busy)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.chart)
        split.addWidget(self.table)
        split.setSizes([380, 260])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addWidget(self.note)
        bottom = QHBoxLayout()
        bottom.addWidget(hint, 1)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)

        self.picker.currentTextChanged.connect(self.set_symbol)
        self.chart.currentChanged.connect(self._chart_current)
        self.chart.pointActivated.connect(self._chart_activated)
        self.table.currentItemChanged.connect(self._table_current)
        self.table.itemActivated.connect(self._item_activated)
        if self.picker.findText(symbol) < 0:
            self.picker.insertItem(0, symbol)
        if self.picker.currentText() == symbol:
            self.set_symbol(symbol)
        else:
            self.picker.setCurrentText(symbol)

    def set_symbol(self, symbol: str) -> None:
        """Show ``symbol``'s history when it has been read (the newest choice wins)."""
        self.summary.setText(f"Reading {symbol}…")
        self.loader.request(symbol)

    def is_busy(self) -> bool:
        return self.loader.is_busy()

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        # the chart and the table show the previous symbol until the new one is read
        self.chart.setEnabled(not busy)
        self.table.setEnabled(not busy)
        if busy:
            self.setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.unsetCursor()

    def _failed(self, symbol: str, message: str, _details: str) -> None:
        self.summary.setText(f"Could not read the history of {symbol}: {message}")
        self.loaded.emit(symbol)

    def _loaded(self, symbol: str, answer: HistoryAnswer) -> None:
        h = answer.history
        if h is None:
            self.summary.setText(answer.error or f"No history for {symbol}.")
            self.loaded.emit(symbol)
            return
        self.history = h
        self.chart.set_history(h)
        self.setWindowTitle(f"Ticker History — {h.symbol}")
        if h.points:
            first, last = h.points[0], h.points[-1]
            self.summary.setText(
                f"{h.kind.capitalize()} · {len(h.points)} quotes from {first.date} to {last.date}"
                f" · {format_price(first.price)} → {format_price(last.price)}"
            )
        else:
            self.summary.setText(f"{h.kind.capitalize()} · no dated quotes")
        notes = []
        n = len(h.undated)
        if n:
            are = "pages without a date are" if n != 1 else "page without a date is"
            notes.append(f"{n} {are} left out.")
        if h.conflicting_dates:
            notes.append(
                "Several different quotes on "
                + ", ".join(h.conflicting_dates[:5])
                + (" …" if len(h.conflicting_dates) > 5 else "")
                + " (intraday pages: each is a point)."
            )
        self.note.setText("  ".join(notes) or "Every page carrying the symbol has a date.")
        self._fill_table(h, answer.titles)
        self.loaded.emit(symbol)

    def done(self, result: int) -> None:
        self.loader.close()  # its thread must not outlive the dialog
        super().done(result)

    def _fill_table(self, h: TickerHistory, titles: Mapping[int, tuple[str, str]]) -> None:
        self.table.clear()
        items = []
        for i, point in enumerate(h.points):
            pages = len(point.documents)
            item = QTreeWidgetItem(
                [
                    point.date,
                    format_price(point.price),
                    format_change(point.change),
                    format_percent(point.change_pct),
                    str(pages),
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, ("point", i))
            for col in (1, 2, 3, 4):
                item.setTextAlignment(
                    col, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                )
            for doc_id in point.documents:
                title, outlet = titles.get(doc_id, (f"Document {doc_id}", ""))
                child = QTreeWidgetItem([title if not outlet else f"{title}  ({outlet})"])
                child.setData(0, Qt.ItemDataRole.UserRole, ("page", doc_id))
                child.setToolTip(0, _tooltip(title))
                item.addChild(child)
            items.append(item)
        self.table.addTopLevelItems(items)
        if len(items) <= 50:
            self.table.expandAll()

    def _chart_current(self, i: int) -> None:
        item = self.table.topLevelItem(i) if i >= 0 else None
        if item is not None and self.table.currentItem() is not item:
            self.table.setCurrentItem(item)
            self.table.scrollToItem(item)

    def _chart_activated(self, i: int) -> None:
        """A click on a point: with one page behind it, open that page; else show the pages."""
        if self.history is None:
            return
        docs = self.history.points[i].documents
        if len(docs) == 1:
            self.openRequested.emit(docs[0])
        else:
            item = self.table.topLevelItem(i)
            if item is not None:
                item.setExpanded(True)

    def _table_current(self, item: QTreeWidgetItem | None, _prev: object) -> None:
        if item is None:
            return
        top = item.parent() or item
        self.chart.set_current(self.table.indexOfTopLevelItem(top))

    def _item_activated(self, item: QTreeWidgetItem, _col: int) -> None:
        kind, value = item.data(0, Qt.ItemDataRole.UserRole)
        if kind == "page":
            self.openRequested.emit(int(value))
        elif self.history is not None:
            self._chart_activated(int(value))


class SparklineDelegate(QStyledItemDelegate):
    """Paints a tiny price line at the right of the symbol cell of a ticker row that has a
    history (two or more dated quotes); the symbol text draws as usual on the left."""

    WIDTH = 56

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.prices: Mapping[str, tuple[float, ...]] = {}

    def set_prices(self, prices: Mapping[str, tuple[float, ...]]) -> None:
        self.prices = dict(prices)
        parent = self.parent()
        if isinstance(parent, QWidget):
            parent.update()
            viewport = getattr(parent, "viewport", None)
            if viewport is not None:
                viewport().update()

    def has_sparkline(self, symbol: str) -> bool:
        return len(self.prices.get(symbol, ())) >= 2

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        super().paint(painter, option, index)
        symbol = index.data(Qt.ItemDataRole.DisplayRole)
        values = self.prices.get(symbol) if isinstance(symbol, str) else None
        if not values or len(values) < 2:
            return
        rect = QRectF(option.rect).adjusted(4, 5, -6, -5)  # type: ignore[attr-defined]
        text_w = option.fontMetrics.horizontalAdvance(symbol) + 10  # type: ignore[attr-defined]
        width = min(self.WIDTH, rect.width() - text_w)
        if width < 20:  # no room beside the symbol: the symbol wins
            return
        box = QRectF(rect.right() - width, rect.top(), width, rect.height())
        lo, hi = min(values), max(values)
        span = (hi - lo) or 1.0
        n = len(values)
        path = QPainterPath()
        for k, v in enumerate(values):
            q = QPointF(
                box.left() + box.width() * k / (n - 1),
                box.bottom() - (v - lo) / span * box.height(),
            )
            if k == 0:
                path.moveTo(q)
            else:
                path.lineTo(q)
        c = colors(option.palette)  # type: ignore[attr-defined]
        color = c.up if values[-1] > values[0] else c.down if values[-1] < values[0] else c.flat
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(color, 1.3))
        painter.drawPath(path)
        painter.restore()
