"""The document list grouped by story: View › Group by Story, as a person uses it.

Uses the stories fixture dump (tests/fixtures/stories: original fictional pages of three
outlets, with a ferry grounding reported four times and a tram vote reported twice), imported
beside the three pages of the window's usual fixture library.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from gui_support import open_window, settle
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from reader.library.records import DocumentFilter
from reader.ui.story_list import BadgeRole, DepthRole, ExpandedRole, StoryListModel

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "stories"
FERRY_FIRST = "The passenger ferry Saltmarsh Star ran aground"
FERRY = {
    "003_5be1c0a7d2e94f16.txt",
    "wire_20240514_0007.txt",
    "0007_b81f4a6c20d9e357.txt",
    "saltmarsh-star-refloated.txt",
}


@pytest.fixture
def stories_lib(library, tmp_path: Path):  # noqa: ANN001, ANN201
    from reader.stories.grouping import update_stories

    dump = tmp_path / "stories-dump"
    shutil.copytree(FIXTURE, dump)
    report = library.import_paths([dump])
    update_stories(library, report.document_ids)
    return library


@pytest.fixture
def win(qtbot, stories_lib, settings):  # noqa: ANN001, ANN201
    return open_window(qtbot, stories_lib, settings)


def doc_named(lib, name: str) -> int:  # noqa: ANN001
    return next(d for d in lib.document_ids() if any(p.endswith(name) for p in lib.paths(d)))


def grouped(qtbot, window) -> StoryListModel:  # noqa: ANN001
    """Turn grouping on the way a person does (the View menu's command) and wait for it."""
    window.group_action.trigger()
    settle(qtbot, window)
    pane = window.list_pane
    assert pane.grouped and pane.view.model() is pane.story_model
    return pane.story_model


def row_of(model: StoryListModel, start: str, depth: int = 0) -> int:
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        if model.data(index, DepthRole) == depth and model.data(index).startswith(start):
            return row
    raise AssertionError(f"no row titled {start!r} at depth {depth}")


def key(qtbot, k, mod=Qt.KeyboardModifier.NoModifier) -> None:  # noqa: ANN001
    """Press a key where a person would: on the widget that has the focus."""
    qtbot.keyClick(QApplication.focusWidget(), k, mod)


def test_the_grouped_model_passes_the_model_tester(qtmodeltester, stories_lib) -> None:  # noqa: ANN001
    from reader.ui.models import DocumentListModel

    source = DocumentListModel(stories_lib)
    model = StoryListModel(source)
    qtmodeltester.check(model, force_py=True)  # stays connected: checks every change below
    source.set_grouped(True)
    story = model.groups.group(-next(k for k in model.ids() if k < 0))
    model.set_expanded(story.story_id, True)
    source.sort(1, Qt.SortOrder.DescendingOrder)
    source.set_filter(DocumentFilter(source="Reuters"))
    source.set_filter(DocumentFilter())
    source.refresh()
    model.set_expanded(story.story_id, False)
    source.set_grouped(False)
    model.clear()


def test_grouping_gathers_a_story_under_one_row(qtbot, win, stories_lib, settings) -> None:  # noqa: ANN001
    pane = win.list_pane
    flat_rows = pane.model.rowCount()
    assert win.group_action.isCheckable() and not win.group_action.isChecked()
    assert win.group_action.shortcut().toString() == "Ctrl+Shift+L"
    model = grouped(qtbot, win)
    assert win.group_action.isChecked() and pane.group_check.isChecked()
    assert settings.group_by_story
    # four ferry reports and two tram reports become two rows
    assert model.rowCount() == flat_rows - 4
    assert pane.count.text() == f"{flat_rows} documents · 2 stories"
    row = row_of(model, FERRY_FIRST)
    index = model.index(row, 0)
    assert model.data(index, BadgeRole) == "4 reports"
    assert model.data(index, ExpandedRole) is False
    assert model.data(model.index(row, 1)) == "2024-05-14–16"
    assert "Reuters" in model.data(model.index(row, 2))
    tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert "4 reports · outlets" in tip and "dates 2024-05-14 – 2024-05-16" in tip
    assert model.data(index, Qt.ItemDataRole.FontRole).bold()
    pane.view.viewport().grab()  # the delegate paints every kind of row without error


def test_keyboard_expands_a_story_and_opens_a_report(qtbot, win, stories_lib) -> None:  # noqa: ANN001
    pane, article = win.list_pane, win.article
    model = grouped(qtbot, win)
    story = row_of(model, FERRY_FIRST)
    win.list_pane.focus_list()
    pane.select_document(model.id_at(story))
    assert pane.view.currentIndex().row() == story
    # selecting the story's row reads its first report
    first = doc_named(stories_lib, "003_5be1c0a7d2e94f16.txt")
    qtbot.waitUntil(lambda: article.document is not None and article.document.id == first)
    key(qtbot, Qt.Key.Key_Right)  # expands
    assert model.data(model.index(story, 0), ExpandedRole) is True
    children = [model.index(story + 1 + k, 0) for k in range(4)]
    assert [model.data(c, DepthRole) for c in children] == [1, 1, 1, 1]
    assert {stories_lib.paths(model.id_at(c.row()))[0].rsplit("/", 1)[1] for c in children} == FERRY
    badges = [model.data(c, BadgeRole) for c in children]
    assert badges[0] == "first report" and set(badges[1:]) <= {"near-duplicate", "same event"}
    dates = [model.data(model.index(c.row(), 1)) for c in children]
    assert dates == sorted(dates)  # story order: by date
    pane.view.viewport().grab()
    key(qtbot, Qt.Key.Key_Right)  # to the first report: the same page, nothing reopens
    assert pane.view.currentIndex().row() == story + 1
    key(qtbot, Qt.Key.Key_Down)
    key(qtbot, Qt.Key.Key_Down)
    third = model.id_at(story + 3)
    qtbot.waitUntil(lambda: article.document.id == third)
    key(qtbot, Qt.Key.Key_Return)  # read it: the article takes the keyboard
    assert QApplication.focusWidget() is article.body
    pane.focus_list()
    key(qtbot, Qt.Key.Key_Left)  # from a report up to its story
    assert pane.view.currentIndex().row() == story
    key(qtbot, Qt.Key.Key_Left)  # collapses
    assert model.data(model.index(story, 0), ExpandedRole) is False
    assert model.data(model.index(story + 1, 0), DepthRole) == 0
    # Go › Next Document steps over rows that read the same page
    assert pane.select_relative(1)
    assert model.id_at(pane.view.currentIndex().row()) != first


def test_a_filter_shows_a_story_when_one_report_matches(qtbot, win, stories_lib) -> None:  # noqa: ANN001
    pane = win.list_pane
    model = grouped(qtbot, win)
    pane.source.setCurrentIndex(pane.source.findData("Reuters"))
    settle(qtbot, win)
    matches = pane.model.rowCount()
    assert pane.count.text().startswith(f"{matches} of ") and pane.count.text().endswith("1 story")
    story = row_of(model, FERRY_FIRST)
    group = model.group_at(story)
    assert len(group.documents) == 4 and 0 < len(group.matching) < 4
    model.set_expanded(group.story_id, True)
    dimmed = {
        model.id_at(story + 1 + k)
        for k in range(4)
        if model.data(model.index(story + 1 + k, 0), Qt.ItemDataRole.ForegroundRole) is not None
    }
    assert dimmed == set(group.documents) - group.matching
    assert "2 of them match" in model.data(model.index(story, 0), Qt.ItemDataRole.ToolTipRole)
    # the story's row reads a report that matches
    assert model.id_at(story) in group.matching
    pane.view.viewport().grab()
    # the tram story has no Reuters report: gone; clearing brings it back, still expanded
    assert all(model.group_at(r) is None or r == story for r in range(model.rowCount()))
    pane.clear_filters()
    settle(qtbot, win)
    assert model.groups.story_count == 2
    assert model.is_expanded(group.story_id)


def test_turning_grouping_off_keeps_the_document(qtbot, win, stories_lib, settings) -> None:  # noqa: ANN001
    pane = win.list_pane
    model = grouped(qtbot, win)
    wire = doc_named(stories_lib, "wire_20240514_0007.txt")
    assert pane.select_document(wire)  # a report inside a collapsed story: it is shown
    assert model.data(pane.view.currentIndex(), DepthRole) == 1
    assert win.article.document.id == wire
    assert pane.selected_ids() == [wire]
    pane.view.selectRow(row_of(model, FERRY_FIRST))  # a click on the story's row
    assert len(pane.selected_ids()) == 4  # a story's row selects all its reports (export)
    pane.group_check.click()  # the check box under the filters does the same as the menu
    settle(qtbot, win)
    assert not pane.grouped and pane.view.model() is pane.model
    assert not win.group_action.isChecked() and not settings.group_by_story
    assert pane.model.id_at(pane.view.currentIndex().row()) == win.article.document.id
    assert model.rowCount() == 0  # nothing kept for a hidden list


def test_the_choice_is_remembered(qtbot, win, stories_lib, settings) -> None:  # noqa: ANN001
    grouped(qtbot, win)
    win.close()
    again = open_window(qtbot, stories_lib, settings)
    assert again.list_pane.grouped and again.group_action.isChecked()
    assert again.list_pane.story_model.groups.story_count == 2
    assert again.article.document is not None


def test_an_import_regroups_and_the_list_follows(qtbot, win, stories_lib, tmp_path) -> None:  # noqa: ANN001
    """The window's import groups the new pages into stories; the grouped list shows them."""
    model = grouped(qtbot, win)
    badges = [model.data(model.index(r, 0), BadgeRole) for r in range(model.rowCount())]
    tram = badges.index("2 reports")
    tram_story = model.group_at(tram).story_id
    model.set_expanded(tram_story, True)
    source = next(FIXTURE.rglob("dunmore-tram-vote.txt")).read_text(encoding="utf-8")
    more = tmp_path / "more" / "2024-05-14"
    more.mkdir(parents=True)
    (more / "tram-copy.txt").write_text(
        source.replace("after a long dispute", "after a long and bitter dispute", 1),
        encoding="utf-8",
    )
    with qtbot.waitSignal(win.importer.finished, timeout=20_000):
        win.import_paths([str(more.parent)])
    settle(qtbot, win)
    row = model.row_of_story(tram_story)
    assert row is not None
    assert model.data(model.index(row, 0), BadgeRole) == "3 reports"
    assert model.is_expanded(tram_story)
    assert [model.data(model.index(row + k, 0), DepthRole) for k in (1, 2, 3)] == [1, 1, 1]


def test_every_command_key_is_distinct(win) -> None:  # noqa: ANN001
    seen: dict[str, str] = {}
    for menu, action in win._commands:
        for k in action.shortcuts():
            name = k.toString()
            assert name not in seen, f"{menu} › {action.text()} and {seen[name]} share {name}"
            seen[name] = f"{menu} › {action.text()}"


def test_the_report_chooser_fits_long_titles(qtbot, win, stories_lib) -> None:  # noqa: ANN001
    """Stories › Compare With… on a page with several other reports: a list as wide as its
    longest line (within the screen), the rest elided with the whole title in the tooltip."""
    from reader.stories.queries import StoryMember
    from reader.ui.story_view import ChooseReportDialog, member_text

    wire = doc_named(stories_lib, "wire_20240514_0007.txt")
    win.list_pane.select_document(wire)
    qtbot.waitUntil(lambda: win.article.document is not None and win.article.document.id == wire)
    win.stories.compare_action.trigger()
    chooser = next(c for c in win.findChildren(ChooseReportDialog) if c.isVisible())
    qtbot.waitExposed(chooser)
    assert chooser.list.topLevelItemCount() == 3
    metrics = chooser.list.fontMetrics()
    others = win.stories.story.others(wire)
    widest = max(metrics.horizontalAdvance(t) for m in others for t in (m.title, member_text(m)))
    assert chooser.list.viewport().width() >= widest  # nothing cut
    with qtbot.waitSignal(chooser.chosen) as chosen:
        qtbot.keyClick(chooser.list, Qt.Key.Key_Down)
        qtbot.keyClick(chooser.list, Qt.Key.Key_Return)
    assert chosen.args == [others[1].document_id]
    qtbot.waitUntil(lambda: win.stories.compare_dialog is not None)
    win.stories.compare_dialog.close()
    # a title longer than the screen: the list stops at the screen, the title is elided
    long = StoryMember(
        7, "<b>Ferry</b> " + "a very long headline " * 60, "2024-05-14", "page", "Reuters",
        None, ("/dump/a.txt",), "same-event", 0.9, 1,
    )
    short = StoryMember(8, "Short", None, None, None, "MERROW", (), "near-duplicate", 0.95, 7)
    dialog = ChooseReportDialog((long, short), win)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    screen = win.screen().availableGeometry().width()
    assert screen * 0.5 < dialog.list.width() <= screen
    assert dialog.list.textElideMode() == Qt.TextElideMode.ElideRight
    tip = dialog.list.topLevelItem(0).toolTip(0)
    assert "&lt;b&gt;Ferry&lt;/b&gt;" in tip  # escaped: shown as written, never as markup
    assert "a very long headline " * 60 in tip  # whole
    dialog.close()


def test_list_tooltips_show_titles_as_written(win, stories_lib) -> None:  # noqa: ANN001
    """Qt takes a tooltip that starts with a tag for rich text: titles are escaped."""
    from reader.ui.models import tooltip

    assert tooltip("<b>x</b>\n& y") == "<qt>&lt;b&gt;x&lt;/b&gt;<br>&amp; y</qt>"
    flat = win.list_pane.model
    tip = flat.data(flat.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("<qt>") and "<br>" in tip
