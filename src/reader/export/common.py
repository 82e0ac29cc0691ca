"""What every format writer shares: the report it fills and the rule for which spans it writes.

Orphaned annotations (a re-import could not find their quote again) keep offsets that point at
text that is no longer there. Span formats (``jsonl``, ``conll``, ``brat``, ``csv``) leave them out
and count them in :attr:`ExportReport.left_out`; ``md`` and ``json`` list them by their quote
only. An annotation that is *not* marked orphaned but whose offsets fall outside the body or do
not slice its quote is a damaged record: it is left out of every format and listed in
:attr:`ExportReport.failed`, so the export exits with status 1 instead of writing a wrong span.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from reader.library.records import Annotation, Document

#: Everything ``str.splitlines`` treats as a line break; a brat fragment or a one-line cell must
#: not contain any of them.
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
LINE_BREAK_RUN = re.compile(f"[{LINE_BREAKS}]+")


@dataclass
class ExportReport:
    """What an export did. ``as_json`` is the ``reader export --json`` shape."""

    format: str
    dest: Path
    files: list[Path] = field(default_factory=list)
    documents: int = 0
    annotations: int = 0  # annotations and document tags written
    left_out: int = 0  # orphaned annotations a span format cannot place
    failed: list[tuple[str, str]] = field(default_factory=list)  # (what, reason)
    cancelled: bool = False

    def as_json(self) -> dict:
        return {
            "format": self.format,
            "dest": str(self.dest),
            "files": [str(p) for p in self.files],
            "documents": self.documents,
            "annotations": self.annotations,
            "left_out_orphaned": self.left_out,
            "failed": [{"item": what, "reason": why} for what, why in self.failed],
            "cancelled": self.cancelled,
        }


def broken(doc: Document, ann: Annotation) -> str:
    """Why a non-orphaned annotation cannot be written as a span ("" when it can)."""
    if not (0 <= ann.start < ann.end <= len(doc.body)):
        return f"its span {ann.start}–{ann.end} is outside the body ({len(doc.body)} characters)"
    if doc.body[ann.start : ann.end] != ann.text:
        return "its offsets no longer slice its quote (reattach it in the window)"
    return ""


def placed(doc: Document, report: ExportReport | None) -> list[Annotation]:
    """The annotations of ``doc`` that stand at their offsets, by position.

    Orphans are counted as left out; damaged records are reported as failed.
    """
    out = []
    body = doc.body
    n = len(body)
    for ann in doc.annotations:
        if ann.orphaned:
            if report is not None:
                report.left_out += 1
            continue
        s, e = ann.start, ann.end
        if 0 <= s < e <= n and body[s:e] == ann.text:
            out.append(ann)
        elif report is not None:
            report.failed.append((f"document {doc.id}, annotation {ann.id}", broken(doc, ann)))
    return out


def split_placed(
    doc: Document, report: ExportReport | None
) -> tuple[list[Annotation], list[Annotation], list[Annotation]]:
    """(placed highlights, placed entity mentions, orphans) — for formats that list orphans."""
    highlights, entities, orphans = [], [], []
    for ann in doc.annotations:
        if ann.orphaned:
            orphans.append(ann)
            continue
        problem = broken(doc, ann)
        if problem:
            if report is not None:
                report.failed.append((f"document {doc.id}, annotation {ann.id}", problem))
            continue
        (highlights if ann.kind == "highlight" else entities).append(ann)
    return highlights, entities, orphans


def one_line(text: str) -> str:
    """``text`` with each run of line breaks replaced by one space (for one-line fields)."""
    return LINE_BREAK_RUN.sub(" ", text)


def absolute(path: str | os.PathLike[str]) -> Path:
    return Path(os.path.abspath(os.fspath(path)))


def entity_types_in(docs: Iterable[Document]) -> list[str]:
    """The entity types used by ``docs``' mentions, in first-seen order."""
    seen: dict[str, None] = {}
    for doc in docs:
        for ann in doc.annotations:
            if ann.kind == "entity" and ann.type:
                seen.setdefault(ann.type, None)
    return list(seen)
