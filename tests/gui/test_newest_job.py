"""NewestJob: a window part going away does not wait for a long read to finish."""

from __future__ import annotations

import threading
import time

from reader.library.library import Library
from reader.ui.workers import NewestJob


def _slow_count(lib: Library, request: object) -> int:
    started.set()
    # A read that runs for minutes unless interrupted.
    return lib.conn.execute(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"
    ).fetchone()[0]


started = threading.Event()


def test_close_interrupts_the_running_read(qtbot, lib: Library) -> None:
    from PySide6.QtWidgets import QWidget

    started.clear()
    owner = QWidget()  # as in the window: the job belongs to a widget
    qtbot.addWidget(owner)
    job = NewestJob(lib, _slow_count, "slow read", owner)
    answers: list[object] = []
    job.done.connect(lambda request, result: answers.append(result))
    job.request("anything")
    assert started.wait(10)
    time.sleep(0.1)  # well inside the query
    t0 = time.perf_counter()
    job.close()
    assert time.perf_counter() - t0 < 2.0
    assert not job.is_busy() and answers == []
    qtbot.wait(50)  # the ended job's signals arrive and are ignored
    assert answers == []
