"""Highlights, entity mentions, tags and entity types in the library."""

from __future__ import annotations

import pytest

from reader.annotate.anchor import Quote, quote_for, reanchor
from reader.library.errors import UsageError
from reader.library.library import Library, fts_query
from reader.library.records import DocumentFilter


@pytest.fixture
def doc(lib: Library, dump_dir):  # noqa: ANN001
    lib.import_paths([dump_dir])
    [doc_id] = lib.document_ids(DocumentFilter(has_tickers=True))
    return lib.document(doc_id)


def test_entity_defaults_to_its_text_and_counts(lib: Library, doc) -> None:  # noqa: ANN001
    s = doc.body.index("Selma Durrani")
    ann = lib.add_entity(doc.id, s, s + 13, "PERSON", note="minister")
    assert (ann.text, ann.entity, ann.type, ann.note) == (
        "Selma Durrani",
        "Selma Durrani",
        "PERSON",
        "minister",
    )
    assert ann.prefix == doc.body[s - 32 : s] and ann.suffix == doc.body[s + 13 : s + 45]
    named = lib.add_entity(doc.id, s, s + 5, "PERSON", entity="Selma Durrani")
    assert named.entity == "Selma Durrani"
    summary = lib.summaries([doc.id])[0]
    assert (summary.n_entities, summary.n_highlights) == (2, 0)
    assert lib.document_ids(DocumentFilter(entity="selma durrani")) == [doc.id]


def test_spans_and_types_are_checked(lib: Library, doc) -> None:  # noqa: ANN001
    n = len(doc.body)
    for start, end in ((-1, 3), (5, 5), (6, 2), (0, n + 1)):
        with pytest.raises(UsageError, match="outside the body"):
            lib.add_highlight(doc.id, start, end)
    with pytest.raises(UsageError, match="unknown entity type"):
        lib.add_entity(doc.id, 0, 3, "ANIMAL")
    with pytest.raises(UsageError, match="unknown colour"):
        lib.add_highlight(doc.id, 0, 3, color="plaid")
    with pytest.raises(UsageError, match="no document 999"):
        lib.add_highlight(999, 0, 3)
    assert lib.annotations(doc.id) == []


def test_update_delete_restore(lib: Library, doc) -> None:  # noqa: ANN001
    hl = lib.add_highlight(doc.id, 0, 6, note="dateline")
    assert lib.update_annotation(hl.id, color="pink", note="").color == "pink"
    assert lib.annotation(hl.id).note is None
    deleted = lib.delete_annotation(hl.id)
    assert lib.annotations(doc.id) == []
    assert lib.summaries([doc.id])[0].n_highlights == 0
    restored = lib.restore_annotation(deleted)
    assert (restored.id, restored.color, restored.start, restored.end) == (hl.id, "pink", 0, 6)
    assert lib.summaries([doc.id])[0].n_highlights == 1


def test_tags(lib: Library, doc) -> None:  # noqa: ANN001
    lib.tag(doc.id, ["ports", "  energy  policy ", "ports"])
    assert lib.document_tags(doc.id) == ["energy policy", "ports"]
    assert lib.document_ids(DocumentFilter(tag="ports")) == [doc.id]
    lib.untag(doc.id, ["ports"])
    assert lib.tags() == [("energy policy", 1)]
    with pytest.raises(UsageError):
        lib.tag(doc.id, [" "])


def test_entity_types_rename_carries_mentions(lib: Library, doc) -> None:  # noqa: ANN001
    assert [t.name for t in lib.entity_types()] == [
        "PERSON",
        "ORG",
        "GPE",
        "LOC",
        "EVENT",
        "TICKER",
    ]
    ann = lib.add_entity(doc.id, 0, 6, "GPE")
    lib.update_entity_type("GPE", new_name="PLACE", key=9)
    assert lib.annotation(ann.id).type == "PLACE"
    lib.add_entity_type("PRODUCT", "#888888", key=9)
    keys = {t.name: t.key for t in lib.entity_types()}
    assert keys["PRODUCT"] == 9 and keys["PLACE"] is None


def test_search(lib: Library, doc) -> None:  # noqa: ANN001
    assert lib.count_documents(DocumentFilter(search="harbour")) == 2
    assert lib.count_documents(DocumentFilter(search="harb")) == 2  # last word is a prefix
    assert lib.count_documents(DocumentFilter(search='AND ( "')) == 0  # no syntax error
    assert lib.count_documents(DocumentFilter(search="frost orchard")) == 1
    assert fts_query("a-b") == '"a" "b"'  # too short to be a prefix
    assert fts_query("port qas") == '"port" "qas"*'
    ids = lib.document_ids(DocumentFilter(search="harbour"), order="relevance")
    assert sorted(ids) == sorted(lib.document_ids(DocumentFilter(search="harbour")))


def test_paging_and_sorting(lib: Library, doc) -> None:  # noqa: ANN001
    by_title = lib.document_ids(order="title")
    titles = [s.title.lower() for s in lib.summaries(by_title)]
    assert titles == sorted(titles)
    assert lib.document_ids(order="title", limit=2, offset=1) == by_title[1:3]
    dated = lib.document_ids(order="date")
    assert lib.summaries(dated)[0].date == "2024-03-18"  # undated sort last
    with pytest.raises(UsageError):
        lib.document_ids(order="colour")


def test_quote_reanchor_prefers_context_then_distance() -> None:
    body = "Ana met Ben. Later Ana met Cy. Ana left."
    second = body.index("Ana", 5)
    q = quote_for(body, second, second + 3)
    edited = "Preface. " + body
    assert reanchor(edited, q, second) == (second + 9, second + 12)
    assert reanchor("nothing here", Quote("Ana", "", ""), 0) is None
    assert reanchor("the harbour master spoke", Quote("harbor master", "", ""), 0) is not None
