"""Desktop integration: put the launcher, the icons and the metainfo into the user's XDG folders.

``reader --install-desktop`` copies, under ``$XDG_DATA_HOME`` (default ``~/.local/share``):

* ``applications/<APP_ID>.desktop``, with ``Exec=`` pointing at the absolute path of the
  ``reader`` that runs now (a venv's, pipx's, or a PyInstaller bundle's executable), so the menu
  entry starts this very installation and opens the dump folders dropped on it (``%F``);
* ``icons/hicolor/<size>/apps/<APP_ID>.png`` for every bundled size, and the SVG under
  ``scalable/apps``;
* ``metainfo/<APP_ID>.metainfo.xml`` (software centres read it).

It then refreshes the desktop database and, where the user's icon theme folder already has a
cache that would otherwise hide the new icons, the icon cache; tools that are absent are skipped.
Installing twice gives the same files; ``--uninstall-desktop`` removes exactly those files and
the folders that are empty because of it. Nothing here imports Qt: it works on a headless
machine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import reader
from reader import APP_ID

#: Characters that make an ``Exec=`` argument need double quotes (Desktop Entry spec, "Exec").
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def resources_dir() -> Path:
    """``reader/resources``: beside the package in a checkout, a wheel and a bundle alike."""
    return Path(reader.__file__).parent / "resources"


def data_home(explicit: Path | None = None) -> Path:
    """``explicit``, else ``$XDG_DATA_HOME`` (when absolute, as the spec asks), else
    ``~/.local/share``."""
    if explicit is not None:
        return Path(os.path.abspath(explicit))
    env = os.environ.get("XDG_DATA_HOME", "")
    if env and os.path.isabs(env):
        return Path(env)
    return Path.home() / ".local" / "share"


def launcher_command() -> list[str]:
    """The absolute command that starts this installation of the application.

    A frozen bundle is its own executable; otherwise the ``reader`` script that is running (or
    the one beside this Python, or the one on ``PATH``); failing all that, ``python -m reader``.
    """
    if getattr(sys, "frozen", False):
        return [os.path.abspath(sys.executable)]
    candidates: list[str] = []
    argv0 = sys.argv[0] if sys.argv else ""
    if argv0 and Path(argv0).name == "reader":
        candidates.append(os.path.abspath(argv0))
    if sys.executable:
        candidates.append(str(Path(os.path.abspath(sys.executable)).parent / "reader"))
    on_path = shutil.which("reader")
    if on_path:
        candidates.append(os.path.abspath(on_path))
    for path in candidates:
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return [path]
    return [os.path.abspath(sys.executable), "-m", "reader"]


def quote_exec_argument(arg: str) -> str:
    """One ``Exec=`` argument, quoted and escaped as the Desktop Entry spec asks.

    Inside double quotes ``"`` `` ` `` ``$`` ``\\`` take a backslash; then the value as a whole is
    escaped once more (a backslash doubles), and a literal ``%`` is written ``%%``.
    """
    arg = arg.replace("%", "%%")
    if any(ch in _RESERVED for ch in arg):
        inner = "".join("\\" + ch if ch in '"`$\\' else ch for ch in arg)
        arg = f'"{inner}"'
    return arg.replace("\\", "\\\\")


def _escape_value(value: str) -> str:
    """A plain string value (``TryExec=``): backslashes doubled, no field codes."""
    return value.replace("\\", "\\\\")


def desktop_entry(template: str, command: list[str]) -> str:
    """The bundled desktop entry with every ``Exec=`` starting ``command`` (its field codes kept),
    a ``TryExec=`` so the entry hides itself when the program is gone, and, for an executable of
    our own, ``StartupWMClass=`` set to its name (the X11 window's instance name)."""
    program = " ".join(quote_exec_argument(arg) for arg in command)
    own_executable = len(command) == 1
    out: list[str] = []
    in_main_group = False
    for line in template.splitlines():
        if line.startswith("["):
            in_main_group = line.strip() == "[Desktop Entry]"
        elif in_main_group and line.startswith("TryExec="):
            continue  # written again below, after Exec=
        elif line.startswith("Exec="):
            _, _, rest = line[len("Exec=") :].partition(" ")
            out.append(f"Exec={program} {rest}".rstrip())
            if in_main_group:
                out.append(f"TryExec={_escape_value(command[0])}")
            continue
        elif in_main_group and own_executable and line.startswith("StartupWMClass="):
            line = f"StartupWMClass={Path(command[0]).name}"
        out.append(line)
    return "\n".join(out) + "\n"


def _icon_sources() -> list[tuple[Path, Path]]:
    """(bundled file, path relative to the data home) for every icon."""
    hicolor = resources_dir() / "icons" / "hicolor"
    pairs = []
    for size_dir in sorted(p for p in hicolor.iterdir() if p.is_dir()):
        for name in (f"{APP_ID}.png", f"{APP_ID}.svg"):
            source = size_dir / "apps" / name
            if source.is_file():
                pairs.append((source, Path("icons", "hicolor", size_dir.name, "apps", name)))
    return pairs


def planned_files() -> list[Path]:
    """The paths, relative to the data home, that an install writes (and an uninstall removes)."""
    return [
        Path("applications", f"{APP_ID}.desktop"),
        *(relative for _, relative in _icon_sources()),
        Path("metainfo", f"{APP_ID}.metainfo.xml"),
    ]


def _write_atomically(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _run_quietly(*command: str) -> None:
    """Run a cache tool if it is installed; its absence or failure changes nothing that matters."""
    if shutil.which(command[0]) is None:
        return
    try:
        subprocess.run(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        pass


def _refresh_caches(home: Path) -> None:
    applications = home / "applications"
    if applications.is_dir():
        _run_quietly("update-desktop-database", "-q", str(applications))
    theme = home / "icons" / "hicolor"
    # A user theme folder usually has no cache, and then none is needed (the folder is read
    # directly); an existing one must be refreshed or it hides the icons just added.
    if (theme / "icon-theme.cache").exists():
        _run_quietly("gtk-update-icon-cache", "-q", "-t", "-f", str(theme))


def install_desktop(data_home_dir: Path | None = None) -> list[Path]:
    """Install the desktop entry, the icons and the metainfo; the files written (absolute)."""
    home = data_home(data_home_dir)
    resources = resources_dir()
    desktop_dir = resources / "desktop"
    written: list[Path] = []

    template = (desktop_dir / f"{APP_ID}.desktop").read_text(encoding="utf-8")
    target = home / "applications" / f"{APP_ID}.desktop"
    _write_atomically(target, desktop_entry(template, launcher_command()).encode("utf-8"))
    written.append(target)

    for source, relative in _icon_sources():
        target = home / relative
        _write_atomically(target, source.read_bytes())
        written.append(target)

    target = home / "metainfo" / f"{APP_ID}.metainfo.xml"
    _write_atomically(target, (desktop_dir / f"{APP_ID}.metainfo.xml").read_bytes())
    written.append(target)

    _refresh_caches(home)
    return written


def _remove_empty_parents(path: Path, stop: Path) -> None:
    """Remove ``path``'s parent folders while they are empty, up to (not including) ``stop``."""
    parent = path.parent
    while parent != stop and stop in parent.parents:
        try:
            parent.rmdir()
        except OSError:  # not empty (or not ours to remove): stop here
            return
        parent = parent.parent


def uninstall_desktop(data_home_dir: Path | None = None) -> list[Path]:
    """Remove what :func:`install_desktop` writes; the files removed (absolute)."""
    home = data_home(data_home_dir)
    removed: list[Path] = []
    for relative in planned_files():
        target = home / relative
        if target.is_file() or target.is_symlink():
            target.unlink()
            removed.append(target)
    _refresh_caches(home)
    # update-desktop-database leaves a mimeinfo.cache even for a folder with no entries left;
    # a cache of nothing is ours to remove too.
    applications = home / "applications"
    cache = applications / "mimeinfo.cache"
    if cache.is_file() and not any(applications.rglob("*.desktop")):
        cache.unlink()
        removed.append(cache)
    for target in removed:
        _remove_empty_parents(target, home)
    return removed


def run_command(uninstall: bool = False, data_home_dir: Path | None = None) -> int:
    """``reader --install-desktop`` / ``--uninstall-desktop``: do it and say what was done."""
    try:
        if uninstall:
            paths = uninstall_desktop(data_home_dir)
        else:
            paths = install_desktop(data_home_dir)
    except OSError as error:
        verb = "uninstall" if uninstall else "install"
        print(f"reader: could not {verb} the desktop entry: {error}", file=sys.stderr)
        return 1
    home = data_home(data_home_dir)
    if uninstall:
        if paths:
            print(f"Removed {len(paths)} file(s) from {home}.")
        else:
            print(f"Nothing to remove: the desktop entry is not installed in {home}.")
        return 0
    for path in paths:
        print(f"  {path}")
    command = launcher_command()
    print(f"Installed {len(paths)} file(s) into {home}; the menu entry runs {' '.join(command)}.")
    return 0
