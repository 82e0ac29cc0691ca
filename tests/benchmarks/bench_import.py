"""Import benchmark: the importer, and ``reader import``, against a floor measured in the same run.

The floor is the least any importer must do: walk the folder, read every file, and insert its
raw text into SQLite with an FTS5 index, in one transaction. The targets (issue 2): import
≤ 1.5× the floor at 10,000 and 100,000 pages; re-import of the unchanged 100,000 ≤ 10% of the
first import; peak memory ≤ 300 MB. The import is measured as the importer
(``Library.import_paths``); ``reader import`` also groups the new pages into stories as it
writes them, which the stories issue budgets separately (``bench_stories.py``), and is printed
beside it.

Run: ``python tests/benchmarks/bench_import.py [N ...]`` (default 10000 100000). Dumps are cached
under $BENCH_DIR (default /tmp/reader-bench); $BENCH_ROUNDS (default 3) alternating rounds of
floor and import are run; the figure is the median of each round's import against its floor.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import write_dump  # noqa: E402

FLOOR = r"""
import os, sqlite3, sys, resource
folder, db = sys.argv[1], sys.argv[2]
conn = sqlite3.connect(db, isolation_level=None)
conn.execute("PRAGMA journal_mode = WAL")
conn.execute("CREATE TABLE pages (id INTEGER PRIMARY KEY, path TEXT, raw TEXT)")
conn.execute("CREATE VIRTUAL TABLE pages_fts USING fts5(raw, content='pages', content_rowid='id')")
conn.execute("BEGIN")
for root, dirs, files in os.walk(folder):
    for name in files:
        if name.endswith(".txt"):
            path = os.path.join(root, name)
            with open(path, "rb") as f:
                raw = f.read().decode("utf-8")
            cur = conn.execute("INSERT INTO pages (path, raw) VALUES (?, ?)", (path, raw))
            conn.execute("INSERT INTO pages_fts (rowid, raw) VALUES (?, ?)", (cur.lastrowid, raw))
conn.execute("COMMIT")
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""

READER = r"""
import resource, sys
from reader.cli import main
code = main(["import", sys.argv[1], "--db", sys.argv[2], "--json"])
# The grouper process's peak (the largest child's: the parsing worker's is smaller) goes first.
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
sys.exit(0 if code in (0, 1) else code)
"""

# The importer alone: what `reader import` does less the story grouping.
IMPORTER = r"""
import resource, sys
from reader.library.library import Library
with Library(sys.argv[2]) as lib:
    lib.import_paths([sys.argv[1]])
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))


def timed(script: str, folder: Path, db: Path) -> tuple[float, float]:
    """(seconds, peak MB) of one run of ``script`` in a fresh Python process."""
    # Write back what the previous run left dirty first, so that no run waits on the disk for
    # another's pages (a checkpoint's fsync queues behind them).
    os.sync()
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", script, str(folder), str(db)],
        capture_output=True,
        text=True,
        check=True,
    )
    seconds = time.perf_counter() - start
    lines = done.stderr.strip().splitlines()
    peak_kb = int(lines[-1])
    if script == READER:
        child_mb = int(lines[-2]) / 1024
        CHILD_PEAKS[script] = max(CHILD_PEAKS.get(script, 0.0), child_mb)
    return seconds, peak_kb / 1024


#: The largest child process's peak memory (MB) in any run of a script that reports it.
CHILD_PEAKS: dict[str, float] = {}


def drop(db: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)


def bench(n: int, base: Path) -> None:
    t0 = time.perf_counter()
    folder = write_dump(base / f"dump-{n}", n)
    print(f"\n{n:,} pages ({time.perf_counter() - t0:.0f} s to make or find the dump)")
    floor_db, reader_db = base / f"floor-{n}.sqlite", base / f"reader-{n}.sqlite"
    # Warm the page cache so neither side pays for the first read from disk.
    for root, _, files in os.walk(folder):
        for name in files:
            with open(os.path.join(root, name), "rb") as f:
                f.read()
    # Alternate floor and import runs and keep each one's best: the machines are shared, and
    # a single pair of runs was seen to swing the ratio by ±0.3.
    floors, firsts, grouped, agains = [], [], [], []
    for _ in range(ROUNDS):
        drop(floor_db)
        drop(reader_db)
        floors.append(timed(FLOOR, folder, floor_db))
        firsts.append(timed(IMPORTER, folder, reader_db))
        drop(reader_db)
        grouped.append(timed(READER, folder, reader_db))
        agains.append(timed(READER, folder, reader_db))
    (floor_s, floor_mb), (first_s, _), (grouped_s, _), (again_s, again_mb) = (
        min(floors),
        min(firsts),
        min(grouped),
        min(agains),
    )
    # The figure: the median over rounds of each import against the floor run just before it
    # (the pair shares the machine's state); best against best is printed beside it.
    ratios = sorted(f[0] / fl[0] for f, fl in zip(firsts, floors, strict=True))
    median = statistics.median(ratios)
    with_stories = statistics.median(g[0] / fl[0] for g, fl in zip(grouped, floors, strict=True))
    print(
        f"  ratio per round: {', '.join(f'{r:.2f}×' for r in ratios)};"
        f" median {median:.2f}× (target ≤ 1.5×); best against best {first_s / floor_s:.2f}×"
    )
    print(f"  floor (read + SQLite FTS5 insert): {floor_s:7.2f} s  peak {floor_mb:6.0f} MB  (best)")
    print(
        f"  import:                            {first_s:7.2f} s"
        f"  peak {max(m for _, m in firsts):6.0f} MB  (best)"
    )
    print(
        f"  reader import (stories grouped):   {grouped_s:7.2f} s"
        f"  peak {max(m for _, m in grouped):6.0f} MB  (best; median {with_stories:.2f}× the floor;"
        f" the grouper process {CHILD_PEAKS.get(READER, 0):.0f} MB)"
    )
    print(
        f"  re-import, unchanged:              {again_s:7.2f} s  peak {again_mb:6.0f} MB"
        f"   {again_s / first_s:.1%} of the first (target ≤ 10%)"
    )
    print(
        f"  library size {reader_db.stat().st_size / 2**20:.0f} MB,"
        f" floor {floor_db.stat().st_size / 2**20:.0f} MB"
    )


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [10_000, 100_000]
    base = Path(os.environ.get("BENCH_DIR", "/tmp/reader-bench"))
    base.mkdir(parents=True, exist_ok=True)
    for n in sizes:
        bench(n, base)


if __name__ == "__main__":
    main()
