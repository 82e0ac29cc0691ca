"""Desktop integration: one application id, one version, valid files, a clean install/uninstall.

The validators come from Debian's ``desktop-file-utils`` (``desktop-file-validate``) and
``appstream`` (``appstreamcli``); tests that need one are skipped when it is not installed
(CI installs both).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import reader
from reader import APP_ID, __version__, desktop
from reader.cli import main

RESOURCES = Path(reader.__file__).parent / "resources"
DESKTOP_FILE = RESOURCES / "desktop" / f"{APP_ID}.desktop"
METAINFO = RESOURCES / "desktop" / f"{APP_ID}.metainfo.xml"
PNG48 = RESOURCES / "icons" / "hicolor" / "48x48" / "apps" / f"{APP_ID}.png"
ICON_SIZES = ["16x16", "24x24", "32x32", "48x48", "64x64", "128x128", "256x256", "512x512"]


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (Debian: desktop-file-utils / appstream)")
    return path


def desktop_file_validate(path: Path) -> None:
    done = subprocess.run(
        [_tool("desktop-file-validate"), str(path)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "error:" not in done.stdout + done.stderr, done.stdout + done.stderr


def appstream_validate(path: Path) -> None:
    done = subprocess.run(
        [_tool("appstreamcli"), "validate", "--no-net", str(path)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def entry(text: str) -> dict[str, str]:
    """The ``[Desktop Entry]`` group's keys."""
    values: dict[str, str] = {}
    group = None
    for line in text.splitlines():
        if line.startswith("["):
            group = line.strip()
        elif group == "[Desktop Entry]" and "=" in line and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key] = value
    return values


def files_under(folder: Path) -> set[Path]:
    return {p.relative_to(folder) for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def share(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty XDG data home, also set as $XDG_DATA_HOME."""
    folder = tmp_path / "share"
    folder.mkdir()
    monkeypatch.setenv("XDG_DATA_HOME", str(folder))
    return folder


# ------------------------------------------------------------------------ one identity


def test_the_bundled_files_validate() -> None:
    desktop_file_validate(DESKTOP_FILE)
    appstream_validate(METAINFO)


def test_one_application_id_everywhere() -> None:
    keys = entry(DESKTOP_FILE.read_text(encoding="utf-8"))
    assert keys["Icon"] == APP_ID
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == APP_ID
    assert root.find("launchable").text == f"{APP_ID}.desktop"
    assert (RESOURCES / "icons" / f"{APP_ID}.svg").is_file()
    for size in ICON_SIZES:
        assert (RESOURCES / "icons" / "hicolor" / size / "apps" / f"{APP_ID}.png").is_file()
    assert (RESOURCES / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()


def test_reader_version_is_the_package_version() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "reader", "--version"], capture_output=True, text=True, timeout=60
    )
    assert (done.returncode, done.stdout.strip()) == (0, f"reader {__version__}")
    script = Path(sys.executable).with_name("reader")
    if script.exists():  # the console script of this environment
        done = subprocess.run([str(script), "--version"], capture_output=True, text=True)
        assert done.stdout.strip() == f"reader {__version__}"


def test_metainfo_latest_release_is_the_package_version() -> None:
    releases = ET.parse(METAINFO).getroot().findall("releases/release")
    assert releases, "the metainfo lists no release"
    # AppStream lists the newest release first; make sure the dates agree.
    assert releases[0].get("version") == __version__
    dates = [r.get("date") or "" for r in releases]
    assert dates[0] == max(dates)


# ---------------------------------------------------------------------- install, remove


def test_install_puts_valid_files_into_the_xdg_folders(share: Path) -> None:
    written = desktop.install_desktop(share)
    expected = {share / p for p in desktop.planned_files()}
    assert set(written) == expected
    assert {p.relative_to(share) for p in expected} >= {
        Path("applications", f"{APP_ID}.desktop"),
        Path("metainfo", f"{APP_ID}.metainfo.xml"),
        Path("icons", "hicolor", "scalable", "apps", f"{APP_ID}.svg"),
        *(Path("icons", "hicolor", size, "apps", f"{APP_ID}.png") for size in ICON_SIZES),
    }
    for path in written:
        assert path.is_file()

    installed = share / "applications" / f"{APP_ID}.desktop"
    desktop_file_validate(installed)
    appstream_validate(share / "metainfo" / f"{APP_ID}.metainfo.xml")
    keys = entry(installed.read_text(encoding="utf-8"))
    program = keys["Exec"].split(" ")[0]
    assert os.path.isabs(program) and keys["Exec"].endswith(" %F")
    assert keys["TryExec"] == program
    assert keys["Icon"] == APP_ID
    png = share / "icons" / "hicolor" / "48x48" / "apps" / f"{APP_ID}.png"
    assert png.read_bytes() == PNG48.read_bytes()


def test_install_is_idempotent(share: Path) -> None:
    first = desktop.install_desktop(share)
    contents = {p: p.read_bytes() for p in first}
    second = desktop.install_desktop(share)
    assert second == first
    assert {p: p.read_bytes() for p in second} == contents
    assert not [p for p in share.rglob("*.tmp")]


def test_uninstall_leaves_nothing(share: Path) -> None:
    desktop.install_desktop(share)
    removed = desktop.uninstall_desktop(share)
    assert {share / p for p in desktop.planned_files()} <= set(removed)
    assert list(share.iterdir()) == []
    assert desktop.uninstall_desktop(share) == []  # twice is fine


def test_uninstall_keeps_other_applications(share: Path) -> None:
    other_app = share / "applications" / "org.example.Other.desktop"
    other_icon = share / "icons" / "hicolor" / "48x48" / "apps" / "org.example.Other.png"
    for path in (other_app, other_icon):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("not ours")
    desktop.install_desktop(share)
    desktop.uninstall_desktop(share)
    left = files_under(share) - {Path("applications", "mimeinfo.cache")}
    assert left == {other_app.relative_to(share), other_icon.relative_to(share)}


def test_an_existing_icon_cache_is_refreshed(share: Path) -> None:
    _tool("gtk-update-icon-cache")
    theme = share / "icons" / "hicolor"
    other = theme / "48x48" / "apps" / "org.example.Other.png"
    other.parent.mkdir(parents=True)
    other.write_bytes(PNG48.read_bytes())
    subprocess.run(["gtk-update-icon-cache", "-q", "-t", "-f", str(theme)], check=True)
    cache = theme / "icon-theme.cache"
    before = cache.read_bytes()
    desktop.install_desktop(share)
    assert APP_ID.encode() in cache.read_bytes() != before
    desktop.uninstall_desktop(share)
    assert APP_ID.encode() not in cache.read_bytes()


def test_the_command_line_flags(share: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--install-desktop"]) == 0  # $XDG_DATA_HOME, from the fixture
    assert (share / "applications" / f"{APP_ID}.desktop").is_file()
    assert "Installed" in capsys.readouterr().out
    assert main(["--uninstall-desktop"]) == 0
    assert files_under(share) == set()
    assert main(["--install-desktop", "--uninstall-desktop"]) == 2


# ------------------------------------------------------------------------- the command


def test_exec_points_at_this_installation(
    share: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir = tmp_path / "my venv" / "bin"  # a space: Exec= must quote it
    bin_dir.mkdir(parents=True)
    script = bin_dir / "reader"
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    monkeypatch.setattr(sys, "argv", [str(script), "--install-desktop"])
    assert desktop.launcher_command() == [str(script)]
    desktop.install_desktop(share)
    installed = share / "applications" / f"{APP_ID}.desktop"
    keys = entry(installed.read_text(encoding="utf-8"))
    assert keys["Exec"] == f'"{script}" %F'
    assert keys["TryExec"] == str(script)
    assert keys["StartupWMClass"] == "reader"
    desktop_file_validate(installed)


def test_launcher_falls_back_to_python_m_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    python = tmp_path / "bin" / "python3"
    monkeypatch.setattr(sys, "argv", ["/somewhere/pytest"])
    monkeypatch.setattr(sys, "executable", str(python))
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    assert desktop.launcher_command() == [str(python), "-m", "reader"]
    template = DESKTOP_FILE.read_text(encoding="utf-8")
    text = desktop.desktop_entry(template, [str(python), "-m", "reader"])
    assert entry(text)["Exec"] == f"{python} -m reader %F"


def test_a_frozen_bundle_runs_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    exe = tmp_path / "dump-reader" / "dump-reader"
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(exe))
    assert desktop.launcher_command() == [str(exe)]
    text = desktop.desktop_entry(DESKTOP_FILE.read_text(encoding="utf-8"), [str(exe)])
    assert entry(text)["StartupWMClass"] == "dump-reader"


@pytest.mark.parametrize(
    ("arg", "quoted"),
    [
        ("/usr/bin/reader", "/usr/bin/reader"),
        ("/home/a b/reader", '"/home/a b/reader"'),
        ('/x/"q"/r', '"/x/\\\\"q\\\\"/r"'),
        ("/x/$HOME/r", '"/x/\\\\$HOME/r"'),
        ("/x/100%/r", "/x/100%%/r"),
    ],
)
def test_exec_quoting(arg: str, quoted: str) -> None:
    assert desktop.quote_exec_argument(arg) == quoted


def test_data_home_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert desktop.data_home() == tmp_path
    monkeypatch.setenv("XDG_DATA_HOME", "relative/path")  # not absolute: ignored, as the spec says
    assert desktop.data_home() == Path.home() / ".local" / "share"
    monkeypatch.delenv("XDG_DATA_HOME")
    assert desktop.data_home() == Path.home() / ".local" / "share"
