"""Which curves each Dashboard chart draws, from which ChartSeries fields, in which units (Qt-free).

The same table drives the plots, their legends, the hover readouts and the CSV export, so they never
disagree. Each chart answers one question (its title) and shows today's answer as a large number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from dacwallet.usecases.exports import ChartSeries

Pair = tuple[np.ndarray, np.ndarray]  # (Unix seconds, values)
LEFT, RIGHT = "left", "right"
# Value kinds: how an axis ticks and a value reads (ETH with sensible decimals, whole counts, percent).
ETH, COUNT, PERCENT = "ETH", "count", "%"


@dataclass(frozen=True)
class CurveSpec:
    key: str  # a stable name (tests, CSV column order)
    name: str  # the legend's: plain words
    kind: str  # ETH, COUNT or PERCENT, as plotted
    axis: str  # LEFT or RIGHT
    step: bool  # a level that holds until the next event; False: one point per event, never joined
    pick: Callable[[ChartSeries], Pair | None]
    contract_name: str  # what the contract or the literature calls it (the legend's tooltip)
    scale: float = 1.0  # raw value -> plotted value (fractions are plotted as %)
    settles: bool = False  # a running share: its first values swing 0-100 % and say little
    leads: bool = False  # on a chart fitted to its data, the curve the value axis fits when it is drawn

    @property
    def column(self) -> str:
        """The CSV header: the series and its unit."""
        return f"{self.name} ({'ETH' if self.kind == ETH else self.kind})"


@dataclass(frozen=True)
class ChartSpec:
    key: str
    title: str  # the question the chart answers
    left: str  # the left axis's unit, short (a long rotated label overruns a short chart)
    left_kind: str
    right: str | None
    right_kind: str | None
    curves: tuple[CurveSpec, ...]
    empty: str  # shown over the plot while it has nothing to draw
    fit_percent_to_data: bool = False  # a percent axis on the data's range (shows movement) rather than 0-100


def _pair(times: np.ndarray, values: np.ndarray) -> Pair:
    return times, values


def _from_zero(s: ChartSeries, values: np.ndarray) -> Pair:
    """A reputation series from the first contribution on: 0 until the first refund (the contract's
    numValid starts at 0), so the chart shows when it began to grow rather than nothing before it."""
    times = s.reputation.times
    if not len(s.contributions) or (len(times) and times[0] <= s.contributions.times[0]):
        return times, values
    return (
        np.concatenate([s.contributions.times[:1], times]),
        np.concatenate([np.zeros(1, dtype=np.asarray(values).dtype), values]),
    )


def _evaluation(s: ChartSeries) -> Pair | None:
    return None if s.evaluation_accuracy is None else _pair(s.evaluation_accuracy.times, s.evaluation_accuracy.values)


def _prequential(s: ChartSeries) -> Pair | None:
    return (
        None if s.prequential_accuracy is None else _pair(s.prequential_accuracy.times, s.prequential_accuracy.values)
    )


CHARTS: tuple[ChartSpec, ...] = (
    ChartSpec(
        "reputation",
        "Is my reputation growing?",
        "count",
        COUNT,
        "% of refunds",
        PERCENT,
        (
            CurveSpec(
                "num_valid",
                "validated contributions",
                COUNT,
                LEFT,
                True,
                lambda s: _from_zero(s, s.reputation.num_valid),
                "numValid: contributions of yours refunded",
            ),
            CurveSpec(
                "score",
                "share of all refunds",
                PERCENT,
                RIGHT,
                True,
                lambda s: _from_zero(s, s.reputation.score),
                "numValid / totalGoodDataCount",
                scale=100.0,
            ),
        ),
        "No refunds yet: reputation grows when a contribution is refunded.",
    ),
    ChartSpec(
        "pending",
        "Are my refunds coming back?",
        "ETH",
        ETH,
        "count",
        COUNT,
        (
            CurveSpec(
                "pending_ether",
                "deposits still held",
                ETH,
                LEFT,
                True,
                lambda s: _pair(s.pending_refunds.times, s.pending_refunds.ether),
                "deposits of your contributions not yet refunded or taken",
            ),
            CurveSpec(
                "pending_count",
                "open contributions",
                COUNT,
                RIGHT,
                True,
                lambda s: _pair(s.pending_refunds.times, s.pending_refunds.count),
                "your AddData events without a Refund that emptied them",
            ),
        ),
        "No contributions yet from this account.",
    ),
    ChartSpec(
        "pool",
        "How much is in the pool?",
        "ETH",
        ETH,
        None,
        None,
        (
            CurveSpec(
                "pool_balance",
                "ether in the pool",
                ETH,
                LEFT,
                True,
                lambda s: _pair(s.pool_balance.times, s.pool_balance.values),
                "sum of AddData deposits minus Refund and Report payouts",
            ),
        ),
        "No contributions yet.",
    ),
    ChartSpec(
        "deposit",
        "What does a contribution cost?",
        "ETH",
        ETH,
        "count",
        COUNT,
        (
            CurveSpec(
                "deposit_cost",
                "deposit paid",
                ETH,
                LEFT,
                False,
                lambda s: _pair(s.deposit_costs.times, s.deposit_costs.values),
                "AddData cost (getNextAddDataCost when sent)",
            ),
            CurveSpec(
                "contributions",
                "contributions so far",
                COUNT,
                RIGHT,
                True,
                lambda s: _pair(s.contributions.times, s.contributions.values),
                "AddData events",
            ),
        ),
        "No contributions yet.",
    ),
    ChartSpec(
        "accuracy",
        "Is the model getting better?",
        "%",
        PERCENT,
        None,
        None,
        (
            CurveSpec(
                "evaluation_accuracy",
                "on held-out reviews",
                PERCENT,
                LEFT,
                True,
                _evaluation,
                "accuracy on the evaluation set after each contribution",
                scale=100.0,
                leads=True,
            ),
            CurveSpec(
                "prequential_accuracy",
                "guessed right before learning",
                PERCENT,
                LEFT,
                True,
                _prequential,
                "prequential accuracy: share of contributions the model labelled right before learning each",
                scale=100.0,
                settles=True,
            ),
        ),
        "No contributions yet.",
        fit_percent_to_data=True,
    ),
)
