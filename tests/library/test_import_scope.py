"""What an import loads of the library: only the paths under its folders, hashes on demand."""

from __future__ import annotations

from pathlib import Path

from reader.library import importer
from reader.library.library import Library


def _page(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def _pages(folder: Path, n: int, tag: str) -> None:
    for i in range(n):
        _page(folder, f"{i}.txt", f"{tag} report {i}\n\nThe {tag} desk filed story number {i}.\n")


def test_known_paths_are_those_under_the_roots(lib: Library, tmp_path: Path) -> None:
    for name in ("dump", "dump2", "dump-old"):
        _pages(tmp_path / name, 2, name)
    _page(tmp_path / "dump" / "deep" / "er", "x.txt", "Deep page\n\nA page two folders down.\n")
    lib.import_paths([tmp_path])
    known = importer._known_paths(lib.conn, [tmp_path / "dump"])
    assert sorted(Path(p).relative_to(tmp_path).as_posix() for p in known) == [
        "dump/0.txt",
        "dump/1.txt",
        "dump/deep/er/x.txt",
    ]
    single = tmp_path / "dump2" / "1.txt"
    assert list(importer._known_paths(lib.conn, [single])) == [str(single)]


def test_small_import_into_a_larger_library_finds_its_duplicates(
    lib: Library, tmp_path: Path
) -> None:
    _pages(tmp_path / "a", 6, "harbour")
    assert lib.import_paths([tmp_path / "a"], workers=0).imported == 6
    copy = (tmp_path / "a" / "3.txt").read_text(encoding="utf-8")
    _page(tmp_path / "b", "copy.txt", copy)  # the same text as a/3.txt
    _page(tmp_path / "b", "new.txt", "Tram vote\n\nThe council voted for the tram.\n")
    _page(tmp_path / "b", "new-again.txt", "Tram vote\n\nThe council voted for the tram.\n")
    report = lib.import_paths([tmp_path / "b"], workers=0)  # 3 files, 6 documents: on demand
    assert (report.imported, report.duplicates) == (1, 2)
    assert lib.count_documents() == 7
    both = {Path(p).name: d for d in lib.document_ids() for p in lib.paths(d)}
    assert both["3.txt"] == both["copy.txt"] and both["new.txt"] == both["new-again.txt"]
    again = lib.import_paths([tmp_path / "a", tmp_path / "b"], workers=0)
    assert again.unchanged == 9 and again.imported == again.duplicates == 0


def test_a_changed_file_in_a_large_library_keeps_its_document(
    lib: Library, tmp_path: Path
) -> None:
    _pages(tmp_path / "a", 6, "harbour")
    lib.import_paths([tmp_path / "a"], workers=0)
    page = tmp_path / "a" / "2.txt"
    before = lib.document_ids()
    page.write_text("harbour report 2\n\nThe desk filed a corrected story.\n", encoding="utf-8")
    report = lib.import_paths([page], workers=0)  # one file, six documents: on demand
    assert report.updated == 1 and lib.document_ids() == before
