"""Tiny fictional dump pages for the annotate tests, imported into the temporary ``lib``.

The pages are invented for these tests. They mix the three page shapes the profiles know (a
ticker page, a titled article, a dated wire story) with emoji (outside the BMP: one code point,
two UTF-16 units) and an Urdu name, so every span test also checks code-point exactness.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.library.library import Library

PAGES = {
    "ticker.txt": (
        "MARLIN 42.10 Increased By ▲ 0.35 (0.84%)\n"
        "HARBR 118.40 Decreased By ▼ 1.60 (-1.33%)\n"
        "KSE100 81,204 Increased By 212.5 (0.26%)\n"
        "\n"
        "GWADAR: Minister Selma Durrani said the Gwadar Port Authority would add a berth. "
        "Shares of HARBR fell while MARLIN rose; HARBRX is not a symbol.\n"
        "\n"
        "Selma Durrani spoke again.\n"
        "\n"
        "Comments\n\nComments are closed.\n"
    ),
    "urdu.txt": (
        "Harbour talks 😀 continue\n"
        "\n"
        "The minister عمران خان met Selma Durrani 😀 in Gwadar. Later عمران خان said the 😀 "
        "Gwadar Port Authority was ready. عمرانِ is glued to a mark.\n"
    ),
    "wire.txt": (
        " date 2024-03-18 Selma Durrani said Selma Durranis and selma durrani are not her. "
        "(Reuters)\n"
    ),
}


def write_pages(folder: Path, pages: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in pages.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def docs(lib: Library, tmp_path: Path) -> dict[str, int]:
    """Import :data:`PAGES`; map each file's stem (``ticker``, ``urdu``, ``wire``) to its id."""
    folder = write_pages(tmp_path / "pages", PAGES)
    report = lib.import_paths([folder])
    assert report.imported == len(PAGES), report.as_json()
    out = {}
    for doc_id in lib.document_ids():
        [path] = lib.paths(doc_id)
        out[Path(path).stem] = doc_id
    return out


def span(lib: Library, doc_id: int, text: str, nth: int = 0) -> tuple[int, int]:
    """The ``nth`` occurrence of ``text`` in a body, as code-point offsets."""
    body = lib.body(doc_id)
    start = -1
    for _ in range(nth + 1):
        start = body.index(text, start + 1)
    return start, start + len(text)
