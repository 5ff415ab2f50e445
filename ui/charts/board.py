"""The Dashboard's charts in one GraphicsLayoutWidget (one scene: one PNG holds them all)."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QEvent
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget
from pyqtgraph.exporters import ImageExporter

from ui.charts.data import DashboardData
from ui.charts.specs import CHARTS
from ui.charts.theme import theme_from
from ui.charts.time_chart import TimeChart

# (row, column, columns spanned) of each chart in CHARTS order; accuracy gets the full width.
PLACES = {"reputation": (0, 0, 1), "pending": (0, 1, 1), "pool": (1, 0, 1), "deposit": (1, 1, 1),
          "accuracy": (2, 0, 2)}
NO_ACCOUNT_TEXT = "Select an account (top right)\nto see its reputation and refunds."  # fits a half-width chart


class ChartBoard(pg.GraphicsLayoutWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # The scene's right-click "Export..." dialog offers SVG, which fails on PySide6 >= 6.11;
        # the page's buttons export PNG and CSV instead.
        self.scene().contextMenu = []
        self.ci.setSpacing(14)
        self.ci.setContentsMargins(4, 4, 4, 4)
        self.charts: dict[str, TimeChart] = {}
        for spec in CHARTS:
            row, col, span = PLACES[spec.key]
            self.charts[spec.key] = TimeChart(self.ci, spec, row, col, span)
        # One time range for all: zoom one, the others follow. Not setXLink: it aligns linked views
        # by screen position, which is wrong for the full-width accuracy chart.
        self._following = False
        for chart in self.charts.values():
            chart.plot.vb.sigXRangeChanged.connect(self._follow)
        self.apply_palette()

    def apply_palette(self) -> None:
        theme = theme_from(self.palette())
        self.setBackground(theme.background)
        for chart in self.charts.values():
            chart.apply_theme(theme)

    def _follow(self, source: pg.ViewBox, x_range: tuple[float, float]) -> None:
        if self._following:
            return
        self._following = True
        try:
            for chart in self.charts.values():
                if chart.plot.vb is not source:
                    chart.plot.vb.setXRange(*x_range, padding=0)
        finally:
            self._following = False

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        changed = event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange)
        if changed and hasattr(self, "charts"):  # Qt sends one while the base class is being built
            self.apply_palette()  # light <-> dark: pyqtgraph does not follow the palette by itself

    def show_data(self, data: DashboardData) -> None:
        """GUI thread: setData on every curve, then one shared time range up to the chain's now."""
        for key, chart in self.charts.items():
            note = NO_ACCOUNT_TEXT if data.account is None and key in ("reputation", "pending") else None
            chart.show(data.series, data.now, note)
        starts = [float(c.buffers[k].x[0]) for c in self.charts.values() for k in c.buffers if c.buffers[k].size]
        start = min(starts) if starts else data.now - 3600.0
        stop = max(float(data.now), start + 60.0)  # a lone event still gets a readable minute of axis
        self._following = True  # each chart gets the range once, not once more per chart following it
        try:
            for chart in self.charts.values():
                chart.set_time_range(start, stop)
        finally:
            self._following = False

    def render_image(self) -> QImage:
        """The whole board as an image (GUI thread: pyqtgraph renders the scene)."""
        return ImageExporter(self.ci).export(toBytes=True)
