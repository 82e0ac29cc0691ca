"""The table models: Qt's model tester on each, lazy paging, refresh that keeps the selection."""

from __future__ import annotations

from collections.abc import Sequence

from gui_support import PAGES, TICKER_TITLE_START, WIRE_TITLE_START, write_pages
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from reader.ingest.page import TickerRow
from reader.library.records import DocumentFilter, DocumentSummary
from reader.ui.models import (
    Answer,
    DocumentQueries,
    IdRole,
    Query,
    SymbolRole,
    TickerModel,
    answer,
)
from reader.ui.models import DocumentListModel as Model


def titles(model: Model) -> list[str]:
    return [model.data(model.index(r, 0)) for r in range(model.rowCount())]


def test_document_model_passes_the_model_tester(qtmodeltester, library) -> None:
    model = Model(library)
    qtmodeltester.check(model, force_py=True)  # stays connected: checks every change below
    model.sort(0, Qt.SortOrder.DescendingOrder)
    model.set_filter(DocumentFilter(search="tuesday"))
    model.set_filter(DocumentFilter(has_tickers=True))
    model.set_filter(DocumentFilter())
    model.refresh()


def test_document_model_rows_and_columns(library) -> None:
    model = Model(library)
    assert model.rowCount() == 3
    assert model.total == 3
    row = next(r for r in range(3) if titles(model)[r].startswith(TICKER_TITLE_START))
    assert model.data(model.index(row, 3)) == "5"  # ticker rows
    assert model.data(model.index(row, 4)) == ""  # no annotations yet
    wire = next(r for r in range(3) if titles(model)[r].startswith(WIRE_TITLE_START))
    assert model.data(model.index(wire, 1)) == "2024-01-02"
    assert model.data(model.index(wire, 2)) == "Reuters"
    assert isinstance(model.data(model.index(wire, 0), IdRole), int)
    align = Qt.AlignmentFlag(model.data(model.index(0, 3), Qt.ItemDataRole.TextAlignmentRole))
    assert align & Qt.AlignmentFlag.AlignRight


def test_document_model_sorts_in_the_library(library) -> None:
    model = Model(library)
    model.sort(0, Qt.SortOrder.AscendingOrder)
    assert titles(model) == sorted(titles(model), key=str.casefold)
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert titles(model) == sorted(titles(model), key=str.casefold, reverse=True)
    model.sort(3, Qt.SortOrder.DescendingOrder)
    assert titles(model)[0].startswith(TICKER_TITLE_START)
    model.sort(-1)  # back to import order
    assert [model.id_at(r) for r in range(3)] == sorted(model.id_at(r) for r in range(3))


def test_sorting_keeps_the_selected_document(library) -> None:
    model = Model(library)
    kept = QPersistentModelIndex(model.index(0, 0))
    doc_id = model.id_at(0)
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert model.id_at(kept.row()) == doc_id


class FakeLibrary:
    """Just the three calls the list model makes, over ``n`` documents, counting the work."""

    def __init__(self, n: int) -> None:
        self.ids = list(range(1, n + 1))
        self.summary_calls: list[int] = []

    def document_ids(self, flt=None, *, order="id", descending=False):  # noqa: ANN001, ANN201
        return list(reversed(self.ids)) if descending else list(self.ids)

    def count_documents(self, flt=None) -> int:  # noqa: ANN001
        return len(self.ids)

    def summaries(self, ids: Sequence[int]) -> list[DocumentSummary]:
        self.summary_calls.append(len(ids))
        return [DocumentSummary(i, f"Page {i}", None, None, None, 0, 0, 0) for i in ids]


def test_a_big_library_fetches_only_the_rows_asked_for() -> None:
    lib = FakeLibrary(100_000)
    model = Model(lib)  # type: ignore[arg-type]
    assert model.rowCount() == 100_000
    assert lib.summary_calls == []
    assert model.data(model.index(54_321, 0)) == "Page 54322"
    assert lib.summary_calls == [Model.PAGE]
    model.data(model.index(54_350, 0))  # same page: no query
    assert lib.summary_calls == [Model.PAGE]


def test_refresh_inserts_new_documents_and_keeps_persistent_indexes(qtmodeltester) -> None:
    lib = FakeLibrary(10)
    model = Model(lib)  # type: ignore[arg-type]
    qtmodeltester.check(model, force_py=True)
    held = QPersistentModelIndex(model.index(4, 0))
    assert model.id_at(held.row()) == 5
    inserted: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _p, first, last: inserted.append((first, last)))
    lib.ids = [*range(1, 11), 11, 12]
    model.refresh()
    assert inserted == [(10, 11)]  # appended, in place
    assert model.id_at(held.row()) == 5
    # Documents removed and others arriving in between: the held one follows its document.
    lib.ids = [20, 1, 3, 5, 7, 21]
    model.refresh()
    assert model.ids() == [20, 1, 3, 5, 7, 21]
    assert model.id_at(held.row()) == 5
    lib.ids = [1, 3]
    model.refresh()
    assert not held.isValid()


def test_refresh_sees_an_import_into_the_same_file(library, tmp_path) -> None:
    model = Model(library)
    counts: list[tuple[int, int]] = []
    model.countsChanged.connect(lambda m, t: counts.append((m, t)))
    more = {
        name.replace("00", "10", 1): text + "\nA new last line.\n" for name, text in PAGES.items()
    }
    library.import_paths([write_pages(tmp_path / "more", more)])
    model.refresh()
    assert model.rowCount() == 6
    assert counts[-1] == (6, 6)


# ------------------------------------------------------------------------------ tickers

ROWS = (
    TickerRow("BETA", "stock", 1200.5, -3.25, -0.27, "down", "BETA 1,200.50 Decreased By ▼ -3.25"),
    TickerRow("KSE100", "index", 81204.0, 212.6, 0.26, "up", "KSE100 81,204 Increased By 212.6"),
    TickerRow("ALFA", "stock", 8.06, 0.0, 0.0, "flat", "ALFA 8.06 No Change ▼ 0.00 (0%)", 2),
    TickerRow("ZED", "stock", 15.0, 1.1, 7.9, "up", "ZED 15.00 Increased By ▲ 1.10", 3),
)


def cells(model: TickerModel) -> list[list[str | None]]:
    return [
        [model.data(model.index(r, c)) for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def test_ticker_model_passes_the_model_tester(qtmodeltester) -> None:
    model = TickerModel()
    model.set_tickers(ROWS)
    qtmodeltester.check(model, force_py=True)  # stays connected: checks every change below
    model.sort(1, Qt.SortOrder.DescendingOrder)
    model.sort(-1)
    model.set_tickers(())
    model.set_tickers(ROWS[:1])


def test_ticker_model_groups_formats_and_says_direction_in_words() -> None:
    model = TickerModel()
    model.set_tickers(ROWS)
    assert cells(model) == [
        ["Stocks (3)", None, None, None, None],
        ["BETA", "1,200.50", "-3.25", "-0.27%", "▼ Down"],
        ["ALFA", "8.06", "0.00", "0.00%", "= Flat"],
        ["ZED", "15.00", "+1.10", "+7.90%", "▲ Up"],
        ["Indices (1)", None, None, None, None],
        ["KSE100", "81,204.00", "+212.60", "+0.26%", "▲ Up"],
    ]
    assert model.header_rows() == [0, 4]
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsSelectable
    assert model.flags(model.index(1, 0)) & Qt.ItemFlag.ItemIsSelectable
    assert model.data(model.index(1, 4), SymbolRole) == "BETA"
    up = model.data(model.index(3, 2), Qt.ItemDataRole.ForegroundRole)
    down = model.data(model.index(1, 2), Qt.ItemDataRole.ForegroundRole)
    assert up != down
    align = Qt.AlignmentFlag(model.data(model.index(1, 1), Qt.ItemDataRole.TextAlignmentRole))
    assert align & Qt.AlignmentFlag.AlignRight


def test_ticker_model_sorts_inside_each_group() -> None:
    model = TickerModel()
    model.set_tickers(ROWS)
    held = QPersistentModelIndex(model.index(3, 0))  # ZED
    model.sort(1, Qt.SortOrder.AscendingOrder)
    symbols = [r[0] for r in cells(model)]
    assert symbols == ["Stocks (3)", "ALFA", "ZED", "BETA", "Indices (1)", "KSE100"]
    assert model.data(QModelIndex(held)) == "ZED"
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert [r[0] for r in cells(model)][1:4] == ["ZED", "BETA", "ALFA"]
    model.sort(-1)
    assert [r[0] for r in cells(model)][1:4] == ["BETA", "ALFA", "ZED"]


class HeldQueries(DocumentQueries):
    """Keeps the questions; the test answers them when and in the order it likes."""

    def __init__(self, library) -> None:  # noqa: ANN001
        super().__init__(library)
        self.asked: list[Query] = []

    def ask(self, query: Query) -> None:
        self.asked.append(query)

    def reply(self, query: Query) -> None:
        self.answered.emit(answer(self._lib, query))


def test_only_the_newest_answer_is_applied(library) -> None:
    queries = HeldQueries(library)
    model = Model(library, queries)
    assert (model.rowCount(), model.total) == (0, 3)  # the size at once, the rows when answered
    queries.reply(queries.asked[0])
    assert model.rowCount() == 3
    model.set_filter(DocumentFilter(search="harvest"))
    model.set_filter(DocumentFilter(search="tugs"))
    assert model.is_pending()
    old, new = queries.asked[1:]
    queries.reply(new)
    assert not model.is_pending()
    assert model.data(model.index(0, 0)).startswith(WIRE_TITLE_START)
    queries.reply(old)  # late: ignored
    assert model.rowCount() == 1
    assert model.data(model.index(0, 0)).startswith(WIRE_TITLE_START)


def test_background_queries_answer_the_newest_question(qtbot, library) -> None:
    from reader.ui.workers import BackgroundQueries

    queries = BackgroundQueries(library)
    got: list[Answer] = []
    queries.answered.connect(got.append)
    try:
        asked = [
            Query(n, DocumentFilter(search=text), "relevance", False)
            for n, text in enumerate(["h", "ha", "harvest"], 1)
        ]
        for q in asked:
            queries.ask(q)
        qtbot.waitUntil(lambda: any(a.query.generation == 3 for a in got), timeout=10_000)
        assert got[-1].query.generation == 3
        assert got[-1].error is None and len(got[-1].ids) == 1
    finally:
        queries.close()
