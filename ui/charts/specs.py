"""Which curves each Dashboard chart draws, from which ChartSeries fields, in which units (Qt-free).

The same table drives the plots, their legends and the CSV export, so the three never disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from dacwallet.sync.series import ChartSeries

Pair = tuple[np.ndarray, np.ndarray]  # (Unix seconds, values)
LEFT, RIGHT = "left", "right"


@dataclass(frozen=True)
class CurveSpec:
    key: str  # the CSV's series name
    name: str  # the legend's
    unit: str  # of the raw value (CSV)
    axis: str  # LEFT or RIGHT
    step: bool  # a level that holds until the next event; False: one point per event
    pick: Callable[[ChartSeries], Pair | None]
    scale: float = 1.0  # raw value -> plotted value (fractions are plotted as %)


@dataclass(frozen=True)
class ChartSpec:
    key: str
    title: str
    left: str  # axis label, unit included
    right: str | None
    curves: tuple[CurveSpec, ...]
    empty: str  # shown over the plot while it has nothing to draw
    left_percent: bool = False
    right_percent: bool = False
    left_count: bool = False  # whole numbers: integer ticks, and headroom so a level of 1 is not the top edge
    right_count: bool = False


def _pair(times: np.ndarray, values: np.ndarray) -> Pair:
    return times, values


def _evaluation(s: ChartSeries) -> Pair | None:
    return None if s.evaluation_accuracy is None else _pair(s.evaluation_accuracy.times, s.evaluation_accuracy.values)


def _prequential(s: ChartSeries) -> Pair | None:
    return None if s.prequential_accuracy is None else _pair(s.prequential_accuracy.times,
                                                             s.prequential_accuracy.values)


CHARTS: tuple[ChartSpec, ...] = (
    ChartSpec("reputation", "Your reputation", "validated contributions", "score (%)", (
        CurveSpec("num_valid", "validated (numValid)", "count", LEFT, True,
                  lambda s: _pair(s.reputation.times, s.reputation.num_valid)),
        CurveSpec("score", "score: your share of all refunds", "fraction", RIGHT, True,
                  lambda s: _pair(s.reputation.times, s.reputation.score), scale=100.0),
    ), "No refunds yet: reputation grows when a contribution is refunded.", right_percent=True, left_count=True),
    ChartSpec("pending", "Your pending refunds", "contributions", "deposits (ETH)", (
        CurveSpec("pending_count", "open contributions", "count", LEFT, True,
                  lambda s: _pair(s.pending_refunds.times, s.pending_refunds.count)),
        CurveSpec("pending_ether", "deposits still held", "ETH", RIGHT, True,
                  lambda s: _pair(s.pending_refunds.times, s.pending_refunds.ether)),
    ), "No contributions yet from this account.", left_count=True),
    ChartSpec("pool", "Pool balance", "still claimable (ETH)", None, (
        CurveSpec("pool_balance", "ether in the pool", "ETH", LEFT, True,
                  lambda s: _pair(s.pool_balance.times, s.pool_balance.values)),
    ), "No contributions yet."),
    ChartSpec("deposit", "Deposit cost", "deposit (ETH)", "contributions", (
        CurveSpec("deposit_cost", "deposit paid", "ETH", LEFT, False,
                  lambda s: _pair(s.deposit_costs.times, s.deposit_costs.values)),
        CurveSpec("contributions", "contributions so far", "count", RIGHT, True,
                  lambda s: _pair(s.contributions.times, s.contributions.values)),
    ), "No contributions yet.", right_count=True),
    ChartSpec("accuracy", "Model accuracy", "accuracy (%)", None, (
        CurveSpec("prequential_accuracy", "prequential (right before learning each)", "fraction", LEFT, True,
                  _prequential, scale=100.0),
        CurveSpec("evaluation_accuracy", "on the evaluation set", "fraction", LEFT, True, _evaluation, scale=100.0),
    ), "No contributions yet.", left_percent=True),
)
