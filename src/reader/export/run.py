"""One entry point for every export: :func:`export` (the CLI and the window both call it).

It reads the documents in batches inside one read transaction (a consistent snapshot, see
:mod:`reader.export.loading`), hands them to the format's writer, and writes through
:mod:`reader.export.atomic`, so a cancel, an error or Ctrl-C leaves nothing behind and nothing is
overwritten without ``force``. ``progress(done, total, title)`` is called after each document;
``cancel()`` is asked before each one.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from reader.export import brat, conll, dossier, jsonl, markdown, spreadsheet, webanno
from reader.export.atomic import (
    FolderWriter,
    atomic_file,
    atomic_folder,
    check_file_destination,
    check_folder_destination,
)
from reader.export.common import ExportReport, absolute
from reader.export.loading import entity_mentions, iter_documents, snapshot
from reader.library.errors import UsageError
from reader.library.records import Document

if TYPE_CHECKING:
    from reader.library.library import Library

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class ExportOptions:
    """The choices beyond format and scope; each applies to the formats named."""

    single: bool = False  # md, dossier: one file instead of a folder
    with_body: bool = False  # md: add the article text
    wiki_links: bool = False  # md, dossier: entity names (and dossier titles) as [[links]]
    entity: str | None = None  # dossier: only this entity (one file); None: each entity
    bom: bool = False  # csv, tickers-csv: a UTF-8 byte-order mark, for Excel


@dataclass(frozen=True)
class Format:
    name: str
    label: str  # for the window's format list
    extension: str  # of the file (or of the single file of a folder format)
    folder: bool  # writes a folder unless options say one file
    help: str


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("md", "Markdown notes", ".md", True, "a folder of notes (one file with --single)"),
        Format("json", "Web Annotation JSON", ".json", False, "W3C Web Annotation collection"),
        Format("jsonl", "JSON Lines (doccano, spaCy)", ".jsonl", False, "one document a line"),
        Format("conll", "CoNLL BIO2", ".conll", False, "one token a line, BIO2 tags"),
        Format("brat", "brat standoff (INCEpTION)", "", True, "a folder of .txt/.ann pairs"),
        Format("csv", "CSV of annotations", ".csv", False, "one row per annotation"),
        Format("tickers-csv", "CSV of ticker rows", ".csv", False, "one row per ticker row"),
        Format(
            "dossier",
            "Entity dossier",
            ".md",
            True,
            "every passage mentioning an entity (--entity NAME: one file)",
        ),
    )
}


class Cancelled(Exception):
    """Raised inside an export when ``cancel()`` says so; :func:`export` reports it."""


def writes_folder(fmt: str, options: ExportOptions = ExportOptions()) -> bool:
    """Whether ``fmt`` with ``options`` writes a folder (else one file)."""
    spec = _format(fmt)
    if fmt == "md":
        return not options.single
    if fmt == "dossier":
        return not (options.single or options.entity)
    return spec.folder


def _format(fmt: str) -> Format:
    try:
        return FORMATS[fmt]
    except KeyError:
        raise UsageError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}") from None


def _tracked(
    docs: Iterator[Document],
    total: int,
    progress: Progress | None,
    cancel: Callable[[], bool] | None,
) -> Iterator[Document]:
    done = 0
    for doc in docs:
        if cancel is not None and cancel():
            raise Cancelled
        yield doc
        done += 1  # noqa: SIM113 - counted after the writer is done with the document
        if progress is not None:
            progress(done, total, doc.title)


def export(
    lib: Library,
    fmt: str,
    doc_ids: Sequence[int] | None,
    dest: str | os.PathLike[str],
    *,
    options: ExportOptions = ExportOptions(),
    force: bool = False,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
) -> ExportReport:
    """Export the documents ``doc_ids`` (None: the whole library) as ``fmt`` to ``dest``.

    Raises :class:`UsageError` for an unknown format, a destination that exists without
    ``force`` (:class:`~reader.export.atomic.DestinationExists`) or a missing parent folder;
    returns a report with ``cancelled`` set when ``cancel()`` stopped it (nothing is written).
    """
    folder = writes_folder(fmt, options)  # also refuses an unknown format
    target = absolute(dest)
    if folder:
        check_folder_destination(target)
    else:
        check_file_destination(target, force)
    report = ExportReport(fmt, target)
    with snapshot(lib):
        ids = list(doc_ids) if doc_ids is not None else lib.document_ids()
        if fmt == "dossier":
            ids = entity_mentions(lib, ids, options.entity)
            if options.entity and not ids:
                raise UsageError(f"no exported document mentions {options.entity!r}")
        docs = _tracked(
            iter_documents(lib, ids, tickers=fmt == "tickers-csv", context=fmt == "json"),
            len(ids),
            progress,
            cancel,
        )
        try:
            if folder:
                with atomic_folder(target, force=force) as out_folder:
                    _write_folder(fmt, docs, out_folder, report, options, lib)
                report.files = [target / name for name in out_folder.names]
            else:
                encoding = "utf-8-sig" if options.bom and fmt.endswith("csv") else "utf-8"
                with atomic_file(target, force=force, encoding=encoding) as out:
                    _write_file(fmt, docs, out, report, options)
                report.files = [target]
        except Cancelled:
            report.cancelled = True
            report.files = []
    return report


def _write_file(
    fmt: str, docs: Iterator[Document], out: TextIO, report: ExportReport, options: ExportOptions
) -> None:
    if fmt == "json":
        webanno.write_web_annotations(docs, out, report)
    elif fmt == "jsonl":
        jsonl.write_jsonl(docs, out, report)
    elif fmt == "conll":
        conll.write_conll(docs, out, report)
    elif fmt == "csv":
        spreadsheet.write_csv(docs, out, report)
    elif fmt == "tickers-csv":
        spreadsheet.write_tickers_csv(docs, out, report)
    elif fmt == "md":
        markdown.write_single(
            docs, out, report, wiki_links=options.wiki_links, with_body=options.with_body
        )
    elif fmt == "dossier":
        found = dossier.collect(docs, options.entity, report)
        dossier.write_dossier_file(found, out, wiki_links=options.wiki_links)
    else:  # pragma: no cover - FORMATS and this switch are kept together
        raise AssertionError(fmt)


def _write_folder(
    fmt: str,
    docs: Iterator[Document],
    out_folder: FolderWriter,
    report: ExportReport,
    options: ExportOptions,
    lib: Library,
) -> None:
    if fmt == "md":
        markdown.write_notes(
            docs, out_folder, report, wiki_links=options.wiki_links, with_body=options.with_body
        )
    elif fmt == "brat":
        brat.write_brat(docs, out_folder, report, types=[t.name for t in lib.entity_types()])
    elif fmt == "dossier":
        found = dossier.collect(docs, options.entity, report)
        dossier.write_dossier_folder(found, out_folder, wiki_links=options.wiki_links)
    else:  # pragma: no cover
        raise AssertionError(fmt)


def default_name(fmt: str, options: ExportOptions = ExportOptions()) -> str:
    """A destination name to suggest in the window (``annotations.jsonl``, ``notes`` …)."""
    spec = _format(fmt)
    stem = {
        "md": "notes",
        "json": "annotations",
        "jsonl": "annotations",
        "conll": "entities",
        "brat": "brat",
        "csv": "annotations",
        "tickers-csv": "tickers",
        "dossier": "dossiers",
    }[fmt]
    return stem if writes_folder(fmt, options) else stem + spec.extension
