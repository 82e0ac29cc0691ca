"""The bundle's recipe (packaging/): present, consistent with the package, safe when frozen.

Fast checks only. Building and trying the bundle takes about a minute and needs PyInstaller
(not a test dependency), so it runs only when asked: ``READER_BUNDLE_TEST=1 pytest
tests/test_packaging.py`` (or ``packaging/check.sh`` directly).
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import reader

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
SPEC = PACKAGING / "reader.spec"
SCRIPTS = [PACKAGING / "build.sh", PACKAGING / "check.sh"]
QT = "PySide6/Qt/"


def _spec_part(*names: str) -> dict:
    """The spec's plain definitions ``names`` (constants and functions), without running
    PyInstaller."""
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    wanted = [
        node
        for node in tree.body
        if (isinstance(node, ast.FunctionDef) and node.name in names)
        or (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id in names for t in node.targets)
        )
    ]
    namespace: dict = {}
    exec(compile(ast.Module(body=wanted, type_ignores=[]), str(SPEC), "exec"), namespace)
    return namespace


def test_the_recipe_is_there() -> None:
    for path in [SPEC, PACKAGING / "entry.py", PACKAGING / "README.md", *SCRIPTS]:
        assert path.is_file(), f"{path.relative_to(ROOT)} is missing"
    for script in SCRIPTS:
        assert os.access(script, os.X_OK), f"{script.name} is not executable"
        assert script.read_text(encoding="utf-8").startswith("#!/usr/bin/env bash\n")


@pytest.mark.parametrize("path", [SPEC, *SCRIPTS], ids=lambda p: p.name)
def test_the_version_comes_from_the_package(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "reader.__version__" in text
    # No copy of the version that could go stale.
    assert not re.search(r"\b\d+\.\d+\.\d+\b", text), "a version number is written out"


def test_pyproject_takes_the_version_from_the_package() -> None:
    tomllib = pytest.importorskip("tomllib")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "reader.__version__"}
    assert project["project"]["scripts"]["reader"] == "reader.cli:main"


def test_the_entry_point_calls_freeze_support_first() -> None:
    """A worker of a large import is the bundle's executable run again; without
    freeze_support() first it would parse its arguments as a ``reader`` command line."""
    tree = ast.parse((PACKAGING / "entry.py").read_text(encoding="utf-8"))
    main_block = next(
        node
        for node in tree.body
        if isinstance(node, ast.If) and "__main__" in ast.unparse(node.test)
    )
    first = main_block.body[0]
    assert ast.unparse(first) == "multiprocessing.freeze_support()"
    assert "from reader.cli import main" in ast.unparse(main_block)


def test_the_spec_bundles_the_resources_and_the_entry_point() -> None:
    text = SPEC.read_text(encoding="utf-8")
    assert '"reader/resources"' in text
    assert '"entry.py"' in text
    assert 'NAME = "dump-reader"' in text


def test_the_spec_keeps_the_plugins_the_app_needs() -> None:
    spec = _spec_part("QT_PLUGINS", "KEPT_PLUGINS", "plugin_kept", "data_kept")
    kept, data_kept = spec["plugin_kept"], spec["data_kept"]
    for plugin in [
        "platforms/libqxcb.so",
        "platforms/libqwayland.so",
        "platforms/libqoffscreen.so",
        "imageformats/libqsvg.so",
        "iconengines/libqsvgicon.so",
        "platformthemes/libqxdgdesktopportal.so",
        "platforminputcontexts/libcomposeplatforminputcontextplugin.so",
        "wayland-shell-integration/libxdg-shell.so",
        "xcbglintegrations/libqxcb-glx-integration.so",
    ]:
        assert kept(f"{QT}plugins/{plugin}"), plugin
    for plugin in [
        "platforms/libqvnc.so",
        "platforms/libqeglfs.so",
        "imageformats/libqtiff.so",
        "platformthemes/libqgtk3.so",
        "generic/libqevdevmouseplugin.so",
    ]:
        assert not kept(f"{QT}plugins/{plugin}"), plugin
    assert kept(f"{QT}lib/libQt6Gui.so.6")
    assert not data_kept(f"{QT}translations/qtbase_de.qm")
    assert data_kept("reader/resources/sample_dump/000_c7d4004aab5c4825.txt")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_the_app_imports_nothing_the_bundle_leaves_out() -> None:
    """The spec excludes modules the app does not use; one that starts using them must say so."""
    excluded = _spec_part("EXCLUDED_MODULES")["EXCLUDED_MODULES"]
    package = Path(reader.__file__).parent
    offenders = sorted(
        f"{path.relative_to(package)}: {name}"
        for path in package.rglob("*.py")
        for name in _imports(path)
        if any(name == ex or name.startswith(ex + ".") for ex in excluded)
    )
    assert offenders == [], "imported but excluded from the bundle (packaging/reader.spec)"


@pytest.mark.skipif(shutil.which("bash") is None, reason="no bash")
@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_the_scripts_parse(script: Path) -> None:
    done = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


@pytest.mark.skipif(
    os.environ.get("READER_BUNDLE_TEST") != "1",
    reason="builds the bundle (about a minute, needs PyInstaller): set READER_BUNDLE_TEST=1",
)
def test_the_bundle_builds_and_runs() -> None:
    env = {**os.environ, "PYTHON": sys.executable}
    done = subprocess.run(
        [str(PACKAGING / "check.sh")], capture_output=True, text=True, env=env, timeout=900
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "check.sh: all checks passed" in done.stdout
