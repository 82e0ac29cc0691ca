"""The main window on a fixture library: reading, searching, filtering, tickers, keyboard, state."""

from __future__ import annotations

from gui_support import (
    PAGES,
    TICKER_TITLE_START,
    TITLED_TITLE,
    WIRE_TITLE_START,
    open_window,
    settle,
)
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from reader.ui.dialogs import ShortcutsDialog
from reader.ui.offsets import cp_to_utf16


def row_titled(window, start: str) -> int:  # noqa: ANN001
    model = window.list_pane.model
    for row in range(model.rowCount()):
        if model.data(model.index(row, 0)).startswith(start):
            return row
    raise AssertionError(f"no row titled {start!r}")


def select(window, start: str) -> None:  # noqa: ANN001
    model = window.list_pane.model
    assert window.list_pane.select_document(model.id_at(row_titled(window, start)))


def key(qtbot, window, k, mod=Qt.KeyboardModifier.NoModifier) -> None:  # noqa: ANN001
    """Press keys where a person would: on the widget that has the focus."""
    qtbot.keyClick(QApplication.focusWidget() or window, k, mod)


def test_the_window_opens_on_the_library_and_shows_the_first_document(window) -> None:
    assert window.list_pane.model.rowCount() == len(PAGES)
    assert window.list_pane.count.text() == "3 documents"
    assert window.article.document is not None
    assert window.article.document.id == window.list_pane.model.id_at(0)
    assert window.windowTitle().endswith("Dump Reader")
    assert not window.windowIcon().isNull() or QApplication.windowIcon() is not None


def test_selecting_a_document_shows_its_body_and_ticker_rows(window) -> None:
    select(window, TICKER_TITLE_START)
    doc = window.article.document
    assert doc.title.startswith(TICKER_TITLE_START)
    assert window.article.body.toPlainText() == doc.body
    assert doc.body.startswith("LAHORE: Zarco Cement")
    assert window.article.header.title.text() == doc.title
    assert "Dateline LAHORE" in window.article.header.meta.text()
    assert "000_1a2b3c4d5e6f7081.txt" in window.article.header.files.toolTip()
    tickers = window.tickers
    assert tickers.stack.currentWidget() is tickers.view
    symbols = [
        tickers.model.data(tickers.model.index(r, 0)) for r in range(tickers.model.rowCount())
    ]
    assert symbols == ["Stocks (3)", "ZARCO", "MIRAB", "TELVA", "Indices (2)", "KSE100", "BR30"]
    assert tickers.model.data(tickers.model.index(3, 1)) == "1,015.00"
    assert tickers.model.data(tickers.model.index(2, 4)) == "▼ Down"


def test_a_page_without_tickers_says_so_and_page_text_stays_plain(window) -> None:
    select(window, TITLED_TITLE)
    assert window.tickers.stack.currentWidget() is window.tickers.empty
    assert window.tickers.empty.text() == "This page has no ticker rows."
    body = window.article.body
    assert "<b>not bold</b>" in body.toPlainText()  # shown as written, never as markup
    assert window.article.header.title.textFormat() == Qt.TextFormat.PlainText
    assert "No date, dateline or source" in window.article.header.meta.text()


def test_the_search_narrows_the_list_and_marks_the_words(qtbot, window) -> None:
    pane = window.list_pane
    qtbot.keyClicks(pane.search, "harvest")
    qtbot.waitUntil(lambda: pane.model.rowCount() == 1)
    assert pane.count.text() == "1 of 3 documents"
    article = window.article
    # The page being read is not among the matches: the first match opens by itself.
    qtbot.waitUntil(lambda: article.document.title == TITLED_TITLE)
    assert pane.view.currentIndex().row() == 0
    spans = article.marks("search")
    assert [article.document.body[s:e] for s, e in spans] == ["harvest"]
    # The mark sits on the same characters in Qt's UTF-16 positions (an emoji comes before it).
    selection = next(
        sel for sel in article.body.extraSelections() if sel.cursor.selectedText() == "harvest"
    )
    assert selection.cursor.selectionStart() == cp_to_utf16(article.document.body, spans[0][0])
    pane.search.clear()
    qtbot.waitUntil(lambda: pane.model.rowCount() == 3)
    assert article.marks("search") == []


def test_typing_in_the_list_searches(qtbot, window) -> None:
    """Letters typed with the list focused go to the search box (no row-by-row title scan)."""
    pane = window.list_pane
    pane.view.setFocus()
    qtbot.waitUntil(pane.view.hasFocus)
    qtbot.keyClicks(pane.view, "harv")  # the first letter moves the focus, the rest follow it
    qtbot.keyClicks(QApplication.focusWidget(), "est")
    assert pane.search.text() == "harvest" and pane.search.hasFocus()
    qtbot.waitUntil(lambda: pane.model.rowCount() == 1)


def test_a_search_without_matches_offers_to_clear(qtbot, window) -> None:
    pane = window.list_pane
    qtbot.keyClicks(pane.search, "zeppelin")
    qtbot.waitUntil(lambda: pane.stack.currentWidget() is pane.no_matches)
    qtbot.mouseClick(pane.no_matches.clear_button, Qt.MouseButton.LeftButton)
    assert pane.search.text() == ""
    settle(qtbot, window)
    assert pane.model.rowCount() == 3
    assert pane.stack.currentWidget() is pane.view


def test_filters_narrow_the_list(qtbot, window) -> None:
    pane = window.list_pane

    def rows() -> int:
        settle(qtbot, window)
        return pane.model.rowCount()

    pane.source.setCurrentIndex(pane.source.findData("Reuters"))
    assert rows() == 1
    assert pane.model.data(pane.model.index(0, 0)).startswith(WIRE_TITLE_START)
    pane.clear_filters()
    pane.tickers.setCurrentIndex(pane.tickers.findData(True))
    assert rows() == 1
    pane.tickers.setCurrentIndex(pane.tickers.findData(False))
    assert rows() == 2
    pane.clear_filters()
    pane.date_from.setDate(QDate(2024, 1, 1))
    pane.date_to.setDate(QDate(2024, 1, 31))
    assert rows() == 1  # undated pages drop out of a date range
    pane.date_to.setDate(QDate(2024, 1, 1))
    assert rows() == 0
    assert pane.stack.currentWidget() is pane.no_matches
    pane.clear_filters()
    assert rows() == 3
    assert not pane.tag.isEnabled()  # no tags in this library yet


def test_a_tag_filter_appears_when_documents_have_tags(qtbot, window, library) -> None:
    doc_id = window.list_pane.model.id_at(1)
    library.tag(doc_id, ["harbour"])
    window.refresh()
    pane = window.list_pane
    assert pane.tag.isEnabled()
    pane.tag.setCurrentIndex(pane.tag.findData("harbour"))
    settle(qtbot, window)
    assert list(pane.model.ids()) == [doc_id]


def test_selecting_a_ticker_marks_its_mentions(window) -> None:
    select(window, TICKER_TITLE_START)
    article, tickers = window.article, window.tickers
    assert tickers.select_symbol("ZARCO")
    spans = article.marks("ticker")
    assert [article.document.body[s:e] for s, e in spans] == ["ZARCO"]
    assert tickers.mentions.text() == "ZARCO is mentioned once in the article (marked)."
    assert tickers.select_symbol("MIRAB")
    assert article.marks("ticker") == []  # "Mirab Foods" is a name, not the symbol
    assert tickers.mentions.text() == "MIRAB is not mentioned in the article."


def test_find_in_the_document_with_the_keyboard(qtbot, window) -> None:
    select(window, TICKER_TITLE_START)
    window.focus_article()
    key(qtbot, window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    bar = window.article.find_bar
    assert bar.isVisible()
    assert QApplication.focusWidget() is bar.edit
    qtbot.keyClicks(bar.edit, "said")
    body = window.article.body
    assert body.textCursor().selectedText() == "said"
    assert bar.count.text() == "1 of 3"
    key(qtbot, window, Qt.Key.Key_F3)
    assert bar.count.text() == "2 of 3"
    key(qtbot, window, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert bar.count.text() == "1 of 3"
    key(qtbot, window, Qt.Key.Key_Return)
    assert bar.count.text() == "2 of 3"
    key(qtbot, window, Qt.Key.Key_Escape)
    assert not bar.isVisible()
    assert window.article.marks("find") == []


def test_keyboard_navigation_between_documents_and_panes(qtbot, window) -> None:
    pane = window.list_pane
    first = pane.model.id_at(0)
    assert window.article.document.id == first
    key(qtbot, window, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert window.article.document.id == pane.model.id_at(1)
    key(qtbot, window, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert window.article.document.id == first
    key(qtbot, window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is pane.search
    key(qtbot, window, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is pane.view
    key(qtbot, window, Qt.Key.Key_Down)
    assert window.article.document.id == pane.model.id_at(1)
    key(qtbot, window, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is window.article.body
    select(window, TICKER_TITLE_START)
    key(qtbot, window, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is window.tickers.view
    assert window.tickers.selected_symbol() == "ZARCO"
    key(qtbot, window, Qt.Key.Key_Down)
    assert window.tickers.selected_symbol() == "MIRAB"
    key(qtbot, window, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is pane.view


def test_zoom_keys_change_the_text_size_and_it_is_remembered(qtbot, window, settings) -> None:
    body = window.article.body
    size = body.font().pointSizeF()
    key(qtbot, window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    key(qtbot, window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert body.font().pointSizeF() == size + 2
    key(qtbot, window, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert settings.zoom == 1
    key(qtbot, window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert body.font().pointSizeF() == size
    assert settings.zoom == 0


def test_state_is_remembered_between_windows(qtbot, library, settings) -> None:
    window = open_window(qtbot, library, settings)
    select(window, WIRE_TITLE_START)
    window.article.set_zoom(3)
    window.splitter.setSizes([300, 700, 360])
    sizes = window.splitter.sizes()
    window.close()
    again = open_window(qtbot, library, settings)
    assert again.article.document.title.startswith(WIRE_TITLE_START)
    assert again.article.zoom == 3
    # The list and ticker panes keep their widths; the article takes what the screen allows.
    assert again.splitter.sizes()[0] == sizes[0]
    assert again.splitter.sizes()[2] == sizes[2]


def test_help_lists_every_shortcut(qtbot, window) -> None:
    rows = window.shortcut_rows()
    commands = {command for _menu, command, _keys in rows}
    for expected in (
        "Open Folder",
        "Find in Document",
        "Find Next",
        "Find Previous",
        "Search the Library",
        "Zoom In",
        "Zoom Out",
        "Actual Size",
        "Next Document",
        "Previous Document",
        "Keyboard Shortcuts",
        "Quit",
    ):
        assert expected in commands
    key(qtbot, window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), ShortcutsDialog))
    dialog = QApplication.activeModalWidget()
    assert dialog.table.rowCount() == len(rows)
    dialog.close()


def test_every_action_with_keys_has_distinct_keys(window) -> None:
    seen: dict[str, str] = {}
    for _menu, command, keys in window.shortcut_rows():
        if _menu in ("File", "Edit", "View", "Go", "Help", "Theme"):
            for k in keys:
                assert k.toString() not in seen, f"{command} and {seen.get(k.toString())}"
                seen[k.toString()] = command


def test_the_theme_follows_the_choice(window, settings, light_theme, qapp) -> None:  # noqa: ANN001
    window.set_theme("dark")
    assert settings.theme == "dark"
    assert qapp.palette().color(QPalette.ColorRole.Base).lightness() < 128
    window.set_theme("light")
    assert qapp.palette().color(QPalette.ColorRole.Base).lightness() > 128
    assert window.theme_actions["light"].isChecked()


def test_an_empty_library_shows_the_welcome(qtbot, empty_library, settings) -> None:
    window = open_window(qtbot, empty_library, settings)
    pane = window.list_pane
    assert pane.stack.currentWidget() is pane.welcome
    assert "Open a dump folder" in window.article.empty.text()
    assert window.tickers.stack.currentWidget() is window.tickers.empty
    with qtbot.waitSignal(window.importer.finished, timeout=20_000) as blocker:
        qtbot.mouseClick(pane.welcome.sample_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0].imported >= 20
    settle(qtbot, window)
    assert pane.stack.currentWidget() is pane.view
    assert window.article.document is not None  # the first page opens by itself


def test_sorting_from_the_menu_and_from_the_header_agree(qtbot, window) -> None:
    menu, pane = window.sort_documents_menu, window.list_pane
    header = pane.view.horizontalHeader()
    natural = list(pane.model.ids())
    menu.by_column[0].trigger()  # Title
    settle(qtbot, window)
    assert header.sortIndicatorSection() == 0
    titles = [pane.model.data(pane.model.index(r, 0)) for r in range(3)]
    assert titles == sorted(titles, key=str.casefold)
    menu.descending.trigger()
    settle(qtbot, window)
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert [pane.model.data(pane.model.index(r, 0)) for r in range(3)] == titles[::-1]
    header.setSortIndicator(3, Qt.SortOrder.DescendingOrder)  # a click on "Tickers"
    assert menu.by_column[3].isChecked() and menu.descending.isChecked()
    menu.by_column[-1].trigger()
    settle(qtbot, window)
    assert list(pane.model.ids()) == natural
    assert not menu.descending.isEnabled()
    window.sort_tickers_menu.by_column[0].trigger()
    assert window.tickers.view.horizontalHeader().sortIndicatorSection() == 0


def test_ctrl_e_opens_the_export_dialog_on_the_selection(qtbot, window) -> None:
    from reader.ui.export_dialog import ExportDialog

    select(window, WIRE_TITLE_START)
    window.list_pane.view.setFocus()
    key(qtbot, window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = window.findChild(ExportDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.selected_ids == window.list_pane.selected_ids() == [window.list_pane.current_id()]
    dialog.reject()
