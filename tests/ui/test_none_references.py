"""Painting the charts must not drain the interpreter's references to None: PySide6 6.12.0 dropped one on every
super().paint() from a Python override (7 per pyqtgraph plot repaint), and after a few thousand redraws of a
live chart the app died with "Fatal Python error: none_dealloc"."""

from __future__ import annotations

import gc
import sys

import numpy as np
import pyqtgraph as pg

from ui.app import make_application


def test_repainting_a_chart_keeps_every_reference_to_none() -> None:
    make_application()
    plot = pg.PlotWidget()
    plot.resize(400, 300)
    plot.plot(np.arange(100), np.sin(np.arange(100) / 10))
    plot.setLabel("left", "ether in the pool", units="ETH")
    plot.show()
    plot.grab()  # the first paint builds caches
    gc.collect()
    before = sys.getrefcount(None)
    for _ in range(200):
        plot.grab()
    gc.collect()
    lost = before - sys.getrefcount(None)
    plot.close()
    assert lost < 50, f"200 repaints lost {lost} references to None (a leak in the Qt binding)"
