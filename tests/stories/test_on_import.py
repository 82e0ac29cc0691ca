"""Grouping while importing: the same stories as grouping afterwards, and nothing half-done."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from reader.library import importer
from reader.library.library import Library
from reader.stories import grouping, on_import
from reader.stories.grouping import Grouping, group_pending, pending_documents
from reader.stories.on_import import ImportGrouping, import_grouped

from .common import STORIES, groups


def test_an_import_groups_its_pages_as_it_writes_them(lib: Library, stories_dump: Path) -> None:
    hook = ImportGrouping(lib)
    report = lib.import_paths([stories_dump], hook=hook)
    assert hook.report.read == report.imported  # all placed inside the import…
    assert pending_documents(lib) == []
    assert groups(lib) == sorted(STORIES, key=sorted)  # …into exactly the known stories


def test_summaries_made_in_worker_processes(
    lib: Library, stories_dump: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importer, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(importer, "CHUNK", 3)
    import_grouped(lib, [stories_dump], workers=1)
    assert pending_documents(lib) == [] and groups(lib) == sorted(STORIES, key=sorted)


def test_small_batches_across_many_commits(
    lib: Library, stories_dump: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(grouping, "BATCH", 2)
    hook = ImportGrouping(lib, use_grouper=False)  # placed as soon as a batch is full
    lib.import_paths([stories_dump], hook=hook, batch_seconds=0)  # a commit after every file
    assert pending_documents(lib) == []
    assert groups(lib) == sorted(STORIES, key=sorted)
    generation = lib.conn.execute(
        "SELECT value FROM story_state WHERE name = 'generation'"
    ).fetchone()[0]
    assert generation >= 3  # saved with the pages, commit after commit


def test_a_cancelled_import_leaves_its_unplaced_pages_pending(
    lib: Library, stories_dump: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(grouping, "BATCH", 2)
    # Grouping in the writer, where when a page is placed does not depend on another
    # process's pace (test_grouper.py cancels an import whose pages a grouper compares).
    monkeypatch.setattr(on_import, "_readable_while_written", lambda lib: False)
    asked = itertools.count()
    report = import_grouped(
        lib, [stories_dump], cancel=lambda: next(asked) >= 7, batch_seconds=0
    )
    assert report.cancelled and lib.count_documents() == 7
    pending = pending_documents(lib)
    assert 0 < len(pending) < 7  # the last page waited for a full batch
    group_pending(lib)
    lib.import_paths([stories_dump])  # the rest, not grouped…
    group_pending(lib)  # …until caught up
    assert pending_documents(lib) == [] and groups(lib) == sorted(STORIES, key=sorted)


def test_a_failed_import_keeps_committed_pages_and_their_stories_consistent(
    lib: Library, stories_dump: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(grouping, "BATCH", 2)
    done = itertools.count()

    def progress(*_: object) -> None:
        if next(done) == 9:
            raise OSError("disk full")

    with pytest.raises(OSError):
        import_grouped(lib, [stories_dump], progress=progress, batch_seconds=0)
    kept = lib.count_documents()
    assert 0 < kept < 12
    read = lib.conn.execute("SELECT count(*) FROM document_signatures").fetchone()[0]
    assert read + len(pending_documents(lib)) == kept  # every kept page read or pending
    import_grouped(lib, [stories_dump])
    assert pending_documents(lib) == [] and groups(lib) == sorted(STORIES, key=sorted)


def test_state_written_by_another_process_is_read_again(
    lib: Library, db_path: Path, stories_dump: Path
) -> None:
    ids = lib.import_paths([stories_dump]).document_ids
    mine = Grouping(lib)
    mine.update(ids[:5])
    held = mine.generation
    with Library(db_path) as other:
        Grouping(other).update(ids[5:])
    mine.update([])  # a new transaction: the file's generation is not the one held
    assert mine.generation != held and mine.documents == len(ids)
    assert groups(lib) == sorted(STORIES, key=sorted)


def test_reader_import_groups(tmp_path: Path, stories_dump: Path) -> None:
    from reader.cli import main

    db = tmp_path / "cli.sqlite"
    assert main(["import", str(stories_dump), "--db", str(db), "--json"]) == 0
    with Library(db) as lib:
        assert pending_documents(lib) == [] and groups(lib) == sorted(STORIES, key=sorted)
