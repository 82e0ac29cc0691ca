"""Bytes → pages: walking dump folders, decoding files, recognising page shapes.

Plain Python (never Qt), used the same way by the library, the CLI and scripts:
``scan.scan`` finds the files, ``decode.read_page`` / ``decode.decode_bytes`` turn one into
text (or refuse it with a reason), ``profiles.parse_page`` splits the text into chrome and
article; ``page`` holds the values they produce. Import from those modules: this package
re-exports nothing, so ``reader.ingest.scan`` is always the module, never the function.
"""
