"""``jsonl``: one document a line, for doccano (``label``) and Prodigy/spaCy-style (``spans``).

Each line is ``{"id", "text", "label": [[start, end, TYPE], …], "spans": [{"start", "end",
"label", "text"}], "highlights": [{"start", "end", "color", "note", "text"}], "meta": {"title",
"date", "source", "dateline", "tags", "paths", "content_hash"}}`` (INTERFACE.md). ``text`` is the
body exactly; offsets are code points (Python string indices), end exclusive, so
``text[start:end] == span["text"]`` holds for every span, emoji and all. Orphaned annotations
are left out (see :mod:`reader.export.common`).

The JSON is UTF-8, not ``\\u``-escaped, so the file stays readable in Urdu. ``json`` already
escapes ``\\n`` and ``\\r``; U+0085, U+2028 and U+2029 are escaped too, because readers that
split lines with ``str.splitlines`` (or JavaScript's line terminators) would otherwise cut a
record in two.
"""

from __future__ import annotations

from collections.abc import Iterable
from json.encoder import encode_basestring as _quote  # the C encoder json.dumps uses
from typing import TextIO

from reader.export.common import ExportReport, broken, placed
from reader.library.records import Document

_UNSAFE = (("\u0085", "\\u0085"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def record(doc: Document, report: ExportReport | None = None) -> dict:
    """The JSON object of one line (:func:`line` writes exactly ``json.dumps`` of it)."""
    body = doc.body
    label: list[list] = []
    spans: list[dict] = []
    highlights: list[dict] = []
    for a in placed(doc, report):
        s, e = a.start, a.end
        if a.kind == "entity":
            label.append([s, e, a.type])
            spans.append({"start": s, "end": e, "label": a.type, "text": body[s:e]})
        else:
            highlights.append(
                {"start": s, "end": e, "color": a.color, "note": a.note, "text": body[s:e]}
            )
    if report is not None:
        report.annotations += len(spans) + len(highlights)
    return {
        "id": doc.id,
        "text": body,
        "label": label,
        "spans": spans,
        "highlights": highlights,
        "meta": {
            "title": doc.title,
            "date": doc.date,
            "source": doc.source,
            "dateline": doc.dateline,
            "tags": list(doc.tags),
            "paths": list(doc.paths),
            "content_hash": doc.content_hash,
        },
    }


def _q(value: str | None) -> str:
    return "null" if value is None else _quote(value)


def line(doc: Document, report: ExportReport | None = None) -> str:
    """One line of the file, ``\n`` included: ``json.dumps(record(doc), ensure_ascii=False)``.

    Composed directly with the json module's own C string encoder instead of building the
    dicts and walking them again: half the time of ``record`` + ``json.dumps`` on a large export,
    the same text to the byte (a test compares the two). It applies the rules of
    :func:`~reader.export.common.placed` inline: orphans left out, damaged records reported.
    """
    body = doc.body
    size = len(body)
    labels: list[str] = []
    spans: list[str] = []
    highlights: list[str] = []
    for a in doc.annotations:
        s = a.start
        e = a.end
        if a.orphaned:
            if report is not None:
                report.left_out += 1
            continue
        text = body[s:e]
        if text != a.text or not 0 <= s < e <= size:
            if report is not None:
                report.failed.append((f"document {doc.id}, annotation {a.id}", broken(doc, a)))
            continue
        if a.kind == "entity":
            t = _q(a.type)
            labels.append(f"[{s}, {e}, {t}]")
            spans.append(f'{{"start": {s}, "end": {e}, "label": {t}, "text": {_quote(text)}}}')
        else:
            highlights.append(
                f'{{"start": {s}, "end": {e}, "color": {_q(a.color)}, "note": {_q(a.note)},'
                f' "text": {_quote(text)}}}'
            )
    if report is not None:
        report.annotations += len(spans) + len(highlights)
    text = (
        f'{{"id": {doc.id}, "text": {_quote(body)}, "label": [{", ".join(labels)}],'
        f' "spans": [{", ".join(spans)}], "highlights": [{", ".join(highlights)}],'
        f' "meta": {{"title": {_q(doc.title)}, "date": {_q(doc.date)},'
        f' "source": {_q(doc.source)}, "dateline": {_q(doc.dateline)},'
        f' "tags": [{", ".join(map(_quote, doc.tags))}],'
        f' "paths": [{", ".join(map(_quote, doc.paths))}],'
        f' "content_hash": {_q(doc.content_hash)}}}}}'
    )
    for raw, escaped in _UNSAFE:
        if raw in text:
            text = text.replace(raw, escaped)
    return text + "\n"


def write_jsonl(docs: Iterable[Document], out: TextIO, report: ExportReport | None = None) -> None:
    """Write one line per document to ``out`` (opened with ``newline=""``)."""
    write = out.write
    for doc in docs:
        write(line(doc, report))
        if report is not None:
            report.documents += 1
