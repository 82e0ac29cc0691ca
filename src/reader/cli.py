"""The ``reader`` command: subcommands that call :class:`~reader.library.Library` and print.

Exit status (INTERFACE.md): 0 all went well; 1 some inputs failed but the rest was done; 2 the
command was used wrongly; 3 the library could not be opened or written. Expected failures never
print a traceback.

More subcommands live in their own modules and register themselves through
:data:`COMMAND_MODULES`: each has ``add_commands(subparsers, parent)`` that adds parsers whose
``func(args, lib) -> int`` runs the command.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reader import __version__
from reader.library.errors import LibraryError, UsageError
from reader.library.library import DEFAULT_MAX_BYTES, Library, default_library_path
from reader.library.records import HIGHLIGHT_COLORS, DocumentFilter, ImportReport
from reader.terminal import doc_id, print_json, progress_bar

#: Modules adding their own subcommands (``add_commands``); missing ones are simply absent.
COMMAND_MODULES = ["reader.export.commands", "reader.stories.commands"]

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_LIBRARY = 0, 1, 2, 3


class ArgumentParser(argparse.ArgumentParser):
    """argparse with our exit status for usage errors (2, as argparse) and no traceback."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _megabytes(text: str) -> int:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size in MB") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("the size limit must be more than 0 MB")
    return int(value * 1024 * 1024)


# ------------------------------------------------------------------------------- commands


def cmd_open(args: argparse.Namespace) -> int:
    """Open the main window (imports the folders given first, in the background)."""
    try:
        from reader.ui.app import run
    except ImportError as error:  # Qt missing libraries on a headless machine, say
        print(f"reader: the window cannot start: {error}", file=sys.stderr)
        return EXIT_LIBRARY
    return run(args.db, [os.path.abspath(f) for f in args.folders])


def print_report(report: ImportReport, stream: Any = None) -> None:
    """The human summary of an import: counts, then each refused file with its reason."""
    out = stream or sys.stdout
    parts = [
        f"{report.imported} imported",
        f"{report.updated} updated",
        f"{report.unchanged} unchanged",
        f"{report.duplicates} duplicate{'s' if report.duplicates != 1 else ''}",
        f"{len(report.failed)} failed",
        f"{len(report.skipped)} skipped",
    ]
    print(("Cancelled after: " if report.cancelled else "") + ", ".join(parts) + ".", file=out)
    if report.orphaned:
        print(
            f"{report.orphaned} annotation(s) could not be found in changed pages; they are kept "
            "and marked orphaned (`reader show ID`).",
            file=out,
        )
    for path, reason in report.failed:
        print(f"  failed:  {path}: {reason}", file=out)
    for path, reason in report.skipped:
        print(f"  skipped: {path}: {reason}", file=out)


def cmd_import(args: argparse.Namespace, lib: Library) -> int:
    """Import dump folders or single .txt pages."""
    bar, progress = progress_bar("Importing", "file", enabled=not args.json)
    try:
        from reader.stories.on_import import import_grouped  # lazily: only this command

        report = import_grouped(lib, args.paths, max_bytes=args.max_size, progress=progress)
    finally:
        if bar is not None:
            bar.close()
    if args.json:
        print_json(report.as_json())
    else:
        print_report(report)
    return EXIT_PARTIAL if report.failed else EXIT_OK


def cmd_list(args: argparse.Namespace, lib: Library) -> int:
    """List documents, optionally narrowed by a search, a tag or an entity."""
    flt = DocumentFilter(search=args.search, tag=args.tag, entity=args.entity)
    order = "relevance" if args.search else "id"
    docs = lib.list_documents(flt, order=order)
    if args.json:
        print_json([d.as_json() for d in docs])
        return EXIT_OK
    if not docs:
        print("No documents." if flt == DocumentFilter() else "No documents match.")
        return EXIT_OK
    for d in docs:
        counts = f"{d.n_tickers:>3}t {d.n_highlights:>3}h {d.n_entities:>3}e"
        meta = " ".join(x for x in (d.date or "", d.source or "") if x)
        tags = f"  [{', '.join(d.tags)}]" if d.tags else ""
        print(f"{d.id:>6}  {counts}  {meta:<20}  {d.title}{tags}")
    print(f"{len(docs)} document{'s' if len(docs) != 1 else ''}.")
    return EXIT_OK


def cmd_show(args: argparse.Namespace, lib: Library) -> int:
    """Show one document: metadata, ticker rows, body, highlights, entities, tags."""
    doc = lib.document(args.id)
    if args.json:
        print_json(doc.as_json())
        return EXIT_OK
    print(f"# {doc.title}" + (" (title derived from the text)" if doc.title_derived else ""))
    for label, value in (
        ("id", doc.id),
        ("date", doc.date),
        ("dateline", doc.dateline),
        ("source", doc.source),
        ("encoding", doc.encoding),
        ("hash", doc.content_hash),
        ("tags", ", ".join(doc.tags) or None),
    ):
        if value is not None:
            print(f"{label:>9}: {value}")
    for p in doc.paths:
        print(f"{'path':>9}: {p}")
    if doc.tickers:
        print(f"\nTickers ({len(doc.tickers)}):")
        for t in doc.tickers:
            arrow = {"up": "▲", "down": "▼", "flat": "="}[t.direction]
            print(
                f"  {t.symbol:<10} {t.kind:<5} {t.price:>12,.2f} {arrow} {t.change:>+10,.2f}"
                f" ({t.change_pct:+.2f}%)"
            )
    print()
    print(doc.body)
    for title, anns in (("Highlights", doc.highlights), ("Entities", doc.entities)):
        if anns:
            print(f"\n{title} ({len(anns)}):")
            for a in anns:
                label = a.color if a.kind == "highlight" else f"{a.type} → {a.entity}"
                flag = " ORPHANED" if a.orphaned else ""
                note = f"  — {a.note}" if a.note else ""
                print(f"  [{a.id}] {a.start}–{a.end} {label}{flag}: {a.text!r}{note}")
    return EXIT_OK


def cmd_annotate(args: argparse.Namespace, lib: Library) -> int:
    """Add a highlight or an entity mention to a document's body."""
    if args.entity:
        ann = lib.add_entity(args.id, args.start, args.end, args.entity, args.name, args.note)
        print(f"Added entity mention {ann.id}: {ann.type} {ann.entity!r} at {ann.start}–{ann.end}.")
    else:
        ann = lib.add_highlight(args.id, args.start, args.end, args.color, args.note)
        print(f"Added {ann.color} highlight {ann.id} at {ann.start}–{ann.end}: {ann.text!r}.")
    return EXIT_OK


def cmd_tag(args: argparse.Namespace, lib: Library) -> int:
    """Add tags to a document."""
    lib.tag(args.id, args.tags)
    print(f"Document {args.id} tags: {', '.join(lib.document_tags(args.id)) or '(none)'}")
    return EXIT_OK


def cmd_untag(args: argparse.Namespace, lib: Library) -> int:
    """Remove tags from a document."""
    lib.untag(args.id, args.tags)
    print(f"Document {args.id} tags: {', '.join(lib.document_tags(args.id)) or '(none)'}")
    return EXIT_OK


# --------------------------------------------------------------------------------- parser


def build_parser() -> ArgumentParser:
    common = ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        type=Path,
        default=argparse.SUPPRESS,
        help="the library file (default: $READER_DB, or library.sqlite in your user data folder)",
    )
    parser = ArgumentParser(
        prog="reader",
        description="Dump Reader: read, annotate and export folders of scraped news pages.",
        epilog="Run `reader COMMAND --help` for a command's options. "
        "Exit status: 0 ok, 1 some inputs failed, 2 wrong use, 3 library problem.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    desktop = parser.add_mutually_exclusive_group()
    desktop.add_argument(
        "--install-desktop",
        action="store_true",
        help="add Dump Reader to your desktop's application menu (this user only) and exit",
    )
    desktop.add_argument(
        "--uninstall-desktop", action="store_true", help="remove it from the menu again and exit"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=ArgumentParser)

    p = sub.add_parser(
        "open",
        parents=[common],
        help="open the main window (the default command)",
        description="Open the main window. Folders given are imported in the background first. "
        "Use `reader open FOLDER` for a folder whose name is also a command's.",
    )
    p.add_argument("folders", nargs="*", metavar="FOLDER", help="dump folders to import first")
    p.set_defaults(func=None)

    p = sub.add_parser(
        "import",
        parents=[common],
        help="import dump folders or single .txt pages",
        description="Import dump folders (recursively) or single .txt pages into the library. "
        "Unchanged files are recognised without being read; a changed file updates its "
        "document and re-anchors its annotations.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="folders or .txt files")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument(
        "--max-size",
        type=_megabytes,
        default=DEFAULT_MAX_BYTES,
        metavar="MB",
        help="refuse files larger than this many MiB (default: 50)",
    )
    p.set_defaults(func=cmd_import)

    p = sub.add_parser(
        "list",
        parents=[common],
        help="list documents",
        description="List the library's documents, optionally narrowed.",
    )
    p.add_argument("--search", metavar="Q", help="words to find in titles and bodies")
    p.add_argument("--tag", metavar="T", help="only documents with this tag")
    p.add_argument("--entity", metavar="NAME", help="only documents mentioning this entity")
    p.add_argument("--json", action="store_true", help="print a JSON array")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser(
        "show",
        parents=[common],
        help="show one document",
        description="Show one document: metadata, ticker rows, body, highlights, entities, tags.",
    )
    p.add_argument("id", type=doc_id, metavar="ID", help="the document id (see `reader list`)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser(
        "annotate",
        parents=[common],
        help="add a highlight or an entity mention",
        description="Add an annotation to a document's body. Offsets count Unicode code points "
        "of the body (as `reader show --json` prints it), end exclusive.",
    )
    p.add_argument("id", type=doc_id, metavar="ID", help="the document id")
    p.add_argument("--start", type=int, required=True, metavar="S", help="first code point")
    p.add_argument("--end", type=int, required=True, metavar="E", help="one past the last")
    kind = p.add_mutually_exclusive_group(required=True)
    kind.add_argument("--entity", metavar="TYPE", help="tag an entity mention of this type")
    kind.add_argument("--highlight", action="store_true", help="add a highlight")
    p.add_argument("--name", help="the canonical entity (default: the mention's text)")
    p.add_argument(
        "--color",
        default="yellow",
        metavar="C",
        help=f"highlight colour: {', '.join(HIGHLIGHT_COLORS)} or #rrggbb (default yellow)",
    )
    p.add_argument("--note", metavar="TEXT", help="a note on the annotation")
    p.set_defaults(func=cmd_annotate)

    for name, func, verb in (("tag", cmd_tag, "add"), ("untag", cmd_untag, "remove")):
        p = sub.add_parser(
            name,
            parents=[common],
            help=f"{verb} document tags",
            description=f"{verb.capitalize()} tags on a document.",
        )
        p.add_argument("id", type=doc_id, metavar="ID", help="the document id")
        p.add_argument("tags", nargs="+", metavar="TAG", help="tag names")
        p.set_defaults(func=func)

    for module_name in COMMAND_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name and module_name.startswith(error.name):
                continue
            raise
        module.add_commands(sub, common)
    return parser


def _subparsers(parser: argparse.ArgumentParser) -> argparse._SubParsersAction:
    return next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))


def _with_default_command(argv: list[str], commands: set[str]) -> list[str]:
    """``reader``, ``reader FOLDER`` and ``reader --db X FOLDER`` mean ``open``."""
    i = 0
    while i < len(argv):
        token = argv[i]
        if token == "--db":
            i += 2
            continue
        if token.startswith("-"):
            if token in ("-h", "--help", "--version"):
                return argv
            i += 1
            continue
        if token in commands:
            return argv
        return [*argv[:i], "open", *argv[i:]]
    return [*argv, "open"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    commands = set(_subparsers(parser).choices)
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = parser.parse_args(_with_default_command(argv, commands))
    except SystemExit as exit_:  # --help, --version, or a usage error already printed
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    if args.install_desktop or args.uninstall_desktop:
        from reader.desktop import run_command

        return run_command(uninstall=args.uninstall_desktop)
    args.db = getattr(args, "db", None) or default_library_path()
    if args.command == "open":
        return cmd_open(args)
    try:
        with Library(args.db) as lib:
            return args.func(args, lib)
    except UsageError as error:
        print(f"reader: {error}", file=sys.stderr)
        return EXIT_USAGE
    except LibraryError as error:
        print(f"reader: {error}", file=sys.stderr)
        return EXIT_LIBRARY
    except KeyboardInterrupt:
        print("reader: interrupted; everything finished before is in the library.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
