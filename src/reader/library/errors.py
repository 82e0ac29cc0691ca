"""Expected failures of the library file, each with a message a person can act on.

These are a different class from bugs: the CLI turns them into exit status 3 and a message, the
window into a dialog. Anything else that escapes is a bug and is allowed to look like one.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


class LibraryError(Exception):
    """The library file could not be opened or written. ``str(error)`` is for people."""


class LibraryLocked(LibraryError):
    pass


class LibraryReadOnly(LibraryError):
    pass


class LibraryCorrupt(LibraryError):
    pass


class LibraryTooNew(LibraryError):
    pass


class LibraryDiskFull(LibraryError):
    pass


class UsageError(ValueError):
    """The caller asked for something that does not exist or cannot be (exit status 2)."""


def classify(error: sqlite3.Error, path: Path | str) -> LibraryError:
    """Turn an sqlite3 error into the :class:`LibraryError` that says what to do about it."""
    code = getattr(error, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(error).lower()
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "locked" in text:
        return LibraryLocked(
            f"The library {path} is locked by another program (another Dump Reader window or "
            "command is writing to it). Close it or wait for it to finish, then try again."
        )
    if primary == sqlite3.SQLITE_READONLY or "readonly" in text or "read-only" in text:
        return LibraryReadOnly(
            f"The library {path} cannot be written (the file or its folder is read-only). "
            "Make it writable, or pick another library with --db PATH or READER_DB."
        )
    if primary == sqlite3.SQLITE_FULL or "disk is full" in text or "disk full" in text:
        return LibraryDiskFull(
            f"The disk holding the library {path} is full; nothing was lost, but the last change "
            "was not saved. Free some space and try again."
        )
    if (
        primary in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT)
        or "not a database" in text
        or ("malformed" in text)
    ):
        return LibraryCorrupt(
            f"The library {path} is damaged or is not a Dump Reader library. Restore it from a "
            "backup (a copy named *.bak-v* is made before each upgrade), or pick another file "
            "with --db PATH or READER_DB."
        )
    if primary in (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_PERM) or (
        "unable to open" in text
    ):
        return LibraryError(
            f"The library {path} could not be opened or written ({error}). Check that its folder "
            "exists and is writable and that the disk is healthy."
        )
    return LibraryError(f"The library {path} could not be used: {error}.")
