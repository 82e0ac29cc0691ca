"""Grouping an import's new pages into stories while the import writes them.

Grouping after an import, as a second pass, read every new body a second time and placed the
pages in a separate process: measured at 10,000 pages, +222 % on the import's time (354 µs a
page). Done here instead, each page's summary (:func:`reader.stories.text.summarise_packed`,
compiled) is made in the import's worker processes beside the parser, and the pages are grouped
:data:`~reader.stories.grouping.BATCH` at a time as the writer hands them on
(:class:`reader.library.importer.PageHook`): a :class:`~reader.stories.grouper.Grouper` process
weighs, looks up and compares each batch while the writer goes on inserting, and the writer
places the compared batches in their stories inside the import's own transactions. A page is
committed with its story, or left for :func:`~reader.stories.grouping.group_pending` (the last
pages before a commit, what the grouper had not given back at a cancel, a page whose text
changed), which every import runs when it ends.

Grouping in the writer itself (no grouper) made the same stories and added +53–63 % to a
100,000-page import: the writer is the import's bottleneck, and that work was a third of its
time. An import of less than a batch, or into a library no other connection can read while it
is written (in memory), is still grouped there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from reader.library.importer import worker_context
from reader.stories import grouping
from reader.stories.dates import date_from_path
from reader.stories.grouper import AHEAD, Grouper, GrouperError
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
    hook.prepare()  # before the import starts its threads, so the grouper can be forked
    try:
        report = lib.import_paths(paths, cancel=cancel, hook=hook, **options)
    finally:
        hook.close()
    if not report.cancelled:
        if catching_up is not None:
            catching_up()
        group_pending(lib, cancel=cancel, grouping=hook.grouping)
    return report


def read_page(body: str, path: str) -> tuple[Packed, str | None]:
    """What the import's workers read of a page for the grouping: its packed summary, and the
    date its path gives it (which counts when the page has none of its own). The writer would
    otherwise parse every path itself."""
    return summarise_packed(body), date_from_path(path)


class ImportGrouping:
    """The importer's page hook that groups its new pages (see the module docstring).

    Its pages are compared in a :class:`~reader.stories.grouper.Grouper` process, once there
    is a whole batch of them and the library is a file others can read while it is written
    (WAL); otherwise, or if the grouper fails, here.
    """

    #: Runs in the import's worker processes: a page → its packed summary and path date.
    read = staticmethod(read_page)

    def __init__(self, lib: Library, *, use_grouper: bool = True) -> None:
        self.lib = lib
        self.grouping = Grouping(lib)
        self.waiting: list[tuple[int, str, str | None, Packed]] = []
        self.grouping_here = False  # False when the library must be read again as a whole
        self.gave_up = False  # the grouper failed: the rest of the import is left unread
        self.changed = False
        self.grouper: Grouper | None = None
        self.use_grouper = use_grouper and _readable_while_written(lib)

    @property
    def report(self) -> StoryReport:
        return self.grouping.report

    def begin(self) -> None:
        held = self.grouping.generation
        self.grouping_here = not self.grouping.begin() and not self.gave_up
        self.changed = False
        if self.grouper is not None and self.grouper.started and self.grouping.generation != held:
            # Another process grouped between two of the import's transactions: what the
            # grouper holds is stale, so its pages are left for group_pending.
            self._give_up()

    def written(
        self, pages: list[tuple[int, str, str | None, str, tuple[Packed, str | None]]]
    ) -> None:
        if not self.grouping_here:
            return  # a new scheme: group_pending reads the whole library again afterwards
        for doc_id, content_hash, own_date, _, (packed, path_date) in pages:  # page_date
            self.waiting.append((doc_id, content_hash, own_date or path_date, packed))
        while len(self.waiting) >= grouping.BATCH:
            batch = self.waiting[: grouping.BATCH]
            del self.waiting[: grouping.BATCH]
            self._group(batch)
        self._take(wait=False)

    def prepare(self) -> None:
        """Start the grouper process now (it waits for the first batch): call before the
        import, while this process has no other thread and the process can be forked."""
        if self.use_grouper and self.grouper is None:
            self.grouper = Grouper(self.lib.path, worker_context())

    def _group(
        self, batch: list[tuple[int, str, str | None, Packed]], *, last: bool = False
    ) -> None:
        if self.use_grouper:  # the first batch decides where the import's pages are compared
            self._start_grouper(last)
        if self.grouper is None:
            self.grouping.read_new(batch)
            self.changed = True
            return
        try:
            self.grouper.send(batch)
        except GrouperError:
            self._give_up()
            return
        if len(self.grouper.sent) > AHEAD:
            self._take(wait=True, count=1)

    def _start_grouper(self, last: bool) -> None:
        """Start the grouper (made now if :meth:`prepare` was not called), unless the import
        is less than a batch (``last``), not worth a process; without one, this process
        groups."""
        self.prepare()
        self.use_grouper = False  # one try
        if self.grouper is not None and not last:
            try:
                self.grouper.start(self.grouping.df, self.grouping.documents)
                return
            except (OSError, GrouperError):  # no process to be had
                pass
        self.close()

    def _take(self, *, wait: bool, count: int | None = None) -> None:
        """Place the batches the grouper has compared (waiting for ``count`` of them, or all,
        when ``wait``)."""
        taken = 0
        while self.grouper is not None and self.grouper.sent:
            waiting = wait and (count is None or taken < count)
            if not waiting and not self.grouper.ready():
                return
            try:
                pages, compared = self.grouper.take()
            except GrouperError:
                self._give_up()
                return
            self.grouping.place_compared(pages, compared)
            self.changed = True
            taken += 1

    def _give_up(self) -> None:
        """The grouper failed: the pages it holds stay unread, and so do the rest of the
        import's (placing them here now would put them out of order)."""
        self.close()
        self.grouping_here = False
        self.gave_up = True
        self.waiting.clear()

    def commit(self) -> None:
        self._take(wait=False)
        if self.changed:
            self.grouping.save()
            self.changed = False

    def finish(self) -> None:
        if self.grouping_here and self.waiting:
            self._group(self.waiting, last=True)
            self.waiting = []
        self._take(wait=True)
        self.commit()
        self.close()  # its work is done

    def abort(self) -> None:
        self.grouping.generation = None  # what it holds may be ahead of the file
        self.waiting.clear()  # left for group_pending
        self.changed = False
        self.close()

    def close(self) -> None:
        """Stop the grouper process, if one runs (what it has not given back stays unread)."""
        if self.grouper is not None:
            self.grouper.close()
            self.grouper = None


def _readable_while_written(lib: Library) -> bool:
    """Whether another connection can read ``lib`` while the import writes it: a file in WAL
    mode."""
    if str(lib.path) == ":memory:":
        return False
    mode = lib.conn.execute("PRAGMA journal_mode").fetchone()[0]
    return str(mode).lower() == "wal"
