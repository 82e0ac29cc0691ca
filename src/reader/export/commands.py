"""The ``reader export`` and ``reader import-annotations`` commands (registered by ``reader.cli``).

Exit status as everywhere (INTERFACE.md): 0 all went well; 1 some items could not be written or
imported (each listed with its reason) but the rest was done; 2 wrong use (an unknown format,
document id or tag, an output that exists without ``--force``); 3 library problems, which
``reader.cli.main`` reports.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from reader.library.errors import UsageError
from reader.terminal import doc_id, progress_bar

if TYPE_CHECKING:
    from reader.export.common import ExportReport
    from reader.export.exchange import ImportAnnotationsReport
    from reader.library.library import Library

EXIT_OK, EXIT_PARTIAL = 0, 1
_SHOWN_FAILURES = 20

FORMAT_HELP = """formats:
  md           a folder of Markdown notes, one per document, with YAML front matter
               (--single: one file, a # heading per document); --wiki-links, --with-body
  json         W3C Web Annotation JSON-LD: exchange and backup (reader import-annotations)
  jsonl        one document a line: doccano "label" and spaCy/Prodigy "spans"
  conll        TOKEN<TAB>TAG with BIO2 tags, -DOCSTART- per document
  brat         a folder of NAME.txt/NAME.ann pairs and annotation.conf (brat, INCEpTION)
  csv          one row per annotation (cells that could run as formulas start with ')
  tickers-csv  one row per ticker row
  dossier      every passage that mentions an entity, by date and source: a folder with a
               file per entity, or one file with --entity NAME or --single

Orphaned annotations (their page changed and their text was not found again) are listed by
their quote in md, json and dossier, and left out of the span formats."""


def _print_failures(failed: list[tuple[str, str]], stream: Any) -> None:
    for what, why in failed[:_SHOWN_FAILURES]:
        print(f"  failed: {what}: {why}", file=stream)
    if len(failed) > _SHOWN_FAILURES:
        print(f"  … and {len(failed) - _SHOWN_FAILURES} more (see --json)", file=stream)


def print_export_report(report: ExportReport, stream: Any = None) -> None:
    out = stream or sys.stdout
    if report.cancelled:
        print("Export cancelled; nothing was written.", file=out)
        return
    n_files = len(report.files)
    where = f"{report.dest}" + (f" ({n_files} files)" if n_files > 1 else "")
    print(
        f"Exported {report.documents} document{'s' if report.documents != 1 else ''} and "
        f"{report.annotations} item{'s' if report.annotations != 1 else ''} as {report.format} "
        f"to {where}.",
        file=out,
    )
    if report.left_out:
        print(
            f"{report.left_out} orphaned annotation(s) were left out: their page changed and "
            "their text was not found again (`reader show ID` lists them).",
            file=out,
        )
    _print_failures(report.failed, out)


#: ``reader.export.run.FORMATS``'s names, here so that building the command line's parser does
#: not import every exporter (a test keeps the two the same).
FORMAT_NAMES = ("md", "json", "jsonl", "conll", "brat", "csv", "tickers-csv", "dossier")


def cmd_export(args: argparse.Namespace, lib: Library) -> int:
    from reader.export.loading import resolve_ids
    from reader.export.run import ExportOptions, export

    """Write annotated notes and data in one of the formats."""
    options = ExportOptions(
        single=args.single,
        with_body=args.with_body,
        wiki_links=args.wiki_links,
        entity=args.entity if args.format == "dossier" else None,
        bom=args.bom,
    )
    if args.single and args.format not in ("md", "dossier"):
        raise UsageError("--single applies to --format md and dossier only")
    if args.with_body and args.format != "md":
        raise UsageError("--with-body applies to --format md only")
    if args.wiki_links and args.format not in ("md", "dossier"):
        raise UsageError("--wiki-links applies to --format md and dossier only")
    if args.bom and not args.format.endswith("csv"):
        raise UsageError("--bom applies to --format csv and tickers-csv only")
    ids = resolve_ids(lib, ids=args.doc, tag=args.tag, entity=args.entity)
    bar, progress = progress_bar("Exporting", "doc", enabled=not args.json)
    try:
        report = export(
            lib, args.format, ids, args.output, options=options, force=args.force, progress=progress
        )
    finally:
        if bar is not None:
            bar.close()
    if args.json:
        json.dump(report.as_json(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print_export_report(report)
    return EXIT_PARTIAL if report.failed else EXIT_OK


def print_import_report(report: ImportAnnotationsReport, stream: Any = None) -> None:
    out = stream or sys.stdout
    print(
        ("Cancelled after: " if report.cancelled else "")
        + f"{report.added} annotation(s) added, {report.present} already present, "
        f"{report.tags_added} tag(s) added, {report.tags_present} already present.",
        file=out,
    )
    if report.types_added:
        print(f"New entity types: {', '.join(report.types_added)}.", file=out)
    if report.unmatched:
        n = sum(report.unmatched.values())
        print(
            f"{n} annotation(s) are for {len(report.unmatched)} page(s) this library does not "
            "have (import those pages first, then run this again):",
            file=out,
        )
        for source, count in list(report.unmatched.items())[:_SHOWN_FAILURES]:
            print(f"  unmatched: {source} ({count})", file=out)
        if len(report.unmatched) > _SHOWN_FAILURES:
            print(f"  … and {len(report.unmatched) - _SHOWN_FAILURES} more (see --json)", file=out)
    _print_failures(report.invalid, out)


def cmd_import_annotations(args: argparse.Namespace, lib: Library) -> int:
    from reader.export.exchange import import_annotations

    """Merge a `json` export into this library, matching documents by content hash."""
    bar, progress = progress_bar("Importing annotations", "item", enabled=not args.json)
    try:
        report = import_annotations(lib, args.file, progress=progress)
    finally:
        if bar is not None:
            bar.close()
    if args.json:
        json.dump(report.as_json(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print_import_report(report)
    return EXIT_OK if report.complete else EXIT_PARTIAL


def add_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add ``export`` and ``import-annotations`` to the ``reader`` command."""
    p = sub.add_parser(
        "export",
        parents=[common],
        help="write annotated notes and data (md, json, jsonl, conll, brat, csv, …)",
        description="Export documents with their highlights, entity mentions, notes and tags. "
        "Without --doc, --tag or --entity the whole library is exported; given together they "
        "narrow together. Nothing is overwritten without --force, and an interrupted export "
        "leaves no partial file. A folder format may write into an existing folder (a notes "
        "vault): other files there are left alone.",
        epilog=FORMAT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--format",
        "-f",
        required=True,
        choices=FORMAT_NAMES,
        metavar="FMT",
        help=f"one of: {', '.join(FORMAT_NAMES)} (see below)",
    )
    p.add_argument(
        "--output", "-o", required=True, metavar="PATH", help="the file or folder to write"
    )
    p.add_argument(
        "--doc",
        type=doc_id,
        action="extend",
        nargs="+",
        metavar="ID",
        help="only these documents (ids from `reader list`)",
    )
    p.add_argument("--tag", metavar="T", help="only documents with this tag")
    p.add_argument(
        "--entity",
        metavar="NAME",
        help="only documents mentioning this entity; with --format dossier, the "
        "dossier of this entity alone, in one file",
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="replace an existing output file, or files of the same names in an "
        "existing output folder",
    )
    p.add_argument(
        "--single", action="store_true", help="md, dossier: one file instead of a folder"
    )
    p.add_argument("--with-body", action="store_true", help="md: add the article text")
    p.add_argument(
        "--wiki-links",
        action="store_true",
        help="md, dossier: write entity names as [[wiki-links]] (Obsidian, Logseq)",
    )
    p.add_argument(
        "--bom",
        action="store_true",
        help="csv, tickers-csv: start with a UTF-8 byte-order mark (for Excel)",
    )
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "import-annotations",
        parents=[common],
        help="merge a json export into this library",
        description="Merge the annotations and tags of a `reader export --format json` file "
        "(W3C Web Annotation) into this library, matching documents by content hash. What is "
        "already here is not added again, so importing a file twice is harmless. Annotations "
        "for pages this library does not have are reported.",
    )
    p.add_argument("file", metavar="FILE", help="a Web Annotation JSON file")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=cmd_import_annotations)


__all__ = ["FORMAT_NAMES", "add_commands", "cmd_export", "cmd_import_annotations"]
