"""Stories in the window: "Also reported by", the side-by-side view, ticker history, sparklines.

Fixture pages are original fictional text: two outlets' reports of one ferry breakdown sharing
most sentences, and market pages of three dates (plus one undated) quoting the same symbols.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_support import open_window, write_pages
from PySide6.QtCore import QPointF, Qt

FERRY_A = (
    " date 2025-03-04 BRESKA: A cable ferry on the Olm river stopped mid-crossing on Tuesday "
    "morning after its winch motor failed, leaving forty passengers on the water for three hours. "
    "Rescue boats from the Breska fire station reached the ferry shortly after nine o'clock. "
    "All forty passengers were brought ashore without injury. The operator, Olm Crossings, said "
    "the winch had been serviced in January. Local councillors asked for an inquiry into the "
    "service contract. (Reuters)\n"
)
FERRY_B = """\
Forty stranded on Olm ferry as winch fails

BRESKA: A cable ferry on the Olm river stopped mid-crossing on Tuesday morning after its winch \
motor failed, leaving forty passengers on the water for three hours. Rescue boats from the Breska \
fire station reached the ferry shortly after nine o'clock. All forty passengers were brought \
ashore without injury. A passenger, Tomas Vell, said children on board sang songs to pass the \
time 🎶. The operator, Olm Crossings, said the winch had been serviced in January.
"""

MARKET_TEXT = {
    "03": "Korva Mills rose after brokers praised its new spinning line in Ostravel.",
    "04": "Textile shares led the board as a mild winter kept mill orders coming.",
    "05": "Profit taking hit Korva Mills late in the session; Limna Paper drifted.",
}


def market_page(day: str, price: str, change: str, pct: str) -> str:
    arrow = "Decreased By ▼" if change.startswith("-") else "Increased By ▲"
    return (
        f"KORVA {price} {arrow} {change} ({pct}%)\n"
        f"LIMNA 12.{day} Increased By ▲ 0.10 (0.84%)\n"
        f"KSE100 80,1{day} Increased By 100 (0.12%)\n\n"
        f"OSTRAVEL: {MARKET_TEXT[day]}\n\nComments\n\nComments are closed.\n"
    )


UNDATED_MARKET = (
    "KORVA 100.00 Increased By ▲ 0.50 (0.50%)\nLIMNA 12.00 Increased By ▲ 0.10 (0.84%)\n\n"
    "OSTRAVEL: A broker's note without any date quoted the mill shares once more.\n\n"
    "Comments\n\nComments are closed.\n"
)


@pytest.fixture
def stories_window(qtbot, library, settings, tmp_path: Path):  # noqa: ANN001, ANN201
    root = tmp_path / "stories"
    write_pages(root / "outlet-one" / "2025-03-04", {"001_aa11bb22cc33dd44.txt": FERRY_A})
    write_pages(root / "outlet-two" / "2025-03-04", {"002_bb22cc33dd44ee55.txt": FERRY_B})
    for day, price, change, pct in (
        ("03", "101.50", "1.50", "1.50"),
        ("04", "103.25", "1.75", "1.72"),
        ("05", "99.80", "-3.45", "-3.34"),
    ):
        write_pages(
            root / "markets" / f"2025-03-{day}",
            {f"mkt_{day}.txt": market_page(day, price, change, pct)},
        )
    write_pages(root / "markets" / "undated", {"mkt_nodate.txt": UNDATED_MARKET})
    library.import_paths([root])
    from reader.stories.grouping import update_stories
    from reader.stories.queries import story_of

    update_stories(library, library.document_ids())  # until the importer does it
    window = open_window(qtbot, library, settings)
    ferry = [d for d in library.document_ids() if "Olm" in library.body(d)]
    assert len(ferry) == 2
    story = story_of(library, ferry[0])
    assert story is not None and set(story.document_ids) == set(ferry)
    return window


def _doc(window, needle: str) -> int:  # noqa: ANN001
    lib = window.library
    return next(d for d in lib.document_ids() if needle in lib.body(d))


def test_also_reported_by_lists_and_opens_the_other_report(stories_window, qtbot) -> None:  # noqa: ANN001
    w = stories_window
    a, b = _doc(w, "Local councillors"), _doc(w, "Tomas Vell")
    assert w.list_pane.select_document(a)
    qtbot.waitUntil(lambda: w.article.document is not None and w.article.document.id == a)
    also = w.stories.also
    assert also.isVisible()
    assert len(also.buttons) == 1
    text = also.buttons[0].text()
    assert "BRESKA" in text and "2025-03-04" in text and "same event" in text
    assert w.stories.compare_action.isEnabled()
    qtbot.mouseClick(also.buttons[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.article.document.id == b)
    assert "Reuters" in w.stories.also.buttons[0].text()  # the first report's source
    # a page in no story: nothing shown, the commands are off
    titled = _doc(w, "city library in Tampere")
    w.list_pane.select_document(titled)
    qtbot.waitUntil(lambda: w.article.document.id == titled)
    assert not w.stories.also.isVisible()
    assert not w.stories.compare_action.isEnabled()


def test_side_by_side_marks_and_copies(stories_window, qtbot) -> None:  # noqa: ANN001
    w = stories_window
    lib = w.library
    a, b = _doc(w, "Local councillors"), _doc(w, "Tomas Vell")
    body_a = lib.body(a)
    start = body_a.index("Olm Crossings")
    lib.add_entity(a, start, start + len("Olm Crossings"), "ORG")
    lib.tag(a, ["ferries"])
    w.list_pane.select_document(a)
    qtbot.waitUntil(lambda: w.article.document is not None and w.article.document.id == a)
    w.stories.compare_action.trigger()
    dialog = w.stories.compare_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    assert dialog.left.text.toPlainText() == body_a
    assert dialog.right.text.toPlainText() == lib.body(b)
    left, right = dialog.left.marked_text(), dialog.right.marked_text()
    assert any("Local councillors asked for an inquiry" in t for t in left)
    # the right body has an emoji before the marked sentence's end: positions are UTF-16
    assert any(t.startswith("A passenger, Tomas Vell") and t.endswith("🎶.") for t in right)
    assert not any("Rescue boats" in t for t in left + right)
    assert "only on the left" in dialog.summary.text()
    with qtbot.waitSignal(dialog.annotationsCopied):
        qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert "1 tag added" in dialog.copy_result.text()
    assert "1 mention copied" in dialog.copy_result.text()
    copied = lib.document(b)
    assert "ferries" in copied.tags
    assert [e.text for e in copied.entities] == ["Olm Crossings"]
    dialog.swap()
    assert dialog.left.text.toPlainText() == lib.body(b)
    dialog.close()


def test_ticker_history_chart_and_pages(stories_window, qtbot) -> None:  # noqa: ANN001
    w = stories_window
    day4 = _doc(w, "mild winter")
    w.list_pane.select_document(day4)
    qtbot.waitUntil(lambda: w.article.document is not None and w.article.document.id == day4)
    assert w.tickers.select_symbol("KORVA")
    w.stories.history_action.trigger()
    dialog = w.stories.history_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    assert dialog.picker.currentText() == "KORVA"
    qtbot.waitUntil(lambda: not dialog.is_busy() and dialog.history is not None)
    chart = dialog.chart
    assert [p.price for p in chart.points] == [101.5, 103.25, 99.8]
    assert "1 page without a date is left out" in dialog.note.text()
    assert dialog.table.topLevelItemCount() == 3
    # points rise then fall on screen
    ys = [chart.point_pos(i).y() for i in range(3)]
    assert ys[1] < ys[0] < ys[2]
    # clicking a point with one page behind it opens that page
    day5 = _doc(w, "Profit taking")
    pos = chart.point_pos(2)
    with qtbot.waitSignal(dialog.openRequested) as opened:
        qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=pos.toPoint())
    assert opened.args == [day5]
    qtbot.waitUntil(lambda: w.article.document.id == day5)
    assert chart.current == 2
    assert dialog.table.currentItem() is dialog.table.topLevelItem(2)
    assert chart.point_at(QPointF(1, 1)) == -1
    # activating a page row below opens it
    child = dialog.table.topLevelItem(0).child(0)
    with qtbot.waitSignal(dialog.openRequested) as opened:
        dialog.table.itemActivated.emit(child, 0)
    assert opened.args == [_doc(w, "spinning line")]
    # keyboard: Left moves the current point
    chart.setFocus()
    qtbot.keyClick(chart, Qt.Key.Key_Left)
    assert chart.current == 1
    dialog.picker.setCurrentText("LIMNA")
    qtbot.waitUntil(lambda: dialog.chart.symbol == "LIMNA")
    dialog.close()


def test_ticker_pane_history_and_sparklines(stories_window, qtbot) -> None:  # noqa: ANN001
    w = stories_window
    day4 = _doc(w, "mild winter")
    w.list_pane.select_document(day4)
    qtbot.waitUntil(lambda: w.article.document is not None and w.article.document.id == day4)
    spark = w.tickers.sparklines
    qtbot.waitUntil(lambda: spark.has_sparkline("KORVA"))  # read off the window's thread
    assert spark.has_sparkline("KORVA") and spark.prices["KORVA"] == (101.5, 103.25, 99.8)
    assert spark.has_sparkline("LIMNA")
    w.tickers.view.viewport().grab()  # paints the delegate
    row = w.tickers.model.row_of_symbol("KORVA")
    with qtbot.waitSignal(w.tickers.historyRequested) as asked:
        w.tickers.view.doubleClicked.emit(w.tickers.model.index(row, 0))
    assert asked.args == ["KORVA"]
    qtbot.waitUntil(lambda: w.stories.history_dialog is not None)
    w.stories.history_dialog.close()


def test_page_text_never_becomes_markup(stories_window, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    """A source or title that looks like HTML shows as written in "Also reported by"."""
    from reader.stories.queries import StoryMember
    from reader.ui.story_view import member_text

    m = StoryMember(
        1, "<b>x</b> & co", "2025-01-01", "page", "<i>Wire</i>", None, (), "same-event", 0.9, 2
    )
    assert member_text(m).startswith("<i>Wire</i>")
    w = stories_window
    also = w.stories.also
    also.set_story(2, type("S", (), {"others": lambda self, d: (m,)})())
    assert also.buttons[0].text().startswith("<i>Wire</i>")
    assert "&&" not in member_text(m)


def test_copying_tags_and_mentions_is_one_undo_step(stories_window, qtbot) -> None:  # noqa: ANN001
    """Undo takes back exactly what the copy added (not what the other report had), redo adds
    it again; Ctrl+Z works in the side-by-side window itself."""
    w = stories_window
    lib = w.library
    a, b = _doc(w, "Local councillors"), _doc(w, "Tomas Vell")
    body_a, body_b = lib.body(a), lib.body(b)
    for name, type_ in (("Olm Crossings", "ORG"), ("Breska", "GPE")):
        start = body_a.index(name)
        lib.add_entity(a, start, start + len(name), type_)
    lib.tag(a, ["ferries", "rivers"])
    # the other report has one of the tags and one of the mentions already
    lib.tag(b, ["rivers"])
    start = body_b.index("Breska")
    had = lib.add_entity(b, start, start + len("Breska"), "GPE")
    w.list_pane.select_document(b)
    qtbot.waitUntil(lambda: w.article.document is not None and w.article.document.id == b)
    w.stories.compare_with(a)  # the page being read is the left one: a is on the right
    dialog = w.stories.compare_dialog
    dialog.swap()  # copy from a (now left) to b (now right), which the window shows
    qtbot.waitExposed(dialog)
    with qtbot.waitSignal(dialog.annotationsCopied):
        qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    stack = w.annotate.annotator.stack
    assert stack.undoText() == "Copy 1 mention and 1 tag to another report"
    assert "(Ctrl+Z) takes it back" in dialog.copy_result.text()
    after = lib.document(b)
    assert sorted(after.tags) == ["ferries", "rivers"]
    assert sorted(e.text for e in after.entities) == ["Breska", "Olm Crossings"]
    # the window shows the copy at once: the article's annotations and tag chips
    assert "ferries" in w.article.header.tags.tags()
    # undo, from the keyboard, in the side-by-side window
    dialog.activateWindow()
    qtbot.waitUntil(lambda: dialog.isActiveWindow())
    qtbot.keyClick(dialog, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    undone = lib.document(b)
    assert undone.tags == ("rivers",)
    assert [(e.id, e.text) for e in undone.entities] == [(had.id, "Breska")]
    assert "undone" in dialog.copy_result.text()
    assert "ferries" not in w.article.header.tags.tags()
    assert len(lib.document(a).entities) == 2 and lib.document(a).tags == ("ferries", "rivers")
    # redo puts back the same annotations
    w.annotate.redo_action.trigger()
    redone = lib.document(b)
    assert sorted(redone.tags) == ["ferries", "rivers"]
    assert {e.id for e in redone.entities} == {e.id for e in after.entities}
    dialog.close()


def test_the_history_is_read_off_the_window_thread_newest_first(
    stories_window, qtbot, monkeypatch
) -> None:  # noqa: ANN001
    """The dialog reads a symbol's history on a job's thread and says it is busy meanwhile;
    when the reader picks symbols faster than they are read, only the last one is shown."""
    import threading

    from reader.ui import history_view

    threads: list[str] = []
    real = history_view.load_history
    release = threading.Event()  # holds the first read until the reader has moved on

    def load(lib, symbol):  # noqa: ANN001, ANN202
        threads.append(threading.current_thread().name)
        release.wait(5)
        return real(lib, symbol)

    monkeypatch.setattr(history_view, "load_history", load)
    w = stories_window
    w.stories.show_history("KORVA")
    dialog = w.stories.history_dialog
    qtbot.waitExposed(dialog)
    shown: list[str] = []
    dialog.loaded.connect(shown.append)
    assert dialog.is_busy() and dialog.busy.isVisible() and not dialog.chart.isEnabled()
    assert dialog.summary.text() == "Reading KORVA…"
    for symbol in ("LIMNA", "KSE100", "LIMNA"):
        dialog.picker.setCurrentText(symbol)
    release.set()
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=10_000)
    assert shown == ["LIMNA"]  # KORVA and KSE100 were overtaken
    assert dialog.chart.symbol == "LIMNA" and dialog.chart.isEnabled()
    assert not dialog.busy.isVisible()
    assert dialog.table.topLevelItemCount() == len(dialog.history.points)
    assert threads and threading.main_thread().name not in threads
    assert len(threads) == 2  # KORVA, then only the newest of the three waiting: LIMNA
    # closing while a read runs waits for it: no thread outlives the dialog
    dialog.picker.setCurrentText("KORVA")
    assert dialog.is_busy()
    dialog.close()
