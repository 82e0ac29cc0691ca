"""Screenshots of the real window, on the sample dump and on a larger dump.

    python scripts/screenshots.py [--out docs/screenshots] [--large N | --large-library FILE]

Runs on the display in ``DISPLAY`` (for example Xvfb: ``Xvfb :99 -screen 0 1920x1200x24 &``
then ``DISPLAY=:99``), or offscreen when there is none. Everything happens in a temporary folder
(libraries, settings): the user's own library and settings are never touched. Each picture is
the window (or dialog) itself, grabbed with ``QWidget.grab()``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests" / "benchmarks"))
if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench_ui_corpus import write_dump  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from reader.library.library import Library  # noqa: E402
from reader.ui.app import application  # noqa: E402
from reader.ui.main_window import MainWindow  # noqa: E402
from reader.ui.resources import resource_path  # noqa: E402
from reader.ui.settings import Settings  # noqa: E402
from reader.ui.theme import apply_theme  # noqa: E402

SIZE = (1440, 900)


def pump(app: QApplication, seconds: float = 0.15) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.005)


def wait_for(app: QApplication, done: Callable[[], bool], timeout: float = 120.0) -> None:
    end = time.monotonic() + timeout
    while not done():
        if time.monotonic() > end:
            raise TimeoutError("the window did not get there in time")
        app.processEvents()
        time.sleep(0.005)


class Shooter:
    def __init__(self, out: Path, tmp: Path) -> None:
        self.app = application()
        apply_theme(self.app, "light")
        self.out = out
        self.tmp = tmp
        self.taken: list[Path] = []
        out.mkdir(parents=True, exist_ok=True)

    def window(self, db: Path, name: str) -> MainWindow:
        settings = Settings.at(self.tmp / f"{name}.ini")
        window = MainWindow(Library(db), settings)
        window.resize(*SIZE)
        window.show()
        pump(self.app, 0.3)
        return window

    def close(self, window: MainWindow) -> None:
        window.close()
        window.library.close()
        window.deleteLater()
        pump(self.app, 0.05)

    def shoot(self, widget: QWidget, name: str) -> None:
        pump(self.app, 0.2)
        path = self.out / f"{name}.png"
        widget.grab().save(str(path))
        self.taken.append(path)
        print(f"  {path}")

    def import_and_wait(self, window: MainWindow, paths: list[str]) -> None:
        results: list[object] = []
        window.importer.finished.connect(results.append)
        window.importer.failed.connect(lambda *a: results.append(a))
        window.import_paths(paths)
        wait_for(self.app, lambda: bool(results))


def select_where(window: MainWindow, test: Callable[[object], bool]) -> None:
    model = window.list_pane.model
    for row in range(model.rowCount()):
        if test(model.summary(row)):
            window.list_pane.select_document(model.id_at(row))
            return
    raise LookupError("no document in the list passes the test")


def sample_shots(s: Shooter) -> None:
    sample = str(resource_path("sample_dump"))
    db = s.tmp / "sample.sqlite"
    window = s.window(db, "sample")
    s.shoot(window, "01-welcome-empty-library")

    s.import_and_wait(window, [sample])
    settle(s, window)
    # The market report: the page whose article names the symbols of its ticker block.
    select_where(window, lambda d: d.n_tickers > 15)
    tickers = window.tickers
    symbol = next(
        t.symbol for t in tickers.model.tickers() if window.article.set_symbol(t.symbol) > 0
    )
    tickers.select_symbol(symbol)
    s.shoot(window, "02-sample-ticker-page")

    window.list_pane.search.setText("dock workers")
    settle(s, window)
    window.list_pane.select_document(window.list_pane.model.id_at(0))
    s.shoot(window, "03-sample-search")

    window.list_pane.clear_filters()
    settle(s, window)
    select_where(window, lambda d: d.source == "Reuters")
    window.focus_article()
    window.article.find()
    window.article.find_bar.edit.setText("said")
    window.article.find_next()
    s.shoot(window, "04-find-in-document")
    window.article.find_bar.close_bar()

    apply_theme(s.app, "dark")
    select_where(window, lambda d: d.n_tickers > 0)
    window.tickers.select_symbol(window.tickers.model.tickers()[0].symbol)
    s.shoot(window, "05-sample-dark-theme")
    apply_theme(s.app, "light")

    titled = next(p for p in Path(sample).glob("*.txt") if "<b>" in p.read_text("utf-8", "replace"))
    bad = s.tmp / "mixed"
    bad.mkdir()
    (bad / "page.txt").write_text(titled.read_text("utf-8") + "\nA copy.\n", encoding="utf-8")
    (bad / "empty.txt").write_bytes(b"")
    (bad / "scan.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    (bad / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 500)
    s.import_and_wait(window, [str(bad)])
    dialog = window.last_report_dialog
    if dialog is not None:
        s.shoot(dialog, "06-import-report")
        dialog.close()

    window.show_shortcuts()
    pump(s.app)
    dialog = QApplication.activeModalWidget()
    if dialog is not None:
        s.shoot(dialog, "07-keyboard-shortcuts")
        dialog.close()
    s.close(window)


def annotate_shots(s: Shooter) -> None:
    """An annotated article: several entity types, a nested mention, a highlight over a
    mention, a highlight with a note, suggestions; then the Entity Browser."""
    db = s.tmp / "annotated.sqlite"
    window = s.window(db, "annotated")
    s.import_and_wait(window, [str(resource_path("sample_dump"))])
    settle(s, window)
    select_where(window, lambda d: d.title.startswith("Swansea caf"))
    doc = window.article.document
    assert doc is not None
    ui, body = window.annotate, doc.body

    def span(text: str, nth: int = 0) -> tuple[int, int]:
        start = -1
        for _ in range(nth + 1):
            start = body.index(text, start + 1)
        return start, start + len(text)

    a = ui.annotator
    a.tag_entity(doc.id, *span("Morfa Kitchen"), "ORG")
    a.tag_entity(doc.id, *span("Eleri Prosser"), "PERSON")
    a.tag_entity(doc.id, *span("Swansea", 1), "GPE")
    for place in ("Neath", "Llanelli", "Carmarthen", "Bridgend", "Port Talbot"):
        a.tag_entity(doc.id, *span(place), "GPE")
    a.tag_entity(doc.id, *span("Maritime Quarter"), "LOC")
    a.tag_entity(doc.id, *span("Swansea", 2), "GPE")  # nested in the LOC span below
    a.tag_entity(doc.id, *span("Swansea’s Maritime Quarter"), "LOC")
    a.highlight(doc.id, *span("best year since it was founded in 2009"), "yellow")
    a.highlight(
        doc.id,
        *span("sales rose to £4.8m in the year to January"),
        "green",
        note="Check against the filed accounts",
    )
    a.highlight(doc.id, *span("Ms Prosser said the business"), "pink")  # over a mention
    a.tag_entity(doc.id, *span("Prosser", 1), "PERSON")
    window.resize(*SIZE)
    window.article.reveal(0, 0, select=False)
    s.shoot(window, "11-annotated-article")

    # A name tagged on one page is suggested (dotted) on the next that has it, along with the
    # page's own ticker symbols.
    lib = window.library

    def karachi(d: object) -> bool:
        return "Karachi" in lib.body(d.id)  # type: ignore[attr-defined]

    select_where(window, karachi)
    first = window.article.document
    assert first is not None
    a.tag_entity(first.id, *(lambda i: (i, i + 7))(first.body.index("Karachi")), "GPE")
    select_where(window, lambda d: d.id != first.id and karachi(d))
    window.article.reveal(0, 0, select=False)
    s.shoot(window, "12-suggestions")

    select_where(window, lambda d: d.id == doc.id)
    ui.show_browser()
    browser = ui.browser
    assert browser is not None
    browser.select("Eleri Prosser")
    s.shoot(browser, "13-entity-browser")
    browser.close()
    s.close(window)


def settle(s: Shooter, window: MainWindow) -> None:
    wait_for(s.app, lambda: not window.list_pane.model.is_pending())
    pump(s.app, 0.3)


def import_shot(s: Shooter, n: int) -> Path:
    """A fresh library filling from an ``n``-page dump; the picture is taken half-way."""
    dump = write_dump(s.tmp / f"dump-{n}", n)
    db = s.tmp / "large.sqlite"
    window = s.window(db, "import")
    grabbed: list[bool] = []

    def mid_import(done: int, total: int, _path: str) -> None:
        if not grabbed and total and done > total // 2:
            grabbed.append(True)  # the list as the import's last refresh left it
            s.shoot(window, "08-import-in-progress")

    window.importer.started.connect(lambda _paths: window.importer.job.progress.connect(mid_import))
    s.import_and_wait(window, [str(dump)])
    s.close(window)
    return db


def large_shots(s: Shooter, db: Path) -> None:
    window = s.window(db, "large")
    settle(s, window)
    pane = window.list_pane
    pane.view.horizontalHeader().setSortIndicator(1, Qt.SortOrder.DescendingOrder)
    settle(s, window)
    pane.view.scrollToTop()
    pane.select_document(pane.model.id_at(0))
    s.shoot(window, "09-large-dump-sorted-by-date")

    pane.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    pane.search.setText("cement despatches")
    pane.tickers.setCurrentIndex(pane.tickers.findData(True))
    settle(s, window)
    pane.select_document(pane.model.id_at(0))
    tickers = window.tickers
    mentioned = [t.symbol for t in tickers.model.tickers() if window.article.set_symbol(t.symbol)]
    tickers.select_symbol(mentioned[0] if mentioned else tickers.model.tickers()[0].symbol)
    s.shoot(window, "10-large-dump-search-and-filter")
    s.close(window)


# --- stories: the side-by-side view and the ticker history chart (``--only stories``)
def stories_shots(s: Shooter) -> None:
    """On the stories test fixtures (original fictional pages of three outlets)."""
    from reader.stories.grouping import update_stories

    db = s.tmp / "stories.sqlite"
    with Library(db) as lib:
        lib.import_paths([str(ROOT / "tests" / "fixtures" / "stories")])
        update_stories(lib, lib.document_ids())  # until the importer does it itself
    window = s.window(db, "stories")
    settle(s, window)
    # the two reports of one story that share the most sentences
    from reader.stories.compare import compare_reports
    from reader.stories.queries import stories

    lib = window.library
    a, b = max(
        (
            (x.document_id, y.document_id)
            for st in stories(lib)
            for x in st.members
            for y in st.members
            if x.document_id < y.document_id
        ),
        key=lambda p: len(compare_reports(lib.body(p[0]), lib.body(p[1])).shared),
    )
    window.list_pane.select_document(a)
    pump(s.app, 0.3)
    s.shoot(window, "14-also-reported-by")
    window.stories.compare_with(b)
    dialog = window.stories.compare_dialog
    dialog.resize(1280, 720)
    s.shoot(dialog, "15-compare-reports")
    dialog.close()
    window.stories.show_history("MRWF")
    chart = window.stories.history_dialog
    chart.resize(960, 720)
    pump(s.app, 0.2)
    chart.chart.set_current(3)
    chart.chart.hovered = 5
    s.shoot(chart, "16-ticker-history")
    chart.close()
    # the document list grouped by story (View › Group by Story): the biggest story open, its
    # first report read
    pane = window.list_pane
    pane.set_grouped(True)
    settle(s, window)
    window.splitter.setSizes([610, 430, 400])
    model = pane.story_model
    big = max(range(model.rowCount()), key=lambda r: len(model.documents_at(r)))
    model.set_expanded(model.group_at(big).story_id, True)
    pane.select_document(model.id_at(big + 1))
    pane.focus_list()
    pump(s.app, 0.3)
    s.shoot(window, "17-stories-list")
    s.close(window)


# --- end stories


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--large", type=int, default=5000, help="pages in the imported dump")
    parser.add_argument(
        "--large-library", type=Path, help="use this library (e.g. the benchmark's) as is"
    )
    parser.add_argument(
        "--only",
        choices=["sample", "annotate", "large", "stories"],
        help="take one group of pictures",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="reader-shots-") as tmp:
        shooter = Shooter(args.out, Path(tmp))
        where = os.environ.get("QT_QPA_PLATFORM") or f"display {os.environ.get('DISPLAY')}"
        print(f"Screenshots ({where}) in {args.out}:")
        if args.only in (None, "sample"):
            sample_shots(shooter)
        if args.only in (None, "annotate"):
            annotate_shots(shooter)
        if args.only in (None, "stories"):
            stories_shots(shooter)
        if args.only in (None, "large"):
            db = import_shot(shooter, args.large)
            large_shots(shooter, args.large_library or db)
    return 0


if __name__ == "__main__":
    sys.exit(main())
