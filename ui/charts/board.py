"""The Dashboard's charts in one GraphicsLayoutWidget (one scene: one PNG holds them all).

Hovering any chart puts a crosshair at that moment on every chart, each reading its series there; a
click on one of your own deposits (ringed on "What does a contribution cost?") asks for that
contribution (``sig_contribution_clicked``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QWidget

from dacwallet.usecases.dashboard import DashboardData
from ui.charts.figures import figures
from ui.charts.specs import CHARTS
from ui.charts.theme import theme_from
from ui.charts.time_chart import TimeChart

# (row, column, columns spanned) of each chart in CHARTS order; accuracy gets the full width.
PLACES = {"reputation": (0, 0, 1), "pending": (0, 1, 1), "pool": (1, 0, 1), "deposit": (1, 1, 1), "accuracy": (2, 0, 2)}
NO_ACCOUNT_TEXT = "Select an account (top right)\nto see its reputation and refunds."  # fits a half-width chart
NO_POOL_TEXT = "No pool: this model pays points\nand takes no deposits."
OWN_POINTS_UP_TO = 5_000  # clickable rings; past this a ring per contribution only hides the chart
EXPORT_SCALE = 2.0  # PNG export: twice the screen's resolution


class ChartBoard(pg.GraphicsLayoutWidget):
    sig_contribution_clicked = Signal(int)  # the local id of one of your own contributions

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
        self.own = pg.ScatterPlotItem(size=12, symbol="o", hoverable=True, tip=None)
        self.own.setZValue(10)
        self.own.setToolTip("Your contribution: click to open it in My contributions")
        self.own.sigClicked.connect(self._own_clicked)
        self.charts["deposit"].plot.vb.addItem(self.own)
        self._hover = pg.SignalProxy(self.scene().sigMouseMoved, rateLimit=60, slot=self._hovered)
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
        self.own.setPen(pg.mkPen(theme.foreground, width=1.5))
        self.own.setBrush(pg.mkBrush(None))

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

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        changed = event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange)
        if changed and hasattr(self, "charts"):  # Qt sends one while the base class is being built
            self.apply_palette()  # light <-> dark: pyqtgraph does not follow the palette by itself

    # --- data ------------------------------------------------------------------------------------

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
        today = figures(data)
        for key, chart in self.charts.items():
            note = NO_ACCOUNT_TEXT if data.account is None and key in ("reputation", "pending") else None
            if data.pays_points and key == "pool":
                note = NO_POOL_TEXT
            chart.show(data.series, data.now, today[key], note, without_ether=data.pays_points)
            if key == "deposit":
                self._show_own(data)
            self._following = True  # the chart gets the range once, not once more per chart following it
            try:
                chart.set_time_range(start, stop)
            finally:
                self._following = False
            yield True

    def _show_own(self, data: DashboardData) -> None:
        own = data.own
        if len(own.ids) > OWN_POINTS_UP_TO:
            self.own.setData([], [])
            return
        self.own.setData(x=own.times.astype(np.float64), y=own.deposits, data=own.ids.tolist())

    def _own_clicked(self, _item: pg.ScatterPlotItem, points: np.ndarray, _event: object = None) -> None:
        if len(points):
            self.sig_contribution_clicked.emit(int(points[0].data()))

    def _time_range(self, data: DashboardData) -> tuple[float, float]:
        """From the first event of any curve to the chain's now."""
        firsts = [
            float(picked[0][0])
            for chart in self.charts.values()
            for curve in chart.spec.curves
            if (picked := curve.pick(data.series)) is not None and len(picked[0])
        ]
        start = min(firsts) if firsts else data.now - 3600.0
        return start, max(float(data.now), start + 60.0)  # a lone event still gets a readable minute of axis

    # --- hover -----------------------------------------------------------------------------------

    def _hovered(self, args: tuple[QPointF]) -> None:
        self.show_cursor_at(args[0])

    def show_cursor_at(self, scene_pos: QPointF) -> None:
        """The crosshair on every chart at the moment under ``scene_pos`` (hidden off the plots)."""
        moment = None
        for chart in self.charts.values():
            if chart.plot.vb.sceneBoundingRect().contains(scene_pos):
                moment = chart.plot.vb.mapSceneToView(scene_pos).x()
                break
        for chart in self.charts.values():
            chart.show_cursor(moment)

    def leaveEvent(self, event: QEvent) -> None:
        super().leaveEvent(event)
        for chart in self.charts.values():
            chart.show_cursor(None)

    # --- export ----------------------------------------------------------------------------------

    def render_image(self, scale: float = EXPORT_SCALE) -> QImage:
        """The whole board at ``scale`` times the screen's resolution (GUI thread: Qt paints the scene again,
        text and lines drawn sharp at that resolution, not a blown-up screenshot)."""
        ratio = scale * self.devicePixelRatioF()
        image = QImage(round(self.width() * ratio), round(self.height() * ratio), QImage.Format.Format_ARGB32)
        image.setDevicePixelRatio(ratio)
        image.fill(QColor(self.backgroundBrush().color()))
        painter = QPainter(image)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
            self.render(painter)
        finally:
            painter.end()
        return image
