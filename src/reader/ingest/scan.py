"""Walking dump folders: which files are pages, safely and in a stable order.

The walk uses ``os.scandir`` with an explicit stack (no recursion limit, so 200-deep folders
are fine), visits names in sorted order (the same folder gives the same order on every run and
platform), follows symlinked folders but remembers every folder visited by ``(st_dev, st_ino)``
so a loop ends, and yields each file once however many names or links reach it. Problems are
yielded as skipped entries with a reason; nothing in a folder stops the walk of the rest.

Hidden names (starting with ".") met while walking are ignored without a word: they are
``.git``, ``.DS_Store`` and editors' files, not pages. A path the user names explicitly is
taken even if hidden.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

__all__ = ["ScanEntry", "is_page_name", "scan"]

NOT_A_PAGE = "not a .txt page"
NO_SUCH_PATH = "no such file or folder"
BROKEN_SYMLINK = "broken symlink (its target is missing)"
SYMLINK_LOOP = "symlink loop"
NOT_REGULAR = "not a regular file (a device, pipe or socket)"


@dataclass(frozen=True)
class ScanEntry:
    """One file met by :func:`scan`.

    ``path`` is absolute but not symlink-resolved: the name the user knows. It is a ``str``, not
    a ``Path``: building 100,000 ``Path`` objects was a fifth of a re-import's time. ``size`` and
    ``mtime_ns`` come from the file the name leads to (symlinks followed); they are 0 for a
    skipped entry when there is nothing (or no need) to stat. ``skipped`` is None for a page to
    import, else a reason for people ("not a .txt page", "symlink loop", …).
    """

    path: str
    size: int
    mtime_ns: int
    skipped: str | None = None


def is_page_name(name: str) -> bool:
    """Whether a file name is a page's: ``.txt`` in any case."""
    return name[-4:].lower() == ".txt"


# A chain of the folders above the one being walked: (key, parent chain) or None.
_Ancestry = tuple[tuple[int, int], "_Ancestry"] | None


def scan(paths: Iterable[str | os.PathLike[str]]) -> Iterator[ScanEntry]:
    """Yield an entry for every file under ``paths`` (folders walked, files taken as they are).

    Yields pages (``skipped is None``), and skipped entries for other files, broken symlinks,
    symlink loops, missing paths and unreadable folders. The same file reached twice (two
    arguments, a symlink, a hard link) is yielded once, at its first name.
    """
    seen_files: set[tuple[int, int]] = set()
    seen_dirs: set[tuple[int, int]] = set()
    for given in paths:
        path = os.path.abspath(os.fspath(given))
        try:
            st = os.stat(path)
        except OSError as exc:
            yield _skipped(path, _stat_error(path, exc))
            continue
        if stat.S_ISDIR(st.st_mode):
            key = (st.st_dev, st.st_ino)
            if key not in seen_dirs:
                seen_dirs.add(key)
                yield from _walk(path, (key, None), seen_dirs, seen_files)
        else:
            entry = _file_entry(path, os.path.basename(path), st, seen_files)
            if entry is not None:
                yield entry


def _walk(
    root: str,
    ancestry: _Ancestry,
    seen_dirs: set[tuple[int, int]],
    seen_files: set[tuple[int, int]],
) -> Iterator[ScanEntry]:
    """Depth-first walk in name order, with a stack of (sorted entries, next index, ancestry)."""
    listing = _list(root)
    if isinstance(listing, ScanEntry):
        yield listing
        return
    stack: list[tuple[list[os.DirEntry[str]], int, _Ancestry]] = [(listing, 0, ancestry)]
    while stack:
        entries, i, ancestry = stack[-1]
        if i == len(entries):
            stack.pop()
            continue
        stack[-1] = (entries, i + 1, ancestry)
        entry = entries[i]
        if entry.name.startswith("."):
            continue
        try:
            is_dir = entry.is_dir()  # follows symlinks
        except OSError:
            is_dir = False
        if is_dir:
            try:
                st = entry.stat()
            except OSError as exc:
                yield _skipped(entry.path, _stat_error(entry.path, exc))
                continue
            key = (st.st_dev, st.st_ino)
            if key in seen_dirs:
                if entry.is_symlink() and _in_ancestry(key, ancestry):
                    yield _skipped(entry.path, SYMLINK_LOOP)
                continue  # a folder already walked through another name
            seen_dirs.add(key)
            listing = _list(entry.path)
            if isinstance(listing, ScanEntry):
                yield listing
            else:
                stack.append((listing, 0, (key, ancestry)))
            continue
        if not is_page_name(entry.name):
            # No stat for ordinary non-pages (a folder of images costs nothing); a symlink is
            # checked so that a broken one or a loop is reported as what it is.
            yield _skipped(
                entry.path, _link_problem(entry.path) if entry.is_symlink() else NOT_A_PAGE
            )
            continue
        try:
            st = entry.stat()
        except OSError as exc:
            yield _skipped(entry.path, _stat_error(entry.path, exc))
            continue
        found = _file_entry(entry.path, entry.name, st, seen_files)
        if found is not None:
            yield found


def _list(folder: str) -> list[os.DirEntry[str]] | ScanEntry:
    """A folder's entries sorted by name, or a skipped entry saying why it cannot be read."""
    try:
        with os.scandir(folder) as it:
            return sorted(it, key=lambda e: e.name)
    except PermissionError:
        return _skipped(folder, "cannot read folder: permission denied")
    except OSError as exc:
        return _skipped(folder, f"cannot read folder: {(exc.strerror or str(exc)).lower()}")


def _file_entry(
    path: str, name: str, st: os.stat_result, seen_files: set[tuple[int, int]]
) -> ScanEntry | None:
    """The entry for a file that exists; None when this file was already yielded."""
    if not stat.S_ISREG(st.st_mode):
        return _skipped(path, NOT_REGULAR)
    if not is_page_name(name):
        return ScanEntry(path, st.st_size, st.st_mtime_ns, NOT_A_PAGE)
    key = (st.st_dev, st.st_ino)
    if key in seen_files:
        return None
    seen_files.add(key)
    return ScanEntry(path, st.st_size, st.st_mtime_ns)


def _link_problem(path: str) -> str:
    """Why a symlink that is not a page is skipped: broken, a loop, or just not a page."""
    try:
        os.stat(path)
    except OSError as exc:
        return _stat_error(path, exc)
    return NOT_A_PAGE


def _in_ancestry(key: tuple[int, int], ancestry: _Ancestry) -> bool:
    while ancestry is not None:
        if ancestry[0] == key:
            return True
        ancestry = ancestry[1]
    return False


def _stat_error(path: str, exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return SYMLINK_LOOP
    if exc.errno == errno.ENOENT:
        return BROKEN_SYMLINK if os.path.islink(path) else NO_SUCH_PATH
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "cannot read: permission denied"
    return f"cannot read: {(exc.strerror or str(exc)).lower()}"


def _skipped(path: str, reason: str) -> ScanEntry:
    return ScanEntry(path, 0, 0, reason)
