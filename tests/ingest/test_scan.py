"""Walking dump folders: filters, order, symlinks, duplicates, depth, odd names, errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import reader.ingest.scan as scan_module
from reader.ingest.scan import ScanEntry, scan

needs_symlinks = pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")


def pages(entries: list[ScanEntry]) -> list[str]:
    return [str(e.path) for e in entries if e.skipped is None]


def skipped(entries: list[ScanEntry]) -> dict[str, str]:
    return {str(e.path): e.skipped for e in entries if e.skipped is not None}


def write(path: Path, text: str = "A page.\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_folder_walk_filters_and_sorts(tmp_path):
    write(tmp_path / "b.txt")
    write(tmp_path / "a.TXT")
    write(tmp_path / "sub" / "c.txt")
    write(tmp_path / "sub" / "deeper" / "d.Txt")
    write(tmp_path / "image.png")
    write(tmp_path / ".hidden.txt")
    write(tmp_path / ".git" / "notes.txt")
    entries = list(scan([tmp_path]))
    assert pages(entries) == [
        str(tmp_path / "a.TXT"),
        str(tmp_path / "b.txt"),
        str(tmp_path / "sub" / "c.txt"),
        str(tmp_path / "sub" / "deeper" / "d.Txt"),
    ]
    assert skipped(entries) == {str(tmp_path / "image.png"): "not a .txt page"}


def test_entries_carry_size_and_mtime(tmp_path):
    path = write(tmp_path / "one.txt", "12345")
    os.utime(path, ns=(1_000_000_000, 1_600_000_000_123_456_789))
    (entry,) = scan([tmp_path])
    assert entry == ScanEntry(str(path), 5, 1_600_000_000_123_456_789)
    assert os.path.isabs(entry.path) and isinstance(entry.path, str)


def test_relative_paths_become_absolute(tmp_path, monkeypatch):
    write(tmp_path / "dump" / "x.txt")
    monkeypatch.chdir(tmp_path)
    assert pages(list(scan(["dump"]))) == [str(tmp_path / "dump" / "x.txt")]
    assert pages(list(scan(["dump/x.txt"]))) == [str(tmp_path / "dump" / "x.txt")]


def test_single_files_and_missing_paths(tmp_path):
    page = write(tmp_path / "note.txt")
    other = write(tmp_path / "note.md")
    entries = list(scan([page, other, tmp_path / "nowhere"]))
    assert pages(entries) == [str(page)]
    assert skipped(entries) == {
        str(other): "not a .txt page",
        str(tmp_path / "nowhere"): "no such file or folder",
    }


def test_an_explicit_hidden_path_is_taken(tmp_path):
    hidden = write(tmp_path / ".dump" / "x.txt")
    assert pages(list(scan([tmp_path / ".dump"]))) == [str(hidden)]


def test_duplicates_are_yielded_once(tmp_path):
    a = write(tmp_path / "a.txt")
    entries = list(scan([tmp_path, tmp_path, a]))
    assert pages(entries) == [str(a)]


def test_hard_links_are_the_same_file(tmp_path):
    a = write(tmp_path / "a.txt")
    os.link(a, tmp_path / "b.txt")
    assert pages(list(scan([tmp_path]))) == [str(a)]


@needs_symlinks
def test_symlinked_folder_is_followed_and_keeps_its_name(tmp_path):
    outside = tmp_path / "outside"
    write(outside / "far.txt")
    dump = tmp_path / "dump"
    write(dump / "near.txt")
    (dump / "linked").symlink_to(outside, target_is_directory=True)
    entries = list(scan([dump]))
    assert pages(entries) == [str(dump / "linked" / "far.txt"), str(dump / "near.txt")]


@needs_symlinks
def test_symlinked_file_reaching_a_page_already_seen(tmp_path):
    a = write(tmp_path / "a.txt")
    (tmp_path / "b.txt").symlink_to(a)
    assert pages(list(scan([tmp_path]))) == [str(a)]


@needs_symlinks
def test_symlink_loop_ends(tmp_path):
    dump = tmp_path / "dump"
    write(dump / "x.txt")
    write(dump / "sub" / "y.txt")
    (dump / "sub" / "up").symlink_to(dump, target_is_directory=True)
    (dump / "self").symlink_to(dump / "self")  # a link to itself
    entries = list(scan([dump]))
    assert pages(entries) == [str(dump / "sub" / "y.txt"), str(dump / "x.txt")]
    assert skipped(entries) == {
        str(dump / "self"): "symlink loop",
        str(dump / "sub" / "up"): "symlink loop",
    }


@needs_symlinks
def test_two_links_to_one_folder_are_not_a_loop(tmp_path):
    shared = tmp_path / "shared"
    write(shared / "s.txt")
    dump = tmp_path / "dump"
    dump.mkdir()
    (dump / "l1").symlink_to(shared, target_is_directory=True)
    (dump / "l2").symlink_to(shared, target_is_directory=True)
    entries = list(scan([dump]))
    assert pages(entries) == [str(dump / "l1" / "s.txt")]
    assert skipped(entries) == {}


@needs_symlinks
def test_broken_symlinks(tmp_path):
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing.txt")
    (tmp_path / "gone.png").symlink_to(tmp_path / "missing.png")
    entries = list(scan([tmp_path, tmp_path / "gone.txt"]))
    reason = "broken symlink (its target is missing)"
    assert skipped(entries) == {
        str(tmp_path / "gone.png"): reason,
        str(tmp_path / "gone.txt"): reason,
    }
    assert len(entries) == 3  # the broken link is reported for the walk and for the argument


def test_200_deep_folders(tmp_path):
    deep = tmp_path.joinpath(*["d"] * 200)
    write(deep / "bottom.txt")
    assert pages(list(scan([tmp_path]))) == [str(deep / "bottom.txt")]


def test_odd_file_names(tmp_path):
    names = ["with space.txt", "ünïcödé – 日本.txt", "-leading-dash.txt", "semi;colon's.txt"]
    try:
        write(tmp_path / "new\nline.txt")
        names.append("new\nline.txt")
    except OSError:
        pass  # this file system refuses newlines in names
    for name in names[:4]:
        write(tmp_path / name)
    assert sorted(pages(list(scan([tmp_path])))) == sorted(str(tmp_path / n) for n in names)


def test_unreadable_folder_does_not_stop_the_walk(tmp_path, monkeypatch):
    write(tmp_path / "a" / "one.txt")
    locked = tmp_path / "b"
    write(locked / "secret.txt")
    write(tmp_path / "c" / "three.txt")
    real_scandir = os.scandir

    def scandir(path):
        if os.fspath(path) == str(locked):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(scan_module.os, "scandir", scandir)
    entries = list(scan([tmp_path]))
    assert pages(entries) == [str(tmp_path / "a" / "one.txt"), str(tmp_path / "c" / "three.txt")]
    assert skipped(entries) == {str(locked): "cannot read folder: permission denied"}


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a non-root POSIX user")
def test_unreadable_folder_for_real(tmp_path):
    locked = tmp_path / "locked"
    write(locked / "secret.txt")
    locked.chmod(0)
    try:
        entries = list(scan([tmp_path]))
    finally:
        locked.chmod(0o755)
    assert skipped(entries) == {str(locked): "cannot read folder: permission denied"}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_is_skipped(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    assert skipped(list(scan([tmp_path]))) == {
        str(tmp_path / "pipe.txt"): "not a regular file (a device, pipe or socket)"
    }


def test_scan_is_lazy(tmp_path):
    write(tmp_path / "a.txt")
    iterator = scan([tmp_path / "nowhere", tmp_path])
    assert next(iterator).skipped == "no such file or folder"
    assert next(iterator).skipped is None
