"""The Dashboard's charts in one GraphicsLayoutWidget (one scene: one PNG holds them all)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QTimer
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
        self._steps: Iterator[bool] | None = None
        self._on_steps_done: Callable[[], None] = lambda: None
        self._step_timer = QTimer(self)  # zero-delay: the next chart after the last one has painted
        self._step_timer.setSingleShot(True)
        self._step_timer.setInterval(0)
        self._step_timer.timeout.connect(self._next_step)
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
        """GUI thread: every chart takes ``data`` now (setData on every curve, one shared time range)."""
        self._steps = None  # anything still drawn in steps is superseded
        for _ in self._chart_by_chart(data):
            pass

    def show_data_in_steps(self, data: DashboardData, on_done: Callable[[], None]) -> None:
        """The same, one chart per turn of the event loop; ``on_done`` once the last chart took it.

        Each chart then repaints alone (10-20 ms) rather than all five in one frame: with 10^4 points
        each and a syncing worker beside it, that frame took 80-100 ms, a stall a person feels.
        A newer call supersedes the steps an older one has left.
        """
        self._steps = self._chart_by_chart(data)
        self._on_steps_done = on_done
        self._next_step()

    @property
    def drawing(self) -> bool:
        """True while show_data_in_steps has charts left."""
        return self._steps is not None

    def _next_step(self) -> None:
        if self._steps is None:
            return
        if next(self._steps, None) is None:
            self._steps = None
            self._on_steps_done()
            return
        self._step_timer.start()

    def _chart_by_chart(self, data: DashboardData) -> Iterator[bool]:
        start, stop = self._time_range(data)
        for key, chart in self.charts.items():
            note = NO_ACCOUNT_TEXT if data.account is None and key in ("reputation", "pending") else None
            chart.show(data.series, data.now, note)
            self._following = True  # the chart gets the range once, not once more per chart following it
            try:
                chart.set_time_range(start, stop)
            finally:
                self._following = False
            yield True

    def _time_range(self, data: DashboardData) -> tuple[float, float]:
        """From the first event of any curve to the chain's now."""
        firsts = [float(picked[0][0]) for chart in self.charts.values() for curve in chart.spec.curves
                  if (picked := curve.pick(data.series)) is not None and len(picked[0])]
        start = min(firsts) if firsts else data.now - 3600.0
        return start, max(float(data.now), start + 60.0)  # a lone event still gets a readable minute of axis

    def render_image(self) -> QImage:
        """The whole board as an image (GUI thread: pyqtgraph renders the scene)."""
        return ImageExporter(self.ci).export(toBytes=True)
