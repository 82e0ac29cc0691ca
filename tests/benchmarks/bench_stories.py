"""Stories and markets benchmark: what grouping adds to an import, and opening a ticker history.

Targets (the stories issue): grouping adds ≤ 20 % to the import time of 100,000 pages; opening the
history of a symbol carried by 10,000 pages takes ≤ 100 ms.

* **Grouping.** A synthetic dump (``synthetic.write_dump``, Zipf vocabulary; then one where
  every 10th page is a re-scrape of a recent one, which the grouping links, and whose text has
  curly quotes and apostrophes like most scraped news) is imported in a
  fresh process twice per round, alternately: by ``reader import``, which groups the new pages
  into stories as it writes them, and by the same import with no grouping
  (``Library.import_paths``). The figure is the median over rounds of what the grouping adds,
  as a share of the plain import ($BENCH_ROUNDS rounds, default 3: the machine is shared).
* **History.** A dump of ticker-header pages filed in dated folders (``YYYY-MM-DD/``), as a
  scraper leaves them, 50 pages a day; ``history(lib, "HBL")`` is timed cold (first call in a
  fresh process; the median of three such processes) and warm (best of five), once on the
  library as an import with grouping leaves it (each page's path date recorded), once on one
  whose pages the grouping has not read (the dates parsed from the paths on the spot).

Run: ``python tests/benchmarks/bench_stories.py [N ...]`` (default 10000 100000). Dumps and
libraries are cached under $BENCH_DIR (default /tmp/reader-bench).
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import page, vocabulary, write_dump  # noqa: E402

IMPORT = r"""
import sys
from reader.cli import main
if __name__ == "__main__":
    code = main(["import", sys.argv[1], "--db", sys.argv[2], "--json"])
    sys.exit(0 if code in (0, 1) else code)
"""

# The same import with no grouping: what `reader import` did before it grouped.
PLAIN = r"""
import sys
from reader.library.library import Library
if __name__ == "__main__":
    with Library(sys.argv[2]) as lib:
        lib.import_paths([sys.argv[1]])
"""

COUNT = r"""
import sys
from reader.library.library import Library
from reader.stories.grouping import pending_documents
if __name__ == "__main__":
    with Library(sys.argv[1]) as lib:
        stories, members = lib.conn.execute(
            "SELECT count(DISTINCT story_id), count(*) FROM story_members").fetchone()
        print(stories, members, len(pending_documents(lib)))
"""

HISTORY = r"""
import sys, time
from reader.library.library import Library
from reader.stories.markets import history
if __name__ == "__main__":
    with Library(sys.argv[1]) as lib:
        start = time.perf_counter()
        series = history(lib, "HBL")
        cold = time.perf_counter() - start
        warm = []
        for _ in range(5):
            start = time.perf_counter()
            history(lib, "HBL")
            warm.append(time.perf_counter() - start)
    pages = sum(len(p.documents) for p in series.points) + len(series.undated)
    print(cold, min(warm), pages, len(series.points), len(series.undated))
"""


ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
#: The second dump of each size: a re-scrape every this many pages, so that the import also
#: places pages in stories (the first dump's pages are compared, and none is placed).
RESCRAPE_EVERY = 10


def run(script: str, *args: str) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(done.stdout + done.stderr)
    return time.perf_counter() - start, done.stdout.strip()


def drop(db: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)


def warm_cache(folder: Path) -> None:
    for root, _, files in os.walk(folder):
        for name in files:
            with open(os.path.join(root, name), "rb") as f:
                f.read()


def bench_grouping(n: int, base: Path, rounds: int = ROUNDS, rescrape_every: int = 0) -> None:
    t0 = time.perf_counter()
    if rescrape_every:  # and set as scraped news is: curly quotes, beyond Latin-1
        folder = write_dump(
            base / f"dump-{n}-r{rescrape_every}-t",
            n,
            rescrape_every=rescrape_every,
            typographic=True,
        )
        kind = f", every {rescrape_every}th a re-scrape of a recent one, curly quotes"
    else:
        folder = write_dump(base / f"dump-{n}", n)
        kind = ", no two of one event"
    print(f"\n{n:,} pages{kind} ({time.perf_counter() - t0:.0f} s to make or find the dump)")
    warm_cache(folder)
    db = base / f"stories-{n}.sqlite"
    plain, grouped = [], []
    for _ in range(rounds):
        for script, times in ((PLAIN, plain), (IMPORT, grouped)):
            drop(db)
            os.sync()
            times.append(run(script, str(folder), str(db))[0])
    stories, members, pending = run(COUNT, str(db))[1].split()
    added = statistics.median(g / p - 1 for p, g in zip(plain, grouped, strict=True))
    print(f"  import, no grouping:    {', '.join(f'{t:.2f}' for t in plain)} s")
    print(f"  reader import:          {', '.join(f'{t:.2f}' for t in grouped)} s")
    print(
        f"  grouping adds {added:+.0%} to the import (median of {rounds} rounds; target ≤ 20%);"
        f" {(statistics.median(grouped) - statistics.median(plain)) / n * 1e6:.0f} µs a page;"
        f" {stories} stories, {members} pages in them, {pending} left ungrouped"
    )


def write_ticker_dump(folder: Path, count: int, per_day: int = 50, seed: int = 11) -> Path:
    """``count`` ticker-header pages filed ``per_day`` to a dated folder, from 2020-01-01."""
    import datetime

    marker = folder / f".complete-{count}-{per_day}-{seed}"
    if marker.exists():
        return folder
    rng = random.Random(seed)
    vocab = vocabulary(rng)
    start = datetime.date(2020, 1, 1)
    for n in range(count):
        day = start + datetime.timedelta(days=n // per_day)
        sub = folder / day.isoformat()
        if n % per_day == 0:
            sub.mkdir(parents=True, exist_ok=True)
        text = page(rng, vocab, 3 * n)  # shape 0: a ticker-header page
        (sub / f"{n % per_day:03}_{rng.getrandbits(64):016x}.txt").write_text(
            text, encoding="utf-8"
        )
    marker.write_text("")
    return folder


def bench_history(base: Path, pages: int = 15_000) -> None:
    folder = write_ticker_dump(base / f"tickers-{pages}", pages)
    db = base / f"tickers-{pages}.sqlite"
    raw = base / f"tickers-{pages}-not-grouped.sqlite"
    if not db.exists():
        run(PLAIN, str(folder), str(raw))
        run(IMPORT, str(folder), str(db))
    for label, library in (("pages read by the grouping", db), ("dates parsed from paths", raw)):
        # Three fresh processes: the first may find the file pushed out of the OS cache by
        # whatever ran before (the grouping benchmark writes gigabytes), the others not.
        runs = [run(HISTORY, str(library))[1].split() for _ in range(3)]
        colds = [float(r[0]) * 1000 for r in runs]
        warm = min(float(r[1]) for r in runs) * 1000
        _, _, carried, points, undated = runs[0]
        print(
            f"history('HBL') on {carried} pages, {label}: cold {statistics.median(colds):.0f} ms"
            f" (median of 3 fresh processes; the first {colds[0]:.0f} ms), warm {warm:.0f} ms"
            f" (target ≤ 100 ms); {points} points, {undated} undated"
        )


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [10_000, 100_000]
    base = Path(os.environ.get("BENCH_DIR", "/tmp/reader-bench"))
    base.mkdir(parents=True, exist_ok=True)
    bench_history(base)
    for n in sizes:
        bench_grouping(n, base)
        bench_grouping(n, base, rescrape_every=RESCRAPE_EVERY)


if __name__ == "__main__":
    main()
