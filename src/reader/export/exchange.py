"""``reader import-annotations``: merge a ``json`` export (W3C Web Annotation) into a library.

Someone else's library, or a backup of this one: documents are matched by content hash (the
target source ``urn:sha256:<hex>``), so the same page imported from another folder, or by
another person, is found; a document this library does not have is reported as unmatched, with
the number of annotations waiting for it, and the rest goes on.

A span is placed by its TextPositionSelector when the text there is its quote; otherwise (the
other library's rules derived a different body from the same page) by its TextQuoteSelector, with
the re-anchoring the library uses when a page changes (:func:`reader.annotate.anchor.reanchor`).
An annotation with only a quote (orphaned where it came from) is placed the same way if its quote
is found, and reported as invalid if not.

Importing is idempotent: an annotation is already present when this document has one of the
same kind at the same span with the same colour (highlights) or the same type and entity name
(mentions) — its note is left as it is here, never overwritten; a document tag is present when
the document has it. So importing the same file twice adds nothing the second time, and an
interrupted import can simply be run again. Entity types this library lacks are added (grey,
no key) rather than refused, since a colleague's types are part of what is being merged.

Every change goes through :class:`~reader.library.Library` methods, each committed at once.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.annotate.anchor import Quote, reanchor
from reader.export.webanno import content_hash_of
from reader.library.errors import UsageError
from reader.library.records import Document

if TYPE_CHECKING:
    from reader.library.library import Library

NEW_TYPE_COLOR = "#7f7f7f"


@dataclass
class ImportAnnotationsReport:
    """What an import did; ``as_json`` is the ``reader import-annotations --json`` shape."""

    file: Path
    added: int = 0  # annotations added
    present: int = 0  # annotations already here
    tags_added: int = 0
    tags_present: int = 0
    types_added: list[str] = field(default_factory=list)
    unmatched: dict[str, int] = field(default_factory=dict)  # target source → items
    invalid: list[tuple[str, str]] = field(default_factory=list)  # (item, reason)
    cancelled: bool = False

    @property
    def complete(self) -> bool:
        """Everything in the file is in the library now."""
        return not (self.unmatched or self.invalid or self.cancelled)

    def as_json(self) -> dict:
        return {
            "file": str(self.file),
            "added": self.added,
            "already_present": self.present,
            "tags_added": self.tags_added,
            "tags_already_present": self.tags_present,
            "entity_types_added": list(self.types_added),
            "unmatched": [
                {"source": source, "annotations": n} for source, n in self.unmatched.items()
            ],
            "invalid": [{"item": item, "reason": reason} for item, reason in self.invalid],
            "cancelled": self.cancelled,
        }


# ----------------------------------------------------------------------------- reading the file


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _page_items(page: Any) -> Iterator[Any]:
    while isinstance(page, dict):
        yield from _as_list(page.get("items"))
        page = page.get("next")


def read_items(path: str | os.PathLike[str]) -> list[Any]:
    """The annotations of a Web Annotation file: a collection (its embedded pages), a page, one
    annotation or a JSON array of annotations. A file that is none of these is a UsageError."""
    try:
        with open(path, encoding="utf-8-sig") as f:
            data = json.load(f)
    except FileNotFoundError:
        raise UsageError(f"there is no file {path}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"{path} cannot be read: {error}") from None
    except json.JSONDecodeError as error:
        raise UsageError(
            f"{path} is not JSON ({error}); expected a `reader export --format json` file"
        ) from None
    if isinstance(data, list):
        return data
    kind = _as_list(data.get("type")) if isinstance(data, dict) else []
    if "AnnotationCollection" in kind:
        first = data.get("first")
        if isinstance(first, str):
            raise UsageError(
                f"{path} links to its annotation pages ({first}) instead of holding them"
            )
        return list(_page_items(first))
    if "AnnotationPage" in kind:
        return list(_page_items(data))
    if "Annotation" in kind:
        return [data]
    raise UsageError(
        f"{path} is not a Web Annotation file (no AnnotationCollection, AnnotationPage or "
        "Annotation); expected a `reader export --format json` file"
    )


# ---------------------------------------------------------------------------- understanding items


@dataclass
class _Parsed:
    source: str
    kind: str  # "tag", "highlight", "entity"
    values: dict[str, Any]


class _Invalid(Exception):
    pass


def _bodies(item: dict, purpose: str, default: bool = False) -> list[str]:
    """Values of the TextualBodies with ``purpose`` (``default``: also those without one)."""
    out = []
    for body in _as_list(item.get("body")):
        if not isinstance(body, dict):
            continue
        purposes = _as_list(body.get("purpose"))
        value = body.get("value")
        if isinstance(value, str) and (purpose in purposes or (default and not purposes)):
            out.append(value)
    return out


def _selectors(target: dict) -> dict[str, dict]:
    found: dict[str, dict] = {}
    for sel in _as_list(target.get("selector")):
        if isinstance(sel, dict) and isinstance(sel.get("type"), str):
            found.setdefault(sel["type"], sel)
    return found


def _parse(item: Any) -> _Parsed:
    if not isinstance(item, dict) or "Annotation" not in _as_list(item.get("type")):
        raise _Invalid("not an Annotation")
    targets = _as_list(item.get("target"))
    if len(targets) != 1:
        raise _Invalid("it does not have exactly one target")
    target = targets[0]
    source = (
        target
        if isinstance(target, str)
        else target.get("source")
        if isinstance(target, dict)
        else None
    )
    if not isinstance(source, str) or content_hash_of(source) is None:
        raise _Invalid("its target is not a page named by content hash (urn:sha256:…)")
    motivations = _as_list(item.get("motivation"))
    selectors = _selectors(target) if isinstance(target, dict) else {}
    note = "\n\n".join(_bodies(item, "commenting")) or None
    if not selectors:
        if "tagging" not in motivations:
            raise _Invalid("it targets a whole page but is not a tag")
        tags = _bodies(item, "tagging", default=True)
        if not tags:
            raise _Invalid("a tag without a TextualBody value")
        return _Parsed(source, "tag", {"tags": tags})
    pos = selectors.get("TextPositionSelector")
    q = selectors.get("TextQuoteSelector")
    values: dict[str, Any] = {"note": note, "start": None, "end": None, "quote": None}
    if pos is not None:
        start, end = pos.get("start"), pos.get("end")
        if not all(isinstance(x, int) and not isinstance(x, bool) for x in (start, end)):
            raise _Invalid("its TextPositionSelector has no whole-number start and end")
        values["start"], values["end"] = start, end
    if q is not None:
        exact = q.get("exact")
        if not isinstance(exact, str) or not exact:
            raise _Invalid("its TextQuoteSelector has no exact text")
        prefix, suffix = q.get("prefix") or "", q.get("suffix") or ""
        values["quote"] = Quote(
            exact,
            prefix if isinstance(prefix, str) else "",
            suffix if isinstance(suffix, str) else "",
        )
    if pos is None and q is None:
        raise _Invalid("it has neither a TextPositionSelector nor a TextQuoteSelector")
    if "highlighting" in motivations:
        color = item.get("color", "yellow")
        if not isinstance(color, str):
            raise _Invalid("its color is not a string")
        values["color"] = color
        return _Parsed(source, "highlight", values)
    if "tagging" in motivations:
        types = _bodies(item, "tagging")
        if not types:
            raise _Invalid("an entity mention without a type (a TextualBody with purpose tagging)")
        names = _bodies(item, "identifying")
        values["type"] = types[0]
        values["entity"] = names[0] if names else None
        return _Parsed(source, "entity", values)
    raise _Invalid(f"unsupported motivation {', '.join(map(str, motivations)) or '(none)'}")


def _place(body: str, values: dict[str, Any]) -> tuple[int, int]:
    start, end, quote = values["start"], values["end"], values["quote"]
    in_body = start is not None and 0 <= start < end <= len(body)
    if in_body and (quote is None or body[start:end] == quote.exact):
        return start, end
    if quote is not None:
        span = reanchor(body, quote, start if start is not None else 0)
        if span is not None:
            return span
        raise _Invalid("its quote is not in this library's text of the page")
    raise _Invalid(f"its span {start}–{end} is outside the page ({len(body)} characters)")


def _label(item: Any, index: int) -> str:
    ident = item.get("id") if isinstance(item, dict) else None
    return ident if isinstance(ident, str) and ident else f"item {index + 1}"


# ---------------------------------------------------------------------------------- importing


class _Target:
    """One matched document: its body and what it already has."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.keys = {
            _key_of(a.kind, a.start, a.end, a.color, a.type, a.entity)
            for a in doc.annotations
            if not a.orphaned
        }
        self.tags = set(doc.tags)


def _key_of(
    kind: str, start: int, end: int, color: str | None, type_: str | None, entity: str | None
) -> tuple:
    return (kind, start, end, color) if kind == "highlight" else (kind, start, end, type_, entity)


def import_annotations(
    lib: Library,
    path: str | os.PathLike[str],
    *,
    progress: Callable[[int, int, str], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> ImportAnnotationsReport:
    """Merge the annotations of the Web Annotation file ``path`` into ``lib``.

    ``progress(done, total, item)`` follows the items; ``cancel()`` is asked before each and stops
    cleanly (what was added stays, and running the import again adds the rest).
    """
    report = ImportAnnotationsReport(Path(os.path.abspath(os.fspath(path))))
    items = read_items(path)
    known_types = {t.name for t in lib.entity_types()}
    targets: dict[str, _Target | None] = {}
    for index, item in enumerate(items):
        if cancel is not None and cancel():
            report.cancelled = True
            break
        label = _label(item, index)
        try:
            parsed = _parse(item)
            if parsed.source not in targets:
                doc_id = lib.document_by_hash(content_hash_of(parsed.source) or "")
                targets[parsed.source] = _Target(lib.document(doc_id)) if doc_id else None
            target = targets[parsed.source]
            if target is None:
                report.unmatched[parsed.source] = report.unmatched.get(parsed.source, 0) + 1
            else:
                _apply(lib, target, parsed, report, known_types)
        except _Invalid as why:
            report.invalid.append((label, str(why)))
        except UsageError as error:  # refused by the library (a colour it does not know, say)
            report.invalid.append((label, str(error)))
        if progress is not None:
            progress(index + 1, len(items), label)
    return report


def _apply(
    lib: Library,
    target: _Target,
    parsed: _Parsed,
    report: ImportAnnotationsReport,
    known_types: set[str],
) -> None:
    doc = target.doc
    v = parsed.values
    if parsed.kind == "tag":
        for raw in v["tags"]:
            name = " ".join(raw.split())
            if name in target.tags:
                report.tags_present += 1
            else:
                lib.tag(doc.id, [name])
                target.tags.add(name)
                report.tags_added += 1
        return
    start, end = _place(doc.body, v)
    if parsed.kind == "highlight":
        key = _key_of("highlight", start, end, v["color"], None, None)
        if key in target.keys:
            report.present += 1
            return
        lib.add_highlight(doc.id, start, end, v["color"], v["note"])
    else:
        entity = v["entity"] or " ".join(doc.body[start:end].split())
        key = _key_of("entity", start, end, None, v["type"], entity)
        if key in target.keys:
            report.present += 1
            return
        if v["type"] not in known_types:
            lib.add_entity_type(v["type"], NEW_TYPE_COLOR)
            known_types.add(v["type"])
            report.types_added.append(v["type"])
        lib.add_entity(doc.id, start, end, v["type"], entity, v["note"])
    target.keys.add(key)
    report.added += 1
