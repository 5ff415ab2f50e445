"""One Dashboard chart: its question and legend, today's value as a large number beside them, and a
PlotItem with a date axis, value axes in their units, its curves created once.

``show`` only moves numbers into the curves' buffers and calls ``setData`` (GUI thread, cheap);
everything it shows was computed in the runner. ``show_cursor`` draws the hover crosshair and reads
every series at that moment.
"""

from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsItem

from dacwallet.usecases.exports import ChartSeries
from ui.charts.axes import TimeAxis, ValueAxis, decimals, percent_range, time_label
from ui.charts.buffer import CurveBuffer
from ui.charts.specs import COUNT, ETH, LEFT, PERCENT, ChartSpec, CurveSpec
from ui.charts.text_cell import TextCell
from ui.charts.theme import ChartTheme
from ui.charts.thinning import thin_when_many

# Past this many points per curve pyqtgraph draws only what is in view, a few samples per pixel.
SYMBOLS_UP_TO = 500  # per-contribution dots help with a few points and only clutter with many
HEADING_HEIGHT = 46  # the question, and the legend under it (a legend box would hide data)
SETTLE_EVENTS = 10  # a running share's first levels are noise; the accuracy axis does not fit them


def format_value(value: float, kind: str, step: float | None = None) -> str:
    """A plotted value in its unit: '0.0123 ETH', '3', '86.4 %'."""
    if kind == COUNT:
        return f"{value:,.0f}"
    if kind == PERCENT:
        return f"{value:.1f} %"
    places = max(4, decimals(step) + 1) if step else 4
    text = f"{value:,.{places}f}".rstrip("0").rstrip(".") if value else "0"
    return f"{text} ETH"


def level_at(times: np.ndarray, values: np.ndarray, moment: float) -> float | None:
    """The value holding at ``moment``: the last one at or before it (None before the first)."""
    index = int(np.searchsorted(times, moment, side="right")) - 1
    return None if index < 0 else float(values[index])


class TimeChart:
    def __init__(self, layout: pg.GraphicsLayout, spec: ChartSpec, row: int, col: int, colspan: int = 1) -> None:
        self.spec = spec
        self.cell: pg.GraphicsLayout = layout.addLayout(row=row, col=col, colspan=colspan)
        self.cell.setSpacing(0)
        self.cell.setContentsMargins(0, 0, 0, 0)
        self.heading = TextCell(Qt.AlignmentFlag.AlignLeft)
        self.figure = TextCell(Qt.AlignmentFlag.AlignRight, shrink=False)  # today's value, large; never wraps
        self.cell.addItem(self.heading, row=0, col=0)
        self.cell.addItem(self.figure, row=0, col=1)
        self.cell.layout.setRowFixedHeight(0, HEADING_HEIGHT)
        self.cell.layout.setColumnStretchFactor(0, 1)
        axes = {"bottom": TimeAxis(), "left": ValueAxis("left", spec.left_kind)}
        if spec.right_kind is not None:
            axes["right"] = ValueAxis("right", spec.right_kind)
        self.plot: pg.PlotItem = self.cell.addPlot(row=1, col=0, colspan=2, axisItems=axes)
        self.plot.setLabel("left", spec.left)
        self.plot.showGrid(x=False, y=True, alpha=0.15)  # level lines help reading; time gridlines cost paint time
        self.plot.setMenuEnabled(False)  # its menu offers SVG export, which fails on PySide6 >= 6.11
        self.plot.hideButtons()
        self.plot.setMouseEnabled(x=True, y=False)  # zoom and pan in time only; values keep their range
        self.right: pg.ViewBox | None = None
        if spec.right is not None:
            self._add_right_axis(spec.right)
        self.buffers: dict[str, CurveBuffer] = {}
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.present: tuple[str, ...] = ()  # keys of the curves that have a series (the legend's)
        self._theme: ChartTheme | None = None
        self._figure: tuple[str, str] = ("", "")
        self._y_ranges: dict[str, tuple[float, float]] = {}  # set only when changed: a new range redraws the axis
        self._out_of_view: dict[str, str] = {}  # curves whose level now is above or below the range: where
        self._without_ether = False  # a points model's chart: no ether curves (see show)
        for curve in spec.curves:
            self._add_curve(curve)
        for item in (
            *(self.plot.getAxis(name) for name in ("left", "bottom", "right")),
            self.heading.item,
            self.figure.item,
        ):
            # Axes and headings change only with the data; between changes a repaint (the status bar
            # ticking, a tooltip) blits a cached pixmap instead of replaying their text: 13 -> 5 ms a frame.
            item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.heading.setToolTip(self._contract_names())
        self.empty = pg.TextItem(spec.empty, anchor=(0.5, 0.5))
        self.empty.setParentItem(self.plot.vb)
        self.cursor = pg.InfiniteLine(angle=90, movable=False)
        self.cursor.setVisible(False)
        self.plot.addItem(self.cursor, ignoreBounds=True)
        self.readout = pg.TextItem("", anchor=(0, 0))
        self.readout.setParentItem(self.plot.vb)
        self.readout.setZValue(20)
        self.readout.setVisible(False)
        self.plot.vb.sigResized.connect(self._place_overlays)
        self.plot.vb.sigResized.connect(self._fit_values)  # the end ticks' room is in pixels

    # --- construction ------------------------------------------------------------------------------

    def _add_right_axis(self, label: str) -> None:
        # The pyqtgraph "multiple axes" pattern: a second ViewBox over the first, x linked, own y.
        self.right = pg.ViewBox(enableMenu=False)
        self.right.setMouseEnabled(x=True, y=False)
        self.plot.showAxis("right")
        self.plot.scene().addItem(self.right)
        axis = self.plot.getAxis("right")
        axis.linkToView(self.right)
        axis.setLabel(label)
        self.right.setXLink(self.plot)
        self.plot.vb.sigResized.connect(self._sync_right)

    def _sync_right(self) -> None:
        if self.right is not None:
            self.right.setGeometry(self.plot.vb.sceneBoundingRect())
            self.right.linkedViewChanged(self.plot.vb, self.right.XAxis)

    def _add_curve(self, curve: CurveSpec) -> None:
        item = pg.PlotDataItem(name=curve.name, symbol=None if curve.step else "o", symbolSize=6)
        view = self.plot.vb if curve.axis == LEFT else self.right
        assert view is not None  # a spec with right-axis curves names its right axis
        view.addItem(item)
        self.curves[curve.key] = item
        self.buffers[curve.key] = CurveBuffer(curve.step)

    def _contract_names(self) -> str:
        return "\n".join(f"{c.name}: {c.contract_name}" for c in self.spec.curves)

    def _place_overlays(self) -> None:
        rect = self.plot.vb.boundingRect()
        self.empty.setPos(QPointF(rect.center()))

    # --- data ------------------------------------------------------------------------------------

    def show(
        self,
        series: ChartSeries,
        now: int,
        figure: tuple[str, str],
        empty_text: str | None = None,
        without_ether: bool = False,
    ) -> None:
        """Feeds every curve with ``setData``; ``figure`` is today's value and what it counts; shows
        ``empty_text`` (or the spec's) when nothing is drawn. ``without_ether`` (a points model): the ether
        curves are left empty and their axis unnamed, since such a model holds no ether."""
        if without_ether != self._without_ether:
            self._without_ether = without_ether
            if self.spec.left_kind == ETH:
                self.plot.setLabel("left", "" if without_ether else self.spec.left)
        drawn = 0
        for curve in self.spec.curves:
            picked = None if without_ether and curve.kind == ETH else curve.pick(series)
            buffer, item = self.buffers[curve.key], self.curves[curve.key]
            if picked is None:
                buffer.load(np.zeros(0), np.zeros(0), now)
            else:
                buffer.load(picked[0], picked[1], now, curve.scale)
            if thin_when_many(item, buffer.size):
                self._style_curve(curve)  # thin pens past 10^4 points: Qt strokes width-1 lines much faster
            if not curve.step and (buffer.size <= SYMBOLS_UP_TO) != (item.opts["symbol"] is not None):
                # One dot per event, never joined: a line between two deposits would say the cost slid. Past
                # a few hundred the dots merge into a band anyway, and a scatter of 10^5 costs seconds a
                # redraw: a thin line through them draws the same band in milliseconds.
                item.setSymbol("o" if buffer.size <= SYMBOLS_UP_TO else None)
                self._style_curve(curve)
            item.setData(buffer.x, buffer.y)
            drawn += buffer.size
        present = tuple(c.key for c in self.spec.curves if self.buffers[c.key].size)  # the legend names what is drawn
        if present != self.present:
            self.present = present
            self._set_heading()
        if figure != self._figure:
            self._figure = figure
            self._set_figure()
        self.empty.setText(empty_text or self.spec.empty)
        self.empty.setVisible(drawn == 0 or empty_text is not None)
        self._fit_values()

    def legend_text(self) -> str:
        """The legend line as plain text (what a reader sees under the title)."""
        return "   ".join(c.name for c in self.spec.curves if c.key in self.present)

    def figure_text(self) -> str:
        """Today's value and its caption as plain text."""
        return " ".join(self._figure).strip()

    def _colour(self, curve: CurveSpec) -> str:
        assert self._theme is not None
        return self._theme.curves[self.spec.curves.index(curve) % len(self._theme.curves)]

    def _set_heading(self) -> None:
        theme = self._theme
        if theme is None:
            return
        entries = []
        for curve in self.spec.curves:
            if curve.key in self.present:
                glyph = "&#9473;&#9473;" if curve.step else "&#9679;"
                away = self._out_of_view.get(curve.key, "")
                entries.append(
                    f"<span style='color:{self._colour(curve)}'>{glyph}</span>&nbsp;"
                    f"{html.escape(curve.name)}{html.escape(away)}"
                )
        legend = "&nbsp;&nbsp;&nbsp;".join(entries)
        self.heading.set_html(
            f"<div style='color:{theme.foreground.name()}'><span style='font-size:10pt; "
            f"font-weight:bold'>{html.escape(self.spec.title)}</span><br><span style='font-size:8pt; "
            f"color:{theme.muted.name()}'>{legend or '&nbsp;'}</span></div>"
        )

    def _set_figure(self) -> None:
        theme = self._theme
        if theme is None:
            return
        value, caption = self._figure
        self.figure.set_html(
            f"<div style='color:{theme.foreground.name()}'><span style='font-size:15pt; "
            f"font-weight:bold'>{html.escape(value)}</span><br><span style='font-size:8pt; "
            f"color:{theme.muted.name()}'>{html.escape(caption) or '&nbsp;'}</span></div>"
        )

    def _fit_values(self) -> None:
        """Counts and ether from 0 to a little above the top; percent 0-100 or, for accuracy, the data's
        range so that its movement shows; each axis ending on ticks, at least three of them."""
        height = float(self.plot.vb.height())
        for axis, view, kind in (
            (LEFT, self.plot.vb, self.spec.left_kind),
            ("right", self.right, self.spec.right_kind),
        ):
            if view is None:
                continue
            levels = [self._settled(c) for c in self._fitted(axis)]
            if kind == PERCENT:
                low, high = percent_range(levels) if self.spec.fit_percent_to_data else (0.0, 100.0)
                wanted = self.plot.getAxis(axis).fit(low, high, height, floor=0.0, ceiling=100.0)
            else:
                top = max((float(v.max()) for v in levels if len(v)), default=0.0)
                wanted = self.plot.getAxis(axis).fit(0.0, top * 1.1 if top > 0 else 1.0, height, floor=0.0)
            if self._y_ranges.get(axis) != wanted:
                self._y_ranges[axis] = wanted
                view.setYRange(*wanted, padding=0)
        self._say_out_of_view()

    def _say_out_of_view(self) -> None:
        """A curve the axis was not fitted to may lie outside it: its legend entry then gives its value now."""
        away = {}
        for curve in self.spec.curves:
            levels = self.buffers[curve.key].levels
            low, high = self._y_ranges.get(curve.axis, (-np.inf, np.inf))
            if len(levels) and not low <= levels[-1] <= high:
                where = "below" if levels[-1] < low else "above"
                away[curve.key] = f" ({format_value(float(levels[-1]), curve.kind)} now, {where} the chart)"
        if away != self._out_of_view:
            self._out_of_view = away
            self._set_heading()

    def _fitted(self, axis: str) -> list[CurveSpec]:
        """The curves an axis fits: those drawn on it; on the accuracy chart the held-out accuracy alone when
        there is one (its movement is the answer; a running share far below it would flatten it)."""
        drawn = [c for c in self.spec.curves if c.axis == axis and self.buffers[c.key].size]
        leading = [c for c in drawn if c.leads]
        return leading if self.spec.fit_percent_to_data and leading else drawn

    def _settled(self, curve: CurveSpec) -> np.ndarray:
        """The levels the value axis fits: a running share's first ones (0 % or 100 % after one event) left out."""
        levels = self.buffers[curve.key].levels
        if not curve.settles or len(levels) < 2:
            return levels
        return levels[max(SETTLE_EVENTS, len(levels) // 10) :] if len(levels) > 2 * SETTLE_EVENTS else levels[-1:]

    def _style_curve(self, curve: CurveSpec) -> None:
        if self._theme is None:
            return
        colour = self._colour(curve)
        item = self.curves[curve.key]
        dots = not curve.step and item.opts["symbol"] is not None
        item.setPen(None if dots else pg.mkPen(colour, width=1 if item.opts["autoDownsample"] else 2))
        item.setSymbolBrush(pg.mkBrush(colour))
        item.setSymbolPen(pg.mkPen(colour))

    def set_time_range(self, start: float, stop: float) -> None:
        self.plot.setXRange(start, stop, padding=0.03)

    # --- hover -----------------------------------------------------------------------------------

    def show_cursor(self, moment: float | None) -> None:
        """The crosshair at ``moment`` (chain time) and every series' value then; None hides both."""
        if moment is None or not self.present:
            self.cursor.setVisible(False)
            self.readout.setVisible(False)
            return
        self.cursor.setPos(moment)
        self.cursor.setVisible(True)
        self.readout.setHtml(self.readout_html(moment))
        # Beside the crosshair, on the side with more room, so the readout never hides the moment read.
        rect = self.plot.vb.boundingRect()
        x = self.plot.vb.mapFromView(QPointF(moment, 0.0)).x()
        right = x < rect.center().x()
        self.readout.setAnchor((0, 0) if right else (1, 0))
        self.readout.setPos(QPointF(x + (8 if right else -8), rect.top() + 2))
        self.readout.setVisible(True)

    def readout_values(self, moment: float) -> list[tuple[CurveSpec, str]]:
        """(curve, its value at ``moment`` in its unit) for every curve drawn."""
        out = []
        for curve in self.spec.curves:
            buffer = self.buffers[curve.key]
            if not buffer.size:
                continue
            times = buffer.x[0::2] if curve.step else buffer.x
            value = level_at(times, buffer.levels, moment)
            step = self._tick_step(curve)
            out.append((curve, "—" if value is None else format_value(value, curve.kind, step)))
        return out

    def _tick_step(self, curve: CurveSpec) -> float | None:
        return self.plot.getAxis(curve.axis).step if curve.kind == ETH else None

    def readout_html(self, moment: float) -> str:
        assert self._theme is not None
        rows = [f"<b>{html.escape(time_label(moment, 60, with_day=True))}</b>"]
        for curve, text in self.readout_values(moment):
            rows.append(
                f"<span style='color:{self._colour(curve)}'>{'&#9473;' if curve.step else '&#9679;'}</span>"
                f"&nbsp;{html.escape(curve.name)}: <b>{html.escape(text)}</b>"
            )
        return f"<div style='font-size:8pt; color:{self._theme.foreground.name()}'>" + "<br>".join(rows) + "</div>"

    # --- look ------------------------------------------------------------------------------------

    def apply_theme(self, theme: ChartTheme) -> None:
        self._theme = theme
        self._set_heading()
        self._set_figure()
        for name in ("left", "bottom", "right"):
            axis = self.plot.getAxis(name)
            axis.setPen(pg.mkPen(theme.muted))
            axis.setTextPen(pg.mkPen(theme.foreground))
        for curve in self.spec.curves:
            self._style_curve(curve)
        self.empty.setColor(theme.muted)
        self.cursor.setPen(pg.mkPen(theme.muted, width=1))
        back = QColor(theme.background)
        back.setAlpha(225)
        self.readout.fill = pg.mkBrush(back)
        self.readout.border = pg.mkPen(theme.muted)


__all__ = ["TimeChart", "format_value", "level_at"]
