"""Tag everywhere (this document, the library in a worker), suggestions, entity types, browser."""

from __future__ import annotations

import re

from gui_support import (
    PAGES,
    TICKER_TITLE_START,
    TITLED_TITLE,
    WIRE_TITLE_START,
    settle,
    write_pages,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from test_annotate import open_doc, press, select_text

from reader.annotate import suggest
from reader.ui.entity_browser import EntityBrowser, EntityTableModel, KwicModel
from reader.ui.entity_types_dialog import EntityTypesDialog


def confirm(qtbot, window) -> QMessageBox:  # noqa: ANN001
    qtbot.waitUntil(
        lambda: window.annotate.run is not None and window.annotate.run.confirm is not None
    )
    box = window.annotate.run.confirm
    return box


def test_tag_all_in_this_document_with_count_and_one_undo(qtbot, window, library) -> None:
    doc = open_doc(window, TITLED_TITLE)
    body = window.article.document.body
    more = len(re.findall(r"\bseed\b", body)) - 1
    assert more == 2
    select_text(window, "seed", nth=0)
    press(qtbot, window, Qt.Key.Key_4)
    press(qtbot, window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    box = confirm(qtbot, window)
    assert f"Tag {more} occurrences of “seed” as LOC" in box.text()
    box.defaultButton().click()
    qtbot.waitUntil(lambda: window.annotate.run is None)
    tagged = [a for a in library.annotations(doc) if a.type == "LOC"]
    assert [a.text for a in tagged] == ["seed"] * (more + 1)
    assert window.annotate.panel.model.rowCount() == more + 1
    window.annotate.annotator.undo()  # the whole batch in one step
    assert len(library.annotations(doc)) == 1
    window.annotate.annotator.redo()
    assert len(library.annotations(doc)) == more + 1
    window.annotate.annotator.undo()
    window.annotate.annotator.undo()
    assert library.annotations(doc) == []


def test_tag_all_in_the_library_runs_in_a_worker(qtbot, window, library, tmp_path) -> None:
    extra = {
        f"01{n}_aa{n:014d}.txt": f"Zarco and Tampere, day {n}.\n\nZarco said so.\n"
        for n in range(3)
    }
    library.import_paths([write_pages(tmp_path / "more", extra)])
    window.refresh()
    settle(qtbot, window)
    doc = open_doc(window, TICKER_TITLE_START)
    select_text(window, "Zarco")
    press(qtbot, window, Qt.Key.Key_2)
    window.annotate.tag_everywhere(library=True)
    box = confirm(qtbot, window)
    assert "Tag 6 occurrences of “Zarco” in 3 documents as ORG" in box.text()
    box.defaultButton().click()
    qtbot.waitUntil(lambda: window.annotate.run is None, timeout=10_000)
    from reader.annotate import registry

    info = registry.entity_info(library, "Zarco")
    assert info is not None and info.mentions == 7 and info.documents == 4
    window.annotate.annotator.undo()
    assert registry.entity_info(library, "Zarco").mentions == 1
    assert len(library.annotations(doc)) == 1
    settle(qtbot, window)


def test_suggestions_are_underlined_accepted_and_rejected(qtbot, window, library) -> None:
    doc = open_doc(window, TICKER_TITLE_START)
    found = window.article.suggestions
    assert [(s.text, s.type, s.reason) for s in found] == [("ZARCO", "TICKER", "ticker")]
    from PySide6.QtGui import QTextCharFormat

    def dotted() -> int:
        marks = window.article.body.extraSelections()
        style = QTextCharFormat.UnderlineStyle.DotLine
        return sum(1 for m in marks if m.format.underlineStyle() == style)

    assert dotted() == 1
    (first,) = found
    window.article.reveal(first.start + 1, first.start + 1, select=False)
    window.article.body.setFocus()
    press(qtbot, window, Qt.Key.Key_Return)
    anns = library.annotations(doc)
    assert [(a.start, a.end, a.type) for a in anns] == [(first.start, first.end, "TICKER")]
    assert window.article.suggestions == [] and dotted() == 0
    # a name tagged here is suggested in another document; Backspace rejects it there
    select_text(window, "Tuesday")
    press(qtbot, window, Qt.Key.Key_5)
    wire = open_doc(window, WIRE_TITLE_START)
    (second,) = window.article.suggestions
    assert (second.text, second.type, second.reason) == ("Tuesday", "EVENT", "name")
    window.article.reveal(second.end, second.end, select=False)
    window.article.body.setFocus()
    press(qtbot, window, Qt.Key.Key_Backspace)
    assert window.article.suggestions == []
    assert suggest.suggestions(library, wire) == []
    assert library.annotations(wire) == []
    window.annotate.annotator.undo()  # the rejection
    assert [s.text for s in window.article.suggestions] == ["Tuesday"]


def test_entity_types_dialog_adds_renames_recolours_rekeys(qtbot, window, library) -> None:
    window.annotate.show_types()
    dialog = window.findChild(EntityTypesDialog)
    assert dialog is not None
    assert dialog.add("product")
    assert any(t.name == "PRODUCT" and t.key == 7 for t in library.entity_types())
    rows = {what: [k.toString() for k in keys] for _m, what, keys in window.shortcut_rows()}
    assert rows["Tag as PRODUCT"] == ["7"]
    assert dialog.rename("GADGET") and dialog.recolour("#123456") and dialog.set_key(9)
    t = next(t for t in library.entity_types() if t.name == "GADGET")
    assert (t.color, t.key) == ("#123456", 9)
    assert window.annotate.panel.filter.findData("GADGET") >= 0
    dialog.reject()
    open_doc(window, TITLED_TITLE)
    select_text(window, "seed shelf")
    window.activateWindow()  # the dialog had it
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.article.body.setFocus()
    press(qtbot, window, Qt.Key.Key_9)
    assert [a.type for a in library.annotations(window.article.document.id)] == ["GADGET"]


def test_entity_browser_merges_and_jumps(qtbot, qtmodeltester, window, library) -> None:
    titled = open_doc(window, TITLED_TITLE)
    select_text(window, "Aino Virtanen")
    press(qtbot, window, Qt.Key.Key_1)
    select_text(window, "Librarian Aino Virtanen")
    press(qtbot, window, Qt.Key.Key_1)
    window.annotate.show_browser()
    browser = window.findChild(EntityBrowser)
    model = browser.model
    qtmodeltester.check(model)
    names = [model.row(r).name for r in range(model.rowCount())]
    assert names == ["Aino Virtanen", "Librarian Aino Virtanen"]
    browser.view.selectRow(1)
    from PySide6.QtCore import QItemSelectionModel

    sel = browser.view.selectionModel()
    sel.setCurrentIndex(
        model.index(0, 0),
        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
    )
    assert browser.merge_button.isEnabled()
    assert browser.merge()
    assert [model.row(r).name for r in range(model.rowCount())] == ["Aino Virtanen"]
    assert model.row(0).aliases == ("Librarian Aino Virtanen",) and model.row(0).mentions == 2
    browser.select("Aino Virtanen")
    assert browser.kwic.rowCount() == 2
    qtmodeltester.check(browser.kwic)
    line = browser.kwic.row(0)
    open_doc(window, TICKER_TITLE_START)
    browser.lines.activated.emit(browser.kwic.index(0, 2))
    assert window.article.document.id == titled
    assert window.article.selected_span() == (line.start, line.end)
    window.annotate.annotator.undo()  # the merge
    assert model.rowCount() == 2
    browser.close()


def test_paged_entity_model(qtmodeltester, library) -> None:
    doc = library.list_documents()[0].id if hasattr(library, "list_documents") else 1
    body = library.body(doc)
    for i in range(0, min(len(body) - 3, 900), 3):
        library.add_entity(doc, i, i + 2, "ORG", entity=f"E{i:04d}")
    model = EntityTableModel(library)
    model.reload()
    assert model.rowCount() == min(model.total, 200)
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == model.total
    model.sort(2, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)
    kwic = KwicModel(library)
    kwic.set_entity("E0003")
    assert kwic.rowCount() == 1
    assert len(PAGES) == 3
