"""One Dashboard chart: a PlotItem with a date axis, an optional right axis, its curves created once.

``show`` only moves numbers into the curves' buffers and calls ``setData`` (GUI thread, cheap);
everything it shows was computed in the runner.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF

from dacwallet.sync.series import ChartSeries
from ui.charts.buffer import CurveBuffer
from ui.charts.specs import LEFT, ChartSpec, CurveSpec
from ui.charts.theme import ChartTheme

# Past this many points per curve pyqtgraph draws only what is in view, a few samples per pixel.
DOWNSAMPLE_FROM = 10_000
SYMBOLS_UP_TO = 500  # per-contribution dots help with a few points and only clutter with many


class TimeChart:
    def __init__(self, layout: pg.GraphicsLayout, spec: ChartSpec, row: int, col: int, colspan: int = 1) -> None:
        self.spec = spec
        self.plot: pg.PlotItem = layout.addPlot(row=row, col=col, colspan=colspan,
                                                axisItems={"bottom": pg.DateAxisItem(orientation="bottom")})
        self.plot.setTitle(spec.title)
        self.plot.setLabel("left", spec.left)
        self.plot.showGrid(x=True, y=True, alpha=0.15)
        self.plot.setMenuEnabled(False)  # its menu offers SVG export, which fails on PySide6 >= 6.11
        self.plot.hideButtons()
        self.plot.setMouseEnabled(x=True, y=False)  # zoom and pan in time only; values keep their range
        self.right: pg.ViewBox | None = None
        if spec.right is not None:
            self._add_right_axis(spec.right)
        self.legend = pg.LegendItem(offset=(6, 4), verSpacing=-6)
        self.legend.setParentItem(self.plot.vb)
        self.buffers: dict[str, CurveBuffer] = {}
        self.curves: dict[str, pg.PlotDataItem] = {}
        self._in_legend: set[str] = set()
        for curve in spec.curves:
            self._add_curve(curve)
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
        item = pg.PlotDataItem(name=curve.name, stepMode="center" if curve.step else None)
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
            item.setDownsampling(auto=many, method="peak")
            item.setClipToView(many)
            if not curve.step:
                item.setSymbol("o" if buffer.size <= SYMBOLS_UP_TO else None)
            item.setData(buffer.x, buffer.y)
            self._legend_entry(curve, picked is not None)
            drawn += buffer.size
        self.empty.setText(empty_text or self.spec.empty)
        self.empty.setVisible(drawn == 0 or empty_text is not None)
        self._fit_values()

    def _legend_entry(self, curve: CurveSpec, present: bool) -> None:
        if present and curve.key not in self._in_legend:
            self.legend.addItem(self.curves[curve.key], curve.name)
            self._in_legend.add(curve.key)
        elif not present and curve.key in self._in_legend:
            self.legend.removeItem(self.curves[curve.key])
            self._in_legend.discard(curve.key)

    def _fit_values(self) -> None:
        """y from 0 (every series here is a count, an amount or a share) to a little above the top."""
        for axis, view, percent in ((LEFT, self.plot.vb, self.spec.left_percent),
                                    ("right", self.right, self.spec.right_percent)):
            if view is None:
                continue
            tops = [float(self.buffers[c.key].y.max()) for c in self.spec.curves
                    if c.axis == axis and self.buffers[c.key].size]
            top = 100.0 if percent else (max(tops) if tops and max(tops) > 0 else 1.0)
            view.setYRange(0.0, top * 1.08, padding=0)

    def set_time_range(self, start: float, stop: float) -> None:
        self.plot.setXRange(start, stop, padding=0.03)

    # --- look ------------------------------------------------------------------------------------

    def apply_theme(self, theme: ChartTheme) -> None:
        self.plot.setTitle(self.spec.title, color=theme.foreground, size="10pt", bold=True)
        for name in ("left", "bottom", "right"):
            axis = self.plot.getAxis(name)
            axis.setPen(pg.mkPen(theme.muted))
            axis.setTextPen(pg.mkPen(theme.foreground))
        for index, curve in enumerate(self.spec.curves):
            colour = theme.curves[index % len(theme.curves)]
            item = self.curves[curve.key]
            item.setPen(pg.mkPen(colour, width=2))
            item.setSymbolBrush(pg.mkBrush(colour))
            item.setSymbolPen(pg.mkPen(colour))
            item.setSymbolSize(6)
        self.legend.setBrush(pg.mkBrush(theme.legend_background))
        self.legend.setPen(pg.mkPen(theme.muted, width=0.5))
        self.legend.setLabelTextColor(theme.foreground)
        for sample, label in self.legend.items:  # labels already there keep their old colour otherwise
            label.setText(label.text, color=theme.foreground)
        self.empty.setColor(theme.muted)


__all__ = ["DOWNSAMPLE_FROM", "TimeChart"]
