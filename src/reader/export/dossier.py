"""``dossier``: for one entity, or each, every passage that mentions it, across the library.

No peer exports this view: a person followed through every page, by date and source. A dossier
is Markdown::

    # Antony Blinken
    PERSON · 12 mentions in 5 documents
    ## 2021-12-11                         (dates in order; "Undated" last)
    ### ANI                               (sources by name; "Source unknown" last)
    #### Japanese Foreign Minister … (document 3)
    > … the sentence around the mention, with the mention in **bold** …
    - note on the mention, and notes of highlights over the passage

A passage is the sentence around a mention (bounded by sentence-final punctuation or a line
break, at most :data:`REACH` characters either side); mentions whose sentences overlap share one
passage. Orphaned mentions are listed by their quote under "No longer found in the page".
Entities are told apart by canonical name, ignoring case (as ``reader list --entity`` does); the
spelling first seen is shown. Page text and notes are escaped as in :mod:`reader.export.markdown`.

One entity → one file with YAML front matter (``title``, ``entity``, ``types``, ``mentions``,
``documents``); each entity → a folder with a file per entity, named as the ``md`` export's
wiki-links name them (so ``[[Antony Blinken]]`` in a note opens the dossier); ``single`` → one
file, an ``#`` heading per entity, separated by ``---`` lines.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TextIO

from reader.export.atomic import FolderWriter
from reader.export.common import ExportReport, split_placed
from reader.export.markdown import (
    entity_stem,
    escape,
    inline,
    note_stem,
    quote,
    wiki_link,
    yaml_str,
)
from reader.export.safe_names import UniqueNames
from reader.library.records import Annotation, Document

REACH = 300
_CLOSE = "\"'”’»)]"
_FINAL = ".!?؟۔。…"
_BREAKS = "\n\r\x85\u2028\u2029"
_END = f"[{re.escape(_FINAL)}]+[{re.escape(_CLOSE)}]*"
_BACK = re.compile(f"{_END}\\s+|[{_BREAKS}]+")
_FORWARD = re.compile(f"{_END}(?=\\s|$)|(?=[{_BREAKS}])")


@dataclass
class Passage:
    start: int
    end: int
    marks: list[tuple[int, int]]  # mention spans inside [start, end)
    notes: list[str]


@dataclass
class DocumentMentions:
    doc_id: int
    title: str
    date: str | None
    source: str | None
    passages: list[Passage] = field(default_factory=list)
    orphans: list[Annotation] = field(default_factory=list)
    markdown: str = ""  # the passages, rendered while the body is at hand


@dataclass
class Dossier:
    name: str
    types: Counter = field(default_factory=Counter)
    mentions: int = 0
    documents: list[DocumentMentions] = field(default_factory=list)


def passage_bounds(body: str, start: int, end: int, reach: int = REACH) -> tuple[int, int]:
    """The sentence around ``body[start:end]``: from after the previous sentence end or line
    break to the next, at most ``reach`` characters either side."""
    lo = max(0, start - reach)
    ps = lo
    for m in _BACK.finditer(body, lo, start):
        ps = m.end()
    hi = min(len(body), end + reach)
    m = _FORWARD.search(body, end, hi)
    pe = m.end() if m else hi
    while ps < start and body[ps].isspace():
        ps += 1
    while pe > end and body[pe - 1].isspace():
        pe -= 1
    return ps, pe


def _cut_before(body: str, pos: int) -> bool:
    """Whether a passage starting at ``pos`` starts inside a sentence (and wants a ``…``)."""
    i = pos - 1
    while i >= 0 and body[i].isspace():
        if body[i] in _BREAKS:
            return False
        i -= 1
    return i >= 0 and body[i] not in _FINAL + _CLOSE


def _cut_after(body: str, pos: int) -> bool:
    """Whether a passage ending at ``pos`` ends inside a sentence."""
    return pos < len(body) and body[pos] not in _BREAKS and body[pos - 1] not in _FINAL + _CLOSE


def _render(body: str, passage: Passage) -> str:
    """The passage as a block quote with its mentions in bold and ``…`` where it was cut."""
    pieces = ["…" if _cut_before(body, passage.start) else ""]
    pos = passage.start
    for s, e in passage.marks:
        s = max(s, pos)  # overlapping mentions: bold the rest of the later one
        if e <= s:
            continue
        pieces.append(escape(body[pos:s]))
        pieces.append("**" + escape(body[s:e]) + "**")
        pos = e
    pieces.append(escape(body[pos : passage.end]))
    pieces.append("…" if _cut_after(body, passage.end) else "")
    out = "\n".join(f"> {line}" if line else ">" for line in "".join(pieces).split("\n"))
    out += "\n"
    if passage.notes:
        out += "\n" + "".join("- " + escape(n).replace("\n", "\n  ") + "\n" for n in passage.notes)
    return out


def collect(
    docs: Iterable[Document], entity: str | None = None, report: ExportReport | None = None
) -> list[Dossier]:
    """The dossiers of ``entity`` (or of every entity) over ``docs``, by name."""
    wanted = entity.casefold() if entity is not None else None
    found: dict[str, Dossier] = {}
    for doc in docs:
        highlights, entities, orphans = split_placed(doc, report)
        per_entity: dict[str, list[Annotation]] = {}
        for a in entities + [o for o in orphans if o.kind == "entity"]:
            name = a.entity or " ".join(a.text.split())
            key = name.casefold()
            if wanted is not None and key != wanted:
                continue
            per_entity.setdefault(key, []).append(a)
            dossier = found.setdefault(key, Dossier(name))
            dossier.types[a.type or ""] += 1
            dossier.mentions += 1
        if report is not None:
            report.documents += 1
        for key, mentions in per_entity.items():
            dm = DocumentMentions(doc.id, doc.title, doc.date, doc.source)
            for a in sorted(mentions, key=lambda a: (a.start, a.end)):
                if a.orphaned:
                    dm.orphans.append(a)
                    continue
                ps, pe = passage_bounds(doc.body, a.start, a.end)
                if dm.passages and ps < dm.passages[-1].end:
                    p = dm.passages[-1]
                    p.end = max(p.end, pe)
                    p.marks.append((a.start, a.end))
                else:
                    p = Passage(ps, pe, [(a.start, a.end)], [])
                    dm.passages.append(p)
                if a.note:
                    p.notes.append(a.note)
            for p in dm.passages:
                for h in highlights:
                    if h.note and h.start < p.end and h.end > p.start:
                        p.notes.append(
                            f"{h.color} highlight “{' '.join(h.text.split())}”: {h.note}"
                        )
            dm.markdown = "\n".join(_render(doc.body, p) for p in dm.passages)
            if report is not None:
                report.annotations += len(mentions)
            found[key].documents.append(dm)
    return sorted(found.values(), key=lambda d: d.name.casefold())


def render(dossier: Dossier, *, front: bool = True, wiki_links: bool = False) -> str:
    """One dossier as Markdown (with YAML front matter unless ``front`` is false)."""
    parts = []
    types = [t for t, _ in dossier.types.most_common()]
    if front:
        parts.append(
            "---\n"
            f"title: {yaml_str(dossier.name)}\n"
            f"entity: {yaml_str(dossier.name)}\n"
            "types:" + ("".join(f"\n  - {yaml_str(t)}" for t in types) or " []") + "\n"
            f"mentions: {dossier.mentions}\n"
            f"documents: {len(dossier.documents)}\n"
            "---\n\n"
        )
    n_docs = len(dossier.documents)
    parts.append(f"# {inline(dossier.name)}\n\n")
    parts.append(
        f"{', '.join(inline(t) for t in types)} · {dossier.mentions} mention"
        f"{'s' if dossier.mentions != 1 else ''} in {n_docs} document{'s' if n_docs != 1 else ''}"
        "\n\n"
    )
    by_date = sorted(
        dossier.documents,
        key=lambda d: (
            d.date is None,
            d.date or "",
            d.source is None,
            (d.source or "").casefold(),
            d.doc_id,
        ),
    )
    last_date: object = object()
    last_source: object = object()
    for dm in by_date:
        if dm.date != last_date:
            parts.append(f"## {inline(dm.date) if dm.date else 'Undated'}\n\n")
            last_date, last_source = dm.date, object()
        if dm.source != last_source:
            parts.append(f"### {inline(dm.source) if dm.source else 'Source unknown'}\n\n")
            last_source = dm.source
        title = wiki_link(note_stem(dm.title, dm.doc_id)) if wiki_links else inline(dm.title)
        parts.append(f"#### {title} (document {dm.doc_id})\n\n")
        if dm.markdown:
            parts.append(dm.markdown + "\n")
        if dm.orphans:
            parts.append("No longer found in the page:\n\n")
            for a in dm.orphans:
                parts.append(quote(a.text) + "\n")
                if a.note:
                    parts.append("\n- " + escape(a.note).replace("\n", "\n  ") + "\n")
                parts.append("\n")
    return "".join(parts).rstrip("\n") + "\n"


def write_dossier_folder(
    dossiers: Iterable[Dossier], folder: FolderWriter, *, wiki_links: bool = False
) -> None:
    names = UniqueNames()
    for d in dossiers:
        folder.write(names.claim(entity_stem(d.name), ".md"), render(d, wiki_links=wiki_links))


def write_dossier_file(dossiers: list[Dossier], out: TextIO, *, wiki_links: bool = False) -> None:
    """One dossier with front matter, or several separated by ``---`` lines without."""
    if len(dossiers) == 1:
        out.write(render(dossiers[0], wiki_links=wiki_links))
        return
    out.write("\n---\n\n".join(render(d, front=False, wiki_links=wiki_links) for d in dossiers))
