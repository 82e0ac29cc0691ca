"""Bytes → pages: walking dump folders, decoding files, recognising page shapes.

Plain Python (never Qt): the library, the CLI and scripts call it the same way.
``scan`` finds the files, ``read_page`` / ``decode_bytes`` turn one into text (or refuse it
with a reason), ``parse_page`` splits the text into chrome and article.
"""

from reader.ingest.decode import decode_bytes, normalise, read_page
from reader.ingest.page import DecodedPage, ParsedPage, RefusedFile, TickerRow
from reader.ingest.profiles import PROFILES, parse_page
from reader.ingest.scan import ScanEntry, scan

__all__ = [
    "PROFILES",
    "DecodedPage",
    "ParsedPage",
    "RefusedFile",
    "ScanEntry",
    "TickerRow",
    "decode_bytes",
    "normalise",
    "parse_page",
    "read_page",
    "scan",
]
