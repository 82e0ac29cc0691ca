"""The window's annotating face: the Annotate menu, its toolbar, the article's context menu, the
Annotations pane, tag chips and suggestions, all wired to one
:class:`~reader.ui.annotating.Annotator`.

Keys (all in the Annotate and Edit menus, so Help › Keyboard Shortcuts lists them): **1**–**9**
tag the article's selection as the entity type with that key, **H** highlights it in the current
colour, **N** adds or edits its note, **Ctrl+T** / **Ctrl+Shift+T** tag all occurrences of the
mention in this document / the library, **F8** / **Shift+F8** go to the next / previous
suggestion, **Ctrl+Z** / **Ctrl+Shift+Z** undo and redo. The plain keys are actions that are only
enabled while the article has a selection, so without one a number or a letter goes where it
would have gone (the list's keyboard search, a text box). In the article, **Enter** accepts the
suggestion at the caret and **Backspace** rejects it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QColor,
    QContextMenuEvent,
    QIcon,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPixmap,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from reader.annotate import suggest
from reader.library.errors import LibraryError
from reader.library.records import HIGHLIGHT_COLORS, Annotation, Document
from reader.ui.annotating import Annotator, Edit, short
from reader.ui.annotations_panel import AnnotationsPanel
from reader.ui.article_view import highlight_color
from reader.ui.tag_everywhere import TagEverywhere

if TYPE_CHECKING:
    from reader.ui.main_window import MainWindow

#: Keys that work in the article, for Help › Keyboard Shortcuts.
ARTICLE_KEYS = [
    ("Article", "Accept the suggestion at the caret", ["Return"]),
    ("Article", "Reject the suggestion at the caret", ["Backspace"]),
    ("Annotations pane", "Edit the note", ["F2"]),
    ("Annotations pane", "Delete the annotation", ["Del"]),
]


def swatch(color: QColor, size: int = 12) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(color)
    return QIcon(pixmap)


class NoteDialog(QDialog):
    """Add or edit a note (non-blocking: ``open()``; the window acts on ``accepted``)."""

    def __init__(self, quote: str, note: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Note")
        layout = QVBoxLayout(self)
        label = QLabel(f"Note on “{short(quote, 60)}”:", self)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        self.edit = QPlainTextEdit(self)
        self.edit.setPlainText(note)
        self.edit.setTabChangesFocus(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(label)
        layout.addWidget(self.edit)
        layout.addWidget(buttons)
        self.resize(420, 220)

    def note(self) -> str:
        return self.edit.toPlainText().strip()


class AnnotateUI(QObject):
    """Builds the annotating menus and panes into ``window`` and keeps them current."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.library = window.library
        self.article = window.article
        self.annotator = Annotator(window.library, self)
        self.annotator.changed.connect(self._changed)
        self.annotator.failed.connect(lambda m: window.statusBar().showMessage(m, 8000))
        self.color = "yellow"
        self.types: list = []
        self.type_actions: list[QAction] = []
        self.last_mention: Annotation | None = None
        self.run: TagEverywhere | None = None
        self.note_dialog: NoteDialog | None = None
        self.browser = None
        self.types_dialog = None

        # The Annotations pane goes under the tickers.
        self.panel = AnnotationsPanel(window)
        self.right = QSplitter(Qt.Orientation.Vertical, window)
        self.right.setObjectName("rightPanes")
        self.right.addWidget(self.panel)
        window.splitter.insertWidget(2, self.right)
        self.right.insertWidget(0, window.tickers)
        self.right.setSizes([360, 440])
        self.panel.jumpRequested.connect(self.jump_to)
        self.panel.deleteRequested.connect(self.annotator.delete)
        self.panel.noteEdited.connect(self.annotator.set_note)
        self.panel.reattachRequested.connect(self.reattach)

        chips = self.article.header.tags
        chips.added.connect(self._tags_added)
        chips.removed.connect(self._tag_removed)

        body = self.article.body
        body.key_hook = self._article_key
        body.menu_hook = self._article_menu
        body.click_hook = self._article_click
        body.tip_hook = self.article.tooltip_at
        body.selectionChanged.connect(self.update_actions)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)

    # ------------------------------------------------------------------------------ menus

    def build_menus(self) -> None:
        """Undo/Redo at the top of Edit, the Annotate menu before View, and a toolbar."""
        w = self.window
        bar = w.menuBar()
        edit_menu = next(a.menu() for a in bar.actions() if a.text() == "&Edit")
        first = edit_menu.actions()[0]
        self.undo_action = self.annotator.stack.createUndoAction(w, "&Undo")
        self.undo_action.setShortcuts([QKeySequence("Ctrl+Z")])
        self.redo_action = self.annotator.stack.createRedoAction(w, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for action in (self.undo_action, self.redo_action):
            edit_menu.insertAction(first, action)
            w.addAction(action)
            w._commands.insert(0 if action is self.undo_action else 1, ("Edit", action))
        edit_menu.insertSeparator(first)

        view_action = next(a for a in bar.actions() if a.text() == "&View")
        m = QMenu("&Annotate", bar)
        bar.insertMenu(view_action, m)
        self.menu = m
        self.highlight_action = w._action(
            m, "&Highlight", self.highlight, ["H"], "Highlight the selection in the current colour"
        )
        colors = m.addMenu("Highlight &Colour")
        group = QActionGroup(self)
        self.color_actions: dict[str, QAction] = {}
        for name in HIGHLIGHT_COLORS:
            a = colors.addAction(swatch(highlight_color(name)), f"&{name.capitalize()}")
            a.setCheckable(True)
            a.setChecked(name == self.color)
            group.addAction(a)
            a.triggered.connect(lambda _c=False, n=name: self.set_color(n))
            self.color_actions[name] = a
        self.note_action = w._action(
            m, "Add or Edit &Note…", self.note, ["N"], "A note on the selection"
        )
        m.addSeparator()
        self._types_anchor = m.addSeparator()
        self.everywhere_doc_action = w._action(
            m,
            "&Tag All Occurrences in This Document…",
            lambda: self.tag_everywhere(library=False),
            ["Ctrl+T"],
            "Tag every other occurrence of the selected mention in this document",
        )
        self.everywhere_lib_action = w._action(
            m,
            "Tag All Occurrences in the &Library…",
            lambda: self.tag_everywhere(library=True),
            ["Ctrl+Shift+T"],
            "Tag every occurrence of the selected mention in every document",
        )
        m.addSeparator()
        w._action(m, "Ne&xt Suggestion", lambda: self.step_suggestion(1), ["F8"])
        w._action(m, "Pre&vious Suggestion", lambda: self.step_suggestion(-1), ["Shift+F8"])
        m.addSeparator()
        w._action(m, "&Entity Browser…", self.show_browser, ["Ctrl+Shift+E"])
        w._action(m, "Entity T&ypes…", self.show_types, [])

        self.toolbar = QToolBar("Annotate", w)
        self.toolbar.setObjectName("annotateToolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toolbar.addAction(self.undo_action)
        self.toolbar.addAction(self.redo_action)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.highlight_action)
        self.toolbar.addAction(self.note_action)
        self._toolbar_anchor = self.toolbar.addSeparator()
        self.toolbar.addAction(self.everywhere_doc_action)
        w.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
        self.reload_types()
        self.update_actions()

    def reload_types(self) -> None:
        """(Re)make one action per entity type, keyed 1–9 as the library says."""
        w = self.window
        try:
            self.types = self.library.entity_types()
        except LibraryError as error:
            w.library_failed(error)
            return
        for action in self.type_actions:
            self.menu.removeAction(action)
            self.toolbar.removeAction(action)
            w.removeAction(action)
            w._commands = [(m, a) for m, a in w._commands if a is not action]
            action.deleteLater()
        self.type_actions = []
        at = w._commands.index(("Annotate", self.note_action)) + 1
        for t in self.types:
            action = QAction(swatch(QColor(t.color)), f"Tag as {t.name}", w)
            if t.key is not None:
                action.setShortcut(QKeySequence(str(t.key)))
            action.setStatusTip(f"Tag the selection as {t.name}")
            action.setToolTip(f"Tag the selection as {t.name}" + (f" ({t.key})" if t.key else ""))
            action.triggered.connect(lambda _c=False, n=t.name: self.tag(n))
            self.menu.insertAction(self._types_anchor, action)
            self.toolbar.insertAction(self._toolbar_anchor, action)
            w.addAction(action)
            w._commands.insert(at, ("Annotate", action))
            at += 1
            self.type_actions.append(action)
        for action in self.type_actions:
            button = self.toolbar.widgetForAction(action)
            if button is not None:
                button.setText(action.text().removeprefix("Tag as "))
        colors = {t.name: t.color for t in self.types}
        self.article.set_type_colors(colors)
        self.panel.set_types([(t.name, t.color) for t in self.types])
        self.update_actions()

    def _focus_changed(self, _old: QWidget | None, _new: QWidget | None) -> None:
        self.update_actions()

    def update_actions(self) -> None:
        """Selection keys act only while the article has a selection and no text box or list
        has the keyboard."""
        if not hasattr(self, "highlight_action"):
            return
        focus = QApplication.focusWidget()
        elsewhere = isinstance(
            focus, (QLineEdit, QAbstractItemView, QAbstractSpinBox, QComboBox, QPlainTextEdit)
        )
        on = self.article.selected_span() is not None and not elsewhere
        for action in (self.highlight_action, self.note_action, *self.type_actions):
            action.setEnabled(on)
        has_doc = self.article.document is not None
        self.everywhere_doc_action.setEnabled(has_doc)
        self.everywhere_lib_action.setEnabled(has_doc)

    # --------------------------------------------------------------------------- documents

    @property
    def doc_id(self) -> int | None:
        doc = self.article.document
        return doc.id if doc is not None else None

    def document_shown(self, doc: Document) -> None:
        """The window opened ``doc``: annotations, suggestions, tags follow."""
        self.last_mention = None
        self._reload(doc.id, annotations=doc.annotations)
        self.article.header.tags.set_tags(doc.tags)
        self._completions()
        self.update_actions()

    def _reload(self, doc_id: int, annotations: tuple[Annotation, ...] | None = None) -> None:
        try:
            anns = (
                list(annotations) if annotations is not None else self.library.annotations(doc_id)
            )
            found = suggest.suggestions(self.library, doc_id)
        except LibraryError as error:
            self.window.library_failed(error)
            return
        self.article.set_annotations(anns, found)
        self.panel.show_annotations(anns)

    def _completions(self) -> None:
        try:
            names = [name for name, _n in self.library.tags()]
        except LibraryError:
            names = []
        self.article.header.tags.set_completions(names)

    def _changed(self, edit: Edit) -> None:
        w = self.window
        current = self.doc_id
        if current is not None and current in edit.documents:
            self._reload(current)
            if edit.tags:
                try:
                    self.article.header.tags.set_tags(self.library.document_tags(current))
                except LibraryError as error:
                    w.library_failed(error)
        elif (
            edit.replay
            and len(edit.documents) == 1
            and w.list_pane.select_document(edit.documents[0])
        ):
            # An undo or redo in another document: we went there, so the user sees it.
            w.statusBar().showMessage("Undone or redone in this document.", 4000)
        if edit.tags:
            self._completions()
            w.list_pane.reload_choices()
        if self.browser is not None:
            self.browser.refresh()
        w.list_pane.model.refresh()  # the counts of highlights and mentions

    # ------------------------------------------------------------------------------ edits

    def _span(self) -> tuple[int, int] | None:
        span = self.article.selected_span()
        if span is None or self.doc_id is None:
            return None
        start, end = span
        body = self.article.document.body if self.article.document else ""
        # Tagging "the word " means the word: trim spaces the selection took along.
        while start < end and body[start].isspace():
            start += 1
        while end > start and body[end - 1].isspace():
            end -= 1
        return (start, end) if end > start else None

    def highlight(self) -> Annotation | None:
        span, doc = self._span(), self.doc_id
        if span is None or doc is None:
            return None
        return self.annotator.highlight(doc, *span, color=self.color)

    def set_color(self, name: str) -> None:
        self.color = name
        self.color_actions[name].setChecked(True)
        if self._span() is not None:
            self.highlight()

    def tag(self, type_: str) -> Annotation | None:
        span, doc = self._span(), self.doc_id
        if span is None or doc is None:
            return None
        ann = self.annotator.tag_entity(doc, *span, type_)
        if ann is not None:
            self.last_mention = ann
            self.window.statusBar().showMessage(
                f"Tagged “{short(ann.text)}” as {type_}. Ctrl+T tags it everywhere in this "
                "document, Ctrl+Shift+T in the library.",
                8000,
            )
        return ann

    def note(self, target: Annotation | None = None) -> None:
        """N: the note of the annotation the selection is (or is inside); a new highlight with
        a note when the selection is not annotated yet."""
        span, doc = self._span(), self.doc_id
        if doc is None:
            return
        if target is None and span is not None:
            exact = [a for a in self.article.annotations if (a.start, a.end) == span]
            target = exact[0] if exact else None
        if target is None and span is None:
            return
        quote = target.text if target else self.article.document.body[span[0] : span[1]]  # type: ignore[union-attr,index]
        dialog = NoteDialog(quote, (target.note or "") if target else "", self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def save() -> None:
            text = dialog.note()
            if target is not None:
                self.annotator.set_note(target, text)
            elif span is not None and text:
                self.annotator.highlight(doc, *span, color=self.color, note=text)

        dialog.accepted.connect(save)
        dialog.finished.connect(lambda _r: setattr(self, "note_dialog", None))
        self.note_dialog = dialog
        dialog.open()

    def reattach(self, ann: Annotation) -> None:
        span = self._span()
        if span is None:
            self.window.statusBar().showMessage(
                "Select the text where the annotation belongs first.", 6000
            )
            return
        self.annotator.reattach(ann, *span)

    def jump_to(self, ann: Annotation) -> None:
        if not ann.orphaned:
            self.article.reveal(ann.start, ann.end)

    def _tags_added(self, names: list[str]) -> None:
        if self.doc_id is not None:
            self.annotator.tag_document(self.doc_id, names, add=True)

    def _tag_removed(self, name: str) -> None:
        if self.doc_id is not None:
            self.annotator.tag_document(self.doc_id, [name], add=False)

    # --------------------------------------------------------------------- tag everywhere

    def _mention_for_everywhere(self) -> Annotation | None:
        span = self._span()
        cp = self.article.cursor_offset()
        mentions = [a for a in self.article.annotations if a.kind == "entity" and not a.orphaned]
        if span is not None:
            exact = [a for a in mentions if (a.start, a.end) == span]
            if exact:
                return exact[0]
        elif cp is not None:
            inside = [a for a in self.article.annotations_at(cp) if a.kind == "entity"]
            if inside:
                return inside[0]
        if self.last_mention is not None and self.last_mention.document_id == self.doc_id:
            return self.last_mention
        return None

    def tag_everywhere(self, *, library: bool) -> TagEverywhere | None:
        mention = self._mention_for_everywhere()
        if mention is None or self.doc_id is None or mention.type is None:
            self.window.statusBar().showMessage(
                "Tag a span first (select it and press a number key), then tag all its "
                "occurrences.",
                8000,
            )
            return None
        if self.run is not None:
            return None
        run = TagEverywhere(
            self.annotator,
            self.window,
            mention.text,
            mention.type,
            mention.entity,
            None if library else self.doc_id,
        )
        run.done.connect(self._everywhere_done)
        self.run = run
        run.start()
        return run

    def _everywhere_done(self, result: object) -> None:
        if self.run is not None:
            self.run.deleteLater()
        self.run = None
        if result is not None:
            self.window.statusBar().showMessage(
                f"Tagged {result.count:,} occurrences in {len(result.documents):,} documents "  # type: ignore[attr-defined]
                "(Ctrl+Z takes them all back).",
                10000,
            )

    # ------------------------------------------------------------------------ suggestions

    def _suggestion_here(self) -> suggest.Suggestion | None:
        cp = self.article.cursor_offset()
        if cp is None or self.article.body.textCursor().hasSelection():
            return None
        return self.article.suggestion_at(cp)

    def accept(self, s: suggest.Suggestion) -> None:
        if self.doc_id is not None:
            ann = self.annotator.accept(self.doc_id, s)
            if ann is not None:
                self.last_mention = ann

    def reject(self, s: suggest.Suggestion) -> None:
        if self.doc_id is not None:
            self.annotator.reject(self.doc_id, s)

    def step_suggestion(self, direction: int) -> None:
        found = self.article.suggestions
        cp = self.article.cursor_offset()
        if not found or cp is None:
            self.window.statusBar().showMessage("No suggestions in this document.", 4000)
            return
        if direction > 0:
            nxt = next((s for s in found if s.start > cp), found[0])
        else:
            nxt = next((s for s in reversed(found) if s.end < cp), found[-1])
        self.article.reveal(nxt.start, nxt.start, select=False)
        self.article.body.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.window.statusBar().showMessage(
            f"Suggested: “{short(nxt.text)}” as {nxt.type}. Enter accepts, Backspace rejects.",
            8000,
        )

    def _article_key(self, event: QKeyEvent) -> bool:
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        key = event.key()
        if key not in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Backspace):
            return False
        s = self._suggestion_here()
        if s is None:
            return False
        if key == Qt.Key.Key_Backspace:
            self.reject(s)
        else:
            self.accept(s)
        return True

    def _article_click(self, event: QMouseEvent) -> bool:
        cp = self.article.offset_at(event.position().toPoint())
        if cp is None:
            return False
        s = self.article.suggestion_at(cp)
        if s is None:
            return False
        self._suggestion_menu(s, event.globalPosition().toPoint())
        return True

    def _suggestion_menu(self, s: suggest.Suggestion, at: QPoint) -> QMenu:
        menu = QMenu(self.window)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        accept = menu.addAction(f"Accept “{short(s.text)}” as {s.type}\tEnter")
        accept.triggered.connect(lambda: self.accept(s))
        reject = menu.addAction("Reject Suggestion\tBackspace")
        reject.triggered.connect(lambda: self.reject(s))
        menu.setActiveAction(accept)
        menu.popup(at)
        return menu

    # ---------------------------------------------------------------------- context menu

    def context_menu(self, cp: int | None) -> QMenu:
        """The article's right-click menu for the selection, or for what is under ``cp``."""
        menu = QMenu(self.window)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if self._span() is not None:
            menu.addAction(self.highlight_action)
            menu.addAction(self.note_action)
            types = menu.addMenu("Tag &as")
            for action in self.type_actions:
                types.addAction(action)
            for action in self.type_actions:
                menu.addAction(action)
            menu.addSeparator()
        if cp is not None:
            s = self.article.suggestion_at(cp)
            if s is not None:
                menu.addAction(f"Accept “{short(s.text)}” as {s.type}").triggered.connect(
                    lambda: self.accept(s)
                )
                menu.addAction("Reject Suggestion").triggered.connect(lambda: self.reject(s))
                menu.addSeparator()
            for a in self.article.annotations_at(cp):
                what = a.type if a.kind == "entity" else "highlight"
                menu.addAction(f"Edit Note of “{short(a.text, 24)}” ({what})…").triggered.connect(
                    lambda _c=False, a=a: self.note(a)
                )
                menu.addAction(f"Remove “{short(a.text, 24)}” ({what})").triggered.connect(
                    lambda _c=False, a=a: self.annotator.delete(a)
                )
            if self.article.annotations_at(cp):
                menu.addSeparator()
        menu.addAction(self.everywhere_doc_action)
        menu.addAction(self.everywhere_lib_action)
        menu.addSeparator()
        copy = menu.addAction("&Copy")
        copy.setEnabled(self.article.body.textCursor().hasSelection())
        copy.triggered.connect(self.article.body.copy)
        return menu

    def _article_menu(self, event: QContextMenuEvent) -> bool:
        cp = self.article.offset_at(event.pos())
        self.update_actions()
        self.context_menu(cp).popup(event.globalPos())
        return True

    # --------------------------------------------------------------------------- dialogs

    def show_browser(self) -> None:
        from reader.ui.entity_browser import EntityBrowser

        if self.browser is None:
            self.browser = EntityBrowser(self.annotator, self.window)
            self.browser.jumpRequested.connect(self._browser_jump)
        self.browser.refresh()
        self.browser.show()
        if QApplication.platformName() != "offscreen":  # it cannot raise windows, and says so
            self.browser.raise_()

    def _browser_jump(self, doc_id: int, start: int, end: int) -> None:
        w = self.window
        if self.doc_id != doc_id and not w.list_pane.select_document(doc_id):
            w.list_pane.clear_filters()
            w.show_document(doc_id)
        if self.doc_id == doc_id:
            self.article.reveal(start, end)

    def show_types(self) -> None:
        from reader.ui.entity_types_dialog import EntityTypesDialog

        if self.types_dialog is None:
            self.types_dialog = EntityTypesDialog(self.library, self.window)
            self.types_dialog.typesChanged.connect(self._types_changed)
            self.types_dialog.finished.connect(lambda _r: setattr(self, "types_dialog", None))
            self.types_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.types_dialog.open()

    def _types_changed(self) -> None:
        self.reload_types()
        if self.doc_id is not None:
            self._reload(self.doc_id)
