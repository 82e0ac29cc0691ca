"""Light and dark looks: the Fusion style with a palette that follows the system or an override.

The window always uses Fusion with an explicit palette, so light and dark look the same on every
platform and a dark override works where the platform theme cannot switch. With the "system"
choice the palette follows ``QStyleHints.colorScheme`` and changes with it.

The few colours the panes need beyond the palette (ticker directions, highlight layers) come from
:func:`colors`, which picks the variant readable on the current palette.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory, QWidget

from reader.ui.settings import Theme


def system_is_dark() -> bool:
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def is_dark(theme: Theme) -> bool:
    return theme == "dark" or (theme == "system" and system_is_dark())


def _dark_palette() -> QPalette:
    p = QPalette()
    window, base, text = QColor("#2b2d30"), QColor("#1f2023"), QColor("#e4e4e4")
    disabled = QColor("#7c7f85")
    roles = {
        QPalette.ColorRole.Window: window,
        QPalette.ColorRole.WindowText: text,
        QPalette.ColorRole.Base: base,
        QPalette.ColorRole.AlternateBase: QColor("#26282b"),
        QPalette.ColorRole.ToolTipBase: QColor("#3a3d41"),
        QPalette.ColorRole.ToolTipText: text,
        QPalette.ColorRole.PlaceholderText: QColor("#8c9097"),
        QPalette.ColorRole.Text: text,
        QPalette.ColorRole.Button: QColor("#35373b"),
        QPalette.ColorRole.ButtonText: text,
        QPalette.ColorRole.BrightText: QColor("#ff6b6b"),
        QPalette.ColorRole.Light: QColor("#45484d"),
        QPalette.ColorRole.Midlight: QColor("#3a3d41"),
        QPalette.ColorRole.Mid: QColor("#2f3134"),
        QPalette.ColorRole.Dark: QColor("#18191b"),
        QPalette.ColorRole.Shadow: QColor("#000000"),
        QPalette.ColorRole.Highlight: QColor("#3b6eb5"),
        QPalette.ColorRole.HighlightedText: QColor("#ffffff"),
        QPalette.ColorRole.Link: QColor("#7aaefc"),
        QPalette.ColorRole.LinkVisited: QColor("#b18cf0"),
    }
    for role, color in roles.items():
        p.setColor(role, color)
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        p.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Highlight, QColor("#44474c"))
    return p


def apply_theme(app: QApplication, theme: Theme) -> None:
    """Give ``app`` the Fusion style and the light or dark palette ``theme`` asks for."""
    if app.style().name().lower() != "fusion":
        style = QStyleFactory.create("Fusion")
        if style is not None:
            app.setStyle(style)
    palette = _dark_palette() if is_dark(theme) else app.style().standardPalette()
    app.setPalette(palette)


def make_quiet(widget: QWidget) -> None:
    """Secondary text (metadata, counts, empty states): the palette's placeholder colour, so it
    follows every theme change by itself."""
    widget.setForegroundRole(QPalette.ColorRole.PlaceholderText)


@dataclass(frozen=True)
class Colors:
    up: QColor
    down: QColor
    flat: QColor
    search_bg: QColor  # the words of the list's search, in the article
    ticker_bg: QColor  # the mentions of the selected ticker symbol
    find_bg: QColor  # every match of find-in-document
    current_bg: QColor  # the current match
    mark_fg: QColor  # text over any of the backgrounds above
    quiet: QColor  # secondary text (metadata, empty states)


_colors_cache: dict[int, Colors] = {}


def colors(palette: QPalette | None = None) -> Colors:
    """Colours readable on ``palette`` (default: the application's). Cheap: models ask it for
    every painted cell."""
    palette = palette or QGuiApplication.palette()
    key = palette.cacheKey()
    found = _colors_cache.get(key)
    if found is None:
        if len(_colors_cache) > 16:
            _colors_cache.clear()
        found = _colors_cache[key] = _colors(palette)
    return found


def _colors(palette: QPalette) -> Colors:
    dark = palette.color(QPalette.ColorRole.Base).lightness() < 128
    quiet = palette.color(QPalette.ColorRole.PlaceholderText)
    if dark:
        return Colors(
            up=QColor("#5fd38d"),
            down=QColor("#ff7b72"),
            flat=QColor("#a0a4ab"),
            search_bg=QColor("#e8d44d"),
            ticker_bg=QColor("#7fd1e6"),
            find_bg=QColor("#f0b86e"),
            current_bg=QColor("#ff8c1a"),
            mark_fg=QColor("#111111"),
            quiet=quiet,
        )
    return Colors(
        up=QColor("#1a7f37"),
        down=QColor("#c62828"),
        flat=QColor("#5f6368"),
        search_bg=QColor("#fff176"),
        ticker_bg=QColor("#b2ebf2"),
        find_bg=QColor("#ffd59e"),
        current_bg=QColor("#ff9800"),
        mark_fg=QColor("#111111"),
        quiet=quiet,
    )
