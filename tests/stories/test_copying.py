"""Carrying tags and entity mentions over to another report of the same story."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.library.errors import UsageError
from reader.library.library import Library
from reader.stories.copying import copy_annotations

from .common import names


def _mention(lib: Library, doc: int, text: str, type_: str, nth: int = 0) -> None:
    body = lib.body(doc)
    at = -1
    for _ in range(nth + 1):
        at = body.index(text, at + 1)
    lib.add_entity(doc, at, at + len(text), type_)


def test_copies_tags_and_mentions_where_the_text_occurs(lib: Library, stories_dump: Path) -> None:
    lib.import_paths([stories_dump])
    ids = names(lib)
    wire, rescrape = ids["wire_20240514_0007.txt"], ids["0007_b81f4a6c20d9e357.txt"]
    lib.tag(wire, ["ferries", "merrow"])
    lib.tag(rescrape, ["merrow"])
    _mention(lib, wire, "Saltmarsh Star", "ORG")
    _mention(lib, wire, "Ailsa Brennock", "PERSON")
    _mention(lib, wire, "Merrow Ferries", "ORG", nth=1)  # the second time it is named
    _mention(lib, wire, "thick fog", "EVENT")  # only in this report? no: the same text
    report = copy_annotations(lib, wire, rescrape)
    assert report.tags == ("ferries",)
    assert set(lib.document_tags(rescrape)) == {"ferries", "merrow"}
    body = lib.body(rescrape)
    copied = {(a.text, a.type, a.entity) for a in report.copied}
    assert copied == {
        ("Saltmarsh Star", "ORG", "Saltmarsh Star"),
        ("Ailsa Brennock", "PERSON", "Ailsa Brennock"),
        ("Merrow Ferries", "ORG", "Merrow Ferries"),
        ("thick fog", "EVENT", "thick fog"),
    }
    for a in report.copied:
        assert body[a.start : a.end] == a.text
    # The second "Merrow Ferries" of the wire is the second of the re-scrape too.
    ferries = next(a for a in report.copied if a.text == "Merrow Ferries")
    assert ferries.start == body.index("Merrow Ferries", body.index("Merrow Ferries") + 1)
    assert report.not_found == () and report.already == 0
    # Copying again adds nothing.
    again = copy_annotations(lib, wire, rescrape)
    assert (again.tags, again.copied, again.already) == ((), (), 4)


def test_a_mention_absent_from_the_other_report_is_reported(
    lib: Library, stories_dump: Path
) -> None:
    lib.import_paths([stories_dump])
    ids = names(lib)
    ticker, wire = ids["003_5be1c0a7d2e94f16.txt"], ids["wire_20240514_0007.txt"]
    _mention(lib, ticker, "Tobin Shoal", "LOC")
    _mention(lib, ticker, "Saltmarsh Star", "ORG")
    _mention(lib, ticker, "1998", "EVENT")  # the wire does not say when she was built
    report = copy_annotations(lib, ticker, wire)
    assert {a.text for a in report.copied} == {"Tobin Shoal", "Saltmarsh Star"}
    assert report.not_found == ("1998",)


def test_whole_words_only(lib: Library, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Port Callan said.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Port Callanby and Port Callan.\n", encoding="utf-8")
    lib.import_paths([tmp_path])
    ids = names(lib)
    _mention(lib, ids["a.txt"], "Port Callan", "GPE")
    (copied,) = copy_annotations(lib, ids["a.txt"], ids["b.txt"]).copied
    assert copied.start == lib.body(ids["b.txt"]).rindex("Port Callan")


def test_unknown_documents(lib: Library) -> None:
    with pytest.raises(UsageError):
        copy_annotations(lib, 1, 2)
