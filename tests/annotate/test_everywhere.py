"""Tag everywhere: the preview, the batched tagging, one undo for the batch, redo."""

from __future__ import annotations

import pytest

from reader.annotate import everywhere, registry
from reader.annotate.everywhere import Occurrences, find_occurrences, tag_occurrences
from reader.library.errors import UsageError
from reader.library.library import Library

from .conftest import span


def n_entities(lib: Library) -> int:
    return sum(s.n_entities for s in lib.summaries(lib.document_ids()))


def test_preview_in_one_document(lib: Library, docs: dict[str, int]) -> None:
    wire = docs["wire"]
    occ = find_occurrences(lib, "Selma Durrani", doc_ids=[wire])
    assert occ.spans == {wire: (span(lib, wire, "Selma Durrani"),)}  # "Durranis" is not whole
    assert (occ.count, occ.n_documents, occ.already) == (1, 1, 0)
    loose = find_occurrences(lib, "Selma Durrani", doc_ids=[wire], whole_word=False)
    assert loose.count == 2
    folded = find_occurrences(lib, "Selma Durrani", doc_ids=[wire], case_sensitive=False)
    assert [lib.body(wire)[s:e] for s, e in folded.spans[wire]] == [
        "Selma Durrani",
        "selma durrani",
    ]


def test_preview_across_the_library_uses_the_index(lib: Library, docs: dict[str, int]) -> None:
    occ = find_occurrences(lib, "Selma Durrani")
    assert occ.doc_ids == tuple(sorted(docs.values()))
    assert occ.count == 4  # twice on the ticker page, once on each other page
    assert find_occurrences(lib, "Port Authority Gwadar").count == 0
    assert find_occurrences(lib, "Gwadar Port").n_documents == 2


@pytest.fixture(scope="module")
def shared_lib(tmp_path_factory: pytest.TempPathFactory):
    """One library for the many read-only cases below (importing per case is the slow part)."""
    from .conftest import PAGES, write_pages

    folder = write_pages(tmp_path_factory.mktemp("pages"), PAGES)
    with Library(tmp_path_factory.mktemp("lib") / "library.sqlite") as library:
        library.import_paths([folder])
        yield library


@pytest.mark.parametrize(
    "text",
    ["Selma Durrani", "Gwadar", "عمران", "عمران خان", "HARBR", "😀", "rose;", "Durrani 😀 in", "a"],
)
@pytest.mark.parametrize("whole_word", [True, False])
@pytest.mark.parametrize("case_sensitive", [True, False])
def test_index_never_misses_what_a_full_scan_finds(
    shared_lib: Library, text: str, whole_word: bool, case_sensitive: bool
) -> None:
    """The library-wide path (index, then exact scan) equals scanning every body directly."""
    lib = shared_lib
    options = {"whole_word": whole_word, "case_sensitive": case_sensitive}
    via_index = find_occurrences(lib, text, **options)
    direct = find_occurrences(lib, text, doc_ids=lib.document_ids(), **options)
    assert via_index.spans == direct.spans
    for doc_id, spans in direct.spans.items():
        body = lib.body(doc_id)
        for s, e in spans:
            assert body[s:e] == text or (not case_sensitive and body[s:e].lower() == text.lower())


def test_urdu_and_emoji_spans_are_exact(lib: Library, docs: dict[str, int]) -> None:
    urdu = docs["urdu"]
    body = lib.body(urdu)
    occ = find_occurrences(lib, "عمران")
    # twice in "عمران خان"; not in "عمرانِ", where a mark is part of the word
    assert occ.spans == {urdu: (span(lib, urdu, "عمران"), span(lib, urdu, "عمران", 1))}
    emoji = find_occurrences(lib, "😀")
    assert emoji.count == 2 and all(body[s:e] == "😀" for s, e in emoji.spans[urdu])
    result = tag_occurrences(lib, find_occurrences(lib, "عمران خان"), "PERSON")
    assert result.count == 2
    for ann in lib.annotations(urdu):
        assert ann.text == body[ann.start : ann.end] == "عمران خان"
        assert ann.prefix == body[max(0, ann.start - 32) : ann.start]
        assert ann.suffix == body[ann.end : ann.end + 32]


def test_tag_everywhere_then_one_undo_then_redo(lib: Library, docs: dict[str, int]) -> None:
    ticker = docs["ticker"]
    s, e = span(lib, ticker, "Selma Durrani")
    first = lib.add_entity(ticker, s, e, "PERSON")  # the span the user tagged by hand
    occ = find_occurrences(lib, "Selma Durrani", type="PERSON")
    assert (occ.count, occ.already) == (3, 1)  # the hand-made one is left out
    assert find_occurrences(lib, "Selma Durrani", type="ORG").count == 4
    seen = []
    result = tag_occurrences(
        lib, occ, "PERSON", progress=lambda done, total: seen.append((done, total))
    )
    assert (result.count, result.entity, result.cancelled) == (3, "Selma Durrani", False)
    assert seen[-1] == (3, 3)
    assert result.documents == tuple(sorted(docs.values()))
    assert n_entities(lib) == 4
    assert registry.entity_info(lib, "Selma Durrani").mentions == 4
    again = find_occurrences(lib, "Selma Durrani", type="PERSON")
    assert (again.count, again.already) == (0, 4)

    lib.update_annotation(result.ids[0], note="checked")
    removed = everywhere.untag_batch(lib, result)
    assert removed.count == 3 and n_entities(lib) == 1
    assert [a.id for a in lib.annotations(ticker)] == [first.id]

    everywhere.restore_batch(lib, removed)
    assert n_entities(lib) == 4
    assert lib.annotation(result.ids[0]).note == "checked"
    everywhere.untag_batch(lib, result)  # the same result undoes the redo
    assert n_entities(lib) == 1


def test_alias_resolves_to_the_canonical_entity(lib: Library, docs: dict[str, int]) -> None:
    registry.remember(lib, "Gwadar Port Authority", "ORG", ["GPA port"])
    result = tag_occurrences(lib, find_occurrences(lib, "Gwadar"), "GPE", "GPA port")
    assert result.entity == "Gwadar Port Authority"
    assert {a.entity for a in lib.annotations(docs["ticker"])} == {"Gwadar Port Authority"}


def test_cancel_keeps_committed_batches_and_they_undo(lib: Library, docs: dict[str, int]) -> None:
    occ = find_occurrences(lib, "Selma Durrani")
    calls = iter([False, True])
    result = tag_occurrences(lib, occ, "PERSON", batch_size=1, cancel=lambda: next(calls))
    assert result.cancelled and result.count == 2  # the first document (twice), then stop
    assert n_entities(lib) == 2
    everywhere.untag_batch(lib, result)
    assert n_entities(lib) == 0


def test_cancelled_preview(lib: Library, docs: dict[str, int]) -> None:
    occ = find_occurrences(lib, "Selma Durrani", cancel=lambda: True)
    assert occ.cancelled and occ.count == 0


def test_spans_that_no_longer_hold_are_skipped(lib: Library, docs: dict[str, int]) -> None:
    wire = docs["wire"]
    s, e = span(lib, wire, "Selma Durrani")
    stale = Occurrences(
        text="Selma Durrani",
        whole_word=True,
        case_sensitive=True,
        type=None,
        spans={wire: ((s, e), (s + 1, e + 1), (s + 19, e + 19)), 999: ((0, 13),)},
    )
    result = tag_occurrences(lib, stale, "PERSON")
    assert result.count == 1 and result.skipped == 3
    assert [(a.start, a.end) for a in lib.annotations(wire)] == [(s, e)]


def test_bad_input(lib: Library, docs: dict[str, int]) -> None:
    with pytest.raises(UsageError, match="empty"):
        find_occurrences(lib, "  ")
    with pytest.raises(UsageError, match="unknown entity type"):
        tag_occurrences(lib, find_occurrences(lib, "Gwadar"), "ANIMAL")
    assert n_entities(lib) == 0


def test_a_page_changed_since_the_preview_is_checked_again(
    lib: Library, docs: dict[str, int], tmp_path
) -> None:
    occ = find_occurrences(lib, "Selma Durrani")
    assert occ.quotes and occ.hashes  # the preview keeps what tagging needs
    (tmp_path / "pages" / "wire.txt").write_text(
        " date 2024-03-18 Gwadar: Selma Durrani said so. (Reuters)\n", encoding="utf-8"
    )
    lib.import_paths([tmp_path / "pages"])
    result = tag_occurrences(lib, occ, "PERSON")
    assert result.skipped == 1  # the wire page's span moved: not tagged at the old place
    assert docs["wire"] not in result.documents and result.count == 3
    assert lib.annotations(docs["wire"]) == []


def test_a_large_preview_keeps_no_quotes_and_still_tags_exactly(
    lib: Library, docs: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(everywhere, "QUOTE_LIMIT", 1)
    occ = find_occurrences(lib, "Selma Durrani")
    assert occ.count == 4 and not occ.quotes
    result = tag_occurrences(lib, occ, "PERSON")
    assert result.count == 4
    for doc_id in result.documents:
        body = lib.body(doc_id)
        for ann in lib.annotations(doc_id):
            assert ann.text == body[ann.start : ann.end] == "Selma Durrani"
            assert ann.prefix == body[max(0, ann.start - 32) : ann.start]
