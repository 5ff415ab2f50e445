"""What the Dashboard shows: every chart's series for one account, from the event index synced to the chain.

Plain Python + numpy, computed off the GUI thread (the app's runner): the page receives a ``DashboardData``
and only draws it. Objects with state (``EvaluationSet``, ``RebuildCache``) are touched only where the
WalletContext is, never by the GUI thread.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from eth_utils import to_checksum_address

from dacwallet.ml.mirrors import Batch
from dacwallet.store import contributions
from dacwallet.sync.indexer import Indexer
from dacwallet.sync.mirror import MirrorCache, RebuiltMirror
from dacwallet.sync.series import WEI_PER_ETHER, ChartSeries, chart_series
from dacwallet.usecases.context import WalletContext
from dacwallet.usecases.contribute import required_deposit
from dacwallet.usecases.evaluation import AccuracyNow, EvaluationProgress, EvaluationSet, accuracy_of
from dacwallet.usecases.payout import pays_points

NO_ACCOUNT = "0x" + "0" * 40  # chart_series needs an address; nobody's reputation is all zeros
MAX_EVALUATION_POINTS = 100  # each point predicts the whole evaluation set: keep a rebuild short


def evaluation_every(contributions: int) -> int:
    """Contributions between two evaluation points: every one for short histories, ≤ 100 points overall."""
    return max(1, math.ceil(contributions / MAX_EVALUATION_POINTS))


@dataclass(frozen=True)
class OwnPoints:
    """The account's own contributions on the deposit chart: when, what was paid (ETH), their local ids."""

    times: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    deposits: np.ndarray = field(default_factory=lambda: np.zeros(0))
    ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))


@dataclass(frozen=True)
class DashboardData:
    """Every chart's series for one account, today's values, and the chain's time when they were read."""

    account: str | None
    now: int  # chain time (Unix seconds): step series are drawn up to here
    series: ChartSeries
    evaluation: EvaluationProgress | None
    deposit_now_wei: int | None = None  # what a contribution would cost now
    accuracy: AccuracyNow | None = None  # the model in use on the evaluation set, now
    own: OwnPoints = field(default_factory=OwnPoints)
    pays_points: bool = False  # a points model: no deposits, no pool; its charts and figures say so


class RebuildCache:
    """The replayed mirror, kept until a contribution arrives or the evaluation set changes: the
    watcher refreshes every few seconds, and replaying with an evaluation set costs seconds.
    (dacwallet.sync.mirror.MirrorCache does the bookkeeping, as for the ledger.)"""

    def __init__(self) -> None:
        self._cache = MirrorCache()

    def get(self, ctx: WalletContext, trainer: str, evaluation: Batch | None) -> RebuiltMirror | None:
        if ctx.bundle is None:
            return None
        return self._cache.get(
            ctx.db,
            ctx.chain_key,
            trainer,
            ctx.bundle.new_mirror,
            evaluation,
            every_for=evaluation_every,
            model=ctx.bundle,
        )


def own_points(ctx: WalletContext, trainer: str, account: str | None) -> OwnPoints:
    """The account's own mined contributions (those with a time and a cost), oldest first as on the time axis."""
    if account is None:
        return OwnPoints()
    mine = [
        (c.added_time, c.cost / WEI_PER_ETHER, c.id)
        for c in reversed(contributions.list_for(ctx.db, ctx.chain_key, trainer, account))
        if c.added_time is not None and c.cost is not None
    ]
    return OwnPoints(
        np.array([time for time, _, _ in mine], dtype=np.int64),
        np.array([eth for _, eth, _ in mine]),
        np.array([id_ for _, _, id_ in mine], dtype=np.int64),
    )


def dashboard_data(
    ctx: WalletContext, account: str | None, evaluation: EvaluationSet, cache: RebuildCache
) -> DashboardData:
    """Syncs the event index to the chain's head, then every series for ``account`` (runner only)."""
    deployment = ctx.require_deployment()
    Indexer(ctx.w3, ctx.db, ctx.chain_key, deployment).sync()
    trainer = to_checksum_address(deployment.trainer)
    batch = evaluation.batch
    rebuilt = cache.get(ctx, trainer, batch)
    series = chart_series(ctx.db, ctx.chain_key, trainer, account or NO_ACCOUNT, rebuilt)
    now = int(ctx.w3.eth.get_block("latest")["timestamp"])
    accuracy = None
    if rebuilt is not None and batch is not None:
        count = len(rebuilt.timestamps)
        as_of = int(rebuilt.timestamps[-1]) if count else now
        accuracy = AccuracyNow(accuracy_of(rebuilt.mirror, batch), len(batch), as_of, count)
    return DashboardData(
        account,
        now,
        series,
        evaluation.progress(),
        required_deposit(ctx, deployment.trainer),
        accuracy,
        own_points(ctx, deployment.trainer, account),
        pays_points(deployment),
    )
