"""The Simulation page's charts at the paper's scale: a balance curve of tens of thousands of steps is drawn with
about as many vertices as the chart has pixels, and still reaches every high and low the run recorded."""

from __future__ import annotations

import numpy as np

from ui.charts.sim_charts import SimCharts
from ui.charts.thinning import DOWNSAMPLE_FROM

EVENTS = 30_000


def test_a_long_balance_curve_is_drawn_thinned_with_its_extremes(qtbot) -> None:
    charts = SimCharts()
    qtbot.addWidget(charts)
    charts.resize(900, 600)
    charts.show()
    charts.start([("good", "good"), ("attacker", "attacker")])
    rng = np.random.default_rng(7)
    days = np.linspace(0.01, 110.0, EVENTS)
    levels = 100.0 + np.cumsum(rng.normal(0.0, 0.5, EVENTS))
    for day, pct in zip(days, levels, strict=True):
        charts.add_balance("good", float(day), float(pct))
    charts.add_balance("attacker", 1.0, 50.0)
    charts.redraw()
    qtbot.wait(50)  # a paint, so the view range the thinning works to is the widget's
    charts.redraw()

    good = charts.balances["good"]
    assert good.log.size == EVENTS + 1  # the record keeps every point
    x, y = good.item.getData()
    assert len(x) < 4 * charts.width() < 2 * EVENTS // 5  # about two samples a pixel, not 60,000 vertices
    assert y.max() == levels.max() and y.min() == min(levels.min(), 100.0)  # peak thinning keeps the extremes
    short_x, _ = charts.balances["attacker"].item.getData()
    assert charts.balances["attacker"].buffer.size <= DOWNSAMPLE_FROM and len(short_x) == 4  # short curves as they are


def test_the_balance_axis_never_offers_a_negative_balance(qtbot) -> None:
    """The paper's attack: the honest agent ends near 185 %, the attacker near 1 %. The axis read -200 to 400 %
    (the fit's margin went below zero and the ticks rounded it to -200): no balance is below 0 % of its start."""
    charts = SimCharts()
    qtbot.addWidget(charts)
    charts.resize(830, 450)
    charts.show()
    charts.start([("good", "good"), ("attacker", "attacker")])
    for day in np.linspace(0.1, 111.0, 500):
        charts.add_balance("good", float(day), 100.0 + 85.0 * day / 111.0)
        charts.add_balance("attacker", float(day), 100.0 - 99.1 * day / 111.0)
    charts.redraw()
    qtbot.wait(50)
    charts.redraw()
    low, high = charts.balance_plot.vb.viewRange()[1]
    ticks = charts.balance_plot.getAxis("left").tickValues(low, high, 300)[0][1]
    assert ticks[0] == 0.0 and ticks[-1] >= 185.0 and ticks[-1] <= 300.0, ticks
