"""Annotating in the window: keys on a selection, the panel, notes, tags, undo and redo."""

from __future__ import annotations

from gui_support import TICKER_TITLE_START, TITLED_TITLE, settle
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication

from reader.ui.annotate_ui import NoteDialog
from reader.ui.annotations_panel import HIGHLIGHTS, AnnotationsModel, OrphansModel
from reader.ui.offsets import cp_to_utf16


def open_doc(window, start: str) -> int:  # noqa: ANN001
    model = window.list_pane.model
    for row in range(model.rowCount()):
        if model.data(model.index(row, 0)).startswith(start):
            doc_id = model.id_at(row)
            assert window.list_pane.select_document(doc_id)
            return doc_id
    raise AssertionError(start)


def select_text(window, text: str, nth: int = 0) -> tuple[int, int]:  # noqa: ANN001
    """Select ``text`` in the article through the cursor API; returns its code-point span."""
    body = window.article.document.body
    start = -1
    for _ in range(nth + 1):
        start = body.index(text, start + 1)
    end = start + len(text)
    view = window.article.body
    cursor = view.textCursor()
    cursor.setPosition(cp_to_utf16(body, start))
    cursor.setPosition(cp_to_utf16(body, end), QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    view.setFocus()
    QApplication.processEvents()
    return start, end


def press(qtbot, window, key, mod=Qt.KeyboardModifier.NoModifier) -> None:  # noqa: ANN001
    qtbot.keyClick(QApplication.focusWidget() or window, key, mod)


def test_number_key_tags_the_selection_with_exact_offsets_and_undo_redo(
    qtbot, window, library
) -> None:
    doc = open_doc(window, TITLED_TITLE)
    span = select_text(window, "Aino Virtanen")
    press(qtbot, window, Qt.Key.Key_1)
    anns = library.annotations(doc)
    assert [(a.start, a.end, a.type, a.text) for a in anns] == [(*span, "PERSON", "Aino Virtanen")]
    assert window.annotate.panel.model.rowCount() == 1
    assert (
        window.annotate.undo_action.text().replace("&", "").startswith("Undo Tag “Aino Virtanen”")
    )

    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert library.annotations(doc) == []
    assert window.annotate.panel.model.rowCount() == 0
    press(
        qtbot,
        window,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert [(a.start, a.end) for a in library.annotations(doc)] == [span]
    assert [(a.start, a.end) for a in window.article.annotations] == [span]


def test_number_keys_do_nothing_without_a_selection(qtbot, window, library) -> None:
    doc = open_doc(window, TITLED_TITLE)
    window.article.body.setFocus()
    press(qtbot, window, Qt.Key.Key_2)
    press(qtbot, window, Qt.Key.Key_H)
    assert library.annotations(doc) == []
    assert not window.annotate.highlight_action.isEnabled()
    # and typing a digit in the search box types it
    window.list_pane.focus_search()
    select_text(window, "Tampere")
    window.list_pane.search.setFocus()
    QApplication.processEvents()
    press(qtbot, window, Qt.Key.Key_3)
    assert window.list_pane.search.text() == "3"
    assert library.annotations(doc) == []


def test_emoji_offsets_overlaps_highlight_colours_and_notes(qtbot, window, library) -> None:
    doc = open_doc(window, TITLED_TITLE)
    body = window.article.document.body
    assert "🌱" in body
    span = select_text(window, "alongside its books")  # after the emoji: UTF-16 ≠ code points
    press(qtbot, window, Qt.Key.Key_H)
    inner = select_text(window, "books")
    press(qtbot, window, Qt.Key.Key_4)
    outer = select_text(window, "seed 🌱 alongside")
    window.annotate.set_color("green")  # picking a colour with a selection highlights it
    anns = {(a.start, a.end): a for a in library.annotations(doc)}
    assert anns[span].kind == "highlight" and anns[span].color == "yellow"
    assert anns[span].text == "alongside its books" == body[span[0] : span[1]]
    assert anns[inner].type == "LOC" and anns[inner].text == "books"
    assert anns[outer].color == "green" and anns[outer].text == "seed 🌱 alongside"
    # the marks drawn cover the same text in Qt's positions
    marks = window.article.body.extraSelections()
    drawn = {m.cursor.selectedText() for m in marks}
    assert {"alongside its books", "books", "seed 🌱 alongside"} <= drawn

    # N on the exact span of the highlight edits its note
    select_text(window, "alongside its books")
    press(qtbot, window, Qt.Key.Key_N)
    dialog = window.findChild(NoteDialog)
    assert dialog is not None
    dialog.edit.setPlainText("Seeds <i>and</i> books")
    dialog.accept()
    assert library.annotation(anns[span].id).note == "Seeds <i>and</i> books"
    tip = window.article.tooltip_at(window.article.body.cursorRect().center())
    assert "&lt;i&gt;" in tip or tip == ""  # page-like text is escaped in tooltips

    # the panel filters by type, edits notes in place, deletes with Del
    panel = window.annotate.panel
    model = panel.model
    assert model.rowCount() == 3
    panel.filter.setCurrentIndex(panel.filter.findData(HIGHLIGHTS))
    assert model.rowCount() == 2
    panel.filter.setCurrentIndex(panel.filter.findData("LOC"))
    assert model.rowCount() == 1
    panel.filter.setCurrentIndex(0)
    row = model.row_of(anns[inner].id)
    assert model.setData(model.index(row, 2), "a place?")
    assert library.annotation(anns[inner].id).note == "a place?"
    panel.view.setFocus()
    panel.view.setCurrentIndex(model.index(model.row_of(anns[inner].id), 1))
    qtbot.keyClick(panel.view, Qt.Key.Key_Delete)
    assert anns[inner].id not in {a.id for a in library.annotations(doc)}
    window.annotate.annotator.undo()
    restored = library.annotation(anns[inner].id)
    assert restored.note == "a place?" and (restored.start, restored.end) == inner


def test_right_to_left_text_round_trips(qtbot, window, library, tmp_path) -> None:
    from gui_support import write_pages

    urdu = "کراچی اسٹاک ایکسچینج میں آج تیزی رہی 📈 اور سرمایہ کاروں نے خریداری کی۔\n"
    folder = write_pages(tmp_path / "urdu", {"003_4d5e6f7081920314.txt": "اردو خبر\n\n" + urdu})
    library.import_paths([folder])
    window.refresh()
    settle(qtbot, window)
    doc = open_doc(window, "اردو")
    span = select_text(window, "سرمایہ کاروں")
    press(qtbot, window, Qt.Key.Key_1)
    (ann,) = library.annotations(doc)
    assert (ann.start, ann.end) == span and ann.text == "سرمایہ کاروں"
    window.article.reveal(ann.start, ann.end)
    assert window.article.selected_span() == span


def test_document_tags_chips_completer_and_list_filter(qtbot, window, library) -> None:
    doc = open_doc(window, TICKER_TITLE_START)
    chips = window.article.header.tags
    chips.edit.setFocus()
    qtbot.keyClicks(chips.edit, "cement, markets")
    qtbot.keyClick(chips.edit, Qt.Key.Key_Return)
    assert library.document_tags(doc) == ["cement", "markets"]
    assert chips.tags() == ["cement", "markets"]
    assert chips.completions.stringList() == ["cement", "markets"]
    pane = window.list_pane
    pane.tag.setCurrentIndex(pane.tag.findData("cement"))
    settle(qtbot, window)
    assert pane.model.rowCount() == 1
    chips.chips[0].click()
    assert library.document_tags(doc) == ["markets"]
    window.annotate.annotator.undo()
    assert library.document_tags(doc) == ["cement", "markets"]


def test_undo_across_documents_goes_back_to_the_document(qtbot, window, library) -> None:
    first = open_doc(window, TITLED_TITLE)
    select_text(window, "Tampere")
    press(qtbot, window, Qt.Key.Key_3)
    second = open_doc(window, TICKER_TITLE_START)
    select_text(window, "Mirab Foods")
    press(qtbot, window, Qt.Key.Key_2)
    assert len(library.annotations(second)) == 1
    window.annotate.annotator.undo()
    window.annotate.annotator.undo()
    assert library.annotations(first) == [] and library.annotations(second) == []
    assert window.article.document.id == first
    window.annotate.annotator.redo()
    assert len(library.annotations(first)) == 1


def test_orphans_are_listed_apart_and_reattached(qtbot, window, library) -> None:
    doc = open_doc(window, TITLED_TITLE)
    ann = library.add_highlight(doc, 4, 11, note="old")
    library.delete_annotation(ann.id)
    from dataclasses import replace

    library.restore_annotation(replace(ann, orphaned=True, text="vanished words"))
    window.show_document(doc)
    panel = window.annotate.panel
    assert panel.model.rowCount() == 0
    assert panel.orphans_model.rowCount() == 1
    assert "vanished words" in panel.orphans_model.data(panel.orphans_model.index(0, 0))
    assert not panel.orphans_box.isHidden()
    span = select_text(window, "seed shelf")
    panel.reattach_button.click()
    moved = library.annotation(ann.id)
    assert not moved.orphaned and (moved.start, moved.end) == span and moved.note == "old"
    assert panel.orphans_model.rowCount() == 0 and panel.model.rowCount() == 1
    window.annotate.annotator.undo()
    assert library.annotation(ann.id).orphaned
    window.annotate.annotator.redo()
    window.annotate.annotator.undo()
    panel.orphans_view.setCurrentIndex(panel.orphans_model.index(0, 0))
    panel.delete_orphan_button.click()
    assert library.annotations(doc) == []


def test_new_models_pass_the_model_tester(qtmodeltester, window, library) -> None:
    doc = open_doc(window, TITLED_TITLE)
    library.add_highlight(doc, 0, 4, note="n")
    library.add_entity(doc, 5, 12, "ORG")
    anns = library.annotations(doc)
    model = AnnotationsModel()
    model.set_annotations(anns)
    qtmodeltester.check(model)
    orphans = OrphansModel()
    orphans.set_orphans(anns)
    qtmodeltester.check(orphans)


def test_the_annotate_keys_are_listed(window) -> None:
    rows = {what: [k.toString() for k in keys] for _m, what, keys in window.shortcut_rows()}
    assert rows["Tag as PERSON"] == ["1"]
    assert rows["Highlight"] == ["H"]
    assert rows["Undo"] == ["Ctrl+Z"]
    assert "Ctrl+Shift+Z" in rows["Redo"]
