"""The main window: composes the three panes, the menus and the import status; wires signals.

No SQL and no parsing here: the panes ask the :class:`~reader.library.library.Library`, imports go
through :class:`~reader.ui.importing.Importer`, and every command is a ``QAction`` in a menu (so
Help › Keyboard Shortcuts can list them from the menus themselves).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QFont,
    QGuiApplication,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QFontDialog,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QWidget,
)

from reader import APP_NAME, __version__
from reader.library.errors import LibraryError, UsageError
from reader.library.library import Library
from reader.library.records import ImportReport
from reader.ui import dialogs
from reader.ui.annotate_ui import ARTICLE_KEYS, AnnotateUI
from reader.ui.article_view import ArticleView
from reader.ui.document_list import DocumentListPane
from reader.ui.export_dialog import ExportDialog
from reader.ui.export_dialog import import_annotations as import_annotations_dialog
from reader.ui.importing import Importer, ImportStatus
from reader.ui.models import DocumentQueries
from reader.ui.resources import resource_path
from reader.ui.settings import THEMES, Settings, Theme
from reader.ui.sort_menu import SortMenu
from reader.ui.story_view import StoriesUI  # stories
from reader.ui.theme import apply_theme
from reader.ui.ticker_pane import TickerPane
from reader.ui.tour import TourDialog
from reader.ui.workers import BackgroundQueries

Keys = Sequence[QKeySequence | QKeySequence.StandardKey | str]
THEME_NAMES: dict[Theme, str] = {"system": "Follow &System", "light": "&Light", "dark": "&Dark"}

#: Keys that work inside one pane, listed in Help › Keyboard Shortcuts after the menu commands.
PANE_KEYS = [
    ("Document list", "Read the selected document", ["Return"]),
    ("Document list", "Previous / next document in the list", ["Up", "Down"]),
    ("Document list by story", "Show a story's reports / go to the first", ["Right", "+"]),
    ("Document list by story", "Hide a story's reports / go up to the story", ["Left", "-"]),
    ("Search box", "Go down to the list", ["Down"]),
    ("Search box", "Clear the search", ["Esc"]),
    ("Find bar", "Next / previous match", ["Return", "Shift+Return"]),
    ("Find bar", "Close the find bar", ["Esc"]),
    *ARTICLE_KEYS,
    ("Anywhere", "Move between the controls of a pane", ["Tab", "Shift+Tab"]),
    ("Anywhere", "Open the menu bar", ["F10", "Alt"]),
]


class MainWindow(QMainWindow):
    def __init__(self, library: Library, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.settings = settings
        self.db_path = Path(library.path)
        self.setWindowTitle(APP_NAME)
        self.setAcceptDrops(True)
        self.last_report_dialog: dialogs.ImportReportDialog | None = None
        self._error_open = False
        self._commands: list[tuple[str, QAction]] = []

        # The list's queries run on a thread of their own (an in-memory library has no file
        # for a second connection to open, so it answers at once instead).
        self.queries = (
            BackgroundQueries(library, self)
            if isinstance(library.path, Path)
            else DocumentQueries(library, self)
        )
        self.list_pane = DocumentListPane(library, self.queries, self)
        self.article = ArticleView(self)
        self.tickers = TickerPane(self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("panes")
        for pane in (self.list_pane, self.article, self.tickers):
            self.splitter.addWidget(pane)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(1, False)
        self.setCentralWidget(self.splitter)

        self.import_status = ImportStatus(self)
        self.statusBar().addPermanentWidget(self.import_status)
        self.importer = Importer(self.db_path, self.import_status, self)

        self._reopen: int | None = None
        self.annotate = AnnotateUI(self)  # the Annotations pane, tags, suggestions, undo
        self._build_menus()
        self.annotate.build_menus()
        self.stories = StoriesUI(self)  # stories: "Also reported by", Stories and Markets menus
        self.stories.build_menus()
        self._wire()
        self._restore_state()
        self._update_empty_states()
        if not self.list_pane.model.is_pending():  # answered at once (in-memory library)
            self._list_updated()

    # ------------------------------------------------------------------------------ menus

    def _action(
        self,
        menu: QMenu,
        text: str,
        slot: Callable[[], object],
        keys: Keys = (),
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        shortcuts: list[QKeySequence] = []
        for k in keys:
            if isinstance(k, QKeySequence.StandardKey):
                shortcuts += [s for s in QKeySequence.keyBindings(k) if s not in shortcuts]
            else:
                seq = QKeySequence(k)
                if seq not in shortcuts:
                    shortcuts.append(seq)
        action.setShortcuts(shortcuts)
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        self.addAction(action)  # shortcuts work while the menu bar is hidden (full screen)
        self._commands.append((menu.title().replace("&", ""), action))
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        SK = QKeySequence.StandardKey

        m = bar.addMenu("&File")
        self.open_action = self._action(
            m, "&Open Folder…", self.open_folder, [SK.Open], "Import a dump folder and show it"
        )
        self._action(
            m, "&Import Files…", self.open_files, ["Ctrl+Shift+O"], "Import single .txt pages"
        )
        self.recent_menu = m.addMenu("&Recent Folders")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self.rescan_action = self._action(
            m,
            "Re-&scan Library Folders",
            self.rescan,
            [SK.Refresh],
            "Import what is new or changed in the folders of this library",
        )
        self._action(
            m,
            "&Explore the Sample Dump",
            self.import_sample,
            [],
            "Import the fictional pages that come with Dump Reader",
        )
        m.addSeparator()
        self._action(
            m,
            "&Export…",
            self.export,
            ["Ctrl+E"],
            "Write annotated notes or training data (Markdown, JSON, JSONL, CoNLL, brat, CSV)",
        )
        self._action(
            m,
            "Import &Annotations…",
            self.import_annotations,
            ["Ctrl+Shift+I"],
            "Merge a JSON export (a colleague's, or a backup) into this library",
        )
        m.addSeparator()
        self.cancel_action = self._action(m, "&Cancel Import", self.importer.cancel, ["Ctrl+."])
        self.cancel_action.setEnabled(False)
        m.addSeparator()
        self._action(m, "&Quit", self.close, [SK.Quit, "Ctrl+Q"])

        m = bar.addMenu("&Edit")
        self._action(m, "&Find in Document…", self.article.find, [SK.Find])
        self._action(m, "Find &Next", self.article.find_next, [SK.FindNext])
        self._action(m, "Find &Previous", self.article.find_previous, [SK.FindPrevious])
        m.addSeparator()
        self._action(m, "&Search the Library", self.list_pane.focus_search, ["Ctrl+K"])
        self._action(m, "&Clear Search and Filters", self.list_pane.clear_filters, ["Ctrl+Shift+K"])

        m = bar.addMenu("&View")
        self._action(m, "Zoom &In", self.article.zoom_in, [SK.ZoomIn, "Ctrl+="])
        self._action(m, "Zoom &Out", self.article.zoom_out, [SK.ZoomOut])
        self._action(m, "&Actual Size", self.article.zoom_reset, ["Ctrl+0"])
        self._action(m, "Reading &Font…", self.choose_font, [])
        m.addSeparator()
        self.sort_documents_menu = SortMenu(
            "&Sort Documents By",
            self.list_pane.view,
            ["&Title", "&Date", "&Source", "T&ickers", "&Annotations"],
            "&Import Order (Relevance While Searching)",
            m,
        )
        m.addMenu(self.sort_documents_menu)
        self.group_action = self._action(
            m,
            "&Group by Story",
            lambda: self.list_pane.set_grouped(self.group_action.isChecked()),
            ["Ctrl+Shift+L"],
            "Gather the reports of each story under one row in the document list",
        )
        self.group_action.setCheckable(True)
        self.sort_tickers_menu = SortMenu(
            "Sort Tic&kers By",
            self.tickers.view,
            ["&Symbol", "&Price", "&Change", "Change &%", "Di&rection"],
            "&Page Order",
            m,
        )
        m.addMenu(self.sort_tickers_menu)
        theme_menu = m.addMenu("&Theme")
        group = QActionGroup(self)
        self.theme_actions: dict[Theme, QAction] = {}
        for theme in THEMES:
            action = self._action(theme_menu, THEME_NAMES[theme], lambda t=theme: self.set_theme(t))
            action.setCheckable(True)
            action.setChecked(theme == self.settings.theme)
            group.addAction(action)
            self.theme_actions[theme] = action
        m.addSeparator()
        self._action(m, "F&ull Screen", self.toggle_full_screen, [SK.FullScreen])

        m = bar.addMenu("&Go")
        self._action(
            m, "&Next Document", lambda: self.list_pane.select_relative(1), ["Ctrl+PgDown"]
        )
        self._action(
            m, "&Previous Document", lambda: self.list_pane.select_relative(-1), ["Ctrl+PgUp"]
        )
        m.addSeparator()
        self._action(m, "Document &List", self.list_pane.focus_list, ["Alt+1"])
        self._action(m, "&Article", self.focus_article, ["Alt+2"])
        self._action(m, "&Tickers", self.tickers.focus_table, ["Alt+3"])

        m = bar.addMenu("&Help")
        self._action(m, "Quick &Tour", self.show_tour, [], "Reading, tagging and exporting keys")
        self._action(m, "&Keyboard Shortcuts", self.show_shortcuts, [SK.HelpContents, "Ctrl+/"])
        self._action(m, "&About Dump Reader", self.show_about, [])

    def shortcut_rows(self) -> list[tuple[str, str, list[QKeySequence]]]:
        rows = []
        for menu, action in self._commands:
            keys = [k for k in action.shortcuts() if _on_a_keyboard(k)]
            if keys:
                rows.append((menu, action.text().replace("&", "").rstrip("…"), keys))
        rows += [(where, what, [QKeySequence(k) for k in keys]) for where, what, keys in PANE_KEYS]
        return rows

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        try:
            folders = self.library.folders()[:10]
        except LibraryError as error:
            self.library_failed(error)
            folders = []
        sample = str(resource_path("sample_dump"))
        folders = [f for f in folders if f != sample]
        for n, folder in enumerate(folders, 1):
            escaped = folder.replace("&", "&&")
            action = self.recent_menu.addAction(f"&{n}  {escaped}" if n < 10 else escaped)
            action.triggered.connect(lambda _c=False, f=folder: self.import_paths([f]))
        if not folders:
            self.recent_menu.addAction("No folders yet").setEnabled(False)

    # ------------------------------------------------------------------------------ wiring

    def _wire(self) -> None:
        lp = self.list_pane
        lp.currentDocumentChanged.connect(self.show_document)
        lp.searchChanged.connect(self.article.set_search)
        lp.openRequested.connect(self.focus_article)
        lp.openFolderRequested.connect(self.open_folder)
        lp.sampleRequested.connect(self.import_sample)
        lp.libraryError.connect(self.library_failed)
        lp.groupedChanged.connect(self._grouped_changed)
        lp.model.countsChanged.connect(lambda _m, _t: self._update_empty_states())
        lp.model.updated.connect(self._list_updated)
        self.tickers.symbolSelected.connect(self._symbol_selected)
        self.article.zoomChanged.connect(self._zoom_changed)
        imp = self.importer
        imp.started.connect(self._import_started)
        imp.refreshDue.connect(self.list_pane.model.refresh)  # rows only; filters at the end
        imp.finished.connect(self._import_finished)
        imp.failed.connect(self._import_failed)
        imp.foldersMissing.connect(self._folders_missing)
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._system_scheme_changed)

    def _restore_state(self) -> None:
        s = self.settings
        if s.geometry is None or not self.restoreGeometry(s.geometry):
            # The first run: a roomy window, but never larger than the screen it opens on.
            screen = self.screen().availableGeometry()
            self.resize(min(1440, screen.width()), min(900, screen.height()))
        state = s.splitter_state("panes")
        if state is None or not self.splitter.restoreState(state):
            self.splitter.setSizes([470, 570, 400])
        header = s.header_state("documents")
        if header is not None:
            self.list_pane.view.horizontalHeader().restoreState(header)
        if s.reading_font:
            font = QFont()
            if font.fromString(s.reading_font):
                self.article.set_reading_font(font)
        self.article.set_zoom(s.zoom)
        # Opened when the list's first rows arrive (_list_updated).
        self._reopen = s.last_document(self.db_path)
        if s.group_by_story:
            self.list_pane.set_grouped(True)

    def save_state(self) -> None:
        s = self.settings
        s.geometry = self.saveGeometry()
        s.set_splitter_state("panes", self.splitter.saveState())
        s.set_header_state("documents", self.list_pane.view.horizontalHeader().saveState())
        s.set_last_document(self.db_path, self.list_pane.current_id())
        s.zoom = self.article.zoom
        s.sync()

    def shutdown(self) -> None:
        """Stop the import, the list's query thread and the stories' reads, waiting for them
        (safe to repeat)."""
        self.importer.shutdown()
        self.queries.close()
        self.stories.shutdown()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        self.save_state()
        super().closeEvent(event)

    # --------------------------------------------------------------------------- reading

    def export(self) -> None:
        """File › Export…: the dialog runs the export on its own connection."""
        dialog = ExportDialog(
            self.library,
            self.settings,
            current_id=self.list_pane.current_id(),
            selected_ids=self.list_pane.selected_ids(),
            parent=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def import_annotations(self) -> None:
        """File › Import Annotations…: merge a json export, then show what changed."""

        def done(_report: object) -> None:
            self.list_pane.refresh()
            current = self.list_pane.current_id()
            if current is not None:
                self.show_document(current)

        import_annotations_dialog(self, self.library, on_done=done)

    def show_document(self, doc_id: int) -> None:
        try:
            doc = self.library.document(doc_id)
        except UsageError:
            self.statusBar().showMessage("That document is no longer in the library.", 5000)
            self.refresh()
            return
        except LibraryError as error:
            self.library_failed(error)
            return
        self.article.show_document(doc)
        self.annotate.document_shown(doc)
        self.tickers.show_document(doc)
        self.stories.document_shown(doc)  # stories
        self.setWindowTitle(f"{doc.title} — {APP_NAME}")

    def _symbol_selected(self, symbol: str | None) -> None:
        self.tickers.set_mentions(symbol, self.article.set_symbol(symbol))

    def focus_article(self) -> None:
        if self.article.document is not None:
            self.article.body.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def refresh(self) -> None:
        """The library changed (an import): refresh the list and its filters."""
        self.list_pane.refresh()

    def _list_updated(self) -> None:
        """Rows arrived: with nothing open yet, open the last document read, or the first."""
        if self.article.document is not None:
            return
        reopen, self._reopen = self._reopen, None
        if reopen is None or not self.list_pane.select_document(reopen):
            self.list_pane.select_relative(1)

    def _grouped_changed(self, grouped: bool) -> None:
        self.group_action.setChecked(grouped)
        self.settings.group_by_story = grouped

    def _update_empty_states(self) -> None:
        if self.list_pane.model.total == 0:
            self.article.set_empty_text(
                "No documents yet.\n\nOpen a dump folder (File › Open Folder…, "
                f"{QKeySequence(QKeySequence.StandardKey.Open).toString()}) or explore the "
                "sample dump to start reading."
            )
        else:
            self.article.set_empty_text("Select a document in the list to read it.")

    # --------------------------------------------------------------------------- importing

    def import_paths(self, paths: Sequence[str]) -> bool:
        """Import folders or files in the background (the list fills as they arrive)."""
        return self.importer.import_paths(paths)

    def open_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Open a Dump Folder", _start_dir())
        if folder:
            self.import_paths([folder])

    def open_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, "Import Pages", _start_dir(), "Text pages (*.txt *.TXT);;All files (*)"
        )
        if files:
            self.import_paths(files)

    def import_sample(self) -> None:
        self.import_paths([str(resource_path("sample_dump"))])

    def rescan(self) -> None:
        try:
            folders = self.library.folders()
        except LibraryError as error:
            self.library_failed(error)
            return
        if not folders:
            self.statusBar().showMessage(
                "This library has no folders to re-scan yet: open a dump folder first.", 6000
            )
            return
        self.import_paths(folders)

    def _import_started(self, _paths: list[str]) -> None:
        self.cancel_action.setEnabled(True)
        self.list_pane.welcome.set_busy(True)

    def _import_ended(self) -> None:
        running = self.importer.is_running()  # the next queued import may have started
        self.cancel_action.setEnabled(running)
        self.list_pane.welcome.set_busy(running)

    def _import_finished(self, report: ImportReport) -> None:
        self._import_ended()
        self.refresh()
        self.statusBar().showMessage(dialogs.report_summary(report), 15000)
        if report.failed or report.skipped:
            dialog = dialogs.ImportReportDialog(report, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.destroyed.connect(self._report_closed)
            self.last_report_dialog = dialog
            dialog.open()

    def _report_closed(self) -> None:
        self.last_report_dialog = None

    def _import_failed(self, message: str, details: str) -> None:
        self._import_ended()
        self.refresh()
        dialogs.show_error(self, "Import Stopped", message, details)

    def _folders_missing(self, folders: list[str]) -> None:
        dialogs.show_error(self, "Folder Not Found", dialogs.missing_folders_text(folders))

    def library_failed(self, error: LibraryError) -> None:
        """A library error while the window runs: say it once, keep the window alive."""
        if self._error_open:
            return
        self._error_open = True
        box = dialogs.show_error(
            self,
            "Library Problem",
            f"{dialogs.library_error_headline(error)}\n\n{error}",
        )
        box.finished.connect(self._error_closed)

    def _error_closed(self) -> None:
        self._error_open = False

    # ------------------------------------------------------------------------ drag and drop

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _local_paths(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = _local_paths(event)
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)

    # ------------------------------------------------------------------------ view, help

    def _zoom_changed(self, zoom: int) -> None:
        self.settings.zoom = zoom
        size = self.article.body.font().pointSizeF()
        self.statusBar().showMessage(f"Text size {size:g} pt (Ctrl+0 for the usual size)", 3000)

    def choose_font(self) -> None:
        ok, font = QFontDialog.getFont(self.article.reading_font(), self, "Reading Font")
        if ok:
            self.article.set_reading_font(font)
            self.settings.reading_font = font.toString()

    def set_theme(self, theme: Theme) -> None:
        self.settings.theme = theme
        self.theme_actions[theme].setChecked(True)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, theme)

    def _system_scheme_changed(self) -> None:
        if self.settings.theme == "system":
            self.set_theme("system")

    def toggle_full_screen(self) -> None:
        self.setWindowState(self.windowState() ^ Qt.WindowState.WindowFullScreen)

    def show_tour(self) -> None:
        dialog = TourDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.settings.tour_seen = True

    def show_shortcuts(self) -> None:
        dialog = dialogs.ShortcutsDialog(self.shortcut_rows(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def show_about(self) -> None:
        box = QMessageBox(self)
        box.setWindowTitle(f"About {APP_NAME}")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setIconPixmap(self.windowIcon().pixmap(64, 64))
        box.setText(
            f"{APP_NAME} {__version__}\n\nRead, search and annotate folders of scraped news "
            f"pages.\n\nLibrary: {self.db_path}"
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()


def _on_a_keyboard(keys: QKeySequence) -> bool:
    """False for the dedicated keys some keyboards have (Open, Find, Help, Zoom In…): they work,
    but listing them next to Ctrl+O only clutters the help."""
    if keys.count() == 0:
        return False
    key = keys[0].key().value
    printable = key < Qt.Key.Key_Escape.value
    editing = Qt.Key.Key_Escape.value <= key <= Qt.Key.Key_PageDown.value
    function = Qt.Key.Key_F1.value <= key <= Qt.Key.Key_F35.value
    return printable or editing or function


def _local_paths(event: QDragEnterEvent | QDropEvent) -> list[str]:
    mime = event.mimeData()
    if not mime.hasUrls():
        return []
    return [u.toLocalFile() for u in mime.urls() if u.isLocalFile() and u.toLocalFile()]


def _start_dir() -> str:
    return os.path.expanduser("~")
