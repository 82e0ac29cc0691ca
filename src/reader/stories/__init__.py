"""Stories and markets: the same event across outlets, a symbol's price across dumps.

Plain Python over a :class:`~reader.library.library.Library`; never imports Qt.

* :mod:`~reader.stories.grouping` — :func:`update_stories` (incremental, called by the importer
  for new and changed documents), :func:`rebuild_stories`, :func:`pending_documents`.
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

from reader.stories.compare import AlignedSentence, Comparison, compare_reports
from reader.stories.copying import CopyReport, copy_annotations
from reader.stories.dates import PageDate, date_from_path, page_date
from reader.stories.grouping import (
    StoryReport,
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
