"""``json``: the library's annotations as a W3C Web Annotation collection (JSON-LD).

The shape INTERFACE.md promises, which ``reader import-annotations`` reads back
(:mod:`reader.export.exchange`)::

    {"@context": "http://www.w3.org/ns/anno.jsonld", "id": "urn:uuid:…",
     "type": "AnnotationCollection", "label": …, "total": N,
     "first": {"id": "urn:uuid:…", "type": "AnnotationPage", "startIndex": 0, "items": […]}}

* A highlight: motivation ``highlighting``, the colour as an extra ``color`` property, its note
  as a ``TextualBody`` with purpose ``commenting``.
* An entity mention: motivation ``tagging``; a ``TextualBody`` with the type (purpose
  ``tagging``), one with the canonical name (purpose ``identifying``), and the note if any.
* Both target ``{"source": "urn:sha256:<hex>", "selector": [TextQuoteSelector (exact, prefix,
  suffix), TextPositionSelector (start, end)]}``. Positions count code points, as the W3C model
  asks. The source names the document by its content hash (the library stores ``sha256:<hex>``;
  the ``sha256:`` is not repeated).
* An orphaned annotation (its quote was not found again after the page changed) is written with
  the TextQuoteSelector only: its old offsets would point at the wrong text, its quote is still
  what the user marked.
* A document tag: motivation ``tagging``, a ``TextualBody`` with the tag (purpose ``tagging``),
  and the document's IRI itself as the target, with no selector.

Annotation ids are name-based UUIDs of the document hash and what the annotation says (kind,
position or quote, label), so the same annotation in two libraries has the same id and two
exports of one library can be compared line by line. Each item is written on its own line.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from typing import TextIO

from reader import __version__
from reader.annotate.anchor import quote_for
from reader.export.common import ExportReport, split_placed
from reader.library.records import Annotation, Document

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
SOURCE_PREFIX = "urn:sha256:"
HASH_PREFIX = "sha256:"
_NS = uuid.UUID("6f1c1a52-3f0e-4d7e-9a59-4b0f0a8c2d11")  # Dump Reader's annotation namespace
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode
_PRETTY = json.JSONEncoder(ensure_ascii=False, indent=2).encode
SPOOL_BYTES = 32 * 1024 * 1024


def source_iri(content_hash: str) -> str:
    """``urn:sha256:<hex>`` for a library hash ``sha256:<hex>`` (or a bare hex digest)."""
    digest = (
        content_hash[len(HASH_PREFIX) :] if content_hash.startswith(HASH_PREFIX) else content_hash
    )
    return SOURCE_PREFIX + digest.lower()


def content_hash_of(source: str) -> str | None:
    """The library's ``sha256:<hex>`` for a target source IRI, or None if it is not one of ours."""
    if not isinstance(source, str) or not source.lower().startswith(SOURCE_PREFIX):
        return None
    digest = source[len(SOURCE_PREFIX) :].lower()
    if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        return None
    return HASH_PREFIX + digest


def _text_body(value: str, purpose: str) -> dict:
    return {"type": "TextualBody", "value": value, "purpose": purpose}


def _label(ann: Annotation) -> str:
    return ann.color or "" if ann.kind == "highlight" else f"{ann.type}\x1f{ann.entity or ''}"


def annotation_item(doc: Document, ann: Annotation, source: str, ident: str) -> dict:
    """One ``Annotation`` object (a highlight or an entity mention)."""
    if ann.orphaned:
        selectors: list[dict] = [
            {
                "type": "TextQuoteSelector",
                "exact": ann.text,
                "prefix": ann.prefix,
                "suffix": ann.suffix,
            }
        ]
    else:
        q = quote_for(doc.body, ann.start, ann.end)
        selectors = [
            {"type": "TextQuoteSelector", "exact": q.exact, "prefix": q.prefix, "suffix": q.suffix},
            {"type": "TextPositionSelector", "start": ann.start, "end": ann.end},
        ]
    item: dict = {"id": ident, "type": "Annotation"}
    bodies = []
    if ann.kind == "highlight":
        item["motivation"] = "highlighting"
        item["color"] = ann.color
    else:
        item["motivation"] = "tagging"
        bodies.append(_text_body(ann.type or "", "tagging"))
        bodies.append(_text_body(ann.entity or ann.text, "identifying"))
    if ann.note:
        bodies.append(_text_body(ann.note, "commenting"))
    if bodies:
        item["body"] = bodies
    item["target"] = {"source": source, "selector": selectors}
    return item


def items(doc: Document, report: ExportReport | None = None) -> Iterator[dict]:
    """The annotations of one document: highlights and mentions by position, orphans, tags."""
    source = source_iri(doc.content_hash)
    highlights, entities, orphans = split_placed(doc, report)
    placed = sorted(highlights + entities, key=lambda a: (a.start, a.end, a.id))
    used: dict[str, int] = {}

    def ident(key: str) -> str:
        n = used.get(key, 0) + 1
        used[key] = n
        name = f"{source}/{key}" + (f"/{n}" if n > 1 else "")
        return f"urn:uuid:{uuid.uuid5(_NS, name)}"

    for ann in placed:
        yield annotation_item(
            doc, ann, source, ident(f"{ann.kind}/{ann.start}/{ann.end}/{_label(ann)}")
        )
    for ann in orphans:
        key = f"{ann.kind}/quote/{ann.prefix}\x1f{ann.text}\x1f{ann.suffix}/{_label(ann)}"
        yield annotation_item(doc, ann, source, ident(key))
    for tag in doc.tags:
        yield {
            "id": ident(f"tag/{tag}"),
            "type": "Annotation",
            "motivation": "tagging",
            "body": [_text_body(tag, "tagging")],
            "target": source,
        }


def write_web_annotations(
    docs: Iterable[Document],
    out: TextIO,
    report: ExportReport | None = None,
    *,
    label: str = "Dump Reader annotations",
) -> None:
    """Write the collection for ``docs`` to ``out`` (opened with ``newline=""``).

    ``total`` comes before the items in the file, but is known only after them: the items are
    spooled (in memory, then a temporary file) and copied behind the head, so memory stays
    bounded for a library of any size.
    """
    docs_seen = written = 0
    with tempfile.SpooledTemporaryFile(
        max_size=SPOOL_BYTES, mode="w+", encoding="utf-8", newline=""
    ) as spool:
        for doc in docs:
            for item in items(doc, report):
                spool.write(("\n      " if written == 0 else ",\n      ") + _ENCODE(item))
                written += 1
            docs_seen += 1
        head = {
            "@context": CONTEXT,
            "id": f"urn:uuid:{uuid.uuid4()}",
            "type": "AnnotationCollection",
            "label": label,
            "generator": {"type": "Software", "name": f"Dump Reader {__version__}"},
            "generated": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "total": written,
        }
        page = {"id": f"urn:uuid:{uuid.uuid4()}", "type": "AnnotationPage", "startIndex": 0}
        head_text = _PRETTY(head)[:-2]  # without the closing "\n}": "first" follows
        page_text = _PRETTY(page).replace("\n", "\n  ")[:-4]  # likewise, indented
        out.write(f'{head_text},\n  "first": {page_text},\n    "items": [')
        spool.seek(0)
        shutil.copyfileobj(spool, out)
    out.write("\n    ]\n  }\n}\n" if written else "]\n  }\n}\n")
    if report is not None:
        report.annotations += written
        report.documents += docs_seen
