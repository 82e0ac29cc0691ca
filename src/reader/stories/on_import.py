"""Grouping an import's new pages into stories while the import writes them.

Grouping after an import, as a second pass, read every new body a second time and placed the
pages in a separate process: measured at 10,000 pages, +222 % on the import's time (354 µs a
page). Done here instead, each page's summary (:func:`reader.stories.text.summarise`) is made in
the import's worker processes beside the parser, while they would otherwise wait for the one
writing process, and the writing process places the pages :data:`~reader.stories.grouping.BATCH`
at a time, inside the import's own transactions (:class:`reader.library.importer.PageHook`):
a page and its story are committed together, or the page is left for
:func:`~reader.stories.grouping.group_pending` (the last pages before a commit, a cancel, a page
whose text changed), which every import runs when it ends.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from reader.stories import grouping
from reader.stories.dates import page_date
from reader.stories.grouping import (
    Grouping,
    Packed,
    StoryReport,
    group_pending,
)
from reader.stories.text import summarise_packed

if TYPE_CHECKING:
    import os

    from reader.library.library import Library
    from reader.library.records import ImportReport


def import_grouped(
    lib: Library,
    paths: Iterable[str | os.PathLike[str]],
    *,
    cancel: Callable[[], bool] | None = None,
    catching_up: Callable[[], None] | None = None,
    **options: Any,
) -> ImportReport:
    """:meth:`Library.import_paths <reader.library.library.Library.import_paths>` with the new
    pages grouped into stories as they are written; then, unless cancelled, whatever is left
    ungrouped (``catching_up()`` is called first) is grouped a batch per transaction."""
    hook = ImportGrouping(lib)
    report = lib.import_paths(paths, cancel=cancel, hook=hook, **options)
    if not report.cancelled:
        if catching_up is not None:
            catching_up()
        group_pending(lib, cancel=cancel, grouping=hook.grouping)  # its index, not a new one
    return report


class ImportGrouping:
    """The importer's page hook that groups its new pages (see the module docstring)."""

    #: Runs in the import's worker processes: a body → its packed summary.
    read = staticmethod(summarise_packed)

    def __init__(self, lib: Library) -> None:
        self.grouping = Grouping(lib)
        self.waiting: list[tuple[int, str, str | None, Packed]] = []
        self.grouping_here = False  # False when the library must be read again as a whole
        self.changed = False

    @property
    def report(self) -> StoryReport:
        return self.grouping.report

    def begin(self) -> None:
        self.grouping_here = not self.grouping.begin()
        self.changed = False

    def written(self, pages: list[tuple[int, str, str | None, str, Packed]]) -> None:
        if not self.grouping_here:
            return  # a new scheme: group_pending reads the whole library again afterwards
        for doc_id, content_hash, own_date, path, packed in pages:
            found = page_date(own_date, [path])
            self.waiting.append((doc_id, content_hash, found.date if found else None, packed))
        while len(self.waiting) >= grouping.BATCH:
            self._place(grouping.BATCH)

    def _place(self, count: int) -> None:
        self.grouping.read_new(self.waiting[:count])
        del self.waiting[:count]
        self.changed = True

    def commit(self) -> None:
        if self.changed:
            self.grouping.save()
            self.changed = False

    def finish(self) -> None:
        if self.grouping_here and self.waiting:
            self._place(len(self.waiting))
        self.commit()

    def abort(self) -> None:
        self.grouping.generation = None  # what it holds may be ahead of the file
        self.waiting.clear()  # left for group_pending
        self.changed = False
