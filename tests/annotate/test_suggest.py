"""Suggestions from the registry and the page's tickers; accept, reject, the matcher cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.annotate import registry, suggest
from reader.annotate.suggest import Suggestion, accept, reject, suggestions, unreject
from reader.library.errors import UsageError
from reader.library.library import Library

from .conftest import span


def found(lib: Library, doc_id: int) -> list[tuple[str, str, str, str]]:
    """(text, type, entity, reason) of each suggestion, checking its span against the body."""
    body = lib.body(doc_id)
    out = []
    for sug in suggestions(lib, doc_id):
        assert body[sug.start : sug.end] == sug.text
        out.append((sug.text, sug.type, sug.entity, sug.reason))
    return out


def test_tickers_and_registry_names_whole_words_longest_first(
    lib: Library, docs: dict[str, int]
) -> None:
    ticker = docs["ticker"]
    assert found(lib, ticker) == [
        ("HARBR", "TICKER", "HARBR", "ticker"),  # "HARBRX" is not offered
        ("MARLIN", "TICKER", "MARLIN", "ticker"),
    ]
    registry.remember(lib, "Gwadar", "GPE")
    registry.remember(lib, "Gwadar Port Authority", "ORG", ["Port Authority"])
    registry.remember(lib, "Selma Durrani", "PERSON", ["Minister Selma Durrani"])
    registry.remember(lib, "Marlin Shipping", "ORG", ["MARLIN"])  # a name beats a ticker
    assert found(lib, ticker) == [
        ("Minister Selma Durrani", "PERSON", "Selma Durrani", "alias"),
        ("Gwadar Port Authority", "ORG", "Gwadar Port Authority", "name"),
        ("HARBR", "TICKER", "HARBR", "ticker"),
        ("MARLIN", "ORG", "Marlin Shipping", "alias"),
        ("Selma Durrani", "PERSON", "Selma Durrani", "name"),
    ]
    # "GWADAR" (the dateline) differs in case from the name: matching is case-sensitive
    assert suggestions(lib, docs["wire"])[0].text == "Selma Durrani"
    assert len(suggestions(lib, docs["wire"])) == 1  # not "Durranis", not "selma durrani"


def test_urdu_and_emoji_offsets_are_code_points(lib: Library, docs: dict[str, int]) -> None:
    urdu = docs["urdu"]
    registry.remember(lib, "Imran Khan", "PERSON", ["عمران خان"])
    registry.remember(lib, "عمران", "PERSON")  # shorter, inside the alias: the alias wins
    sugs = suggestions(lib, urdu)
    assert [(s.start, s.end) for s in sugs] == [
        span(lib, urdu, "عمران خان"),
        span(lib, urdu, "عمران خان", 1),
    ]
    assert {(s.entity, s.reason) for s in sugs} == {("Imran Khan", "alias")}
    ann = accept(lib, urdu, sugs[1])
    assert (ann.text, ann.entity, ann.type) == ("عمران خان", "Imran Khan", "PERSON")
    body = lib.body(urdu)
    assert body[ann.start : ann.end] == "عمران خان"
    assert body[: ann.start].count("😀") == 1  # one emoji before it, counted as one


def test_accepted_become_mentions_and_are_not_offered_again(
    lib: Library, docs: dict[str, int]
) -> None:
    ticker = docs["ticker"]
    harbr = suggestions(lib, ticker)[0]
    ann = accept(lib, ticker, harbr)
    assert (ann.kind, ann.type, ann.entity, ann.start) == ("entity", "TICKER", "HARBR", harbr.start)
    assert [s.text for s in suggestions(lib, ticker)] == ["MARLIN"]
    # the registry now knows the symbol, so other pages get it too
    assert registry.entity_info(lib, "HARBR").type == "TICKER"
    # a mention overlapping a candidate also hides it
    s, e = span(lib, ticker, "MARLIN rose")
    lib.add_highlight(ticker, s, e)  # a highlight does not
    assert [s.text for s in suggestions(lib, ticker)] == ["MARLIN"]
    lib.add_entity(ticker, s, e, "EVENT")
    assert suggestions(lib, ticker) == []


def test_rejected_are_not_offered_again_at_that_place(lib: Library, docs: dict[str, int]) -> None:
    ticker = docs["ticker"]
    registry.remember(lib, "Selma Durrani", "PERSON")
    first, second = [s for s in suggestions(lib, ticker) if s.text == "Selma Durrani"]
    reject(lib, ticker, first)
    left = suggestions(lib, ticker)
    assert first not in left and second in left
    # a longer name later covering the rejected place is offered; the rejected one is not back
    registry.remember(lib, "Minister Selma Durrani", "PERSON")
    assert [s.text for s in suggestions(lib, ticker) if s.start <= first.start < s.end] == [
        "Minister Selma Durrani"
    ]
    registry.forget_entity(lib, "Minister Selma Durrani")
    assert first not in suggestions(lib, ticker)
    unreject(lib, ticker, first)
    assert first in suggestions(lib, ticker)


def test_suggestions_for_a_changed_place_are_refused(lib: Library, docs: dict[str, int]) -> None:
    wire = docs["wire"]
    registry.remember(lib, "Selma Durrani", "PERSON")
    [sug] = suggestions(lib, wire)
    moved = Suggestion(sug.start + 1, sug.end + 1, sug.text, sug.type, sug.entity, sug.reason)
    with pytest.raises(UsageError, match="no longer has"):
        accept(lib, wire, moved)
    with pytest.raises(UsageError, match="no longer has"):
        reject(lib, wire, moved)
    with pytest.raises(UsageError, match="no document"):
        suggestions(lib, 999)


def test_stale_rejections_do_not_hide_new_text(lib: Library, tmp_path: Path, docs) -> None:
    wire = docs["wire"]
    registry.remember(lib, "Selma Durrani", "PERSON")
    [sug] = suggestions(lib, wire)
    reject(lib, wire, sug)
    assert suggestions(lib, wire) == []
    (tmp_path / "pages" / "wire.txt").write_text(
        " date 2024-03-18 Gwadar: Selma Durrani said so. (Reuters)\n", encoding="utf-8"
    )
    lib.import_paths([tmp_path / "pages"])
    assert [s.text for s in suggestions(lib, wire)] == ["Selma Durrani"]


def test_matcher_is_cached_until_the_registry_changes(lib: Library, db_path: Path, docs) -> None:
    registry.remember(lib, "Gwadar", "GPE")
    registry.remember(lib, "Selma Durrani", "PERSON")
    automaton = suggest.matcher(lib)
    s, e = span(lib, docs["wire"], "Selma Durrani")
    lib.add_entity(docs["wire"], s, e, "PERSON")  # a change, but not to the registry
    assert suggest.matcher(lib) is automaton
    registry.rename_entity(lib, "Gwadar", "Gwadur")  # same length: the generation tells
    assert suggest.matcher(lib) is not automaton
    others = {"Selma Durrani"}
    assert [x.text for x in suggestions(lib, docs["urdu"]) if x.text not in others] == []
    # another connection (a worker) adds a name: PRAGMA data_version tells
    with Library(db_path) as worker:
        registry.remember(worker, "Gwadar Port Authority", "ORG")
    found = [x.text for x in suggestions(lib, docs["urdu"]) if x.text not in others]
    assert found == ["Gwadar Port Authority"]


def test_suggestion_types_follow_the_registry(lib: Library, docs: dict[str, int]) -> None:
    registry.remember(lib, "Gwadar", "GPE")
    automaton = suggest.matcher(lib)
    lib.conn.execute("UPDATE entities SET type = 'LOC'")  # a retype the cache cannot see
    assert suggest.matcher(lib) is automaton
    assert {x.type for x in suggestions(lib, docs["urdu"])} == {"LOC"}
    assert suggest.suggestion_counts(lib, [docs["urdu"], docs["wire"]]) == {
        docs["urdu"]: 2,
        docs["wire"]: 0,
    }
