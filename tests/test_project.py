"""House rules that are checks, not hopes: layering, lint, and docs that match the code."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reader.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "reader"
CORE = ("ingest", "library", "annotate", "export", "stories")


def _tool(name: str) -> str:
    found = Path(sys.executable).with_name(name)
    if found.exists():
        return str(found)
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed; install the test extra: pip install -e '.[test]'")
    return path


def test_import_linter_contracts() -> None:
    done = subprocess.run(
        [_tool("lint-imports"), "--no-cache"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "BROKEN" not in done.stdout


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_core_never_imports_qt_even_lazily() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for package in CORE
        for path in (SRC / package).rglob("*.py")
        if any(n.split(".")[0] in ("PySide6", "shiboken6", "pytestqt") for n in _imports(path))
    ]
    assert offenders == []


def test_ui_runs_no_sql() -> None:
    offenders = []
    for path in (SRC / "ui").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"\.execute(many|script)?\(|\bsqlite3\b|\bsqlite_utils\b|\.conn\b", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_ruff_is_clean() -> None:
    done = subprocess.run(
        [_tool("ruff"), "check", "src", "tests"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _subcommands() -> dict:
    parser = build_parser()
    action = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return action.choices


def test_every_command_has_help_and_a_readme_mention() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    parser = build_parser()
    action = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    helps = {choice.dest: choice.help for choice in action._choices_actions}
    for name, sub in _subcommands().items():
        assert helps.get(name), f"`reader {name}` has no one-line help"
        assert sub.description, f"`reader {name} --help` has no description"
        assert f"reader {name}" in readme, f"README does not mention `reader {name}`"
        for option in sub._actions:
            if option.option_strings and option.dest != "help":
                assert option.help, f"`reader {name} {option.option_strings[0]}` has no help"


def test_readme_commands_are_the_ci_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_command = re.search(r"<!-- test-command -->\s*```sh\n(.+?)\n```", readme, re.S)
    assert test_command, "README lacks the marked test command"
    assert test_command.group(1).strip() in ci


def test_building_the_command_line_imports_no_exporter_or_rapidfuzz() -> None:
    """`reader import` starts in a fresh process each time; the parser must stay light."""
    code = (
        "import sys\n"
        "from reader.cli import build_parser\n"
        "build_parser()\n"
        "heavy = [m for m in ('rapidfuzz', 'reader.export.run', 'reader.export.dossier',"
        " 'reader.stories.compare', 'PySide6') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
