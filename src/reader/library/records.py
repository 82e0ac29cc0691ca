"""Plain values the library hands out, frozen so callers can cache and share them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from reader.ingest.page import TickerRow

AnnotationKind = Literal["highlight", "entity"]

#: The named highlight colours (the window maps them to its palette; exports write the names).
HIGHLIGHT_COLORS = ("yellow", "green", "blue", "pink", "orange")


@dataclass(frozen=True)
class Annotation:
    """A highlight or an entity mention, anchored by position and by quote."""

    id: int
    document_id: int
    kind: AnnotationKind
    start: int  # code points into the document's body, end exclusive
    end: int
    text: str  # the quote's exact text
    prefix: str
    suffix: str
    color: str | None = None  # highlights
    type: str | None = None  # entity mentions: an entity type name
    entity: str | None = None  # entity mentions: the canonical entity name
    note: str | None = None
    orphaned: bool = False

    def as_json(self) -> dict:
        """The shape ``reader show --json`` prints (INTERFACE.md)."""
        if self.kind == "highlight":
            return {
                "id": self.id,
                "start": self.start,
                "end": self.end,
                "text": self.text,
                "color": self.color,
                "note": self.note,
                "orphaned": self.orphaned,
            }
        return {
            "id": self.id,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "type": self.type,
            "entity": self.entity,
            "note": self.note,
            "orphaned": self.orphaned,
        }


@dataclass(frozen=True)
class DocumentSummary:
    """One row of the document list: metadata and counts, no text."""

    id: int
    title: str
    date: str | None
    source: str | None
    dateline: str | None
    n_tickers: int
    n_highlights: int
    n_entities: int
    paths: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    @property
    def n_annotations(self) -> int:
        return self.n_highlights + self.n_entities

    def as_json(self) -> dict:
        """The shape ``reader list --json`` prints (INTERFACE.md)."""
        return {
            "id": self.id,
            "title": self.title,
            "date": self.date,
            "source": self.source,
            "dateline": self.dateline,
            "paths": list(self.paths),
            "tickers": self.n_tickers,
            "highlights": self.n_highlights,
            "entities": self.n_entities,
            "tags": list(self.tags),
        }


@dataclass(frozen=True)
class Document:
    """One document, whole: what ``reader show`` prints and the article pane shows."""

    id: int
    title: str
    title_derived: bool
    date: str | None
    dateline: str | None
    source: str | None
    paths: tuple[str, ...]
    encoding: str
    content_hash: str
    body: str
    profile: str
    tickers: tuple[TickerRow, ...] = ()
    annotations: tuple[Annotation, ...] = ()
    tags: tuple[str, ...] = ()

    @property
    def highlights(self) -> tuple[Annotation, ...]:
        return tuple(a for a in self.annotations if a.kind == "highlight")

    @property
    def entities(self) -> tuple[Annotation, ...]:
        return tuple(a for a in self.annotations if a.kind == "entity")

    def as_json(self) -> dict:
        """The shape ``reader show --json`` prints (INTERFACE.md)."""
        return {
            "id": self.id,
            "title": self.title,
            "title_derived": self.title_derived,
            "date": self.date,
            "dateline": self.dateline,
            "source": self.source,
            "paths": list(self.paths),
            "encoding": self.encoding,
            "content_hash": self.content_hash,
            "body": self.body,
            "tickers": [
                {
                    "symbol": t.symbol,
                    "kind": t.kind,
                    "price": t.price,
                    "change": t.change,
                    "change_pct": t.change_pct,
                    "direction": t.direction,
                    "line": t.line,
                }
                for t in self.tickers
            ],
            "highlights": [a.as_json() for a in self.highlights],
            "entities": [a.as_json() for a in self.entities],
            "tags": list(self.tags),
        }


@dataclass(frozen=True)
class EntityType:
    name: str
    color: str
    key: int | None
    position: int


@dataclass
class ImportReport:
    """What an import did; ``as_json`` is the ``reader import --json`` shape."""

    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (absolute path, reason)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    cancelled: bool = False
    reanchored: int = 0  # annotations moved to follow a changed body
    orphaned: int = 0  # annotations whose quote was not found again (kept, marked)
    document_ids: list[int] = field(default_factory=list)  # new or updated documents

    def as_json(self) -> dict:
        return {
            "imported": self.imported,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "duplicates": self.duplicates,
            "failed": [{"path": p, "reason": r} for p, r in self.failed],
            "skipped": [{"path": p, "reason": r} for p, r in self.skipped],
        }


@dataclass(frozen=True)
class DocumentFilter:
    """What narrows the document list. Every field is optional; all given ones must hold."""

    search: str | None = None  # words for the full-text index over title and body
    tag: str | None = None
    source: str | None = None
    entity: str | None = None  # canonical entity name of a mention in the document
    date_from: str | None = None  # ISO dates, inclusive; documents without a date drop out
    date_to: str | None = None
    has_tickers: bool | None = None
    ids: tuple[int, ...] | None = None


@dataclass(frozen=True)
class Changes:
    """What a mutation changed, so views refresh only that (after Anki's ``OpChanges``)."""

    documents: tuple[int, ...] = ()
    annotations: bool = False
    tags: bool = False
    entity_types: bool = False
    document_list: bool = False  # rows were added, removed or re-counted
