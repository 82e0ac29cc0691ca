"""Benchmarks of the window on a 100,000-document library (run on demand, not by pytest).

    python tests/benchmarks/bench_ui.py [--docs N] [--import-docs N] [--repeat N]

Prints one line per figure with its budget:

* process start to the window shown (a fresh ``python`` each time), budget 1.0 s;
* selecting a document to its body and ticker rows painted, median, budget 30 ms;
* a keystroke in the search box to the list updated and painted, median, budget 50 ms;
* the longest stall of the window's event loop while a 10,000-page import runs (a 5 ms QTimer
  that records how late it fires), budget 50 ms;
* the window process's peak memory (resident set), budget 300 MB.

The library is generated once and cached in ``/tmp/reader-bench-ui`` (synthetic pages from
``bench_ui_corpus``, imported through ``Library.import_paths``); later runs reuse it. Runs
offscreen unless ``DISPLAY`` is set.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CACHE = Path(os.environ.get("READER_BENCH_UI_CACHE", "/tmp/reader-bench-ui"))

BUDGETS = {"start": 1.0, "select": 0.030, "search": 0.050, "stall": 0.050, "memory": 300.0}


def _setup_paths() -> None:
    for p in (str(ROOT / "src"), str(HERE)):
        if p not in sys.path:
            sys.path.insert(0, p)
    if not os.environ.get("DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def ensure_library(n: int) -> Path:
    """The cached library of ``n`` synthetic documents, built on first use."""
    from bench_ui_corpus import write_dump

    from reader.library.library import Library
    from reader.stories.grouping import group_pending

    db = CACHE / f"library-{n}.sqlite"
    if db.exists():
        with Library(db) as lib:
            if lib.count_documents() == n:
                return db
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    dump = CACHE / f"dump-{n}"
    marker = dump / ".complete"
    if not marker.exists():
        print(f"writing {n:,} synthetic pages to {dump} …", flush=True)
        write_dump(dump, n)
        marker.write_text("ok")
    print(f"importing them into {db} (once; cached for later runs) …", flush=True)
    started = time.perf_counter()
    with Library(db) as lib:
        report = lib.import_paths([dump])
        print(f"  {report.imported:,} documents in {time.perf_counter() - started:.0f} s")
        # A library the window has imported into is grouped into stories (its import worker
        # groups the new pages); so is this one, or the measured import would group all of it.
        started = time.perf_counter()
        group_pending(lib)
        print(f"  grouped into stories in {time.perf_counter() - started:.0f} s", flush=True)
    return db


# ------------------------------------------------------------------------------ start-up

CHILD = """
import sys, time
from pathlib import Path
from reader.ui.app import application, start
from reader.ui.settings import Settings
settings = Settings.at(sys.argv[2])
window, lib = start(Path(sys.argv[1]), [], settings)
app = application()
app.processEvents()
window.repaint()
print("shown", flush=True)
while window.list_pane.model.is_pending():
    app.processEvents()
    time.sleep(0.001)
window.list_pane.view.viewport().repaint()
print("rows", flush=True)
window.close()
"""


def bench_start(db: Path, repeat: int, tmp: Path) -> tuple[list[float], list[float]]:
    """Seconds from process start to the window shown, and to its list's first rows painted."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])
    shown, rows = [], []
    for i in range(repeat):
        started = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(db), str(tmp / f"start{i}.ini")],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            text=True,
        )
        assert child.stdout is not None
        for expected, times in (("shown", shown), ("rows", rows)):
            line = child.stdout.readline()
            if line.strip() != expected:
                child.kill()
                raise RuntimeError("the window did not start")
            times.append(time.perf_counter() - started)
        child.wait()
    return shown, rows


# --------------------------------------------------------------------------- in-process


def wait_for(done, signal, timeout: float = 60.0) -> None:  # noqa: ANN001
    """Run a real event loop (idle waits sleep, as in the app) until ``done()``; ``signal``
    wakes it to check."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    signal.connect(loop.quit)
    guard = QTimer()
    guard.setSingleShot(True)
    guard.timeout.connect(loop.quit)
    end = time.monotonic() + timeout
    try:
        while not done():
            if time.monotonic() > end:
                raise TimeoutError("the window did not get there in time")
            guard.start(50)
            loop.exec()
    finally:
        signal.disconnect(loop.quit)


class PaintCounter:
    """Counts the paint events of some widgets (the body, the ticker table)."""

    def __init__(self, *widgets) -> None:  # noqa: ANN002
        from PySide6.QtCore import QEvent, QObject

        class Filter(QObject):
            def eventFilter(inner, watched, event) -> bool:  # noqa: ANN001, N805
                if event.type() == QEvent.Type.Paint:
                    self.painted.add(watched)
                return False

        self.painted: set[object] = set()
        self._filter = Filter()
        for w in widgets:
            w.installEventFilter(self._filter)


def bench_select(window, app, samples: int) -> list[float]:  # noqa: ANN001
    """Select a document as the list does and let Qt paint what changed, as it would."""
    model = window.list_pane.model
    body = window.article.body.viewport()
    table = window.tickers.view.viewport()
    counter = PaintCounter(body, table)
    rng = random.Random(3)
    rows = [rng.randrange(model.rowCount()) for _ in range(samples)]
    times = []
    for row in rows:
        doc_id = model.id_at(row)
        app.processEvents()
        counter.painted.clear()
        started = time.perf_counter()
        window.list_pane.select_document(doc_id)
        wanted = {body, table} if window.tickers.model.rowCount() else {body}
        while not wanted <= counter.painted:
            app.processEvents()
        times.append(time.perf_counter() - started)
        assert window.article.document.id == doc_id
    return times


def search_phrases() -> list[str]:
    """What a reader types: company and people's names, a place, topics."""
    from bench_ui_corpus import vocabulary

    v = vocabulary(1)
    return [
        v["companies"][7].lower(),
        v["companies"][1234].split()[0].lower(),
        f"{v['surnames'][42].lower()}",
        v["places"][9].lower(),
        "cement despatches",
        "fish catches karachi",
    ]


def bench_search(window, app) -> list[float]:  # noqa: ANN001
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    pane = window.list_pane
    times = []
    for words in search_phrases():
        pane.search.clear()
        app.processEvents()
        for ch in words:
            started = time.perf_counter()
            QTest.keyClick(pane.search, ch)
            expected = pane.search.text().strip()
            wait_for(
                lambda expected=expected: (
                    (pane.model.filter.search or "") == expected and not pane.model.is_pending()
                ),
                pane.model.updated,
            )
            pane.view.viewport().repaint()  # the rows painted
            times.append(time.perf_counter() - started)
    pane.search.clear()
    QTest.keyClick(pane.search, Qt.Key.Key_Escape)
    app.processEvents()
    return times


def bench_import_stall(db: Path, n: int, tmp: Path, app) -> tuple[list[float], float, object]:  # noqa: ANN001
    """Import ``n`` new pages into a copy of the big library while a 5 ms timer measures how
    late the event loop lets it fire."""
    from bench_ui_corpus import write_dump
    from PySide6.QtCore import QTimer

    from reader.library.library import Library
    from reader.ui.main_window import MainWindow
    from reader.ui.settings import Settings

    dump = CACHE / f"import-dump-{n}"
    if not (dump / ".complete").exists():
        write_dump(dump, n, seed=2)
        (dump / ".complete").write_text("ok")
    copy = tmp / "copy.sqlite"
    shutil.copyfile(db, copy)
    lib = Library(copy)
    window = MainWindow(lib, Settings.at(tmp / "import.ini"))
    window.resize(1440, 900)
    window.show()
    model = window.list_pane.model
    wait_for(lambda: not model.is_pending(), model.updated)
    late: list[float] = []
    interval = 0.005
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        late.append(now - last[0] - interval)
        last[0] = now

    timer = QTimer()
    timer.setInterval(int(interval * 1000))
    timer.timeout.connect(tick)
    done: list[object] = []
    window.importer.finished.connect(done.append)
    window.importer.failed.connect(lambda *a: done.append(a))
    started = time.perf_counter()
    window.import_paths([str(dump)])
    last[0] = time.perf_counter()
    timer.start()
    wait_for(lambda: bool(done), window.importer.finished, timeout=600)
    timer.stop()
    elapsed = time.perf_counter() - started
    window.close()
    lib.close()
    return late, elapsed, done[0]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def line(name: str, value: float, budget: float, unit: str, extra: str = "") -> str:
    ok = "ok" if value <= budget else "OVER BUDGET"
    return f"{name:<44} {value:9.1f} {unit:<3} (budget {budget:g} {unit}) {ok}{extra}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--import-docs", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5, help="process starts to time")
    parser.add_argument("--samples", type=int, default=200, help="documents to select")
    parser.add_argument("--build-only", action="store_true", help="just build the library")
    args = parser.parse_args()
    _setup_paths()
    CACHE.mkdir(parents=True, exist_ok=True)
    if args.build_only:
        ensure_library(args.docs)
        return 0
    # Built (once) in another process: building it here would count in this process's peak
    # memory, which is the window's figure.
    subprocess.run(
        [sys.executable, __file__, "--build-only", "--docs", str(args.docs)], check=True
    )
    db = CACHE / f"library-{args.docs}.sqlite"
    from reader.library.library import Library
    from reader.ui.app import application
    from reader.ui.main_window import MainWindow
    from reader.ui.settings import Settings

    results = []
    with tempfile.TemporaryDirectory(prefix="reader-bench-ui-") as tmp_name:
        tmp = Path(tmp_name)
        starts, first_rows = bench_start(db, args.repeat, tmp)
        app = application()
        lib = Library(db)
        window = MainWindow(lib, Settings.at(tmp / "bench.ini"))
        window.resize(1440, 900)
        window.show()
        model = window.list_pane.model
        wait_for(lambda: not model.is_pending(), model.updated)
        docs = window.list_pane.model.total
        selects = bench_select(window, app, args.samples)
        searches = bench_search(window, app)
        window.close()
        lib.close()
        late, import_seconds, report = bench_import_stall(db, args.import_docs, tmp, app)
        ms = 1000
        results = [
            line(
                "process start → window shown (median)",
                statistics.median(starts),
                BUDGETS["start"],
                "s",
                f"; max {max(starts):.2f} s over {len(starts)} starts;"
                f" first rows listed at {statistics.median(first_rows):.2f} s",
            ),
            line(
                "select a document → body + tickers painted",
                statistics.median(selects) * ms,
                BUDGETS["select"] * ms,
                "ms",
                f"; p90 {sorted(selects)[int(len(selects) * 0.9)] * ms:.1f} ms,"
                f" max {max(selects) * ms:.1f} ms",
            ),
            line(
                "search keystroke → list updated (median)",
                statistics.median(searches) * ms,
                BUDGETS["search"] * ms,
                "ms",
                f"; p90 {sorted(searches)[int(len(searches) * 0.9)] * ms:.1f} ms,"
                f" max {max(searches) * ms:.1f} ms over {len(searches)} keys",
            ),
            line(
                f"UI stall during a {args.import_docs:,}-page import (max)",
                max(late) * ms,
                BUDGETS["stall"] * ms,
                "ms",
                f"; p99 {sorted(late)[int(len(late) * 0.99)] * ms:.1f} ms;"
                f" import took {import_seconds:.1f} s"
                f" ({getattr(report, 'imported', report)} documents)",
            ),
            line("peak memory of the window process", peak_rss_mb(), BUDGETS["memory"], "MB"),
        ]
    platform = os.environ.get("QT_QPA_PLATFORM") or "X11"
    print(f"\nDump Reader window on {docs:,} documents ({platform}):")
    for r in results:
        print(" ", r)
    return 0


if __name__ == "__main__":
    sys.exit(main())
