"""Export benchmark: ``jsonl`` of a large library against ``json.dumps`` in a plain loop.

Target (issue 6): exporting 100,000 documents with 1,000,000 annotations to ``jsonl`` takes at
most 2× the time of serialising the same data with ``json.dumps`` in a plain loop, in the same
run. The export is timed whole: reading the library, building the records, encoding, writing
the file (fsync and rename included). The floor is only the ``json.dumps`` calls, on records
built beforehand (untimed, a thousand documents at a time to keep memory flat).

The library is built fast with direct inserts (documents, texts, paths, annotations, tags; no
full-text rows, which an export never reads) and cached under $BENCH_DIR (default
/tmp/reader-bench). The sides run interleaved, three times each, and the best counts; the ratio
is taken on CPU time (the machine may be shared with other work, which inflates wall time at
random), and the wall-clock ratio is printed too.

Run: ``python tests/benchmarks/bench_export.py [DOCS [ANNOTATIONS_PER_DOC]]`` (default 100000 10).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import _paragraphs, vocabulary  # noqa: E402

from reader.export import export  # noqa: E402
from reader.export.jsonl import record  # noqa: E402
from reader.export.loading import iter_documents  # noqa: E402
from reader.library.library import Library  # noqa: E402

TYPES = ["PERSON", "ORG", "GPE", "LOC", "EVENT"]
COLORS = ["yellow", "green", "blue", "pink", "orange"]
POOL = 2000  # distinct bodies; each document gets its own first line, so hashes differ


def build(path: Path, n_docs: int, per_doc: int, seed: int = 11) -> None:
    if path.exists():
        return
    tmp = path.with_suffix(".building")
    for suffix in ("", "-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    Library(tmp).close()  # the schema, by the library itself
    rng = random.Random(seed)
    vocab = vocabulary(rng)
    extras = ["Karachi 🚢", "بلاول بھٹو زرداری", "Zoë Ångström", "naïve café", "👨‍👩‍👧"]
    pool = []
    for _ in range(POOL):
        paras = _paragraphs(rng, vocab, rng.randint(1800, 4500))
        paras.insert(1, rng.choice(extras) + " said so.")
        pool.append("\n\n".join(paras))
    conn = sqlite3.connect(tmp, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO tags (id, name) VALUES (?, ?)",
                     [(i + 1, f"tag-{i}") for i in range(50)])  # fmt: skip
    stamp = "2026-01-01T00:00:00+00:00"
    for start in range(0, n_docs, 5000):
        docs, texts, paths, anns, tags = [], [], [], [], []
        for doc_id in range(start + 1, min(n_docs, start + 5000) + 1):
            body = f"Document {doc_id} opens here.\n\n" + pool[doc_id % POOL]
            title = f"Synthetic page {doc_id}"
            raw = f"{title}\n\n{body}"
            digest = "sha256:" + hashlib.sha256(raw.encode()).hexdigest()
            date = f"2024-{doc_id % 12 + 1:02}-{doc_id % 28 + 1:02}" if doc_id % 3 else None
            docs.append((doc_id, digest, title, date, "ANI" if doc_id % 2 else None, stamp))
            texts.append((doc_id, raw, body))
            paths.append((f"/dump/part{doc_id // 1000:03}/{doc_id:06}.txt", doc_id, len(raw)))
            if doc_id % 10 == 0:
                tags.append((doc_id, doc_id % 50 + 1))
            step = len(body) // per_doc
            for k in range(per_doc):
                s = k * step + rng.randrange(0, max(1, step - 40))
                while s > 0 and not body[s - 1].isspace():
                    s -= 1
                e = s + rng.randint(4, 30)
                e = min(len(body), e)
                exact = body[s:e]
                if k % 3 == 2:
                    kind, color, type_, entity = "highlight", COLORS[k % 5], None, None
                else:
                    kind, color, type_, entity = (
                        "entity",
                        None,
                        TYPES[k % 5],
                        " ".join(exact.split()),
                    )
                note = f"note {k} on {doc_id}" if k % 4 == 0 else None
                context = body[max(0, s - 32) : s], body[e : e + 32]
                anns.append(
                    (doc_id, kind, s, e, exact, *context, color, type_, entity, note, stamp, stamp)
                )
        conn.executemany(
            "INSERT INTO documents (id, content_hash, title, date, source, encoding, profile,"
            " imported_at, updated_at) VALUES (?,?,?,?,?,'utf-8','titled',?,?)",
            [(*d, stamp) for d in docs],
        )
        conn.executemany(
            "INSERT INTO document_texts (document_id, raw, body) VALUES (?,?,?)", texts
        )
        conn.executemany(
            "INSERT INTO paths (path, document_id, size, mtime_ns, seen_at) VALUES (?,?,?,0,'')",
            paths,
        )
        conn.executemany("INSERT INTO document_tags (document_id, tag_id) VALUES (?,?)", tags)
        conn.executemany(
            "INSERT INTO annotations (document_id, kind, start, end, exact, prefix, suffix, color,"
            " type, entity, note, orphaned, created_at, updated_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,0,?,?)",
            anns,
        )
        print(f"\r  building: {start + len(docs):,} documents", end="", flush=True)
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    os.replace(tmp, path)
    print()


def floor(path: Path) -> tuple[float, float, int]:
    """(CPU s, wall s) of ``json.dumps`` over the same records (built untimed), and the size.

    ``ensure_ascii=False`` as the export writes: the same data serialised to the same text.
    """
    cpu = wall = 0.0
    size = 0
    with Library(path) as lib:
        ids = lib.document_ids()
        for i in range(0, len(ids), 1000):
            records = [record(d) for d in iter_documents(lib, ids[i : i + 1000])]
            c0, w0 = time.process_time(), time.perf_counter()
            lines = []
            for r in records:
                lines.append(json.dumps(r, ensure_ascii=False))
            cpu += time.process_time() - c0
            wall += time.perf_counter() - w0
            size += sum(len(line.encode("utf-8")) + 1 for line in lines)
    return cpu, wall, size


def exported(path: Path, dest: Path) -> tuple[float, float, int, int]:
    """(CPU s, wall s, documents, annotations) of the whole export, opening the library included."""
    dest.unlink(missing_ok=True)
    c0, w0 = time.process_time(), time.perf_counter()
    with Library(path) as lib:
        report = export(lib, "jsonl", None, dest)
    return time.process_time() - c0, time.perf_counter() - w0, report.documents, report.annotations


def main() -> int:
    n_docs = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    per_doc = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    base = Path(os.environ.get("BENCH_DIR", "/tmp/reader-bench"))
    base.mkdir(parents=True, exist_ok=True)
    db = base / f"export-{n_docs}x{per_doc}.sqlite"
    t0 = time.perf_counter()
    build(db, n_docs, per_doc)
    print(f"{n_docs:,} documents, {n_docs * per_doc:,} annotations "
          f"({time.perf_counter() - t0:.0f} s to build or find the library, "
          f"{db.stat().st_size / 2**20:.0f} MB)")  # fmt: skip
    dest = base / "export.jsonl"
    exported(db, dest)  # warm the page cache for both sides
    floors, exports = [], []
    for _ in range(3):  # interleaved, best of three: the machine may be shared
        floors.append(floor(db))
        exports.append(exported(db, dest))
    floor_cpu, floor_wall, size = min(floors)
    export_cpu, export_wall, docs, items = min(exports)
    assert docs == n_docs and items == n_docs * per_doc, (docs, items)
    assert dest.stat().st_size == size, "the file is not the records serialised"
    dest.unlink()  # 440 MB: the library is the cache, not the output
    ratio = export_cpu / floor_cpu
    print(f"  json.dumps in a plain loop:    {floor_cpu:6.2f} s CPU {floor_wall:6.2f} s wall"
          f"  ({size / 2**20:.0f} MB of JSON)")  # fmt: skip
    print(f"  reader export --format jsonl:  {export_cpu:6.2f} s CPU {export_wall:6.2f} s wall"
          f"  ({docs:,} documents, {items:,} annotations)")  # fmt: skip
    print(f"  ratio {ratio:.2f}× CPU, {export_wall / floor_wall:.2f}× wall (target ≤ 2×)")
    return 0 if ratio <= 2 else 1


if __name__ == "__main__":
    sys.exit(main())
