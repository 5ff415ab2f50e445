"""What a reader sees of a pyqtgraph chart, as rectangles in scene coordinates: the text of every axis
label, tick label, title and legend, and the tick labels each axis actually draws (pyqtgraph drops
those that would not fit, so an axis can end up with one label)."""

from __future__ import annotations

from itertools import combinations

import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter


def drawn_tick_labels(axis: pg.AxisItem) -> list[tuple[str, QRectF]]:
    """(text, scene rectangle) of every tick label the axis draws now."""
    image = QImage(8, 8, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        painter.setFont(axis.style["tickFont"] or axis.font())
        _axis_spec, _ticks, texts = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    return [(text, axis.mapRectToScene(rect)) for rect, _flags, text in texts]


def axis_texts(plot: pg.PlotItem, name: str) -> list[tuple[str, QRectF]]:
    """The axis's tick labels and its own label, as drawn."""
    axis = plot.getAxis(name)
    if not axis.isVisible():
        return []
    out = [(f"{name} tick {text!r}", rect) for text, rect in drawn_tick_labels(axis)]
    if axis.label.isVisible() and axis.label.toPlainText().strip():
        out.append(
            (f"{name} axis label {axis.label.toPlainText()!r}", axis.label.mapRectToScene(axis.label.boundingRect()))
        )
    return out


def overlaps(texts: list[tuple[str, QRectF]], tolerance: float = 0.5) -> list[str]:
    """Every pair of the named rectangles that share more than ``tolerance`` pixels each way."""
    found = []
    for (name_a, a), (name_b, b) in combinations(texts, 2):
        common = a.intersected(b)
        if common.width() > tolerance and common.height() > tolerance:
            found.append(f"{name_a} overlaps {name_b}")
    return found
