"""Stories and markets: the same event across outlets, a symbol's price across dumps.

Plain Python over a :class:`~reader.library.library.Library`; never imports Qt.

* :mod:`~reader.stories.grouping` — :func:`update_stories` (incremental, for new and changed
  documents), :func:`group_pending` (what an import left ungrouped, a batch per transaction),
  :func:`rebuild_stories`, :func:`pending_documents`.
* :mod:`~reader.stories.queries` — :func:`stories`, :func:`story`, :func:`story_of`,
  :func:`story_documents`, :func:`story_ids`; for the document list grouped by story,
  :func:`group_by_story` and :func:`stories_by_id`.
* :mod:`~reader.stories.compare` — :func:`compare_reports`: sentence alignment of two bodies.
* :mod:`~reader.stories.copying` — :func:`copy_annotations`: tags and entity mentions carried
  over to another report.
* :mod:`~reader.stories.markets` — :func:`history`, :func:`symbols_with_history`.
* :mod:`~reader.stories.dates` — which day a page belongs to (its own date, else its path's).
* :mod:`~reader.stories.text` — what grouping reads of a body (:func:`summarise`).
* :mod:`~reader.stories.commands` — ``reader stories`` and ``reader history``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reader.lazy import lazy_attributes

if TYPE_CHECKING:
    from reader.stories.compare import AlignedSentence, Comparison, compare_reports
    from reader.stories.copying import CopyReport, copy_annotations
    from reader.stories.dates import PageDate, date_from_path, page_date
    from reader.stories.grouping import (
        StoryReport,
        group_pending,
        pending_documents,
        rebuild_stories,
        update_stories,
    )
    from reader.stories.markets import (
        HistoryPoint,
        SymbolInfo,
        TickerHistory,
        history,
        symbols_with_history,
    )
    from reader.stories.queries import (
        GroupedDocuments,
        Story,
        StoryGroup,
        StoryMember,
        group_by_story,
        stories,
        stories_by_id,
        story,
        story_documents,
        story_ids,
        story_of,
    )
    from reader.stories.text import Summary, summarise

# Names load on first use (PEP 562): importing one submodule, or building the command line's
# parser, must not import every format and rapidfuzz with it (a tenth of a second at start).
_LAZY = {
    "AlignedSentence": "reader.stories.compare",
    "Comparison": "reader.stories.compare",
    "CopyReport": "reader.stories.copying",
    "GroupedDocuments": "reader.stories.queries",
    "HistoryPoint": "reader.stories.markets",
    "PageDate": "reader.stories.dates",
    "Story": "reader.stories.queries",
    "StoryGroup": "reader.stories.queries",
    "StoryMember": "reader.stories.queries",
    "StoryReport": "reader.stories.grouping",
    "Summary": "reader.stories.text",
    "SymbolInfo": "reader.stories.markets",
    "TickerHistory": "reader.stories.markets",
    "compare_reports": "reader.stories.compare",
    "copy_annotations": "reader.stories.copying",
    "date_from_path": "reader.stories.dates",
    "group_pending": "reader.stories.grouping",
    "group_by_story": "reader.stories.queries",
    "history": "reader.stories.markets",
    "page_date": "reader.stories.dates",
    "pending_documents": "reader.stories.grouping",
    "rebuild_stories": "reader.stories.grouping",
    "stories": "reader.stories.queries",
    "stories_by_id": "reader.stories.queries",
    "story": "reader.stories.queries",
    "story_documents": "reader.stories.queries",
    "story_ids": "reader.stories.queries",
    "story_of": "reader.stories.queries",
    "summarise": "reader.stories.text",
    "symbols_with_history": "reader.stories.markets",
    "update_stories": "reader.stories.grouping",
}


__getattr__ = lazy_attributes(__name__, _LAZY)

__all__ = [
    "AlignedSentence",
    "Comparison",
    "CopyReport",
    "GroupedDocuments",
    "HistoryPoint",
    "PageDate",
    "Story",
    "StoryGroup",
    "StoryMember",
    "StoryReport",
    "Summary",
    "SymbolInfo",
    "TickerHistory",
    "compare_reports",
    "copy_annotations",
    "date_from_path",
    "group_by_story",
    "group_pending",
    "history",
    "page_date",
    "pending_documents",
    "rebuild_stories",
    "stories",
    "stories_by_id",
    "story",
    "story_documents",
    "story_ids",
    "story_of",
    "summarise",
    "symbols_with_history",
    "update_stories",
]
