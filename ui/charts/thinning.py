"""Long curves drawn as the screen can show them: past ``DOWNSAMPLE_FROM`` points (events; a step curve draws
two vertices for each), pyqtgraph's peak downsampling (two samples a pixel keep every extreme, so the curve looks
the same) and clipping to the view. A paint of 10^5 vertices took most of a redraw and, on the Simulation page,
held the run back while it drew."""

from __future__ import annotations

import pyqtgraph as pg

DOWNSAMPLE_FROM = 10_000


def thin_when_many(item: pg.PlotDataItem, size: int) -> bool:
    """Turns thinning on or off for ``item`` by its ``size`` in events; True when that changed."""
    many = size > DOWNSAMPLE_FROM
    if many == item.opts["autoDownsample"]:
        return False
    item.setDownsampling(auto=many, method="peak")
    item.setClipToView(many)
    item.opts["autoDownsampleFactor"] = 2.0
    return True
