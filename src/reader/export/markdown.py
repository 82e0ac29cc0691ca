"""``md``: annotated notes for Obsidian, Logseq and Zotero-style Markdown.

One ``.md`` file per document (named after its title, see :mod:`reader.export.safe_names`), or
with ``single`` one file where each document is a ``#`` heading and documents are separated by
``---`` lines, without front matter (INTERFACE.md). A note is:

* YAML front matter (files per document only): ``title``, ``date``, ``source``, ``dateline``,
  ``tags`` (list), ``entities`` (mapping type → list of names), ``paths`` (list),
  ``content_hash``. Every string is double-quoted with escapes, so no title can end the front
  matter or smuggle in a key; ``date`` is written as a plain ISO date (notes apps read it as a
  date) and missing values as ``null``.
* the title as a ``#`` heading (with ``single``, a line with date, source, dateline and tags);
* ``## Highlights``: each highlight as a block quote, then its colour and its note;
* ``## Entities``: a ``###`` heading per type, each entity once with its number of mentions and
  the notes on its mentions; with ``wiki_links`` the names are ``[[wiki-links]]``, whose targets
  are the file names the dossier export gives those entities, so the two exports link up in one
  vault;
* ``## No longer found in the page``: orphaned annotations (their page changed and their quote
  was not found again), listed by their quote only — they are not counted among the entities;
* ``## Text`` with ``with_body``: the article.

Page text, titles and notes are untrusted, so they are escaped (:func:`escape`) to stay text in
CommonMark and in the notes apps' extensions: no heading, list, quote, link, image, autolink,
wiki-link, embed, tag, footnote, math, comment, highlight, block reference, property or HTML can
come out of them. Line breaks inside quotes and notes are written as ``\\n`` (a block quote needs
its ``>`` on each line); everything else is kept character for character.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TextIO

from reader.export.atomic import FolderWriter
from reader.export.common import ExportReport, split_placed
from reader.export.safe_names import UniqueNames, safe_name
from reader.library.records import Annotation, Document

# Characters that are markup anywhere in a line (CommonMark, GFM, Obsidian, Logseq).
_ALWAYS = re.compile(r"[\\`*_{}\[\]<>#|~&=$%^@]")
_DOUBLE_PAREN = re.compile(r"\((?=\()|(?<=\()\(")  # Logseq block references ((…))
_COLON = re.compile(r":(?=[/:])|(?<=:):")  # URL schemes (autolinks), Logseq properties key::
_WWW = re.compile(r"(?i)(?<!\w)(www)\.")  # GFM www. autolinks
_LIST = re.compile(r"^([ \t]*)([-+])")  # bullet lists, thematic breaks, setext underlines
_ORDERED = re.compile(r"^([ \t]*\d{1,9})([.)])")  # ordered lists
_LINE_END = re.compile(r"\r\n|\r|\n")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YAML_SAFE = re.compile(
    r"[^\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)


def _escape_line(line: str) -> str:
    line = _ALWAYS.sub(r"\\\g<0>", line)
    line = _DOUBLE_PAREN.sub(r"\\(", line)
    line = _COLON.sub(r"\\:", line)
    line = _WWW.sub(r"\1\\.", line)
    line = _LIST.sub(r"\1\\\2", line)
    return _ORDERED.sub(r"\1\\\2", line)


def escape(text: str) -> str:
    """``text`` as Markdown that renders as exactly this text (line breaks become ``\\n``)."""
    return "\n".join(_escape_line(line) for line in _LINE_END.split(text))


def inline(text: str) -> str:
    """``text`` escaped for one line (a heading, a list item): line breaks become spaces."""
    return _escape_line(" ".join(_LINE_END.split(text)))


def quote(text: str) -> str:
    """``text`` as a block quote, one ``>`` per line."""
    return "\n".join(f"> {line}" if line else ">" for line in escape(text).split("\n"))


def entity_stem(name: str) -> str:
    """The file-name stem of an entity's dossier, which is also its wiki-link target."""
    return safe_name(name)


def wiki_link(name: str) -> str:
    """``[[name]]`` with the characters that would break the link or the file name removed."""
    return f"[[{safe_name(name)}]]"


def _yaml_escape(match: re.Match[str]) -> str:
    ch = match.group()
    special = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\x00": "\\0"}
    if ch in special:
        return special[ch]
    cp = ord(ch)
    return f"\\x{cp:02x}" if cp < 0x100 else f"\\u{cp:04x}"


def yaml_str(value: str | None) -> str:
    """A YAML double-quoted scalar that reads back as exactly ``value`` (``null`` for None).

    Quotes and backslashes are escaped; so is everything YAML does not allow raw or would fold
    (control characters, NEL, line and paragraph separators, BOM, non-characters).
    """
    if value is None:
        return "null"
    body = value.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + _YAML_SAFE.sub(_yaml_escape, body) + '"'


def _yaml_list(values: Iterable[str], indent: str = "  ") -> str:
    items = [f"{indent}- {yaml_str(v)}\n" for v in values]
    return "\n" + "".join(items) if items else " []\n"


def entity_groups(entities: Iterable[Annotation]) -> dict[str, dict[str, list[Annotation]]]:
    """type → canonical name → mentions, each in order of first mention."""
    groups: dict[str, dict[str, list[Annotation]]] = {}
    for a in entities:
        name = a.entity or " ".join(a.text.split())
        groups.setdefault(a.type or "", {}).setdefault(name, []).append(a)
    return groups


def front_matter(doc: Document, groups: dict[str, dict[str, list[Annotation]]]) -> str:
    date = doc.date if doc.date and _ISO_DATE.match(doc.date) else yaml_str(doc.date)
    parts = [
        "---\n",
        f"title: {yaml_str(doc.title)}\n",
        f"date: {date}\n",
        f"source: {yaml_str(doc.source)}\n",
        f"dateline: {yaml_str(doc.dateline)}\n",
        f"tags:{_yaml_list(doc.tags)}",
    ]
    if groups:
        parts.append("entities:\n")
        for type_, names in groups.items():
            parts.append(f"  {yaml_str(type_)}:{_yaml_list(names, '    ')}")
    else:
        parts.append("entities: {}\n")
    parts.append(f"paths:{_yaml_list(doc.paths)}")
    parts.append(f"content_hash: {yaml_str(doc.content_hash)}\n---\n\n")
    return "".join(parts)


def _meta_line(doc: Document) -> str:
    fields = [
        (label, value)
        for label, value in (
            ("date", doc.date),
            ("source", doc.source),
            ("dateline", doc.dateline),
            ("tags", ", ".join(doc.tags) or None),
        )
        if value
    ]
    if not fields:
        return ""
    return " · ".join(f"{label}: {inline(value)}" for label, value in fields) + "\n\n"


def _label(a: Annotation) -> str:
    if a.kind == "highlight":
        return inline(a.color or "highlight")
    return f"{inline(a.type or '')}: {inline(a.entity or a.text)}"


def _quoted(a: Annotation) -> str:
    """A block quote of the annotation's text, then its label and note inside the quote."""
    tail = f"— {_label(a)}"
    if a.note:
        tail += " · " + escape(a.note).replace("\n", "\n> ")
    return f"{quote(a.text)}\n>\n> {tail}\n\n"


def note(
    doc: Document,
    *,
    wiki_links: bool = False,
    with_body: bool = False,
    front: bool = True,
    report: ExportReport | None = None,
) -> str:
    """The Markdown of one document (with front matter unless ``front`` is false)."""
    highlights, entities, orphans = split_placed(doc, report)
    groups = entity_groups(entities)
    parts = [front_matter(doc, groups)] if front else []
    parts.append(f"# {inline(doc.title) or 'Untitled'}\n\n")
    if not front:
        parts.append(_meta_line(doc))
    if highlights:
        parts.append("## Highlights\n\n")
        parts.extend(_quoted(a) for a in highlights)
    if groups:
        parts.append("## Entities\n\n")
        for type_, names in groups.items():
            parts.append(f"### {inline(type_)}\n\n")
            for name, mentions in names.items():
                shown = wiki_link(name) if wiki_links else inline(name)
                count = f"{len(mentions)} mention{'s' if len(mentions) != 1 else ''}"
                parts.append(f"- {shown} · {count}\n")
                for a in mentions:
                    if a.note:
                        text = escape(a.note).replace("\n", "\n    ")
                        parts.append(f"    - “{inline(a.text)}”: {text}\n")
            parts.append("\n")
    if orphans:
        parts.append("## No longer found in the page\n\n")
        parts.extend(_quoted(a) for a in orphans)
    if with_body and doc.body:
        parts.append("## Text\n\n")
        parts.append(escape(doc.body).rstrip("\n") + "\n\n")
    if report is not None:
        report.annotations += len(highlights) + len(entities) + len(orphans)
    return "".join(parts).rstrip("\n") + "\n"


def note_stem(title: str, doc_id: int) -> str:
    """The file-name stem of a document's note: its title, made safe."""
    return safe_name(title, fallback=f"document {doc_id}")


def write_notes(
    docs: Iterable[Document],
    folder: FolderWriter,
    report: ExportReport | None = None,
    *,
    wiki_links: bool = False,
    with_body: bool = False,
) -> None:
    """One note per document in ``folder``."""
    names = UniqueNames()
    for doc in docs:
        name = names.claim(note_stem(doc.title, doc.id), ".md")
        folder.write(name, note(doc, wiki_links=wiki_links, with_body=with_body, report=report))
        if report is not None:
            report.documents += 1


def write_single(
    docs: Iterable[Document],
    out: TextIO,
    report: ExportReport | None = None,
    *,
    wiki_links: bool = False,
    with_body: bool = False,
) -> None:
    """All documents in one Markdown file, separated by ``---`` lines."""
    first = True
    for doc in docs:
        if not first:
            out.write("\n---\n\n")
        first = False
        out.write(note(doc, wiki_links=wiki_links, with_body=with_body, front=False, report=report))
        if report is not None:
            report.documents += 1
