"""``json`` (W3C Web Annotation) read back: the promised shape, selectors that match."""

from __future__ import annotations

import json
from pathlib import Path

from reader.export import export

from .corpus import Corpus


def _collection(corpus: Corpus, out: Path) -> dict:
    export(corpus.lib, "json", None, out / "a.json")
    return json.loads((out / "a.json").read_text(encoding="utf-8"))


def _bodies(item: dict, purpose: str) -> list[str]:
    return [b["value"] for b in item.get("body", []) if b["purpose"] == purpose]


def test_collection_page_and_items(corpus: Corpus, out: Path) -> None:
    data = _collection(corpus, out)
    assert data["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert data["type"] == "AnnotationCollection" and data["id"].startswith("urn:uuid:")
    page = data["first"]
    assert page["type"] == "AnnotationPage"
    items = page["items"]
    # 8 + 6 + 3 + 3 annotations and 2 + 1 + 1 document tags
    assert data["total"] == len(items) == 24
    assert len({i["id"] for i in items}) == len(items)
    for item in items:
        assert item["type"] == "Annotation" and item["motivation"] in ("highlighting", "tagging")
    assert not any("sha256:sha256" in json.dumps(i) for i in items)


def test_selectors_match_the_text(corpus: Corpus, out: Path) -> None:
    items = _collection(corpus, out)["first"]["items"]
    docs = {corpus.lib.document(i).content_hash.split(":")[1]: corpus.lib.document(i)
            for i in corpus.ids}  # fmt: skip
    spans = 0
    for item in items:
        target = item["target"]
        if isinstance(target, str):
            continue
        assert target["source"].startswith("urn:sha256:")
        doc = docs[target["source"][len("urn:sha256:") :]]
        selectors = {s["type"]: s for s in target["selector"]}
        quote = selectors["TextQuoteSelector"]
        if "TextPositionSelector" not in selectors:  # an orphan: quote only
            assert quote["exact"] == "The orphan sentence will vanish."
            assert quote["exact"] not in doc.body
            continue
        pos = selectors["TextPositionSelector"]
        body = doc.body
        assert body[pos["start"] : pos["end"]] == quote["exact"]
        assert body[: pos["start"]].endswith(quote["prefix"])
        assert body[pos["end"] :].startswith(quote["suffix"])
        assert body.find(quote["prefix"] + quote["exact"] + quote["suffix"]) >= 0
        spans += 1
    assert spans == 19


def test_bodies_motivations_colour_and_tags(corpus: Corpus, out: Path) -> None:
    items = _collection(corpus, out)["first"]["items"]
    hashes = {i: corpus.lib.document(i).content_hash.split(":")[1] for i in corpus.ids}
    of_a = [i for i in items if json.dumps(i).count(hashes[corpus.a])]
    highlight = next(i for i in of_a if i["motivation"] == "highlighting")
    assert highlight["color"] == "yellow"
    assert _bodies(highlight, "commenting") == ["key quote\r\nsecond line"]
    quoted = next(
        i for i in of_a if i["motivation"] == "tagging" and _bodies(i, "commenting") == ["quoted"]
    )
    assert _bodies(quoted, "tagging") == ["PERSON"]
    assert _bodies(quoted, "identifying") == ["Yoshimasa Hayashi"]
    tags = sorted(
        _bodies(i, "tagging")[0] for i in of_a if i["target"] == f"urn:sha256:{hashes[corpus.a]}"
    )
    assert tags == ["diplomacy", "japan-us"]
    for item in of_a:
        if item["motivation"] == "highlighting":
            assert "body" not in item or all(b["purpose"] == "commenting" for b in item["body"])
        for body in item.get("body", []):
            assert body["type"] == "TextualBody"


def test_empty_library(lib, out: Path) -> None:  # noqa: ANN001
    export(lib, "json", None, out / "e.json")
    data = json.loads((out / "e.json").read_text(encoding="utf-8"))
    assert data["total"] == 0 and data["first"]["items"] == []
