"""The window's remembered state: a small typed wrapper over ``QSettings``.

Only UI state lives here (geometry, splitters, zoom, theme, recent folders, the last document of
each library, whether the list is grouped by story); the user's data lives in the library file.
A :class:`Settings` is created in ``main()`` (or by a test, on a temporary file), never at import
time.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Literal, cast

from PySide6.QtCore import QByteArray, QSettings

Theme = Literal["system", "light", "dark"]
THEMES: tuple[Theme, ...] = ("system", "light", "dark")

MAX_RECENT = 10
ZOOM_MIN, ZOOM_MAX = -6, 16  # points added to the reading font's size


class Settings:
    """Typed access to the window's state. Every setter writes through at once."""

    def __init__(self, qsettings: QSettings) -> None:
        self._s = qsettings

    @classmethod
    def for_user(cls) -> Settings:
        """The user's settings (the platform's usual place, in INI format)."""
        return cls(
            QSettings(
                QSettings.Format.IniFormat,
                QSettings.Scope.UserScope,
                "DumpReader",
                "DumpReader",
            )
        )

    @classmethod
    def at(cls, path: str | os.PathLike[str]) -> Settings:
        """Settings kept in the INI file ``path`` (tests, portable installs)."""
        return cls(QSettings(os.fspath(path), QSettings.Format.IniFormat))

    def sync(self) -> None:
        self._s.sync()

    @property
    def tour_seen(self) -> bool:
        """Whether the Quick Tour was shown (it opens by itself only the first time)."""
        return self._s.value("help/tour_seen", False, type=bool)

    @tour_seen.setter
    def tour_seen(self, value: bool) -> None:
        self._s.setValue("help/tour_seen", bool(value))

    # -------------------------------------------------------------------------- typed access

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._s.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def _int(self, key: str, default: int) -> int:
        value = self._s.value(key, default)
        try:
            return int(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return default

    def _str(self, key: str, default: str = "") -> str:
        value = self._s.value(key, default)
        return value if isinstance(value, str) else default

    def _list(self, key: str) -> list[str]:
        value = self._s.value(key, [])
        if isinstance(value, str):  # INI files give back a one-item list as a string
            return [value] if value else []
        if isinstance(value, list):
            return [str(v) for v in value]
        return []

    # ------------------------------------------------------------------------- the settings

    @property
    def geometry(self) -> QByteArray | None:
        return self._bytes("window/geometry")

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self._s.setValue("window/geometry", value)

    def splitter_state(self, name: str) -> QByteArray | None:
        return self._bytes(f"window/splitter_{name}")

    def set_splitter_state(self, name: str, value: QByteArray) -> None:
        self._s.setValue(f"window/splitter_{name}", value)

    def header_state(self, name: str) -> QByteArray | None:
        return self._bytes(f"window/header_{name}")

    def set_header_state(self, name: str, value: QByteArray) -> None:
        self._s.setValue(f"window/header_{name}", value)

    @property
    def zoom(self) -> int:
        """Points added to the reading font's size (0 is the normal size)."""
        return max(ZOOM_MIN, min(ZOOM_MAX, self._int("reading/zoom", 0)))

    @zoom.setter
    def zoom(self, value: int) -> None:
        self._s.setValue("reading/zoom", max(ZOOM_MIN, min(ZOOM_MAX, int(value))))

    @property
    def group_by_story(self) -> bool:
        """Whether the document list gathers each story's reports under one row."""
        return self._s.value("list/group_by_story", False, type=bool)

    @group_by_story.setter
    def group_by_story(self, value: bool) -> None:
        self._s.setValue("list/group_by_story", bool(value))

    @property
    def reading_font(self) -> str:
        """``QFont.toString()`` of the font the user chose for articles, or "" for the default."""
        return self._str("reading/font")

    @reading_font.setter
    def reading_font(self, value: str) -> None:
        self._s.setValue("reading/font", value)

    @property
    def theme(self) -> Theme:
        value = self._str("window/theme", "system")
        return cast(Theme, value) if value in THEMES else "system"

    @theme.setter
    def theme(self, value: Theme) -> None:
        if value not in THEMES:
            raise ValueError(f"unknown theme {value!r}; use one of {', '.join(THEMES)}")
        self._s.setValue("window/theme", value)

    @property
    def recent_folders(self) -> list[str]:
        """Folders opened from the window, most recent first."""
        return self._list("files/recent_folders")[:MAX_RECENT]

    def add_recent_folder(self, folder: str) -> None:
        folders = [folder] + [f for f in self.recent_folders if f != folder]
        self._s.setValue("files/recent_folders", folders[:MAX_RECENT])

    def remove_recent_folder(self, folder: str) -> None:
        self._s.setValue("files/recent_folders", [f for f in self.recent_folders if f != folder])

    @staticmethod
    def _library_key(library: Path | str) -> str:
        # QSettings keys cannot hold slashes as data; a digest names the library instead.
        return hashlib.sha1(str(library).encode("utf-8")).hexdigest()[:16]

    def last_document(self, library: Path | str) -> int | None:
        """The document that was open when the window last closed on ``library``."""
        value = self._int(f"libraries/{self._library_key(library)}/last_document", 0)
        return value if value > 0 else None

    def set_last_document(self, library: Path | str, doc_id: int | None) -> None:
        self._s.setValue(f"libraries/{self._library_key(library)}/last_document", doc_id or 0)
