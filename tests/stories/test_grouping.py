"""Grouping the fixture dump into stories: exactly the known ones, incrementally, robustly."""

from __future__ import annotations

import itertools
import shutil
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from reader.library.library import Library
from reader.stories import grouping, text
from reader.stories.grouping import (
    pending_documents,
    rebuild_stories,
    update_stories,
)
from reader.stories.index import KEY_CAP, CandidateIndex, page_keys
from reader.stories.queries import stories, story_of

from .common import FERRY, SAMPLE, STORIES, groups, names


def _import_and_group(lib: Library, *paths: Path) -> None:
    report = lib.import_paths(paths)
    assert report.failed == []
    update_stories(lib, report.document_ids)


def pair_scores(lib: Library, expected: list[set[str]]) -> tuple[float, float]:
    """Pairwise precision and recall of the library's stories against ``expected``."""
    truth = {n: i for i, g in enumerate(expected) for n in g}
    found = {n: i for i, g in enumerate(groups(lib)) for n in g}
    every = sorted(names(lib))
    tp = fp = fn = 0
    for a, b in itertools.combinations(every, 2):
        same_truth = a in truth and truth.get(a) == truth.get(b)
        same_found = a in found and found.get(a) == found.get(b)
        tp += same_truth and same_found
        fp += same_found and not same_truth
        fn += same_truth and not same_found
    return (tp / (tp + fp) if tp + fp else 1.0), (tp / (tp + fn) if tp + fn else 1.0)


def test_fixture_dump_groups_exactly(lib: Library, stories_dump: Path) -> None:
    _import_and_group(lib, stories_dump)
    assert groups(lib) == sorted(STORIES, key=sorted)
    assert pair_scores(lib, STORIES) == (1.0, 1.0)


def test_links_say_how_pages_joined(lib: Library, stories_dump: Path) -> None:
    _import_and_group(lib, stories_dump)
    ids = names(lib)
    ferry = story_of(lib, ids["wire_20240514_0007.txt"])
    assert ferry is not None
    links = {m.document_id: m for m in ferry.members}
    wire, rescrape = ids["wire_20240514_0007.txt"], ids["0007_b81f4a6c20d9e357.txt"]
    # The re-scrape is the wire copy under a headline with one line added: a near-duplicate.
    near = [m for m in (links[wire], links[rescrape]) if m.link == "near-duplicate"]
    assert len(near) == 1 and near[0].joined_via in (wire, rescrape)
    assert 0.8 <= near[0].score < 1.0
    # The other outlets' reports are the same event in other words.
    for name in ("003_5be1c0a7d2e94f16.txt", "saltmarsh-star-refloated.txt"):
        assert links[ids[name]].link in ("first", "same-event")
    assert [m.link for m in ferry.members].count("first") == 1
    assert all(m.score is None or m.score >= grouping.SAME_EVENT for m in ferry.members)


def test_unrelated_page_of_the_same_day_and_a_later_event_stand_alone(
    lib: Library, stories_dump: Path
) -> None:
    _import_and_group(lib, stories_dump)
    ids = names(lib)
    # The harbour dredging page: same port, same day, another subject.
    assert story_of(lib, ids["005_9a4d17c2f6be0e83.txt"]) is None
    # The inquiry five weeks later names the same ship, shoal and harbour master: similar
    # enough, but outside the date window.
    assert story_of(lib, ids["saltmarsh-star-inquiry.txt"]) is None


def test_date_window_is_what_keeps_the_later_inquiry_out(
    lib: Library, stories_dump: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(grouping, "DATE_WINDOW_DAYS", 60)
    _import_and_group(lib, stories_dump)
    found = groups(lib)
    assert any("saltmarsh-star-inquiry.txt" in g for g in found)


def test_the_sample_dump_shared_story(lib: Library) -> None:
    _import_and_group(lib, SAMPLE)
    ids = names(lib)
    wanted = {"014_daad59d9ff183378.txt", "000_f74d92fcce81c9f4.txt", "001_b3c8bde15c5d0f20.txt"}
    assert groups(lib) == [wanted]
    story = story_of(lib, ids["000_f74d92fcce81c9f4.txt"])
    assert story is not None
    kinds = {m.document_id: m.link for m in story.members}
    # The wire text and its headline version are one text; the ticker page is another report.
    assert kinds[ids["001_b3c8bde15c5d0f20.txt"]] in ("near-duplicate", "first")
    assert kinds[ids["014_daad59d9ff183378.txt"]] in ("same-event", "first")


def test_incremental_import_gives_the_same_stories(lib: Library, stories_dump: Path) -> None:
    for part in ("outlet-c", "outlet-a", "outlet-b"):
        _import_and_group(lib, stories_dump / part)
    assert groups(lib) == sorted(STORIES, key=sorted)
    assert pending_documents(lib) == []


def test_a_story_joined_later_is_stamped_once_and_the_others_not(
    lib: Library, stories_dump: Path
) -> None:
    _import_and_group(lib, stories_dump / "outlet-c", stories_dump / "outlet-a")
    lib.conn.execute("UPDATE stories SET updated_at = '2000-01-01T00:00:00+00:00'")
    lib.conn.commit()
    _import_and_group(lib, stories_dump / "outlet-b")  # a report joins each of the two
    stamps = dict(lib.conn.execute("SELECT id, updated_at FROM stories"))
    joined = {
        s
        for (s,) in lib.conn.execute(
            "SELECT DISTINCT story_id FROM story_members WHERE"
            " document_id IN (SELECT document_id FROM paths WHERE path LIKE '%outlet-b%')"
        )
    }
    assert joined and all(stamps[s] > "2001" for s in joined)
    assert all(stamps[s] == "2000-01-01T00:00:00+00:00" for s in stamps.keys() - joined)


def test_rebuild_gives_the_same_stories(lib: Library, stories_dump: Path) -> None:
    _import_and_group(lib, stories_dump)
    before = groups(lib)
    report = rebuild_stories(lib)
    assert report.read == len(names(lib))
    assert groups(lib) == before


def test_reading_again_unchanged_documents_does_nothing(lib: Library, stories_dump: Path) -> None:
    _import_and_group(lib, stories_dump)
    before = lib.conn.execute("SELECT * FROM story_members ORDER BY document_id").fetchall()
    report = update_stories(lib, lib.document_ids())
    assert (report.read, report.unchanged, report.joined) == (0, len(before) + 9, [])
    after = lib.conn.execute("SELECT * FROM story_members ORDER BY document_id").fetchall()
    assert [tuple(r) for r in after] == [tuple(r) for r in before]


def test_a_changed_page_leaves_its_story_and_joins_another(
    lib: Library, stories_dump: Path
) -> None:
    _import_and_group(lib, stories_dump)
    ids = names(lib)
    tram_story = story_of(lib, ids["dunmore-tram-vote.txt"])
    assert tram_story is not None
    # The outlet's tram article is replaced by a copy of the harbour dredging report.
    dredging = (stories_dump / "outlet-a" / "2024-05-14" / "005_9a4d17c2f6be0e83.txt").read_text(
        encoding="utf-8"
    )
    body = dredging.split("\n\n", 1)[1]  # without its ticker block
    tram = stories_dump / "outlet-c" / "2024" / "05" / "14" / "dunmore-tram-vote.txt"
    tram.write_text("Harbour to deepen south quay berth\n\n" + body, encoding="utf-8")
    report = lib.import_paths([stories_dump])
    assert report.updated == 1
    result = update_stories(lib, report.document_ids)
    assert tram_story.id in result.stories
    found = groups(lib)
    assert FERRY in found
    assert {"dunmore-tram-vote.txt", "005_9a4d17c2f6be0e83.txt"} in found
    assert not any("004_e03f6d29a8c41b75.txt" in g for g in found)  # the tram page is alone


def test_a_story_that_loses_a_member_keeps_the_rest_together(
    lib: Library, stories_dump: Path
) -> None:
    _import_and_group(lib, stories_dump)
    ids = names(lib)
    ferry = story_of(lib, ids["wire_20240514_0007.txt"])
    assert ferry is not None
    refloated = stories_dump / "outlet-c" / "2024" / "05" / "15" / "saltmarsh-star-refloated.txt"
    refloated.write_text("Club repaints its boathouse\n\nVolunteers met.\n", encoding="utf-8")
    report = lib.import_paths([stories_dump])
    update_stories(lib, report.document_ids)
    found = groups(lib)
    assert FERRY - {"saltmarsh-star-refloated.txt"} in found
    again = story_of(lib, ids["wire_20240514_0007.txt"])
    assert again is not None and again.id == ferry.id  # the story keeps its id


def test_a_vanished_document_is_forgotten(lib: Library, stories_dump: Path) -> None:
    _import_and_group(lib, stories_dump)
    ids = names(lib)
    gone = ids["dunmore-tram-vote.txt"]
    with lib.transaction() as c:  # as a future "remove document" would
        for table in ("annotations", "document_tags", "tickers", "paths", "document_texts"):
            c.execute(f"DELETE FROM {table} WHERE document_id = ?", (gone,))
        c.execute("INSERT INTO documents_fts (documents_fts) VALUES ('rebuild')")
        c.execute("DELETE FROM documents WHERE id = ?", (gone,))
    report = update_stories(lib, [gone])
    assert report.removed == 1
    assert groups(lib) == [FERRY]
    assert [len(s.members) for s in stories(lib)] == [4]
    assert lib.conn.execute("SELECT count(*) FROM stories").fetchone()[0] == 1
    # Its keys linger until a rebuild, harmlessly: new pages still group.
    (stories_dump / "outlet-c" / "2024" / "05" / "14" / "dunmore-tram-vote.txt").unlink()
    shutil.copy(
        stories_dump / "outlet-b" / "wire_20240514_0007.txt",
        stories_dump / "outlet-b" / "wire-again.txt",
    )
    (stories_dump / "outlet-b" / "wire-again.txt").write_text(
        "Ferry aground off Merrow\n\n"
        + lib.body(names(lib)["wire_20240514_0007.txt"]).replace("(Reuters)", "(AFP)"),
        encoding="utf-8",
    )
    _import_and_group(lib, stories_dump)
    assert groups(lib) == [FERRY | {"wire-again.txt"}]


def test_cancel_leaves_the_rest_pending(lib: Library, stories_dump: Path) -> None:
    report = lib.import_paths([stories_dump])
    asked = iter(range(100))
    result = update_stories(lib, report.document_ids, cancel=lambda: next(asked) >= 5)
    assert result.cancelled and result.read == 5
    assert len(pending_documents(lib)) == len(report.document_ids) - 5
    update_stories(lib, pending_documents(lib))
    assert pending_documents(lib) == []
    assert groups(lib) == sorted(STORIES, key=sorted)


def test_runs_inside_the_callers_transaction(lib: Library, stories_dump: Path) -> None:
    report = lib.import_paths([stories_dump])
    lib.conn.execute("BEGIN IMMEDIATE")
    update_stories(lib, report.document_ids)
    assert lib.conn.in_transaction  # the caller commits
    lib.conn.execute("ROLLBACK")
    assert groups(lib) == [] and len(pending_documents(lib)) == len(report.document_ids)


def test_summaries_computed_elsewhere_give_the_same_result(
    lib: Library, stories_dump: Path
) -> None:
    report = lib.import_paths([stories_dump])
    packed = {d: text.summarise(lib.body(d)).pack() for d in report.document_ids}
    summaries = {d: text.Summary.unpack(p) for d, p in packed.items()}  # as from a worker
    update_stories(lib, report.document_ids, summaries=summaries)
    assert groups(lib) == sorted(STORIES, key=sorted)


def test_a_new_scheme_reads_everything_again(
    lib: Library, stories_dump: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _import_and_group(lib, stories_dump)
    monkeypatch.setattr(text, "SCHEME", text.SCHEME + "-next")
    report = update_stories(lib, [])
    assert report.read == len(names(lib))
    assert (
        lib.conn.execute("SELECT value FROM story_state WHERE name = 'scheme'")
        .fetchone()[0]
        .endswith("-next")
    )
    assert groups(lib) == sorted(STORIES, key=sorted)


def test_nothing_to_do_takes_no_write_lock(lib: Library, stories_dump: Path) -> None:
    _import_and_group(lib, stories_dump)
    lib.conn.execute("BEGIN IMMEDIATE")  # another writer would hold this
    try:
        assert update_stories(lib, []).read == 0
    finally:
        lib.conn.execute("ROLLBACK")


def test_exact_duplicates_stay_one_document(lib: Library, stories_dump: Path) -> None:
    copy = stories_dump / "outlet-c" / "copy-of-the-wire.txt"
    shutil.copy(stories_dump / "outlet-b" / "wire_20240514_0007.txt", copy)
    _import_and_group(lib, stories_dump)
    ids = names(lib)
    assert ids["copy-of-the-wire.txt"] == ids["wire_20240514_0007.txt"]
    assert groups(lib) == sorted(STORIES, key=sorted)


def test_pages_without_words_are_read_and_stand_alone(lib: Library, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("…\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("— —\n", encoding="utf-8")
    _import_and_group(lib, tmp_path)
    assert pending_documents(lib) == [] and groups(lib) == []


def test_keys_of_a_phrase_every_page_shares_stay_bounded(lib: Library, tmp_path: Path) -> None:
    line = "Markets were closed for the public holiday. Trading resumes on Monday."
    for i in range(KEY_CAP * 3):
        (tmp_path / f"{i:03}.txt").write_text(f"{line} Item {i} of the day.\n", encoding="utf-8")
    _import_and_group(lib, tmp_path)
    index = CandidateIndex.load(lib.conn)
    rows = lib.conn.execute("SELECT sketch, terms FROM document_signatures").fetchall()
    every = Counter(
        key
        for sketch, terms in rows
        for key in page_keys(text.unpack_array("I", sketch), text.unpack_array("I", terms))
    )
    ((shared, pages),) = every.most_common(1)
    assert pages == KEY_CAP * 3  # a key of every page…
    (found,) = index.candidates(np.array([shared]), np.array([0]), [10**6], limit=100)
    assert len(found) == KEY_CAP  # …gives its newest pages only
    # They are near-duplicates of one another: one story, found through the capped keys.
    assert len(groups(lib)) == 1


def test_same_event_needs_names_in_common() -> None:
    from array import array

    from reader.stories.grouping import Signature, compare

    terms = [1, 2, 3, 4]
    weights = [0.5, 0.5, 0.5, 0.5]
    a = Signature(1, None, array("I", [10]), terms, weights, frozenset({1, 2}))
    b = Signature(2, None, array("I", [20]), terms, weights, frozenset({2, 3}))
    c = Signature(3, None, array("I", [30]), terms, weights, frozenset({1, 2, 3}))
    assert compare(a, b) is None  # the same words, one name in common
    assert compare(a, c) == ("same-event", 1.0)
    # A copy needs no names: its sentences say it.
    d = Signature(4, "2024-01-01", array("I", [10]), [9], [1.0], frozenset())
    assert compare(a, d) == ("near-duplicate", 1.0)
