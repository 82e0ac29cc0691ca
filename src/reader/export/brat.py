"""``brat``: a folder of ``NAME.txt`` + ``NAME.ann`` pairs and an ``annotation.conf``.

For brat and INCEpTION (INTERFACE.md). ``NAME`` is the document id and a short safe title
(``12-japanese-foreign-minister``). ``NAME.txt`` is the body exactly — written with
``newline=""`` so not one ``\\r`` is added or lost — and the offsets in ``NAME.ann`` count its
code points (brat's own convention; note that INCEpTION counts UTF-16 units, so an emoji before a
span shifts it there by one).

``.ann`` lines::

    T1<TAB>PERSON 33 50<TAB>Yoshimasa Hayashi
    T2<TAB>PERSON 60 66;67 74<TAB>Antony Blinken      (a span across a line break)
    #1<TAB>AnnotatorNotes T2<TAB>the note

A span that crosses a line break is written as fragments ``START END;START END`` that leave the
line breaks out, and its text is the fragments' texts joined by one space, as brat checks it.
Highlights are type ``Highlight``. A note is written on one line (its line breaks become
spaces). Orphaned annotations are left out. Entity type names are written with any character
other than letters, digits, ``_`` and ``-`` replaced by ``_`` (brat type names cannot hold
spaces); an entity type called ``Highlight`` becomes ``Highlight_entity``.

``annotation.conf`` lists the entity types and ``Highlight`` and allows them to overlap (a
highlight over a mention is the usual case, which brat refuses by default).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from reader.export.atomic import FolderWriter
from reader.export.common import LINE_BREAK_RUN, ExportReport, one_line, placed
from reader.export.safe_names import UniqueNames, slug
from reader.library.records import Document

HIGHLIGHT = "Highlight"
_NOT_TYPE = re.compile(r"[^\w-]")


def brat_type(name: str | None) -> str:
    """An entity type's name as a brat type (see the module docstring)."""
    out = _NOT_TYPE.sub("_", name or "") or "Entity"
    return "Highlight_entity" if out == HIGHLIGHT else out


def fragments(body: str, start: int, end: int) -> list[tuple[int, int]]:
    """``[start, end)`` without its line breaks, as non-empty ``(start, end)`` pieces."""
    out = []
    pos = start
    for m in LINE_BREAK_RUN.finditer(body, start, end):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < end:
        out.append((pos, end))
    return out


def ann_text(doc: Document, report: ExportReport | None = None) -> str:
    """The ``.ann`` file of one document."""
    body = doc.body
    lines = []
    t = n = 0
    for ann in placed(doc, report):
        frags = fragments(body, ann.start, ann.end)
        if not frags:  # a span of nothing but line breaks has no text to show
            if report is not None:
                report.failed.append(
                    (f"document {doc.id}, annotation {ann.id}", "its text is only line breaks")
                )
            continue
        t += 1
        label = HIGHLIGHT if ann.kind == "highlight" else brat_type(ann.type)
        offsets = ";".join(f"{s} {e}" for s, e in frags)
        text = " ".join(body[s:e] for s, e in frags)
        lines.append(f"T{t}\t{label} {offsets}\t{text}\n")
        if ann.note:
            n += 1
            lines.append(f"#{n}\tAnnotatorNotes T{t}\t{one_line(ann.note)}\n")
        if report is not None:
            report.annotations += 1
    return "".join(lines)


def annotation_conf(types: Sequence[str]) -> str:
    """brat's ``annotation.conf`` for the entity types ``types`` and ``Highlight``."""
    names = list(dict.fromkeys([*(brat_type(t) for t in types), HIGHLIGHT]))
    return (
        "# Written by Dump Reader: the entity types of the exported documents, and Highlight.\n"
        "[entities]\n" + "".join(f"{name}\n" for name in names) + "\n[relations]\n"
        "# Mentions and highlights may overlap.\n"
        "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n"
        "\n[events]\n"
        "\n[attributes]\n"
    )


def base_name(doc: Document) -> str:
    return f"{doc.id}-{slug(doc.title, max_bytes=40)}"


def write_brat(
    docs: Iterable[Document],
    folder: FolderWriter,
    report: ExportReport | None = None,
    *,
    types: Sequence[str] = (),
) -> None:
    """Write the pairs of ``docs`` and ``annotation.conf`` into ``folder``.

    ``types`` are listed in ``annotation.conf`` first (the library's types, in its order), then
    any other type the documents use.
    """
    names = UniqueNames({"annotation", "visual", "tools", "kb_shortcuts"})
    used: dict[str, None] = dict.fromkeys(types)
    for doc in docs:
        stem = names.claim(base_name(doc))  # ids differ, so this only guards odd titles
        folder.write(f"{stem}.txt", doc.body)
        folder.write(f"{stem}.ann", ann_text(doc, report))
        for ann in doc.annotations:
            if ann.kind == "entity" and ann.type:
                used.setdefault(ann.type, None)
        if report is not None:
            report.documents += 1
    folder.write("annotation.conf", annotation_conf(list(used)))
