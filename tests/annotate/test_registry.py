"""The entity registry: remember, list, merge/rename/retype with undo, KWIC lines, orphans."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.annotate import registry
from reader.library.errors import UsageError
from reader.library.library import Library

from .conftest import span


def tables(lib: Library) -> tuple[list[tuple], list[tuple], list[tuple]]:
    """The registry and the mentions' names and types, for before/after comparisons."""
    c = lib.conn
    return (
        [
            tuple(r)
            for r in c.execute("SELECT id, name, type, created_at FROM entities ORDER BY id")
        ],
        [tuple(r) for r in c.execute("SELECT alias, entity_id FROM entity_aliases ORDER BY alias")],
        [tuple(r) for r in c.execute("SELECT id, entity, type FROM annotations ORDER BY id")],
    )


def mention(lib: Library, doc_id: int, text: str, type_: str, entity: str | None = None, nth=0):
    """A mention made the way the window will: add it, then remember it in the registry."""
    s, e = span(lib, doc_id, text, nth)
    ann = lib.add_entity(doc_id, s, e, type_, entity)
    registry.remember(lib, ann.entity, type_)
    return ann


def test_remember_is_an_upsert_that_resolves_aliases(lib: Library) -> None:
    assert registry.remember(lib, "  Selma   Durrani ", "PERSON", ["S. Durrani", "selma durrani"])
    assert registry.remember(lib, "SELMA DURRANI", "ORG") == "Selma Durrani"
    assert registry.remember(lib, "S. Durrani", "ORG", ["Minister Durrani"]) == "Selma Durrani"
    [info] = registry.entities(lib)
    # the first type stays; the case variant of the name is not an alias; new aliases are added
    assert (info.name, info.type, info.aliases) == (
        "Selma Durrani",
        "PERSON",
        ("Minister Durrani", "S. Durrani"),
    )
    assert registry.canonical(lib, "minister durrani") == "Selma Durrani"
    assert registry.canonical(lib, "Nobody") is None
    # another entity's name is never taken as an alias
    registry.remember(lib, "Gwadar", "GPE")
    registry.remember(lib, "Selma Durrani", "PERSON", ["Gwadar"])
    assert registry.entity_info(lib, "Selma Durrani").aliases == ("Minister Durrani", "S. Durrani")
    with pytest.raises(UsageError, match="unknown entity type"):
        registry.remember(lib, "X", "ANIMAL")
    with pytest.raises(UsageError, match="needs a name"):
        registry.remember(lib, "  ", "PERSON")


def test_entities_count_mentions_sort_and_filter(lib: Library, docs: dict[str, int]) -> None:
    for doc in ("ticker", "urdu", "wire"):
        mention(lib, docs[doc], "Selma Durrani", "PERSON")
    mention(lib, docs["ticker"], "Selma Durrani", "PERSON", nth=1)
    mention(lib, docs["urdu"], "عمران خان", "PERSON")
    mention(lib, docs["urdu"], "Gwadar Port Authority", "ORG")
    registry.remember(lib, "Gwadar Port Authority", "ORG", ["GPA"])
    # a mention made before the registry existed (never remembered) is still listed
    s, e = span(lib, docs["ticker"], "HARBR")
    lib.add_entity(docs["ticker"], s, e, "TICKER")
    lib.conn.execute("DELETE FROM entities WHERE name = 'HARBR'")  # as an old library has it

    rows = registry.entities(lib)
    assert [(r.name, r.mentions, r.documents, r.id is None) for r in rows] == [
        ("Gwadar Port Authority", 1, 1, False),
        ("HARBR", 1, 1, True),
        ("Selma Durrani", 4, 3, False),
        ("عمران خان", 1, 1, False),
    ]
    by_mentions = registry.entities(lib, order="mentions", descending=True)
    assert by_mentions[0].name == "Selma Durrani"
    assert [r.name for r in registry.entities(lib, search="gpa")] == ["Gwadar Port Authority"]
    assert [r.name for r in registry.entities(lib, type="TICKER")] == ["HARBR"]
    assert registry.count_entities(lib) == 4
    assert registry.count_entities(lib, type="PERSON") == 2
    assert [r.name for r in registry.entities(lib, limit=2, offset=1)] == ["HARBR", "Selma Durrani"]
    assert registry.entity_documents(lib, "selma durrani") == sorted(docs.values())
    with pytest.raises(UsageError, match="sort order"):
        registry.entities(lib, order="size")


def test_merge_and_unmerge(lib: Library, docs: dict[str, int]) -> None:
    mention(lib, docs["urdu"], "Gwadar Port Authority", "ORG")
    registry.add_alias(lib, "Gwadar Port Authority", "GPA")
    mention(lib, docs["urdu"], "Gwadar", "GPE", nth=0)
    mention(lib, docs["ticker"], "Gwadar", "GPE")
    registry.add_alias(lib, "Gwadar", "Gwadur")
    before = tables(lib)

    result = registry.merge_entities(lib, "Gwadar Port Authority", "gwadar")
    assert result.kind == "merge" and "Gwadar" in result.description
    assert set(result.changes.documents) == {docs["urdu"], docs["ticker"]}
    [info] = registry.entities(lib)
    assert info.name == "Gwadar Port Authority"
    assert info.aliases == ("GPA", "Gwadar", "Gwadur")
    assert (info.mentions, info.documents) == (3, 2)
    assert {(a.entity, a.type) for a in lib.annotations(docs["ticker"])} == {
        ("Gwadar Port Authority", "ORG")
    }
    assert registry.canonical(lib, "Gwadur") == "Gwadar Port Authority"

    registry.unmerge(lib, result)
    assert tables(lib) == before
    with pytest.raises(UsageError, match="same entity"):
        registry.merge_entities(lib, "Gwadar", "GWADAR")
    with pytest.raises(UsageError, match="no entity"):
        registry.merge_entities(lib, "Gwadar", "Atlantis")


def test_merge_registers_names_only_mentions_know(lib: Library, docs: dict[str, int]) -> None:
    for doc in ("ticker", "wire"):
        s, e = span(lib, docs[doc], "Selma Durrani")
        lib.add_entity(docs[doc], s, e, "PERSON")  # never remembered
    s, e = span(lib, docs["ticker"], "Minister Selma Durrani")
    lib.add_entity(docs["ticker"], s, e, "PERSON")
    before = tables(lib)
    result = registry.merge_entities(lib, "Selma Durrani", "Minister Selma Durrani")
    assert [(r.name, r.aliases, r.mentions) for r in registry.entities(lib)] == [
        ("Selma Durrani", ("Minister Selma Durrani",), 3)
    ]
    registry.undo_edit(lib, result)
    assert tables(lib) == before


def test_rename_retype_and_their_undo(lib: Library, docs: dict[str, int]) -> None:
    mention(lib, docs["wire"], "Selma Durrani", "PERSON")
    mention(lib, docs["ticker"], "Selma Durrani", "PERSON")
    registry.add_alias(lib, "Selma Durrani", "Minister Durrani")
    registry.remember(lib, "Gwadar", "GPE")
    before = tables(lib)

    renamed = registry.rename_entity(lib, "selma durrani", "Selma D. Durrani")
    assert {a.entity for a in lib.annotations(docs["wire"])} == {"Selma D. Durrani"}
    registry.undo_edit(lib, renamed)
    assert tables(lib) == before

    swapped = registry.rename_entity(lib, "Selma Durrani", "Minister Durrani")
    info = registry.entity_info(lib, "Minister Durrani")
    assert (info.name, info.aliases) == ("Minister Durrani", ("Selma Durrani",))
    registry.undo_edit(lib, swapped)
    assert tables(lib) == before

    with pytest.raises(UsageError, match="merge the two"):
        registry.rename_entity(lib, "Selma Durrani", "GWADAR")
    retyped = registry.set_entity_type(lib, "Selma Durrani", "ORG")
    assert {a.type for a in lib.annotations(docs["ticker"])} == {"ORG"}
    assert registry.entity_info(lib, "Selma Durrani").type == "ORG"
    registry.undo_edit(lib, retyped)
    assert tables(lib) == before
    with pytest.raises(UsageError, match="unknown entity type"):
        registry.set_entity_type(lib, "Selma Durrani", "ANIMAL")


def test_aliases_and_forget_undo(lib: Library, docs: dict[str, int]) -> None:
    mention(lib, docs["wire"], "Selma Durrani", "PERSON")
    registry.remember(lib, "Gwadar", "GPE", ["Gwadur"])
    before = tables(lib)
    added = registry.add_alias(lib, "Selma Durrani", "S. Durrani")
    with pytest.raises(UsageError, match="already an alias"):
        registry.add_alias(lib, "Gwadar", "S. Durrani")
    with pytest.raises(UsageError, match="another entity"):
        registry.add_alias(lib, "Gwadar", "selma durrani")
    registry.undo_edit(lib, added)
    assert tables(lib) == before
    removed = registry.remove_alias(lib, "Gwadur")
    assert registry.canonical(lib, "Gwadur") is None
    registry.undo_edit(lib, removed)
    assert tables(lib) == before
    forgotten = registry.forget_entity(lib, "Selma Durrani")
    # the mention stays, so the browser still lists the name, unregistered
    [info] = [r for r in registry.entities(lib) if r.name == "Selma Durrani"]
    assert info.id is None and info.mentions == 1
    registry.undo_edit(lib, forgotten)
    assert tables(lib) == before


def test_undo_refused_when_a_name_was_taken_since(lib: Library, docs: dict[str, int]) -> None:
    mention(lib, docs["wire"], "Selma Durrani", "PERSON")
    renamed = registry.rename_entity(lib, "Selma Durrani", "S. Durrani")
    registry.remember(lib, "Selma Durrani", "ORG")  # the old name is now someone else
    before = tables(lib)
    with pytest.raises(UsageError, match="cannot undo"):
        registry.undo_edit(lib, renamed)
    assert tables(lib) == before


def test_mentions_in_context_are_exact_with_emoji_and_urdu(
    lib: Library, docs: dict[str, int]
) -> None:
    urdu = docs["urdu"]
    mention(lib, urdu, "عمران خان", "PERSON", nth=1)
    first = mention(lib, urdu, "عمران خان", "PERSON", nth=0)
    body = lib.body(urdu)
    lines = registry.mentions_in_context(lib, "عمران خان", width=10)
    assert [line.annotation_id for line in lines][0] == first.id  # by position
    for line in lines:
        assert line.match == "عمران خان" == body[line.start : line.end]
        assert line.left == body[max(0, line.start - 10) : line.start]
        assert line.right == body[line.end : line.end + 10]
        assert (line.doc_id, line.title) == (urdu, "Harbour talks 😀 continue")
    assert lines[1].left == "😀 in Gwadar. Later "[-10:]
    assert lines[1].right == " said the "
    # one more code point brings in the whole emoji (one code point, two UTF-16 units)
    wider = registry.mentions_in_context(lib, "عمران خان", width=11)
    assert wider[1].right == " said the 😀"


def test_kwic_lines_are_one_line_and_ordered_by_date(lib: Library, docs: dict[str, int]) -> None:
    mention(lib, docs["ticker"], "Selma Durrani", "PERSON", nth=1)
    mention(lib, docs["wire"], "Selma Durrani", "PERSON")
    lines = registry.mentions_in_context(lib, "Selma Durrani", width=20)
    assert [line.doc_id for line in lines] == [docs["wire"], docs["ticker"]]  # undated last
    assert lines[0].date == "2024-03-18" and lines[0].source == "Reuters"
    assert "\n" not in lines[1].left and lines[1].left.endswith("a symbol. ")
    assert len(registry.mentions_in_context(lib, "Selma Durrani", limit=1, offset=1)) == 1


def test_orphans_listed_with_their_old_quote(lib: Library, tmp_path: Path, docs) -> None:
    wire = docs["wire"]
    ann = mention(lib, wire, "Selma Durranis", "PERSON")
    kept = mention(lib, docs["ticker"], "Selma Durrani", "PERSON")
    assert registry.orphans(lib) == []
    page = tmp_path / "pages" / "wire.txt"
    page.write_text(
        " date 2024-03-18 The minister said nothing of the kind today. (Reuters)\n",
        encoding="utf-8",
    )
    lib.import_paths([tmp_path / "pages"])
    [orphan] = registry.orphans(lib)
    assert (orphan.id, orphan.text, orphan.orphaned) == (ann.id, "Selma Durranis", True)
    assert registry.orphans(lib, docs["ticker"]) == []
    [line] = registry.mentions_in_context(lib, "Selma Durranis")
    assert line.orphaned and line.match == "Selma Durranis"
    s, e = span(lib, wire, "The minister")
    lib.reattach_annotation(orphan.id, s, e)
    assert registry.orphans(lib, wire) == []
    assert not lib.annotation(kept.id).orphaned
