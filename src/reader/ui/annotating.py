"""Annotating in the window: one controller, one ``QUndoCommand`` per edit.

Every edit is made in the library at once (there is no Save), then pushed on the session's
``QUndoStack`` as a command already done: its first ``redo`` (called by ``push``) does nothing,
later ones do the edit again, ``undo`` takes it back, each through :class:`Library` or
:mod:`reader.annotate` calls. An edit that fails (a span that is no longer there, a name taken)
raises before it reaches the stack, so the stack never holds an edit that did not happen.

After any edit, undo or redo the controller emits :attr:`Annotator.changed` with what changed
(documents, whether tags or the document list counts moved), and the window redraws from it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from reader.annotate import everywhere, registry, suggest
from reader.library.errors import LibraryError
from reader.library.library import Library
from reader.library.records import Annotation
from reader.stories.copying import CopyReport, copy_annotations

#: Longest text of an Undo menu item before it is elided.
_LABEL = 40


def short(text: str, limit: int = _LABEL) -> str:
    """A span's text for a menu item: one line, at most ``limit`` characters."""
    one = " ".join(text.split())
    return one if len(one) <= limit else one[: limit - 1] + "…"


@dataclass(frozen=True)
class Edit:
    """What an edit (or its undo) changed, for the views."""

    documents: tuple[int, ...] = ()
    tags: bool = False
    entities: bool = False  # the registry (entity browser, suggestions)
    types: bool = False  # entity types (menus, colours)
    replay: bool = False  # an undo or redo (not the edit as first made)


class _Command(QUndoCommand):
    """An edit already made: the first redo is skipped (see the module notes)."""

    def __init__(self, annotator: Annotator, text: str) -> None:
        super().__init__(text.replace("&", "&&"))  # a menu item: a page's "&" is no mnemonic
        self.annotator = annotator
        self.lib = annotator.library
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self.annotator._run(self.do_again, self)

    def undo(self) -> None:
        self.annotator._run(self.take_back, self)

    def do_again(self) -> Edit:  # pragma: no cover - overridden
        raise NotImplementedError

    def take_back(self) -> Edit:  # pragma: no cover - overridden
        raise NotImplementedError


class AddAnnotation(_Command):
    """A highlight or mention made (by hand, or a suggestion accepted)."""

    def __init__(self, annotator: Annotator, ann: Annotation, text: str) -> None:
        super().__init__(annotator, text)
        self.ann = ann

    def do_again(self) -> Edit:
        self.ann = self.lib.restore_annotation(self.ann)
        return Edit((self.ann.document_id,), entities=self.ann.kind == "entity")

    def take_back(self) -> Edit:
        self.ann = self.lib.delete_annotation(self.ann.id)  # keeps a note added since
        return Edit((self.ann.document_id,), entities=self.ann.kind == "entity")


class DeleteAnnotation(_Command):
    def __init__(self, annotator: Annotator, ann: Annotation) -> None:
        super().__init__(annotator, f"Delete “{short(ann.text)}”")
        self.ann = ann

    def do_again(self) -> Edit:
        self.ann = self.lib.delete_annotation(self.ann.id)
        return Edit((self.ann.document_id,))

    def take_back(self) -> Edit:
        self.ann = self.lib.restore_annotation(self.ann)
        return Edit((self.ann.document_id,))


class UpdateAnnotation(_Command):
    """A note, colour, type or entity changed."""

    def __init__(
        self, annotator: Annotator, before: Annotation, fields: dict[str, object], text: str
    ) -> None:
        super().__init__(annotator, text)
        self.doc = before.document_id
        self.ann_id = before.id
        self.after = dict(fields)
        self.before = {k: getattr(before, k) for k in fields}

    def do_again(self) -> Edit:
        self.lib.update_annotation(self.ann_id, **self.after)
        return Edit((self.doc,))

    def take_back(self) -> Edit:
        self.lib.update_annotation(self.ann_id, **self.before)
        return Edit((self.doc,))


class Reattach(_Command):
    """An orphan pointed at a new span; undo makes it the orphan it was."""

    def __init__(self, annotator: Annotator, before: Annotation, after: Annotation) -> None:
        super().__init__(annotator, f"Re-attach “{short(before.text)}”")
        self.before = before
        self.after = after

    def do_again(self) -> Edit:
        self.after = self.lib.reattach_annotation(self.before.id, self.after.start, self.after.end)
        return Edit((self.before.document_id,))

    def take_back(self) -> Edit:
        self.lib.delete_annotation(self.before.id)
        self.lib.restore_annotation(self.before)
        return Edit((self.before.document_id,))


class TagDocument(_Command):
    def __init__(self, annotator: Annotator, doc_id: int, names: Sequence[str], add: bool) -> None:
        what = ", ".join(names)
        super().__init__(annotator, f"{'Tag' if add else 'Untag'} “{short(what)}”")
        self.doc = doc_id
        self.names = list(names)
        self.add = add

    def _apply(self, add: bool) -> Edit:
        (self.lib.tag if add else self.lib.untag)(self.doc, self.names)
        return Edit((self.doc,), tags=True)

    def do_again(self) -> Edit:
        return self._apply(self.add)

    def take_back(self) -> Edit:
        return self._apply(not self.add)


class RejectSuggestion(_Command):
    def __init__(self, annotator: Annotator, doc_id: int, s: suggest.Suggestion) -> None:
        super().__init__(annotator, f"Reject suggestion “{short(s.text)}”")
        self.doc = doc_id
        self.suggestion = s

    def do_again(self) -> Edit:
        suggest.reject(self.lib, self.doc, self.suggestion)
        return Edit((self.doc,))

    def take_back(self) -> Edit:
        suggest.unreject(self.lib, self.doc, self.suggestion)
        return Edit((self.doc,))


class TagBatch(_Command):
    """A tag-everywhere: one undo takes every mention of the batch back."""

    def __init__(self, annotator: Annotator, result: everywhere.BatchResult) -> None:
        super().__init__(
            annotator, f"Tag {result.count:,} × “{short(result.text)}” as {result.type}"
        )
        self.result = result
        self.removed: everywhere.RemovedBatch | None = None

    def do_again(self) -> Edit:
        assert self.removed is not None
        everywhere.restore_batch(self.lib, self.removed)
        return Edit(self.removed.documents, entities=True)

    def take_back(self) -> Edit:
        self.removed = everywhere.untag_batch(self.lib, self.result)
        return Edit(self.removed.documents, entities=True)


class CopyAnnotations(_Command):
    """Tags and mentions copied from another report of a story (Compare With…): one undo
    takes back exactly what the copy added (the tags the target did not have, the mentions it
    made), one redo adds them again."""

    def __init__(self, annotator: Annotator, to_doc: int, report: CopyReport) -> None:
        n, t = len(report.copied), len(report.tags)
        what = [f"{n} mention{'s' if n != 1 else ''}"] if n else []
        what += [f"{t} tag{'s' if t != 1 else ''}"] if t else []
        super().__init__(annotator, f"Copy {' and '.join(what)} to another report")
        self.doc = to_doc
        self.tags = list(report.tags)
        self.anns = list(report.copied)

    def _edit(self) -> Edit:
        return Edit((self.doc,), tags=bool(self.tags), entities=bool(self.anns))

    def do_again(self) -> Edit:
        if self.tags:
            self.lib.tag(self.doc, self.tags)
        self.anns = [self.lib.restore_annotation(a) for a in self.anns]
        return self._edit()

    def take_back(self) -> Edit:
        # delete_annotation returns each as it is now: a note added since comes back on redo
        self.anns = [self.lib.delete_annotation(a.id) for a in self.anns]
        if self.tags:
            self.lib.untag(self.doc, self.tags)
        return self._edit()


class EntityEditCommand(_Command):
    """A registry edit (merge, rename, retype, alias): undone with ``registry.undo_edit``."""

    def __init__(
        self,
        annotator: Annotator,
        edit: registry.EntityEdit,
        again: Callable[[], registry.EntityEdit],
    ) -> None:
        super().__init__(annotator, edit.description)
        self.edit = edit
        self.again = again

    def do_again(self) -> Edit:
        self.edit = self.again()
        return Edit(self.edit.documents, entities=True)

    def take_back(self) -> Edit:
        registry.undo_edit(self.lib, self.edit)
        return Edit(self.edit.documents, entities=True)


class Annotator(QObject):
    """The window's annotating operations over one :class:`Library`, with the undo stack.

    Offsets are code points into the document's body (the article converts Qt positions with
    :mod:`reader.ui.offsets` before calling here).
    """

    changed = Signal(object)  # Edit
    failed = Signal(str)  # a message for people (the edit did not happen)

    def __init__(self, library: Library, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.stack = QUndoStack(self)
        self.stack.setUndoLimit(500)

    # ----------------------------------------------------------------------------- plumbing

    def _run(self, fn: Callable[[], Edit], command: QUndoCommand | None = None) -> bool:
        try:
            edit = fn()
        except LibraryError as error:
            what = (
                f"Could not {command.text()[:1].lower()}{command.text()[1:]}: " if command else ""
            )
            self.failed.emit(f"{what}{error}")
            return False
        self.changed.emit(replace(edit, replay=True))
        return True

    def _push(self, command: _Command, edit: Edit) -> None:
        self.stack.push(command)  # its first redo is skipped: the edit is made
        self.changed.emit(edit)

    def _try(self, fn: Callable[[], object]) -> object | None:
        try:
            return fn()
        except LibraryError as error:
            self.failed.emit(str(error))
            return None

    # ------------------------------------------------------------------------- annotations

    def highlight(
        self, doc_id: int, start: int, end: int, color: str = "yellow", note: str | None = None
    ) -> Annotation | None:
        ann = self._try(lambda: self.library.add_highlight(doc_id, start, end, color, note))
        if isinstance(ann, Annotation):
            label = f"Highlight “{short(ann.text)}”" + (" with a note" if note else "")
            self._push(AddAnnotation(self, ann, label), Edit((doc_id,)))
            return ann
        return None

    def tag_entity(
        self, doc_id: int, start: int, end: int, type_: str, entity: str | None = None
    ) -> Annotation | None:
        ann = self._try(lambda: self.library.add_entity(doc_id, start, end, type_, entity))
        if isinstance(ann, Annotation):
            label = f"Tag “{short(ann.text)}” as {type_}"
            self._push(AddAnnotation(self, ann, label), Edit((doc_id,), entities=True))
            return ann
        return None

    def update(self, ann: Annotation, **fields: object) -> Annotation | None:
        if all(getattr(ann, k) == v for k, v in fields.items()):
            return ann
        after = self._try(lambda: self.library.update_annotation(ann.id, **fields))
        if isinstance(after, Annotation):
            what = "note" if set(fields) == {"note"} else "/".join(fields)
            label = f"Edit {what} of “{short(ann.text)}”"
            self._push(UpdateAnnotation(self, ann, fields, label), Edit((ann.document_id,)))
            return after
        return None

    def set_note(self, ann: Annotation, note: str) -> Annotation | None:
        return self.update(ann, note=note.strip() or None)

    def delete(self, ann: Annotation) -> bool:
        gone = self._try(lambda: self.library.delete_annotation(ann.id))
        if isinstance(gone, Annotation):
            self._push(DeleteAnnotation(self, gone), Edit((ann.document_id,)))
            return True
        return False

    def reattach(self, ann: Annotation, start: int, end: int) -> Annotation | None:
        after = self._try(lambda: self.library.reattach_annotation(ann.id, start, end))
        if isinstance(after, Annotation):
            self._push(Reattach(self, ann, after), Edit((ann.document_id,)))
            return after
        return None

    # ------------------------------------------------------------------------ document tags

    def tag_document(self, doc_id: int, names: Sequence[str], *, add: bool = True) -> bool:
        have = set(self._try(lambda: self.library.document_tags(doc_id)) or [])
        names = [" ".join(n.split()) for n in names if n.strip()]
        names = [n for n in names if (n not in have) == add]
        if not names:
            return False
        op = self.library.tag if add else self.library.untag
        if self._try(lambda: op(doc_id, names)) is None:
            return False
        self._push(TagDocument(self, doc_id, names, add), Edit((doc_id,), tags=True))
        return True

    # -------------------------------------------------------------------------- suggestions

    def accept(self, doc_id: int, s: suggest.Suggestion) -> Annotation | None:
        ann = self._try(lambda: suggest.accept(self.library, doc_id, s))
        if isinstance(ann, Annotation):
            label = f"Accept “{short(s.text)}” as {s.type}"
            self._push(AddAnnotation(self, ann, label), Edit((doc_id,), entities=True))
            return ann
        return None

    def reject(self, doc_id: int, s: suggest.Suggestion) -> bool:
        if self._try(lambda: suggest.reject(self.library, doc_id, s)) is None:
            return False
        self._push(RejectSuggestion(self, doc_id, s), Edit((doc_id,)))
        return True

    # ------------------------------------------------------------------- other reports
    def copy_from(self, from_doc: int, to_doc: int) -> CopyReport | None:
        """Copy ``from_doc``'s tags and entity mentions to ``to_doc`` (another report of the
        same story): one undo step. None when the library refused (``failed`` says why)."""
        report = self._try(lambda: copy_annotations(self.library, from_doc, to_doc))
        if not isinstance(report, CopyReport):
            return None
        if report.tags or report.copied:
            command = CopyAnnotations(self, to_doc, report)
            self._push(command, command._edit())
        return report

    # --------------------------------------------------------------------- batches, registry

    def batch_done(self, result: everywhere.BatchResult) -> None:
        """A tag-everywhere finished (in a worker or here): one undo step for all of it."""
        if result.count:
            self._push(TagBatch(self, result), Edit(result.documents, entities=True))

    def merge(self, keep: str, absorb: str) -> bool:
        def again() -> registry.EntityEdit:
            return registry.merge_entities(self.library, keep, absorb)

        edit = self._try(again)
        if not isinstance(edit, registry.EntityEdit):
            return False
        self._push(EntityEditCommand(self, edit, again), Edit(edit.documents, entities=True))
        return True

    # --------------------------------------------------------------------------- undo, redo

    def undo(self) -> None:
        self.stack.undo()

    def redo(self) -> None:
        self.stack.redo()
