"""File › Export… and File › Import Annotations…, driven as a user would."""

from __future__ import annotations

import csv
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from reader.library.library import Library
from reader.ui import export_dialog
from reader.ui.export_dialog import ExportDialog, import_annotations, running_export_jobs


@pytest.fixture(autouse=True)
def no_file_manager(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    opened: list[Path] = []
    monkeypatch.setattr(export_dialog, "open_folder", lambda path: opened.append(path) or True)
    return opened


@pytest.fixture(autouse=True)
def no_leaked_export_jobs():
    yield
    leaked = running_export_jobs()
    for job in leaked:
        job.cancel()
        job.wait(10_000)
    assert not leaked


def _annotate(library: Library) -> int:
    doc_id = library.document_ids()[0]
    body = library.body(doc_id)
    s = body.index("Zarco Cement")
    library.add_entity(doc_id, s, s + len("Zarco Cement"), "ORG", note="=SUM(A1)")
    library.add_highlight(doc_id, 0, 7, "pink")
    library.tag(doc_id, ["cement"])
    return doc_id


def _dialog(qtbot, library, settings, **kwargs) -> ExportDialog:  # noqa: ANN001
    dialog = ExportDialog(library, settings, **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _box(dialog) -> QMessageBox:  # noqa: ANN001
    boxes = [b for b in dialog.findChildren(QMessageBox) if b.isVisible()]
    assert len(boxes) == 1
    return boxes[0]


def _click(box: QMessageBox, text: str) -> None:
    [button] = [b for b in box.buttons() if b.text().replace("&", "") == text]
    button.click()


def _finish(qtbot, dialog) -> QMessageBox:  # noqa: ANN001
    qtbot.waitUntil(lambda: dialog.job is None and any(
        b.isVisible() for b in dialog.findChildren(QMessageBox)), timeout=10_000)  # fmt: skip
    return _box(dialog)


def _choose(dialog: ExportDialog, fmt: str, scope: str, dest: Path) -> None:
    dialog.format_box.setCurrentIndex(dialog.format_box.findData(fmt))
    dialog.scope_buttons[scope].setChecked(True)
    dialog.dest_edit.setText(str(dest))


def test_export_csv_offer_to_open_and_remember(
    qtbot,
    library,
    settings,
    tmp_path,
    no_file_manager,  # noqa: ANN001
) -> None:
    doc_id = _annotate(library)
    dialog = _dialog(qtbot, library, settings, current_id=doc_id, selected_ids=[doc_id, 2])
    assert dialog.scope_buttons["selected"].isChecked()  # the default with a selection
    assert dialog.scope_buttons["selected"].text() == "The &selected documents (2)"
    dest = tmp_path / "out" / "notes.csv"
    dest.parent.mkdir()
    _choose(dialog, "csv", "current", dest)
    assert dialog.bom_check.isVisible() and not dialog.body_check.isVisible()
    assert dialog.dest_label.text() == "File &name:"
    dialog.export_button.click()
    box = _finish(qtbot, dialog)
    assert "Exported 1 document and 2 items" in box.text()
    with open(dest, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["note"] for r in rows] == ["", "'=SUM(A1)"]
    _click(box, "Open Folder")
    assert no_file_manager == [dest.parent]
    assert dialog.result() == ExportDialog.DialogCode.Accepted

    again = _dialog(qtbot, library, settings, current_id=doc_id)
    assert again.format_box.currentData() == "csv"
    assert again.scope_buttons["current"].isChecked()
    assert again.dest_edit.text() == str(dest)


def test_asks_before_replacing(qtbot, library, settings, tmp_path) -> None:  # noqa: ANN001
    _annotate(library)
    dest = tmp_path / "a.jsonl"
    dest.write_text("precious", encoding="utf-8")
    dialog = _dialog(qtbot, library, settings)
    _choose(dialog, "jsonl", "library", dest)
    dialog.export_button.click()
    box = _box(dialog)
    assert "already exists" in box.text()
    _click(box, "Cancel")
    assert dialog.job is None and dest.read_text(encoding="utf-8") == "precious"
    dialog.export_button.click()
    _click(_box(dialog), "Replace")
    done = _finish(qtbot, dialog)
    assert "Exported 3 documents" in done.text()
    assert len(dest.read_text(encoding="utf-8").splitlines()) == 3
    _click(done, "Close")


def test_markdown_folder_with_options(qtbot, library, settings, tmp_path) -> None:  # noqa: ANN001
    _annotate(library)
    dialog = _dialog(qtbot, library, settings)
    _choose(dialog, "md", "tag", tmp_path / "vault")
    assert dialog.tag_box.currentText() == "cement"
    assert dialog.dest_label.text() == "Fol&der:"
    dialog.wiki_check.setChecked(True)
    dialog.body_check.setChecked(True)
    dialog.export_button.click()
    _click(_finish(qtbot, dialog), "Close")
    [note] = (tmp_path / "vault").iterdir()
    text = note.read_text(encoding="utf-8")
    assert "- [[Zarco Cement]] · 1 mention" in text and "## Text" in text
    dialog.single_check.setChecked(True)
    assert dialog.dest_label.text() == "File &name:"


def test_cancel_leaves_nothing(qtbot, library, settings, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    real_export = export_dialog.export
    started = threading.Event()

    def slow_export(*args, cancel, **kwargs):  # noqa: ANN002, ANN003, ANN202
        started.set()
        while not cancel():  # hold the job until the user cancels
            threading.Event().wait(0.01)
        return real_export(*args, cancel=cancel, **kwargs)

    monkeypatch.setattr(export_dialog, "export", slow_export)
    dialog = _dialog(qtbot, library, settings)
    _choose(dialog, "json", "library", tmp_path / "a.json")
    dialog.export_button.click()
    qtbot.waitUntil(started.is_set)
    assert dialog.progress_bar.isVisible() and not dialog.format_box.isEnabled()
    dialog.reject()  # Cancel while running cancels; the dialog stays
    assert dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=10_000)
    assert dialog.status.text() == "Export cancelled. Nothing was written."
    assert list(tmp_path.glob("*.json")) == [] and not list(tmp_path.glob(".*"))
    assert dialog.format_box.isEnabled()


def test_failure_is_shown(qtbot, library, settings, tmp_path) -> None:  # noqa: ANN001
    dialog = _dialog(qtbot, library, settings)
    _choose(dialog, "csv", "library", tmp_path / "missing" / "a.csv")
    dialog.export_button.click()
    box = _finish(qtbot, dialog)
    assert "does not exist" in box.text()
    box.close()


def test_import_annotations(qtbot, library, settings, tmp_path, pages_dir) -> None:  # noqa: ANN001
    doc_id = _annotate(library)
    exported = tmp_path / "a.json"
    from reader.export import export

    export(library, "json", None, exported)
    with Library(tmp_path / "other.sqlite") as other:
        other.import_paths([pages_dir])
        dialog = _dialog(qtbot, other, settings)  # any window will do as the parent
        reports = []
        job = import_annotations(dialog, other, exported, on_done=reports.append)
        assert job is not None
        with qtbot.waitSignal(job.finished, timeout=10_000):
            pass
        assert reports[0].added == 2 and reports[0].tags_added == 1
        box = _box(dialog)
        assert box.text().startswith("2 annotation(s) added, 0 already here; 1 tag(s) added")
        box.close()
        same = other.document_by_hash(library.document(doc_id).content_hash)
        assert [a.text for a in other.annotations(same)] == ["LAHORE:", "Zarco Cement"]


def test_suggested_name_follows_file_or_folder(qtbot, library, settings, tmp_path) -> None:  # noqa: ANN001
    dialog = _dialog(qtbot, library, settings)
    _choose(dialog, "md", "library", tmp_path / "notes")
    dialog.single_check.setChecked(True)
    assert dialog.dest_edit.text() == str(tmp_path / "notes.md")
    dialog.single_check.setChecked(False)
    assert dialog.dest_edit.text() == str(tmp_path / "notes")
    dialog.dest_edit.setText(str(tmp_path / "mine"))
    dialog.single_check.setChecked(True)
    assert dialog.dest_edit.text() == str(tmp_path / "mine")  # a name the user gave stays
