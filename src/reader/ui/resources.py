"""The bundled resources (icons, the sample dump), looked up by one function.

Resources are plain files next to the package (``reader/resources``), found relative to
``reader.__file__`` so they work from a checkout, an installed wheel and a PyInstaller bundle
alike. :func:`resource_path` fails loudly on a name it does not know: a typo or a file missing
from a package is a bug to see at once, not an empty icon.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from PySide6.QtGui import QIcon

import reader
from reader import APP_ID

#: The names the window uses, mapped to paths inside ``reader/resources``.
RESOURCES: dict[str, str] = {
    "sample_dump": "sample_dump",
    "app_icon.svg": f"icons/{APP_ID}.svg",
    "app_icon_sizes": "icons/hicolor",
}


def resources_dir() -> Path:
    return Path(reader.__file__).parent / "resources"


def resource_path(name: str) -> Path:
    """The file or folder of the resource ``name`` (a key of :data:`RESOURCES`).

    Raises ``KeyError`` for an unknown name and ``FileNotFoundError`` when the package lacks
    the file.
    """
    try:
        relative = RESOURCES[name]
    except KeyError:
        raise KeyError(
            f"unknown resource {name!r}; known resources: {', '.join(sorted(RESOURCES))}"
        ) from None
    path = resources_dir().joinpath(*PurePosixPath(relative).parts)
    if not path.exists():
        raise FileNotFoundError(f"the resource {name!r} is missing: {path} does not exist")
    return path


def app_icon_files() -> list[Path]:
    """The application icon: the SVG and every bitmap size of the hicolor tree."""
    files = [resource_path("app_icon.svg")]
    files += sorted(resource_path("app_icon_sizes").glob(f"*/apps/{APP_ID}.png"))
    return files


def app_icon() -> QIcon:
    """The application icon at every size the package ships (call once a QApplication exists)."""
    icon = QIcon()
    for path in app_icon_files():
        icon.addFile(str(path))
    return icon
