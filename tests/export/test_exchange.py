"""``import-annotations``: a json export merged into another library, by content hash."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.export import export, import_annotations
from reader.library.errors import UsageError
from reader.library.library import Library

from .corpus import BODY_A, BODY_B, BODY_C, BODY_D_NEW, Corpus, insert


def _same_pages(lib: Library, corpus: Corpus) -> dict[int, int]:
    """Insert the corpus' pages (same raw text, so same hashes) into ``lib``; old id → new id."""
    src = corpus.lib
    mapping = {}
    for doc_id in corpus.ids:
        doc = src.document(doc_id)
        raw = src.raw(doc_id)
        new = insert(lib, doc.body, doc.title, raw=raw, date=doc.date, source=doc.source)
        assert lib.document(new).content_hash == doc.content_hash
        mapping[doc_id] = new
    return mapping


def _placed(lib: Library, doc_id: int) -> set[tuple]:
    return {
        (a.kind, a.start, a.end, a.text, a.color, a.type, a.entity, a.note)
        for a in lib.annotations(doc_id)
        if not a.orphaned
    }


def test_round_trip_puts_every_annotation_back(corpus: Corpus, tmp_path: Path) -> None:
    export(corpus.lib, "json", None, tmp_path / "a.json")
    with Library(tmp_path / "other.sqlite") as other:
        mapping = _same_pages(other, corpus)
        report = import_annotations(other, tmp_path / "a.json")
        assert report.added == 19 and report.present == 0
        assert report.tags_added == 4 and report.unmatched == {}
        # The orphan has only its quote, which is not in the page: reported, not guessed.
        assert [why for _, why in report.invalid] == [
            "its quote is not in this library's text of the page"
        ]
        for old, new in mapping.items():
            assert _placed(other, new) == _placed(corpus.lib, old)
            assert other.document_tags(new) == corpus.lib.document_tags(old)
        again = import_annotations(other, tmp_path / "a.json")
        assert (again.added, again.present, again.tags_added, again.tags_present) == (0, 19, 0, 4)
        assert sum(len(other.annotations(n)) for n in mapping.values()) == 19


def test_unmatched_pages_and_new_types_are_reported(corpus: Corpus, tmp_path: Path) -> None:
    corpus.lib.add_entity_type("WEAPON", "#000000")
    corpus.lib.add_entity(corpus.a, 7, 14, "WEAPON", note="not really")
    export(corpus.lib, "json", [corpus.a, corpus.b], tmp_path / "a.json")
    with Library(tmp_path / "other.sqlite") as other:
        src = corpus.lib.document(corpus.a)
        new = insert(other, src.body, src.title, raw=corpus.lib.raw(corpus.a))
        report = import_annotations(other, tmp_path / "a.json")
        hash_b = corpus.lib.document(corpus.b).content_hash.split(":")[1]
        assert report.unmatched == {f"urn:sha256:{hash_b}": 7}  # 6 annotations and a tag
        assert report.types_added == ["WEAPON"] and report.added == 9
        assert not report.complete
        weapon = [a for a in other.annotations(new) if a.type == "WEAPON"]
        assert [(a.text, a.note) for a in weapon] == [("Foreign", "not really")]


def test_a_different_body_is_reanchored_by_quote(corpus: Corpus, tmp_path: Path) -> None:
    """The same page (same hash) parsed by other rules: positions move, quotes find them."""
    export(corpus.lib, "json", [corpus.a], tmp_path / "a.json")
    with Library(tmp_path / "other.sqlite") as other:
        src = corpus.lib.document(corpus.a)
        new = insert(other, "Preface line.\n" + src.body, src.title, raw=corpus.lib.raw(corpus.a))
        report = import_annotations(other, tmp_path / "a.json")
        assert report.added == 8 and report.invalid == []
        for a in other.annotations(new):
            assert other.document(new).body[a.start : a.end] == a.text


def test_invalid_items_are_listed_and_the_rest_is_imported(lib: Library, tmp_path: Path) -> None:
    doc = insert(lib, BODY_A, "t")
    source = "urn:sha256:" + lib.document(doc).content_hash.split(":")[1]

    def span_item(**extra: object) -> dict:
        item = {
            "type": "Annotation",
            "motivation": "highlighting",
            "target": {
                "source": source,
                "selector": [{"type": "TextPositionSelector", "start": 0, "end": 5}],
            },
        }
        item.update(extra)
        return item

    items = [
        span_item(id="ok"),
        span_item(id="colour", color="plaid"),
        span_item(
            id="far",
            target={
                "source": source,
                "selector": {"type": "TextPositionSelector", "start": 0, "end": 10_000},
            },
        ),  # fmt: skip
        span_item(id="other", target={"source": "http://example.org/page"}),
        span_item(id="why", motivation="bookmarking"),
        span_item(id="notype", motivation="tagging"),
        "not an object",
    ]
    path = tmp_path / "x.json"
    path.write_text(json.dumps({"type": "AnnotationPage", "items": items}), encoding="utf-8")
    report = import_annotations(lib, path)
    assert report.added == 1
    assert [item for item, _ in report.invalid] == [
        "colour", "far", "other", "why", "notype", "item 7",
    ]  # fmt: skip
    assert "unknown colour" in report.invalid[0][1]


@pytest.mark.parametrize(
    "content, message",
    [("{", "is not JSON"), ('{"type": "Person"}', "not a Web Annotation file")],
)
def test_files_that_are_not_exports(
    lib: Library, tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UsageError, match=message):
        import_annotations(lib, path)
    with pytest.raises(UsageError, match="no file"):
        import_annotations(lib, tmp_path / "missing.json")


def test_bodies_are_kept_exactly(corpus: Corpus) -> None:
    """The corpus itself: what the exporters are fed is what the tests above expect."""
    bodies = [corpus.lib.document(i).body for i in corpus.ids]
    assert bodies == [BODY_A, BODY_B, BODY_C, BODY_D_NEW]
