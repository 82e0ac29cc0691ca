"""A shield against a reference-count bug of PySide6 6.12 on Python 3.11 and older.

In that combination every PySide method that returns nothing hands back ``None`` without taking
a reference to it, and ``Signal.emit()`` does the same with ``True``. Each call lowers the
count of those singletons by one; after some tens of thousands of calls (minutes of an import or
of scrolling) CPython frees ``None`` and aborts: "Fatal Python error: none_dealloc".

Python 3.12 made ``None``, ``True`` and ``False`` immortal, which is why the bug goes unseen
there. Here :func:`shield` gives them the same protection by raising their counts far beyond
what any session could lower (a count they can never reach zero from). It probes first and does
nothing when the installed PySide6 behaves.
"""

from __future__ import annotations

import ctypes
import sys

_done = False
_HEADROOM = 1 << 40  # a trillion calls


def _leaks() -> bool:
    from PySide6.QtCore import QObject

    probe = QObject()
    none, true = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(8):
        probe.setObjectName("probe")  # a method returning nothing
        probe.destroyed.emit()  # Signal.emit() returns True
    return sys.getrefcount(None) < none or sys.getrefcount(True) < true


def shield() -> None:
    """Protect None, True and False from PySide's lost references (once; cheap)."""
    global _done
    if _done:
        return
    _done = True
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython" or not _leaks():
        return
    for singleton in (None, True, False):
        # ob_refcnt is the first field of every CPython object.
        ctypes.c_ssize_t.from_address(id(singleton)).value += _HEADROOM
