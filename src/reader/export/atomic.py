"""Writing export files so that a cancel, an error or a crash never leaves half a file behind.

A single file is written to a temporary name in the destination's own folder (so the final
``os.replace`` is a rename within one file system, which is atomic), flushed and fsynced, then
renamed over the destination. A folder export is built in a temporary folder and then moved into
place: renamed as a whole when the destination does not exist, or file by file into an existing
folder (an Obsidian vault, say) whose other files are left alone. On any exception, including
``KeyboardInterrupt`` and a cancel, the temporary file or folder is removed and the destination is
as it was.

Data reach the disk before the rename makes them visible (``fsync`` for a file; one
``os.sync()`` for a folder's many files, where the platform has it). Files are opened with
``newline=""``: what the exporters write is what lands on disk, on every
platform (no ``\\n`` → ``\\r\\n`` translation, no ``\\r`` dropped). Temporary names start with a dot
so notes apps and file managers hide them while they exist.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from reader.library.errors import UsageError

BUFFER = 1 << 20


class DestinationExists(UsageError):
    """The destination exists and overwriting it was not allowed (``--force`` / the window asks)."""


def _temp_sibling(path: Path, suffix: str = ".tmp") -> Path:
    return path.parent / f".{path.name}.{secrets.token_hex(4)}{suffix}"


def _fsync_dir(folder: Path) -> None:
    """Make a rename durable (POSIX); folders cannot be opened this way on Windows."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def open_new_text(path: Path, encoding: str = "utf-8") -> TextIO:
    """Open a file that must not exist yet for writing text exactly as given (``newline=""``).

    ``O_EXCL`` refuses to follow a planted symlink or clobber a file; the mode 0o666 lets the
    umask decide permissions, as for any file the user creates (``mkstemp`` would make it 0o600).
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    # A large buffer: an export of 100,000 documents makes 2,000 system calls, not 50,000.
    return open(fd, "w", encoding=encoding, newline="", buffering=BUFFER)  # noqa: SIM115


def check_file_destination(dest: Path, force: bool) -> None:
    """Refuse a destination that cannot take a file: a folder, or an existing file without force."""
    if dest.is_dir():
        raise DestinationExists(f"{dest} is a folder; this format writes one file")
    if (dest.exists() or dest.is_symlink()) and not force:
        raise DestinationExists(f"{dest} exists; use --force to replace it")
    if not dest.parent.is_dir():
        raise UsageError(f"the folder {dest.parent} does not exist")


@contextlib.contextmanager
def atomic_file(dest: Path, *, force: bool = False, encoding: str = "utf-8") -> Iterator[TextIO]:
    """Yield a text stream; on a clean exit its content becomes ``dest`` in one rename."""
    dest = Path(os.path.abspath(dest))
    check_file_destination(dest, force)
    tmp = _temp_sibling(dest)
    out = open_new_text(tmp, encoding)
    try:
        yield out
        out.flush()
        os.fsync(out.fileno())
        out.close()
        if (dest.exists() or dest.is_symlink()) and not force:  # appeared while we wrote
            raise DestinationExists(f"{dest} exists; use --force to replace it")
        os.replace(tmp, dest)
    except BaseException:
        out.close()
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(dest.parent)


class FolderWriter:
    """Collects the files of a folder export in a staging folder; :meth:`commit` moves them.

    Use through :func:`atomic_folder`. ``open(name)`` takes a plain file name (from
    :mod:`reader.export.safe_names`), never a path.
    """

    def __init__(self, staging: Path, encoding: str) -> None:
        self.staging = staging
        self.encoding = encoding
        self.names: list[str] = []

    @contextlib.contextmanager
    def open(self, name: str) -> Iterator[TextIO]:
        """A new file in the export, flushed to disk when the block ends."""
        if not name or name in (".", "..") or "/" in name or os.sep in name:
            raise ValueError(f"not a plain file name: {name!r}")
        self.names.append(name)
        with open_new_text(self.staging / name, self.encoding) as out:
            yield out
            out.flush()
            if not hasattr(os, "sync"):  # else one os.sync() at commit does them all
                os.fsync(out.fileno())

    def write(self, name: str, text: str) -> None:
        with self.open(name) as out:
            out.write(text)


def check_folder_destination(dest: Path) -> None:
    if dest.exists() and not dest.is_dir():
        raise DestinationExists(f"{dest} exists and is not a folder; this format writes a folder")
    if not dest.exists() and not dest.parent.is_dir():
        raise UsageError(f"the folder {dest.parent} does not exist")


@contextlib.contextmanager
def atomic_folder(
    dest: Path, *, force: bool = False, encoding: str = "utf-8"
) -> Iterator[FolderWriter]:
    """Yield a :class:`FolderWriter`; on a clean exit its files land in ``dest``.

    A new ``dest`` appears whole, in one rename. Into an existing folder the files are moved one
    by one; a file of the same name is replaced only with ``force`` — without it the export
    fails before anything is moved, naming the clashes. Other files in the folder are never
    touched, so exporting into a notes vault cannot delete notes.
    """
    dest = Path(os.path.abspath(dest))
    check_folder_destination(dest)
    existing = dest.is_dir()
    staging = _temp_sibling(dest / "export" if existing else dest)
    staging.mkdir()
    try:
        writer = FolderWriter(staging, encoding)
        yield writer
        if hasattr(os, "sync"):
            # One flush of everything instead of an fsync per file: 100,000 notes would
            # otherwise take minutes of fsyncs on an ordinary disk.
            os.sync()
        if not existing and not dest.exists():
            os.rename(staging, dest)
            _fsync_dir(dest.parent)
            return
        clashes = [n for n in writer.names if (dest / n).exists() or (dest / n).is_symlink()]
        if clashes and not force:
            more = f" and {len(clashes) - 3} more" if len(clashes) > 3 else ""
            shown = ", ".join(clashes[:3]) + more
            raise DestinationExists(
                f"{dest} already has {len(clashes)} of the files this export writes ({shown}); "
                "use --force to replace them"
            )
        for name in writer.names:
            if (dest / name).is_dir() and not (dest / name).is_symlink():
                raise DestinationExists(f"{dest / name} is a folder; it is left alone")
        for name in writer.names:
            os.replace(staging / name, dest / name)
        _fsync_dir(dest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
