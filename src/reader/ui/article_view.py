"""The article pane: a header (title, date, dateline, source, files, tags) over the body.

The body is page text from the web, so it only ever goes in through ``setPlainText``; nothing a
page says is interpreted as markup. Marks over the text (the words of the list's search, the
selected ticker symbol's mentions, find-in-document matches) are ``ExtraSelection`` layers
computed on the Python string (code points) and converted to Qt positions by
:mod:`reader.ui.offsets`.

Reading comfort: a serif reading font the user can change, a text column limited to about
:data:`COLUMN_CHARS` characters and centred, generous line spacing, and zoom.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Sequence

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPalette,
    QResizeEvent,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QStackedWidget,
    QTextEdit,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from reader.annotate.suggest import Suggestion
from reader.library.records import Annotation, Document
from reader.ui.offsets import offset_map
from reader.ui.settings import ZOOM_MAX, ZOOM_MIN
from reader.ui.tag_chips import TagChips
from reader.ui.theme import colors, make_quiet

COLUMN_CHARS = 72  # the text column's width, in average characters
LINE_HEIGHT = 145  # percent of the font's line spacing
READING_FAMILIES = ["Source Serif 4", "Noto Serif", "DejaVu Serif", "Georgia", "Times New Roman"]
BASE_POINT_SIZE = 12

_WORD = re.compile(r"\w+", re.UNICODE)

#: Layers of marks, painted in this order (later ones on top), over the annotations.
LAYERS = ("search", "ticker", "find", "current")

#: The named highlight colours, as backgrounds (text over them is drawn dark in either theme).
HIGHLIGHT_BACKGROUNDS = {
    "yellow": "#fff59d",
    "green": "#c5e1a5",
    "blue": "#b3e5fc",
    "pink": "#f8bbd0",
    "orange": "#ffcc80",
}
#: Opacity (0–255) of an entity type's colour behind its mentions.
ENTITY_TINT = 46


def highlight_color(name: str | None) -> QColor:
    return QColor(HIGHLIGHT_BACKGROUNDS.get(name or "yellow", name or "#fff59d"))


def plain_tooltip(text: str) -> str:
    """A tooltip that Qt shows as text whatever it holds (page text may look like HTML)."""
    return "<qt>" + html.escape(text).replace("\n", "<br>") + "</qt>"


def default_reading_font() -> QFont:
    font = QFont()
    font.setFamilies(READING_FAMILIES)
    font.setStyleHint(QFont.StyleHint.Serif)
    font.setPointSize(BASE_POINT_SIZE)
    return font


def search_pattern(text: str | None) -> re.Pattern[str] | None:
    """The words the library's full-text search matches for ``text``: every word whole, the
    last one as a prefix (as :func:`reader.library.library.fts_query` builds the query)."""
    words = _WORD.findall(text or "")
    if not words:
        return None
    whole = [re.escape(w) for w in words[:-1]]
    alternatives = [rf"\b(?:{'|'.join(whole)})\b"] if whole else []
    alternatives.append(rf"\b{re.escape(words[-1])}\w*")
    return re.compile("|".join(alternatives), re.IGNORECASE)


def symbol_pattern(symbol: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(symbol)}(?!\w)")


def _plain(label: QLabel) -> QLabel:
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setMinimumWidth(1)  # long words or paths never widen the pane
    return label


class ArticleHeader(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 12, 18, 8)
        layout.setSpacing(4)
        self.title = _plain(QLabel(self))
        self.title.setWordWrap(True)
        self.title.setObjectName("articleTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title.setFont(font)
        self.meta = _plain(QLabel(self))
        self.meta.setWordWrap(True)
        self.files = _plain(QLabel(self))
        self.files.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.tags = TagChips(self)
        for w in (self.title, self.meta, self.files, self.tags):
            layout.addWidget(w)
        self._paths: tuple[str, ...] = ()
        for w in (self.meta, self.files):
            make_quiet(w)

    def show_document(self, doc: Document) -> None:
        self.title.setText(doc.title)
        self.title.setToolTip(
            "Title taken from the article's first sentence (the page has no headline)"
            if doc.title_derived
            else ""
        )
        parts = [
            f"{label} {value}"
            for label, value in (
                ("Date", doc.date),
                ("Dateline", doc.dateline),
                ("Source", doc.source),
            )
            if value
        ]
        self.meta.setText("   ·   ".join(parts) or "No date, dateline or source on this page")
        self._paths = doc.paths
        self.files.setToolTip("\n".join(doc.paths))
        self._elide_files()
        self.tags.set_tags(doc.tags)

    def _elide_files(self) -> None:
        if not self._paths:
            self.files.setText("")
            return
        more = f"  (and {len(self._paths) - 1} more)" if len(self._paths) > 1 else ""
        label = "File: " if len(self._paths) == 1 else "Files: "
        metrics = self.files.fontMetrics()
        room = max(40, self.files.width() - metrics.horizontalAdvance(label + more))
        path = metrics.elidedText(self._paths[0], Qt.TextElideMode.ElideMiddle, room)
        self.files.setText(label + path + more)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide_files()


class ReadingView(QTextEdit):
    """The body: read-only plain text in a centred column, selectable with mouse and keyboard."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setAcceptRichText(False)
        self.setUndoRedoEnabled(False)
        self.setAcceptDrops(False)
        self.viewport().setAcceptDrops(False)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setFrameShape(QTextEdit.Shape.NoFrame)
        self.setTabChangesFocus(True)
        self.document().setDocumentMargin(16)
        self._side = -1
        #: Set by the article: see :meth:`ArticleView.set_hooks`.
        self.key_hook: Callable[[QKeyEvent], bool] | None = None
        self.menu_hook: Callable[[QContextMenuEvent], bool] | None = None
        self.click_hook: Callable[[QMouseEvent], bool] | None = None
        self.tip_hook: Callable[[QPoint], str] | None = None
        self._press: QPoint | None = None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.key_hook is not None and self.key_hook(event):
            event.accept()
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        if self.menu_hook is not None and self.menu_hook(event):
            return
        super().contextMenuEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        press, self._press = self._press, None
        if (
            press is not None
            and event.button() == Qt.MouseButton.LeftButton
            and (event.position().toPoint() - press).manhattanLength() < 4
            and not self.textCursor().hasSelection()
            and self.click_hook is not None
        ):
            self.click_hook(event)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and self.tip_hook is not None:
            pos = event.pos()  # type: ignore[attr-defined]
            tip = self.tip_hook(pos)
            if tip:
                QToolTip.showText(event.globalPos(), tip, self.viewport())  # type: ignore[attr-defined]
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def set_body(self, body: str) -> None:
        self.setPlainText(body)  # the only way page text enters the view
        cursor = QTextCursor(self.document())
        cursor.select(QTextCursor.SelectionType.Document)
        fmt = QTextBlockFormat()
        fmt.setLineHeight(LINE_HEIGHT, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        cursor.mergeBlockFormat(fmt)
        self._side = -1
        self._fit_column()
        self.moveCursor(QTextCursor.MoveOperation.Start)

    def _fit_column(self) -> None:
        column = QFontMetricsF(self.font()).averageCharWidth() * COLUMN_CHARS
        side = int(max(8.0, (self.viewport().width() - column) / 2 - 16))
        if side != self._side:
            self._side = side
            frame = self.document().rootFrame()
            fmt = frame.frameFormat()
            fmt.setLeftMargin(side)
            fmt.setRightMargin(side)
            frame.setFrameFormat(fmt)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_column()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._side = -1
            self._fit_column()


class FindBar(QWidget):
    """Find in the document: type, Enter / F3 for the next match, Shift+Enter / Shift+F3 back."""

    searchChanged = Signal(str)
    nextRequested = Signal()
    previousRequested = Signal()
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("Find in this document")
        self.edit.setClearButtonEnabled(True)
        self.edit.textChanged.connect(self.searchChanged)
        self.edit.installEventFilter(self)
        self.count = QLabel(self)
        self.count.setTextFormat(Qt.TextFormat.PlainText)
        self.count.setMinimumWidth(90)
        self.previous = QToolButton(self)
        self.previous.setText("▲")
        self.previous.setToolTip("Previous match (Shift+F3)")
        self.previous.clicked.connect(self.previousRequested)
        self.next = QToolButton(self)
        self.next.setText("▼")
        self.next.setToolTip("Next match (F3)")
        self.next.clicked.connect(self.nextRequested)
        self.close_button = QToolButton(self)
        self.close_button.setText("✕")
        self.close_button.setToolTip("Close (Esc)")
        self.close_button.clicked.connect(self.close_bar)
        layout.addWidget(QLabel("Find:", self))
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.previous)
        layout.addWidget(self.next)
        layout.addWidget(self.close_button)
        self.hide()

    def set_count(self, current: int, total: int) -> None:
        if not self.edit.text():
            self.count.setText("")
        elif total == 0:
            self.count.setText("No matches")
        else:
            self.count.setText(f"{current + 1:,} of {total:,}")

    def close_bar(self) -> None:
        self.hide()
        self.closed.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Escape:
                self.close_bar()
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                    self.previousRequested.emit()
                else:
                    self.nextRequested.emit()
                return True
        return super().eventFilter(watched, event)


class ArticleView(QWidget):
    """Header, body and find bar, or an empty state saying what to do."""

    zoomChanged = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document: Document | None = None
        self._zoom = 0
        self._font = default_reading_font()
        self._layers: dict[str, list[tuple[int, int]]] = {name: [] for name in LAYERS}
        self._search_pattern: re.Pattern[str] | None = None
        self._symbol: str | None = None
        self._find_matches: list[tuple[int, int]] = []
        self._find_index = -1
        self.annotations: list[Annotation] = []  # of the document shown, orphans included
        self.suggestions: list[Suggestion] = []
        self._type_colors: dict[str, str] = {}
        self._marks: list[QTextEdit.ExtraSelection] = []  # annotations and suggestions
        self._mark_stamp: object = None
        #: One ExtraSelection per drawn span and look, kept while the document and colours
        #: stay: an edit then makes only the selections of what it added (see the benchmark).
        self._sel_cache: dict[tuple[object, ...], QTextEdit.ExtraSelection] = {}
        self._formats: dict[tuple[str, str | None], QTextCharFormat] = {}

        self.stack = QStackedWidget(self)
        self.empty = QLabel(self)
        self.empty.setTextFormat(Qt.TextFormat.PlainText)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setMargin(24)
        self.set_empty_text("Select a document in the list to read it.")
        page = QWidget(self)
        page.setBackgroundRole(QPalette.ColorRole.Base)  # one sheet: header and body
        page.setAutoFillBackground(True)
        inner = QVBoxLayout(page)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.setSpacing(0)
        self.header = ArticleHeader(page)
        self.body = ReadingView(page)
        self.find_bar = FindBar(page)
        inner.addWidget(self.header)
        inner.addWidget(self.body, 1)
        inner.addWidget(self.find_bar)
        self.stack.addWidget(self.empty)
        self.stack.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

        self.find_bar.searchChanged.connect(self._find_changed)
        self.find_bar.nextRequested.connect(self.find_next)
        self.find_bar.previousRequested.connect(self.find_previous)
        self.find_bar.closed.connect(self._find_closed)
        self._apply_font()

    # ------------------------------------------------------------------------ documents

    def set_empty_text(self, text: str) -> None:
        self.empty.setText(text)

    def show_document(self, doc: Document | None) -> None:
        """Show ``doc`` (None: the empty state). The search marks carry over; ticker marks go."""
        self.document = doc
        if doc is None:
            self.stack.setCurrentWidget(self.empty)
            self._symbol = None
            for name in LAYERS:
                self._layers[name] = []
            return
        self.header.show_document(doc)
        self.body.set_body(doc.body)
        self.annotations = [a for a in doc.annotations]
        self.suggestions = []
        self._marks = []
        self._mark_stamp = None
        self._sel_cache = {}
        self._symbol = None
        self._layers["ticker"] = []
        self._layers["search"] = self._matches(self._search_pattern)
        self._refind(keep_position=False)
        self._paint()
        self.stack.setCurrentIndex(1)
        if self._layers["search"]:
            self._reveal(self._layers["search"][0], select=False)

    def set_search(self, text: str | None) -> None:
        """Mark the words of the list's search in the article (None or "" clears them)."""
        self._search_pattern = search_pattern(text)
        self._layers["search"] = self._matches(self._search_pattern)
        self._paint()

    def set_symbol(self, symbol: str | None) -> int:
        """Mark the mentions of a ticker symbol in the body; returns how many there are."""
        self._symbol = symbol
        spans = self._matches(symbol_pattern(symbol)) if symbol else []
        self._layers["ticker"] = spans
        self._paint()
        if spans:
            self._reveal(spans[0], select=False)
        return len(spans)

    def marks(self, layer: str) -> list[tuple[int, int]]:
        """The spans (code points of the body) of a layer of marks: for tests and tools."""
        return list(self._layers[layer])

    def _matches(self, pattern: re.Pattern[str] | None) -> list[tuple[int, int]]:
        if pattern is None or self.document is None:
            return []
        return [m.span() for m in pattern.finditer(self.document.body) if m.end() > m.start()]

    # ------------------------------------------------------------------ annotations

    def set_type_colors(self, colors_by_type: dict[str, str]) -> None:
        self._type_colors = dict(colors_by_type)
        self._mark_stamp = None
        self._sel_cache = {}
        self._formats = {}
        self._paint()

    def set_annotations(
        self, annotations: Sequence[Annotation], suggestions: Sequence[Suggestion] | None = None
    ) -> None:
        """Draw the document's highlights and mentions (and, when given, suggestions)."""
        self.annotations = list(annotations)
        if suggestions is not None:
            self.suggestions = list(suggestions)
        self._mark_stamp = None
        self._paint()

    def set_suggestions(self, suggestions: Sequence[Suggestion]) -> None:
        self.suggestions = list(suggestions)
        self._mark_stamp = None
        self._paint()

    def annotations_at(self, cp: int) -> list[Annotation]:
        """Annotations covering code point ``cp`` (innermost, i.e. shortest, first)."""
        found = [a for a in self.annotations if not a.orphaned and a.start <= cp < a.end]
        return sorted(found, key=lambda a: (a.end - a.start, a.kind != "entity"))

    def suggestion_at(self, cp: int) -> Suggestion | None:
        """The suggestion under code point ``cp`` (or just before it: a caret after a word)."""
        for s in self.suggestions:
            if s.start <= cp <= s.end:
                return s
        return None

    def cursor_offset(self) -> int | None:
        """The caret's place in code points (None without a document)."""
        if self.document is None:
            return None
        return offset_map(self.document.body).to_cp(self.body.textCursor().position())

    def offset_at(self, pos: QPoint) -> int | None:
        """The code point under a viewport position."""
        if self.document is None:
            return None
        u = self.body.cursorForPosition(pos).position()
        return offset_map(self.document.body).to_cp(u)

    def tooltip_at(self, pos: QPoint) -> str:
        cp = self.offset_at(pos)
        if cp is None:
            return ""
        # cursorForPosition gives the nearest boundary; the character under the mouse is the one
        # after it or before it
        lines = []
        for a in self.annotations_at(cp):
            if a.kind == "entity":
                head = f"{a.type}: {a.entity}" if a.entity != a.text else f"{a.type}"
            else:
                head = f"Highlight ({a.color})"
            lines.append(head + (f"\nNote: {a.note}" if a.note else ""))
        s = self.suggestion_at(cp)
        if s is not None and not lines:
            lines.append(
                f"Suggested: {s.type} “{s.entity}” ({s.reason})\n"
                "Click or Enter accepts, Backspace rejects"
            )
        return plain_tooltip("\n".join(lines)) if lines else ""

    def reveal(self, start: int, end: int, *, select: bool = True) -> None:
        """Scroll to a span (code points) and select it."""
        if self.document is None:
            return
        size = len(self.document.body)
        start, end = max(0, min(start, size)), max(0, min(end, size))
        self._reveal((start, end), select=select)

    def _mark_selections(self) -> list[QTextEdit.ExtraSelection]:
        """Entities (type colour tint + underline), highlights over them (background), then
        suggestions (dotted underline). Later formats merge over earlier ones, so a highlight
        over a mention keeps the mention's underline, and a nested mention (shorter, drawn
        later) shows its own colour inside the outer one."""
        stamp = (id(self.annotations), id(self.suggestions), self.palette().cacheKey())
        if stamp == self._mark_stamp:
            return self._marks
        assert self.document is not None
        to_qt = offset_map(self.document.body).to_utf16
        doc = self.body.document()
        live = [a for a in self.annotations if not a.orphaned]
        entities = sorted(
            (a for a in live if a.kind == "entity"), key=lambda a: (a.start - a.end, a.start)
        )
        highlights = [a for a in live if a.kind == "highlight"]
        if stamp[2] != getattr(self, "_palette_key", None):
            self._palette_key = stamp[2]
            self._sel_cache, self._formats = {}, {}
        formats = self._formats

        def entity_format(type_: str | None) -> QTextCharFormat:
            key = ("entity", type_)
            if key not in formats:
                color = QColor(self._type_colors.get(type_ or "", "#888888"))
                fmt = QTextCharFormat()
                tint = QColor(color)
                tint.setAlpha(ENTITY_TINT)
                fmt.setBackground(tint)
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
                fmt.setUnderlineColor(color)
                formats[key] = fmt
            return formats[key]

        def highlight_format(color: str | None) -> QTextCharFormat:
            key = ("highlight", color)
            if key not in formats:
                fmt = QTextCharFormat()
                fmt.setBackground(highlight_color(color))
                fmt.setForeground(QColor("#111111"))
                formats[key] = fmt
            return formats[key]

        def suggestion_format(type_: str | None) -> QTextCharFormat:
            key = ("suggestion", type_)
            if key not in formats:
                fmt = QTextCharFormat()
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
                fmt.setUnderlineColor(QColor(self._type_colors.get(type_ or "", "#888888")))
                formats[key] = fmt
            return formats[key]

        def entity_line_format(type_: str | None) -> QTextCharFormat:
            # Drawn again after the highlights, underline only: a highlight over a mention
            # keeps the mention's coloured line visible.
            key = ("entity-line", type_)
            if key not in formats:
                fmt = QTextCharFormat()
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
                fmt.setUnderlineColor(QColor(self._type_colors.get(type_ or "", "#888888")))
                formats[key] = fmt
            return formats[key]

        looks = {
            "entity": entity_format,
            "highlight": highlight_format,
            "entity-line": entity_line_format,
        }
        keys = (
            [("entity", a.start, a.end, a.type) for a in entities]
            + [("highlight", a.start, a.end, a.color) for a in highlights]
            + (
                [("entity-line", a.start, a.end, a.type) for a in entities]
                if highlights
                else []
            )
            + [("suggestion", s.start, s.end, s.type) for s in self.suggestions]
        )
        looks["suggestion"] = suggestion_format
        size = len(self.document.body)
        cache = self._sel_cache
        out = []
        for key in keys:
            sel = cache.get(key)
            if sel is None:
                kind, start, end, look = key
                if not 0 <= start < end <= size:  # type: ignore[operator]
                    continue
                sel = QTextEdit.ExtraSelection()
                cursor = QTextCursor(doc)
                cursor.setPosition(to_qt(start))  # type: ignore[arg-type]
                cursor.setPosition(to_qt(end), QTextCursor.MoveMode.KeepAnchor)  # type: ignore[arg-type]
                sel.cursor = cursor
                sel.format = looks[kind](look)  # type: ignore[index,arg-type]
                cache[key] = sel
            out.append(sel)
        self._marks = out
        self._mark_stamp = stamp
        return out

    def _paint(self) -> None:
        if self.document is None:
            return
        c = colors(self.palette())
        backgrounds = {
            "search": c.search_bg,
            "ticker": c.ticker_bg,
            "find": c.find_bg,
            "current": c.current_bg,
        }
        selections = list(self._mark_selections())
        for name in LAYERS:
            fmt = QTextCharFormat()
            fmt.setBackground(backgrounds[name])
            fmt.setForeground(c.mark_fg)
            if name == "ticker":
                fmt.setFontUnderline(True)
            selections.extend(self._selections(self._layers[name], fmt))
        self.body.setExtraSelections(selections)

    def _selections(
        self, spans: Iterable[tuple[int, int]], fmt: QTextCharFormat
    ) -> list[QTextEdit.ExtraSelection]:
        assert self.document is not None
        to_qt = offset_map(self.document.body).to_utf16
        out = []
        for start, end in spans:
            sel = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self.body.document())
            cursor.setPosition(to_qt(start))
            cursor.setPosition(to_qt(end), QTextCursor.MoveMode.KeepAnchor)
            sel.cursor = cursor
            sel.format = fmt
            out.append(sel)
        return out

    def _reveal(self, span: tuple[int, int], *, select: bool) -> None:
        assert self.document is not None
        to_qt = offset_map(self.document.body).to_utf16
        cursor = self.body.textCursor()
        cursor.setPosition(to_qt(span[0]))
        if select:
            cursor.setPosition(to_qt(span[1]), QTextCursor.MoveMode.KeepAnchor)
        self.body.setTextCursor(cursor)
        self.body.ensureCursorVisible()

    def selected_span(self) -> tuple[int, int] | None:
        """The body's selection in code points, or None."""
        if self.document is None:
            return None
        cursor = self.body.textCursor()
        if not cursor.hasSelection():
            return None
        to_cp = offset_map(self.document.body).to_cp
        return to_cp(cursor.selectionStart()), to_cp(cursor.selectionEnd())

    # ------------------------------------------------------------------------------ find

    def find(self) -> None:
        """Show the find bar with the selection (if any) as the search, and focus it."""
        if self.document is None:
            return
        selected = self.body.textCursor().selectedText()
        self.find_bar.show()
        if selected and "\u2029" not in selected:
            self.find_bar.edit.setText(selected)
        self.find_bar.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find_bar.edit.selectAll()

    def find_next(self) -> None:
        self._step(+1)

    def find_previous(self) -> None:
        self._step(-1)

    def _step(self, direction: int) -> None:
        if self.document is None:
            return
        if not self.find_bar.isVisible():
            if not self.find_bar.edit.text():
                self.find()
                return
            self.find_bar.show()
            self._refind(keep_position=True)
        if not self._find_matches:
            self.find_bar.set_count(0, 0)
            return
        self._find_index = (self._find_index + direction) % len(self._find_matches)
        self._show_current()

    def _find_changed(self, _text: str) -> None:
        self._refind(keep_position=True)
        if self._find_matches:
            self._show_current()

    def _refind(self, *, keep_position: bool) -> None:
        """Find the find bar's text again (new text or new document)."""
        text = self.find_bar.edit.text() if self.find_bar.isVisible() else ""
        pattern = re.compile(re.escape(text), re.IGNORECASE) if text else None
        self._find_matches = self._matches(pattern)
        self._find_index = -1
        if self._find_matches:
            start = 0
            if keep_position and self.document is not None:
                cursor = self.body.textCursor()
                start = offset_map(self.document.body).to_cp(cursor.selectionStart())
            self._find_index = next(
                (i for i, (s, _) in enumerate(self._find_matches) if s >= start), 0
            )
        self._layers["find"] = self._find_matches
        self._layers["current"] = []
        self.find_bar.set_count(max(self._find_index, 0), len(self._find_matches))
        self._paint()

    def _show_current(self) -> None:
        span = self._find_matches[self._find_index]
        self._layers["current"] = [span]
        self.find_bar.set_count(self._find_index, len(self._find_matches))
        self._paint()
        self._reveal(span, select=True)

    def _find_closed(self) -> None:
        self._find_matches = []
        self._layers["find"] = []
        self._layers["current"] = []
        self._paint()
        self.body.setFocus(Qt.FocusReason.OtherFocusReason)

    # ------------------------------------------------------------------------ zoom, font

    @property
    def zoom(self) -> int:
        return self._zoom

    def set_zoom(self, zoom: int) -> None:
        zoom = max(ZOOM_MIN, min(ZOOM_MAX, zoom))
        if zoom != self._zoom:
            self._zoom = zoom
            self._apply_font()
            self.zoomChanged.emit(zoom)

    def zoom_in(self) -> None:
        self.set_zoom(self._zoom + 1)

    def zoom_out(self) -> None:
        self.set_zoom(self._zoom - 1)

    def zoom_reset(self) -> None:
        self.set_zoom(0)

    def reading_font(self) -> QFont:
        return QFont(self._font)

    def set_reading_font(self, font: QFont) -> None:
        self._font = QFont(font)
        self._apply_font()

    def _apply_font(self) -> None:
        font = QFont(self._font)
        size = self._font.pointSizeF() if self._font.pointSizeF() > 0 else BASE_POINT_SIZE
        font.setPointSizeF(max(5.0, size + self._zoom))
        self.body.setFont(font)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._paint()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Cancel) and self.find_bar.isVisible():
            self.find_bar.close_bar()
            return
        super().keyPressEvent(event)
