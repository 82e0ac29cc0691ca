"""The grouper process: an import's pages compared beside the writer make the same stories as
grouping in the writer, and a grouper that fails or falls behind loses nothing."""

from __future__ import annotations

import itertools
import os
import signal
from pathlib import Path

import pytest

from reader.library.library import Library
from reader.stories import grouper, grouping
from reader.stories.grouping import pending_documents, rebuild_stories
from reader.stories.on_import import ImportGrouping, import_grouped

from .common import STORIES, groups

#: What grouping leaves in a library, apart from when it was done.
STATE = [
    "SELECT document_id, story_id, link, score, joined_via FROM story_members ORDER BY 1",
    "SELECT * FROM document_signatures ORDER BY document_id",
    "SELECT name, value FROM story_state WHERE name IN ('df', 'documents', 'scheme') ORDER BY 1",
]


def state(lib: Library) -> list[list[tuple]]:
    return [lib.conn.execute(sql).fetchall() for sql in STATE]


def imported(db: Path, dump: Path, *, use_grouper: bool) -> tuple[ImportGrouping, Library]:
    lib = Library(db)
    hook = ImportGrouping(lib, use_grouper=use_grouper)
    try:
        lib.import_paths([dump], hook=hook, batch_seconds=0)
    finally:
        hook.close()
    return hook, lib


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(grouping, "BATCH", 2)  # the fixture dump is six batches


def test_the_grouper_makes_the_stories_grouping_in_the_writer_makes(
    tmp_path: Path, stories_dump: Path, small_batches: None
) -> None:
    hook, lib = imported(tmp_path / "grouper.sqlite", stories_dump, use_grouper=True)
    with lib:
        assert hook.report.read == lib.count_documents()  # all compared by the grouper…
        assert pending_documents(lib) == []
        assert groups(lib) == sorted(STORIES, key=sorted)
        by_grouper = state(lib)
    _, lib = imported(tmp_path / "writer.sqlite", stories_dump, use_grouper=False)
    with lib:
        assert state(lib) == by_grouper  # …exactly as the writer would have
        rebuild_stories(lib)
        assert state(lib)[:2] == by_grouper[:2]  # and as reading the library again does


def test_a_grouper_compares_with_the_pages_before_the_import_too(
    tmp_path: Path, stories_dump: Path, small_batches: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Into a library that has pages, the grouper's candidates are both its own pages and the
    library's (read from the file): the stories are the writer's all the same."""
    pages = sorted(stories_dump.rglob("*.txt"))
    half = len(pages) // 2
    states = []
    for use_grouper in (True, False):
        lib = Library(tmp_path / f"{use_grouper}.sqlite")
        for part in (pages[:half], pages[half:]):
            hook = ImportGrouping(lib, use_grouper=use_grouper)
            try:
                lib.import_paths(part, hook=hook, batch_seconds=0)
            finally:
                hook.close()
        with lib:
            assert pending_documents(lib) == []
            assert groups(lib) == sorted(STORIES, key=sorted)
            states.append(state(lib))
    assert states[0] == states[1]


def test_the_grouper_gathers_its_own_signatures_and_the_librarys_as_stored(
    lib: Library, stories_dump: Path
) -> None:
    """``_Comparer._stored_signatures``: those of the pages it compared come from what it
    holds, the others from the file, each as the library stores it."""
    import numpy as np

    from reader.stories.pairs import Signatures

    lib.import_paths([stories_dump])
    rebuild_stories(lib)
    rows = lib.conn.execute(
        "SELECT document_id, date, sketch, terms, weights, names FROM document_signatures"
        " ORDER BY document_id"
    ).fetchall()
    conn = grouper.sqlite3.connect(f"{Path(lib.path).resolve().as_uri()}?mode=ro", uri=True)
    comparer = grouper._Comparer(conn, np.zeros(1 << 16, np.uint32), 0)
    for batch in (rows[-6:-3], rows[-3:]):  # two batches the grouper "made"
        comparer.made.add(
            grouping._Batch(
                [r[0] for r in batch], [""] * len(batch), [r[1] for r in batch], [], [], [], [],
                Signatures.of(*([r[i] or b"" for r in batch] for i in (2, 3, 4, 5))),
            )
        )
    wanted = [rows[-1][0], rows[0][0], rows[-5][0], 10**9, rows[2][0]]  # 10**9: no such page
    ids, dates, sigs = comparer._stored_signatures(wanted)
    conn.close()
    assert sorted(ids) == sorted(wanted[:3] + wanted[4:])
    assert ids[:2] == [rows[-1][0], rows[-5][0]]  # the grouper's own first
    by_id = {r[0]: r for r in rows}
    laid_out = Signatures.of(*([by_id[i][k] or b"" for i in ids] for k in (2, 3, 4, 5)))
    for field in Signatures.__dataclass_fields__:
        assert getattr(sigs, field).tolist() == getattr(laid_out, field).tolist(), field
    assert dates == [by_id[i][1] for i in ids]


def test_the_grouper_runs_as_a_process_of_its_own(
    lib: Library, stories_dump: Path, small_batches: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[int] = []
    original = grouper.Grouper.__init__

    def spy(self: grouper.Grouper, *args: object) -> None:
        original(self, *args)  # type: ignore[arg-type]
        started.append(self.process.pid or 0)

    monkeypatch.setattr(grouper.Grouper, "__init__", spy)
    import_grouped(lib, [stories_dump])
    assert len(started) == 1 and started[0] != os.getpid()
    assert groups(lib) == sorted(STORIES, key=sorted)


@pytest.mark.skipif(not hasattr(grouper.fcntl, "F_GETPIPE_SZ"), reason="Linux pipes only")
def test_the_pipes_hold_a_whole_batch(lib: Library) -> None:
    # Through the default 64 KB, sending a batch waited on the grouper a dozen times.
    if int(Path("/proc/sys/fs/pipe-max-size").read_text()) < grouper.PIPE_BYTES:
        pytest.skip("this system caps pipes below PIPE_BYTES: the default is kept")
    handle = grouper.Grouper(lib.path, grouper.multiprocessing.get_context("spawn"))
    try:
        for pipe in (handle.outbox, handle.pipe):  # the answers' pipe: its other end
            size = grouper.fcntl.fcntl(pipe.fileno(), grouper.fcntl.F_GETPIPE_SZ)
            assert size == grouper.PIPE_BYTES
    finally:
        handle.close()


def test_no_grouper_for_a_library_in_memory(stories_dump: Path, small_batches: None) -> None:
    with Library(":memory:") as lib:
        hook = ImportGrouping(lib)
        lib.import_paths([stories_dump], hook=hook)
        assert hook.grouper is None and not hook.use_grouper
        assert groups(lib) == sorted(STORIES, key=sorted)


def test_a_grouper_killed_mid_import_loses_nothing(
    lib: Library, stories_dump: Path, small_batches: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent = itertools.count()
    original = grouper.Grouper.send

    def send_then_die(self: grouper.Grouper, pages: object) -> None:
        original(self, pages)  # type: ignore[arg-type]
        if next(sent) == 1:
            os.kill(self.process.pid or 0, signal.SIGKILL)
            self.process.join()

    monkeypatch.setattr(grouper.Grouper, "send", send_then_die)
    placed: list[int] = []
    original_place = grouping.Grouping.place_compared
    read_new = grouping.Grouping.read_new

    def place(self: grouping.Grouping, pages: list, compared: object) -> None:
        placed.extend(p[0] for p in pages)
        original_place(self, pages, compared)  # type: ignore[arg-type]

    def placed_here(self: grouping.Grouping, pages: list) -> None:
        placed.extend(p[0] for p in pages)
        read_new(self, pages)

    monkeypatch.setattr(grouping.Grouping, "place_compared", place)
    monkeypatch.setattr(grouping.Grouping, "read_new", placed_here)
    report = import_grouped(lib, [stories_dump], batch_seconds=0)
    assert report.imported == lib.count_documents() and not report.cancelled
    # Nothing was placed during the import after the grouper died (at most its first batch,
    # before): placing the rest there would have put them out of order.
    assert len(placed) <= 2
    # What the grouper had not given back was left for the catch-up after the import.
    assert pending_documents(lib) == []
    assert groups(lib) == sorted(STORIES, key=sorted)


def test_a_grouper_that_fails_reports_and_loses_nothing(
    tmp_path: Path, stories_dump: Path, small_batches: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A grouper that cannot read the library fails on its first batch.
    original = grouper.Grouper.__init__

    def elsewhere(self: grouper.Grouper, path: object, *args: object) -> None:
        original(self, tmp_path / "no such library.sqlite", *args)  # type: ignore[arg-type]

    monkeypatch.setattr(grouper.Grouper, "__init__", elsewhere)
    with Library(tmp_path / "lib.sqlite") as lib:
        import_grouped(lib, [stories_dump])
        assert pending_documents(lib) == []
        assert groups(lib) == sorted(STORIES, key=sorted)


def test_a_cancelled_import_leaves_what_the_grouper_had_pending(
    lib: Library, stories_dump: Path, small_batches: None
) -> None:
    asked = itertools.count()
    report = import_grouped(lib, [stories_dump], cancel=lambda: next(asked) >= 7, batch_seconds=0)
    assert report.cancelled and lib.count_documents() == 7
    assert pending_documents(lib)  # at least the page waiting for a full batch
    read = lib.conn.execute("SELECT count(*) FROM document_signatures").fetchone()[0]
    assert read + len(pending_documents(lib)) == 7
    import_grouped(lib, [stories_dump])
    assert pending_documents(lib) == [] and groups(lib) == sorted(STORIES, key=sorted)


def test_another_process_grouping_mid_import_stops_the_grouper(
    lib: Library, stories_dump: Path, small_batches: None
) -> None:
    hook = ImportGrouping(lib)
    begun = itertools.count()
    original = hook.begin

    def begin() -> None:
        if next(begun) == 3:  # as if another process had grouped between two transactions
            lib.conn.execute("UPDATE story_state SET value = value + 100 WHERE name = 'generation'")
        original()

    hook.begin = begin  # type: ignore[method-assign]
    try:
        lib.import_paths([stories_dump], hook=hook, batch_seconds=0)
    finally:
        hook.close()
    assert hook.grouper is None  # given up: its state was no longer the file's
    grouping.group_pending(lib)
    assert pending_documents(lib) == [] and groups(lib) == sorted(STORIES, key=sorted)


def test_the_grouper_s_growing_arrays_keep_what_was_appended() -> None:
    import numpy as np

    grown = grouper._Growing(np.intp, 0)
    expected = [0]
    for size in (3, 1500, 0, 700, 5000):  # past the first room, and again
        more = np.arange(len(expected), len(expected) + size)
        grown.extend(more)
        expected.extend(more.tolist())
        assert grown.values.tolist() == expected and len(grown) == len(expected)
    assert len(grown.data) <= max(1024, len(expected) * 5 // 4 + 1)  # room: a quarter at most
