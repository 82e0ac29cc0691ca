"""The stories fixture dump: where it is, what it holds, and helpers to name its documents."""

from __future__ import annotations

from pathlib import Path

from reader.library.library import Library

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "stories"
SAMPLE = Path(__file__).resolve().parents[2] / "src" / "reader" / "resources" / "sample_dump"
SHARED = Path(__file__).resolve().parents[2].parent / "shared"

# What the fixture dump holds (tests/fixtures/stories, original fictional text):
# one ferry grounding reported by three outlets (a ticker page dated by its folder, a dated
# wire story, a titled article a day later) plus a re-scrape of the wire copy under a headline
# with a line added; a council tram vote from two outlets; an unrelated harbour page on the
# same day; the ferry inquiry five weeks later (the same names, another event); other pages.
FERRY = {
    "003_5be1c0a7d2e94f16.txt",
    "wire_20240514_0007.txt",
    "0007_b81f4a6c20d9e357.txt",
    "saltmarsh-star-refloated.txt",
}
TRAM = {"004_e03f6d29a8c41b75.txt", "dunmore-tram-vote.txt"}
STORIES = [FERRY, TRAM]


def names(lib: Library) -> dict[str, int]:
    """{file name: document id} for every path in the library."""
    return {Path(p).name: d for p, d in lib.conn.execute("SELECT path, document_id FROM paths")}


def groups(lib: Library) -> list[set[str]]:
    """The stories as sets of file names (one name per document: its first path's)."""
    by_doc: dict[int, str] = {}
    for path, doc_id in lib.conn.execute("SELECT path, document_id FROM paths ORDER BY path"):
        by_doc.setdefault(doc_id, Path(path).name)
    found: dict[int, set[str]] = {}
    for doc_id, story in lib.conn.execute("SELECT document_id, story_id FROM story_members"):
        found.setdefault(story, set()).add(by_doc[doc_id])
    return sorted((g for g in found.values() if len(g) > 1), key=sorted)
