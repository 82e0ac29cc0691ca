"""Benchmarks of annotating in the window (run on demand, not by pytest).

    python tests/benchmarks/bench_ui_annotate.py [--repeat N]

Prints one line per figure with its budget:

* an annotation action (tag the selection as an entity type, through the window's action) to
  the article repainted, on a 50 KB article that already holds 500 annotations, median,
  budget 16 ms;
* suggestions for an opened document (``suggest.suggestions`` for the same article with a
  registry of 2,000 names, plus drawing them), median, budget 10 ms for the suggestions.

Runs offscreen unless ``DISPLAY`` is set; everything lives in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "src"))
if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

BUDGETS = {"action": 0.016, "suggest": 0.010}
WORDS = (
    "market shares rose fell said council harbour ferry cement kiln seed library borrowers "
    "union official port authority tugs week evening autumn brokers coal plant biscuits"
)


def article(size: int, names: list[str], rng: random.Random) -> str:
    parts: list[str] = []
    n = 0
    while n < size:
        sentence = " ".join(rng.choice(WORDS.split()) for _ in range(rng.randint(8, 18)))
        if rng.random() < 0.15:  # a name in about one sentence in seven
            sentence += " " + rng.choice(names)
        if rng.random() < 0.02:
            sentence += " 🌱"
        sentence = sentence.capitalize() + ". "
        parts.append(sentence)
        n += len(sentence)
        if rng.random() < 0.1:
            parts.append("\n\n")
    return "".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()

    from PySide6.QtGui import QTextCursor
    from PySide6.QtWidgets import QApplication

    from reader.annotate import registry, suggest
    from reader.library.library import Library
    from reader.ui.main_window import MainWindow
    from reader.ui.offsets import cp_to_utf16
    from reader.ui.settings import Settings

    app = QApplication.instance() or QApplication([])
    rng = random.Random(7)
    names = [f"Name{i:04d} Person" for i in range(2000)]
    with tempfile.TemporaryDirectory(prefix="reader-bench-annotate-") as tmp:
        tmpdir = Path(tmp)
        dump = tmpdir / "dump"
        dump.mkdir()
        body = article(50_000, names[:300], rng)
        (dump / "000_00000000000000aa.txt").write_text("A long article\n\n" + body, "utf-8")
        db = tmpdir / "lib.sqlite"
        lib = Library(db)
        lib.import_paths([dump])
        doc_id = lib.document_ids()[0] if hasattr(lib, "document_ids") else 1
        doc_body = lib.body(doc_id)
        for name in names:
            registry.remember(lib, name, "PERSON")
        # 500 annotations spread over the article (mentions and highlights, some overlapping)
        step = len(doc_body) // 520
        for i in range(500):
            s = i * step
            if i % 2:
                lib.add_highlight(doc_id, s, s + 12, note="n" if i % 10 == 1 else None)
            else:
                kind = ("PERSON", "ORG", "GPE")[i % 3]
                lib.add_entity(doc_id, s, s + 8, kind, entity=names[i])
        window = MainWindow(lib, Settings.at(tmpdir / "ui.ini"))
        window.resize(1440, 900)
        window.show()
        end = time.monotonic() + 1.0
        while time.monotonic() < end:
            app.processEvents()
        window.show_document(doc_id)
        app.processEvents()
        assert len(window.article.annotations) == 500, len(window.article.annotations)

        view = window.article.body
        action = next(a for a in window.annotate.type_actions if a.text() == "Tag as ORG")
        timings: list[float] = []
        paint_times: list[float] = []
        for r in range(args.repeat):
            start = rng.randrange(0, len(doc_body) - 20)
            while doc_body[start].isspace() or doc_body[start + 6].isspace():
                start += 1
            cursor = view.textCursor()
            cursor.setPosition(cp_to_utf16(doc_body, start))
            cursor.setPosition(cp_to_utf16(doc_body, start + 6), QTextCursor.MoveMode.KeepAnchor)
            view.setTextCursor(cursor)
            view.setFocus()
            app.processEvents()
            window.annotate.update_actions()
            t0 = time.perf_counter()
            action.trigger()
            t1 = time.perf_counter()
            view.viewport().repaint()  # painted, not just scheduled
            timings.append(time.perf_counter() - t0)
            paint_times.append(time.perf_counter() - t1)
            if r % 2:
                window.annotate.annotator.undo()
                app.processEvents()
        action_ms = statistics.median(timings)

        suggest.suggestions(lib, doc_id)  # the automaton is built once per registry change
        s_times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            found = suggest.suggestions(lib, doc_id)
            s_times.append(time.perf_counter() - t0)
        suggest_ms = statistics.median(s_times)
        d_times = []
        for _ in range(max(5, args.repeat // 4)):
            t0 = time.perf_counter()
            window.article.set_suggestions(found)
            view.viewport().repaint()
            d_times.append(time.perf_counter() - t0)
        open_times = []
        for _ in range(max(5, args.repeat // 4)):
            t0 = time.perf_counter()
            window.show_document(doc_id)
            view.viewport().repaint()
            open_times.append(time.perf_counter() - t0)

        n_ann = len(lib.annotations(doc_id))
        print(
            f"article {len(doc_body):,} characters, {n_ann} annotations, {len(found)} suggestions"
        )

        def line(what: str, seconds: float, budget: str | None = None) -> None:
            verdict = ""
            if budget:
                ok = seconds <= BUDGETS[budget]
                verdict = f"  (budget {BUDGETS[budget] * 1000:.0f} ms)  {'OK' if ok else 'OVER'}"
            print(f"{what:<34} median {seconds * 1000:6.2f} ms{verdict}")

        line("annotation action to repainted", action_ms, "action")
        line("  of which the repaint (Qt)", statistics.median(paint_times))
        line("suggestions for the document", suggest_ms, "suggest")
        line("suggestions drawn (repainted)", statistics.median(d_times))
        line("document opened, all drawn", statistics.median(open_times))
        window.shutdown()
        window.close()
        lib.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
