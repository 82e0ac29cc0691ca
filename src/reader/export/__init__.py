"""Export: annotated notes and data out of the library, and annotations back in.

One module per format, each a pure function of documents (and their annotations) writing to a
stream or a folder: :mod:`~reader.export.markdown` (``md``), :mod:`~reader.export.webanno`
(``json``), :mod:`~reader.export.jsonl`, :mod:`~reader.export.conll`, :mod:`~reader.export.brat`,
:mod:`~reader.export.spreadsheet` (``csv``, ``tickers-csv``) and :mod:`~reader.export.dossier`.
:func:`export` ties them to a library, a scope and a destination; :func:`import_annotations`
merges a ``json`` export into a library. The shapes are promised in INTERFACE.md.

Plain Python: no Qt here (the window's dialog is ``reader.ui.export_dialog``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reader.lazy import lazy_attributes

if TYPE_CHECKING:
    from reader.export.atomic import DestinationExists
    from reader.export.common import ExportReport
    from reader.export.exchange import ImportAnnotationsReport, import_annotations
    from reader.export.loading import entity_names, resolve_ids
    from reader.export.run import (
        FORMATS,
        ExportOptions,
        default_name,
        export,
        writes_folder,
    )

# Names load on first use (PEP 562): importing one submodule, or building the command line's
# parser, must not import every format and rapidfuzz with it (a tenth of a second at start).
_LAZY = {
    "DestinationExists": "reader.export.atomic",
    "ExportOptions": "reader.export.run",
    "ExportReport": "reader.export.common",
    "FORMATS": "reader.export.run",
    "ImportAnnotationsReport": "reader.export.exchange",
    "default_name": "reader.export.run",
    "entity_names": "reader.export.loading",
    "export": "reader.export.run",
    "import_annotations": "reader.export.exchange",
    "resolve_ids": "reader.export.loading",
    "writes_folder": "reader.export.run",
}


__getattr__ = lazy_attributes(__name__, _LAZY)

__all__ = [
    "FORMATS",
    "DestinationExists",
    "ExportOptions",
    "ExportReport",
    "ImportAnnotationsReport",
    "default_name",
    "entity_names",
    "export",
    "import_annotations",
    "resolve_ids",
    "writes_folder",
]
