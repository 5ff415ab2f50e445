"""The Simulation page's two live charts: each agent's balance (% of its start) and the model's accuracy,
over simulated days (a plain day axis: a simulation's chain time has no meaning as a calendar date).

Points arrive one at a time (``add_balance``, ``add_accuracy``) into growable numpy logs; ``redraw``
moves them into the shared step-curve buffers (ui.charts.buffer) and calls ``setData``. The page calls
``redraw`` from a timer, so a burst of events costs one paint. Curves are created once per run (the
agents are known when it starts), never per update. GUI thread only.
"""

from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtWidgets import QWidget

from ui.charts.axes import ValueAxis, percent_range
from ui.charts.buffer import CurveBuffer
from ui.charts.specs import PERCENT
from ui.charts.theme import ChartTheme, theme_from
from ui.charts.thinning import thin_when_many

TITLE_HEIGHT = 44  # the title and a legend line under it, as on the Dashboard (a legend box would hide data)
EMPTY_TEXT = "Press Run to start a simulation."
SYMBOLS_UP_TO = 300  # dots on the accuracy steps help with a few measurements, clutter with many


class SeriesLog:
    """x and y appended one point at a time; storage doubles when full, so appends rarely allocate."""

    def __init__(self, capacity: int = 64) -> None:
        self._x = np.zeros(capacity, dtype=np.float64)
        self._y = np.zeros(capacity, dtype=np.float64)
        self.size = 0

    def append(self, x: float, y: float) -> None:
        if self.size == len(self._x):
            self._x = np.concatenate([self._x, np.zeros_like(self._x)])
            self._y = np.concatenate([self._y, np.zeros_like(self._y)])
        self._x[self.size] = x
        self._y[self.size] = y
        self.size += 1

    def replace(self, xs: list[float], ys: list[float]) -> None:
        self.size = 0
        for x, y in zip(xs, ys, strict=True):
            self.append(x, y)

    @property
    def x(self) -> np.ndarray:
        return self._x[: self.size]

    @property
    def y(self) -> np.ndarray:
        return self._y[: self.size]


class _Line:
    """One curve: its log (the truth), its step buffer (what is drawn) and its plot item."""

    def __init__(self, name: str, dashed: bool) -> None:
        self.name = name
        self.dashed = dashed
        self.log = SeriesLog()
        self.buffer = CurveBuffer(step=True)
        self.item = pg.PlotDataItem(name=name)


def _plot(layout: pg.GraphicsLayout, row: int, left: str) -> pg.PlotItem:
    # Percent on the left, ticked every 1, 2, 5… points as the height allows (ui.charts.axes), never "(x0.01)".
    plot = layout.addPlot(row=row, col=0, axisItems={"left": ValueAxis("left", PERCENT)})
    plot.setLabel("left", left)
    plot.setLabel("bottom", "simulated days")
    for name in ("left", "bottom"):
        # "simulated days (x0.001)" on a short run reads as a different unit; plain decimals do not.
        plot.getAxis(name).enableAutoSIPrefix(False)
    # One width for both left axes, so the two charts' days line up on screen (setXLink matches
    # ranges, not pixels, and "100.5" is wider than "70").
    plot.getAxis("left").setWidth(62)
    plot.showGrid(x=False, y=True, alpha=0.15)
    plot.setMenuEnabled(False)  # its menu offers SVG export, which fails on PySide6 >= 6.11
    plot.hideButtons()
    plot.setMouseEnabled(x=True, y=False)  # zoom in time only; the values keep their fitted range
    return plot


class SimCharts(pg.GraphicsLayoutWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scene().contextMenu = []  # the scene's Export… offers SVG too; the page saves the run's own PNGs
        self.ci.setSpacing(14)
        self.ci.setContentsMargins(4, 4, 4, 4)
        self.balance_plot = _plot(self.ci, 0, "% of start")
        self.accuracy_plot = _plot(self.ci, 1, "%")
        self.accuracy_plot.setXLink(self.balance_plot)  # same width, one column: screen-aligned days
        # The start level: above it an agent has earned, below it lost.
        self.start_line = pg.InfiniteLine(pos=100.0, angle=0, movable=False)
        self.balance_plot.addItem(self.start_line, ignoreBounds=True)
        self.balances: dict[str, _Line] = {}
        self.accuracy = _Line("accuracy on the held-out reviews", dashed=False)
        self.accuracy_plot.addItem(self.accuracy.item)
        self.accuracy_dots = pg.ScatterPlotItem(size=5)
        self.accuracy_plot.addItem(self.accuracy_dots)
        self.now_day = 0.0
        self._theme: ChartTheme | None = None
        self._empty = []
        for plot in (self.balance_plot, self.accuracy_plot):
            text = pg.TextItem(EMPTY_TEXT, anchor=(0.5, 0.5))
            text.setParentItem(plot.vb)
            plot.vb.sigResized.connect(lambda _vb, p=plot, t=text: t.setPos(QPointF(p.vb.boundingRect().center())))
            self._empty.append(text)
        for plot in (self.balance_plot, self.accuracy_plot):
            plot.vb.sigResized.connect(lambda _vb: self._fit())  # the end ticks' room is in pixels
        self.apply_palette()

    # --- a run ------------------------------------------------------------------------------------

    def start(self, agents: list[tuple[str, str]]) -> None:
        """Forgets the last run; one balance curve per (name, role), each starting at 100% on day 0."""
        for line in self.balances.values():
            self.balance_plot.removeItem(line.item)
        self.balances = {}
        for name, role in agents:
            line = _Line(name, dashed=role == "attacker")  # dashed: an attacker reads apart in any colour
            line.log.append(0.0, 100.0)
            self.balance_plot.addItem(line.item)
            self.balances[name] = line
        self.accuracy.log.replace([], [])
        self.now_day = 0.0
        self._set_titles()
        self._style_curves()
        self.redraw()

    def add_balance(self, agent: str, day: float, pct: float) -> None:
        line = self.balances.get(agent)
        if line is not None:
            line.log.append(day, pct)
        self.now_day = max(self.now_day, day)

    def add_accuracy(self, day: float, accuracy: float) -> None:
        """Adds a level (accuracy as a fraction) when it differs from the last one: the model only
        changes on a contribution, and a step curve holds its level until the next point anyway."""
        log = self.accuracy.log
        if not log.size or log.y[-1] != accuracy * 100.0:
            log.append(day, accuracy * 100.0)
        self.now_day = max(self.now_day, day)

    def set_now(self, day: float) -> None:
        """Every step curve is drawn up to the run's current day."""
        self.now_day = max(self.now_day, day)

    def show_result(
        self, balances: list[tuple[str, float, float]], accuracy: list[tuple[float, float]], last_day: float
    ) -> None:
        """The run's own record replaces the live approximation (balances as (agent, day, pct),
        accuracy as (day, fraction)), so the charts end exactly on what ``Save outputs`` writes."""
        for name, line in self.balances.items():
            mine = [(day, pct) for agent, day, pct in balances if agent == name]
            line.log.replace([d for d, _ in mine], [p for _, p in mine])
        self.accuracy.log.replace([d for d, _ in accuracy], [a * 100.0 for _, a in accuracy])
        self.now_day = last_day
        self.redraw()

    # --- drawing ----------------------------------------------------------------------------------

    def redraw(self) -> None:
        until = self.now_day
        for line in (*self.balances.values(), self.accuracy):
            line.buffer.load(line.log.x, line.log.y, until)
            line.item.setData(line.buffer.x, line.buffer.y)
            thin_when_many(line.item, line.buffer.size)
        # Dots at the measurements only: a step buffer has two vertices per level, a symbol on each
        # would double them. Past a few hundred they only clutter.
        log = self.accuracy.log
        if log.size <= SYMBOLS_UP_TO:
            self.accuracy_dots.setData(log.x, log.y)
        else:
            self.accuracy_dots.setData([], [])
        self._empty[0].setVisible(not self.balances)
        self._empty[1].setVisible(not log.size)
        self._fit()

    def _fit(self) -> None:
        # x: day 0 to now (a minimum of an hour, so the first minutes are not one vertical smear).
        self.balance_plot.setXRange(0.0, max(self.now_day, 1 / 24), padding=0.02)
        # y: small changes are the story (a balance 2 % up, accuracy 0.3 % down): fitted to the data,
        # at least a few points tall, rather than always 0-100.
        levels = [line.log.y for line in self.balances.values() if line.log.size]
        balance = percent_range([*levels, np.array([100.0])], floor=0.0, ceiling=None)  # no balance is below 0 %
        self._fit_y(self.balance_plot, balance, floor=0.0, ceiling=None)
        accuracy = percent_range([self.accuracy.log.y]) if self.accuracy.log.size else (0.0, 100.0)
        self._fit_y(self.accuracy_plot, accuracy, floor=0.0, ceiling=100.0)

    @staticmethod
    def _fit_y(plot: pg.PlotItem, span: tuple[float, float], floor: float | None, ceiling: float | None) -> None:
        wanted = plot.getAxis("left").fit(*span, plot.vb.height(), floor, ceiling)
        if tuple(plot.vb.viewRange()[1]) != wanted:  # a new range redraws the axis
            plot.setYRange(*wanted, padding=0)

    # --- look -------------------------------------------------------------------------------------

    def _colour(self, index: int) -> str:
        curves = self._theme.curves if self._theme else ("#1565c0",)
        return curves[index % len(curves)]

    def _set_titles(self) -> None:
        theme = self._theme
        if theme is None:
            return
        entries = []
        for index, line in enumerate(self.balances.values()):
            glyph = "&#9476;&#9476;" if line.dashed else "&#9473;&#9473;"
            entries.append(f"<span style='color:{self._colour(index)}'>{glyph}</span>&nbsp;{html.escape(line.name)}")
        self._title(
            self.balance_plot,
            "Who gains, who loses? Balances, % of start",
            "&nbsp;&nbsp;&nbsp;".join(entries),
        )
        accuracy = f"<span style='color:{self._colour(0)}'>&#9473;&#9473;</span>&nbsp;{html.escape(self.accuracy.name)}"
        self._title(self.accuracy_plot, "Does the model stay accurate?", accuracy)

    def _title(self, plot: pg.PlotItem, title: str, legend: str) -> None:
        theme = self._theme
        assert theme is not None
        text = (
            f"<b>{html.escape(title)}</b><br>"
            f"<span style='font-size:8pt; color:{theme.muted.name()}'>{legend or '&nbsp;'}</span>"
        )
        plot.setTitle(text, color=theme.foreground, size="10pt")
        plot.titleLabel.setMaximumHeight(TITLE_HEIGHT)
        plot.layout.setRowFixedHeight(0, TITLE_HEIGHT)

    def _style_curves(self) -> None:
        for index, line in enumerate(self.balances.values()):
            style = Qt.PenStyle.DashLine if line.dashed else Qt.PenStyle.SolidLine
            line.item.setPen(pg.mkPen(self._colour(index), width=2, style=style))
        colour = self._colour(0)
        self.accuracy.item.setPen(pg.mkPen(colour, width=2))
        self.accuracy_dots.setBrush(pg.mkBrush(colour))
        self.accuracy_dots.setPen(pg.mkPen(colour))

    def apply_palette(self) -> None:
        theme = theme_from(self.palette())
        self._theme = theme
        self.setBackground(theme.background)
        for plot in (self.balance_plot, self.accuracy_plot):
            for name in ("left", "bottom"):
                axis = plot.getAxis(name)
                axis.setPen(pg.mkPen(theme.muted))
                axis.setTextPen(pg.mkPen(theme.foreground))
        self.start_line.setPen(pg.mkPen(theme.muted, width=1, style=Qt.PenStyle.DotLine))
        for text in self._empty:
            text.setColor(theme.muted)
        self._set_titles()
        self._style_curves()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        changed = event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange)
        if changed and hasattr(self, "accuracy"):  # Qt sends one while the base class is being built
            self.apply_palette()  # light <-> dark: pyqtgraph does not follow the palette by itself


__all__ = ["SeriesLog", "SimCharts"]
