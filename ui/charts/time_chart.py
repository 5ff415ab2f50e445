"""One Dashboard chart: a PlotItem with a date axis, an optional right axis, its curves created once.

``show`` only moves numbers into the curves' buffers and calls ``setData`` (GUI thread, cheap);
everything it shows was computed in the runner.
"""

from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QGraphicsItem

from dacwallet.sync.series import ChartSeries
from ui.charts.buffer import CurveBuffer
from ui.charts.specs import LEFT, ChartSpec, CurveSpec
from ui.charts.theme import ChartTheme

# Past this many points per curve pyqtgraph draws only what is in view, a few samples per pixel.
DOWNSAMPLE_FROM = 10_000
SYMBOLS_UP_TO = 500  # per-contribution dots help with a few points and only clutter with many
TITLE_HEIGHT = 44  # two lines: the title, and the legend under it (a legend box would hide data)


def count_step(top: float) -> float:
    """A whole-number tick step (1, 2, 5, 10, 20, 50, …) giving at most six ticks up to ``top``."""
    step = 1.0
    while top / step > 6:
        for factor in (2.0, 2.5, 2.0):  # 1 -> 2 -> 5 -> 10
            step *= factor
            if top / step <= 6:
                break
    return step


class TimeChart:
    def __init__(self, layout: pg.GraphicsLayout, spec: ChartSpec, row: int, col: int, colspan: int = 1) -> None:
        self.spec = spec
        self.plot: pg.PlotItem = layout.addPlot(row=row, col=col, colspan=colspan,
                                                axisItems={"bottom": pg.DateAxisItem(orientation="bottom")})
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
        self._y_ranges: dict[str, tuple[float, float]] = {}  # set only when changed: a new range redraws the axis
        for curve in spec.curves:
            self._add_curve(curve)
        for item in (*(self.plot.getAxis(name) for name in ("left", "bottom", "right")), self.plot.titleLabel):
            # Axes and titles change only with the data; between changes a repaint (the status bar
            # ticking, a tooltip) blits a cached pixmap instead of replaying their text: 13 -> 5 ms a frame.
            item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.empty = pg.TextItem(spec.empty, anchor=(0.5, 0.5))
        self.empty.setParentItem(self.plot.vb)
        self.plot.vb.sigResized.connect(self._place_overlays)

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
        item = pg.PlotDataItem(name=curve.name)
        (self.plot.vb if curve.axis == LEFT else self.right).addItem(item)
        self.curves[curve.key] = item
        self.buffers[curve.key] = CurveBuffer(curve.step)

    def _place_overlays(self) -> None:
        rect = self.plot.vb.boundingRect()
        self.empty.setPos(QPointF(rect.center()))

    # --- data ------------------------------------------------------------------------------------

    def show(self, series: ChartSeries, now: int, empty_text: str | None = None) -> None:
        """Feeds every curve with ``setData``; shows ``empty_text`` (or the spec's) when nothing is drawn."""
        drawn = 0
        for curve in self.spec.curves:
            picked = curve.pick(series)
            buffer, item = self.buffers[curve.key], self.curves[curve.key]
            if picked is None:
                buffer.load(np.zeros(0), np.zeros(0), now)
            else:
                buffer.load(picked[0], picked[1], now, curve.scale)
            many = buffer.size > DOWNSAMPLE_FROM
            if many != item.opts["autoDownsample"]:
                item.setDownsampling(auto=many, method="peak")
                item.setClipToView(many)
                item.opts["autoDownsampleFactor"] = 2.0  # peak keeps extremes: 2 samples a pixel look the same
                self._style_curve(curve)  # thin pens past 10^4 points: Qt strokes width-1 lines much faster
            if not curve.step:
                item.setSymbol("o" if buffer.size <= SYMBOLS_UP_TO else None)
            item.setData(buffer.x, buffer.y)
            drawn += buffer.size
        present = tuple(c.key for c in self.spec.curves if self.buffers[c.key].size)  # the legend names what is drawn
        if present != self.present:
            self.present = present
            self._set_title()
        self.empty.setText(empty_text or self.spec.empty)
        self.empty.setVisible(drawn == 0 or empty_text is not None)
        self._fit_values()

    def legend_text(self) -> str:
        """The legend line as plain text (what a reader sees under the title)."""
        return "   ".join(c.name for c in self.spec.curves if c.key in self.present)

    def _set_title(self) -> None:
        theme = self._theme
        if theme is None:
            return
        entries = []
        for index, curve in enumerate(self.spec.curves):
            if curve.key in self.present:
                colour = theme.curves[index % len(theme.curves)]
                glyph = "&#9473;&#9473;" if curve.step else "&#9679;"
                entries.append(f"<span style='color:{colour}'>{glyph}</span>&nbsp;{html.escape(curve.name)}")
        legend = "&nbsp;&nbsp;&nbsp;".join(entries)
        text = (f"<b>{html.escape(self.spec.title)}</b><br>"
                f"<span style='font-size:8pt; color:{theme.muted.name()}'>{legend or '&nbsp;'}</span>")
        self.plot.setTitle(text, color=theme.foreground, size="10pt")
        self.plot.titleLabel.setMaximumHeight(TITLE_HEIGHT)
        self.plot.layout.setRowFixedHeight(0, TITLE_HEIGHT)

    def _fit_values(self) -> None:
        """y from 0 (every series here is a count, an amount or a share) to a little above the top."""
        for axis, view, percent, count in ((LEFT, self.plot.vb, self.spec.left_percent, self.spec.left_count),
                                           ("right", self.right, self.spec.right_percent, self.spec.right_count)):
            if view is None:
                continue
            tops = [float(self.buffers[c.key].levels.max()) for c in self.spec.curves
                    if c.axis == axis and self.buffers[c.key].size]
            top = 100.0 if percent else (max(tops) if tops and max(tops) > 0 else 1.0)
            if count:
                top = top + max(1.0, top * 0.1)  # a count of 1 sits mid-chart, not on the frame
                step = count_step(top)
                self.plot.getAxis(axis).setTickSpacing(step, step)
            else:
                top *= 1.08
            # From a little under 0, so the 0 tick and the zero level stay visible.
            wanted = (-top * 0.07, top)
            if self._y_ranges.get(axis) != wanted:
                self._y_ranges[axis] = wanted
                view.setYRange(*wanted, padding=0)

    def _style_curve(self, curve: CurveSpec) -> None:
        if self._theme is None:
            return
        colour = self._theme.curves[self.spec.curves.index(curve) % len(self._theme.curves)]
        item = self.curves[curve.key]
        item.setPen(pg.mkPen(colour, width=1 if item.opts["autoDownsample"] else 2))
        item.setSymbolBrush(pg.mkBrush(colour))
        item.setSymbolPen(pg.mkPen(colour))
        item.setSymbolSize(6)

    def set_time_range(self, start: float, stop: float) -> None:
        self.plot.setXRange(start, stop, padding=0.03)

    # --- look ------------------------------------------------------------------------------------

    def apply_theme(self, theme: ChartTheme) -> None:
        self._theme = theme
        self._set_title()
        for name in ("left", "bottom", "right"):
            axis = self.plot.getAxis(name)
            axis.setPen(pg.mkPen(theme.muted))
            axis.setTextPen(pg.mkPen(theme.foreground))
        for curve in self.spec.curves:
            self._style_curve(curve)
        self.empty.setColor(theme.muted)


__all__ = ["DOWNSAMPLE_FROM", "TimeChart"]
