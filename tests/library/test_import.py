"""Importing the fixture dump: counts, refusals, duplicates, re-import, changed files."""

from __future__ import annotations

import os
from pathlib import Path

from reader.library.library import Library
from reader.library.records import DocumentFilter


def test_import_counts_and_reasons(lib: Library, dump_dir: Path) -> None:
    report = lib.import_paths([dump_dir])
    assert report.imported == 3
    assert report.duplicates == 1  # misc/copy_of_003.txt
    assert report.updated == report.unchanged == 0
    failed = {Path(p).name: reason for p, reason in report.failed}
    assert set(failed) == {"empty.txt", "blank.txt", "picture.txt"}
    assert "empty" in failed["empty.txt"]
    assert "blank" in failed["blank.txt"]
    assert "PNG" in failed["picture.txt"]
    assert [(Path(p).name, r) for p, r in report.skipped] == [("notes.md", "not a .txt page")]
    assert all(os.path.isabs(p) for p, _ in report.failed + report.skipped)
    assert lib.count_documents() == 3
    assert lib.folders() == [str(dump_dir)]


def test_duplicate_text_is_one_document_with_both_paths(lib: Library, dump_dir: Path) -> None:
    lib.import_paths([dump_dir])
    [doc_id] = lib.document_ids(DocumentFilter(search="orchard frost"))
    doc = lib.document(doc_id)
    assert [Path(p).name for p in doc.paths] == ["003_99aa88bb77cc66dd.txt", "copy_of_003.txt"]
    assert doc.title == "Orchard growers count the cost of a late frost"
    assert not doc.title_derived


def test_same_text_other_encoding_and_newlines_is_a_duplicate(lib: Library, tmp_path: Path) -> None:
    text = "Harbour cranes idle\n\nDock workers stopped the cranes at noon on Tuesday.\n"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.TXT").write_bytes(text.replace("\n", "\r\n").encode("utf-16"))
    report = lib.import_paths([tmp_path])
    assert (report.imported, report.duplicates) == (1, 1)
    assert len(lib.document(1).paths) == 2


def test_ticker_page_fields(lib: Library, dump_dir: Path) -> None:
    lib.import_paths([dump_dir])
    [doc_id] = lib.document_ids(DocumentFilter(has_tickers=True))
    doc = lib.document(doc_id)
    assert doc.dateline == "GWADAR"
    assert doc.body.startswith("GWADAR: Harbour officials")
    assert doc.body.endswith("new freight contracts.")
    rows = {t.symbol: t for t in doc.tickers}
    assert list(rows) == ["MARLIN", "QUAYS", "TIDEL", "HARBR", "KSE100", "BKTi"]
    assert (rows["HARBR"].change, rows["HARBR"].direction) == (-1.6, "down")
    assert (rows["TIDEL"].direction, rows["TIDEL"].kind) == ("flat", "stock")
    assert (rows["KSE100"].kind, rows["KSE100"].price) == ("index", 81204.0)
    assert (rows["BKTi"].kind, rows["BKTi"].change_pct) == ("index", -0.32)
    assert lib.summaries([doc_id])[0].n_tickers == 6


def test_wire_page_fields(lib: Library, dump_dir: Path) -> None:
    lib.import_paths([dump_dir])
    [doc_id] = lib.document_ids(DocumentFilter(source="Reuters"))
    doc = lib.document(doc_id)
    assert doc.date == "2024-03-18"
    assert doc.body.startswith("Harbour officials said on Monday")
    assert doc.body.endswith("(Reuters)")
    assert doc.title_derived


def test_reimport_unchanged_reads_nothing(lib: Library, dump_dir: Path, monkeypatch) -> None:
    lib.import_paths([dump_dir])
    import reader.library.importer as importer

    real_read_page = importer.read_page
    read = []

    def spy(path, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        read.append(Path(path).name)
        return real_read_page(path, *args, **kwargs)

    monkeypatch.setattr(importer, "read_page", spy)
    report = lib.import_paths([dump_dir])
    # Refused files are tried again (the user may have fixed them); no page is read twice.
    assert sorted(read) == ["blank.txt", "empty.txt", "picture.txt"]
    assert report.unchanged == 4  # three documents and the duplicate path
    assert report.imported == report.updated == report.duplicates == 0


def test_touched_but_same_text_is_unchanged(lib: Library, dump_dir: Path) -> None:
    lib.import_paths([dump_dir])
    page = dump_dir / "003_99aa88bb77cc66dd.txt"
    os.utime(page, ns=(1, 1))
    report = lib.import_paths([page])
    assert (report.unchanged, report.updated) == (1, 0)
    again = lib.import_paths([page])  # the new time is remembered: not read again
    assert again.unchanged == 1


def _rewrite(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_changed_file_updates_document_and_reanchors(lib: Library, dump_dir: Path) -> None:
    lib.import_paths([dump_dir])
    [doc_id] = lib.document_ids(DocumentFilter(has_tickers=True))
    body = lib.body(doc_id)
    start = body.index("Selma Durrani")
    person = lib.add_entity(doc_id, start, start + len("Selma Durrani"), "PERSON")
    w = body.index("forty ships a month")
    hl = lib.add_highlight(doc_id, w, w + len("forty ships a month"), "green", note="capacity")
    gone = body.index("monsoon")
    lost = lib.add_highlight(doc_id, gone, gone + len("monsoon"))

    page = dump_dir / "001_a1b2c3d4e5f60718.txt"
    _rewrite(page, "GWADAR: Harbour", "GWADAR: Senior harbour")
    _rewrite(page, "before the monsoon", "before the rains")
    _rewrite(page, "forty ships a month", "forty-one ships a month")
    report = lib.import_paths([dump_dir])
    assert (report.updated, report.imported) == (1, 0)
    assert report.orphaned == 1

    new_body = lib.body(doc_id)
    anns = {a.id: a for a in lib.annotations(doc_id)}
    assert len(anns) == 3  # nothing dropped
    moved = anns[person.id]
    assert new_body[moved.start : moved.end] == "Selma Durrani" and not moved.orphaned
    fuzzy = anns[hl.id]
    assert not fuzzy.orphaned and fuzzy.note == "capacity"
    assert "ships a month" in new_body[fuzzy.start : fuzzy.end]
    assert anns[lost.id].orphaned and anns[lost.id].text == "monsoon"


def test_changed_file_with_other_paths_becomes_new_document(lib: Library, dump_dir: Path) -> None:
    lib.import_paths([dump_dir])
    [doc_id] = lib.document_ids(DocumentFilter(search="orchard"))
    lib.add_highlight(doc_id, 0, 5)
    _rewrite(dump_dir / "misc" / "copy_of_003.txt", "late frost", "late hailstorm")
    report = lib.import_paths([dump_dir])
    assert (report.imported, report.updated) == (1, 0)
    old = lib.document(doc_id)
    assert [Path(p).name for p in old.paths] == ["003_99aa88bb77cc66dd.txt"]
    assert len(old.highlights) == 1
    [new_id] = lib.document_ids(DocumentFilter(search="hailstorm"))
    assert [Path(p).name for p in lib.document(new_id).paths] == ["copy_of_003.txt"]


def test_cancel_leaves_a_consistent_library(lib: Library, tmp_path: Path) -> None:
    for i in range(30):
        (tmp_path / f"{i:03}.txt").write_text(f"Page {i} headline\n\nBody number {i}.\n")
    calls = []

    def cancel() -> bool:
        calls.append(1)
        return len(calls) > 10

    report = lib.import_paths([tmp_path], cancel=cancel)
    assert report.cancelled and report.imported == 10
    assert lib.count_documents() == 10
    rest = lib.import_paths([tmp_path])
    assert (rest.imported, rest.unchanged) == (20, 10)


def test_missing_path_is_reported_and_rest_goes_on(lib: Library, dump_dir: Path) -> None:
    report = lib.import_paths([dump_dir / "nope", dump_dir / "wire"])
    assert report.imported == 1
    assert [Path(p).name for p, _ in report.failed] == ["nope"]


def test_max_size(lib: Library, tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text("Big page\n\n" + "word " * 300_000)
    report = lib.import_paths([tmp_path], max_bytes=1024 * 1024)
    assert report.imported == 0
    [(path, reason)] = report.failed
    assert "limit" in reason and "--max-size" in reason
