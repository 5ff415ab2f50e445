"""Chart colours that follow the application palette (light or dark), as the rest of the app does."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QPalette

# Two curves per chart at most: a blue and an orange, each in a shade that reads on its background.
LIGHT_CURVES = ("#1565c0", "#e65100", "#2e7d32")
DARK_CURVES = ("#64b5f6", "#ffb74d", "#81c784")


@dataclass(frozen=True)
class ChartTheme:
    background: QColor
    foreground: QColor
    muted: QColor
    curves: tuple[str, ...]

    @property
    def dark(self) -> bool:
        return self.background.lightness() < 128


def theme_from(palette: QPalette) -> ChartTheme:
    background = palette.color(QPalette.ColorRole.Base)
    foreground = palette.color(QPalette.ColorRole.WindowText)
    muted = QColor(
        (2 * foreground.red() + background.red()) // 3,
        (2 * foreground.green() + background.green()) // 3,
        (2 * foreground.blue() + background.blue()) // 3,
    )
    dark = background.lightness() < 128
    return ChartTheme(background, foreground, muted, DARK_CURVES if dark else LIGHT_CURVES)
