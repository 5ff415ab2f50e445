"""The deployment's history as the local index knows it: every contribution, what was paid out of
it and to whom, and the current model (the mirror replayed through every AddData).

Statuses and reportable lists are computed from this view, not with several eth_calls per
contribution; the chain stays the judge when a claim is sent (its revert reason is shown).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import cast

import numpy as np
from eth_utils import to_checksum_address
from hexbytes import HexBytes

from dacwallet.chain.mining_time import next_block_time
from dacwallet.contracts.deployment import Deployment
from dacwallet.gil import share_gil
from dacwallet.ml.mirrors import Batch, Mirror
from dacwallet.sync.indexer import Indexer
from dacwallet.usecases.context import WalletContext
from dacwallet.usecases.rules import Rules


@dataclass
class LedgerEntry:
    key: bytes
    data: tuple[int, ...]
    label: int
    added_time: int
    author: str
    cost: int
    block_number: int
    paid: int = 0
    author_refunded: bool = False
    takers: list[tuple[str, int]] = field(default_factory=list)  # (recipient, amount) of reports

    @property
    def claimable(self) -> int:
        return self.cost - self.paid

    @property
    def num_claims(self) -> int:
        return len(self.takers) + int(self.author_refunded)

    @property
    def open(self) -> bool:
        return self.num_claims == 0 or self.claimable > 0


@dataclass
class LedgerView:
    entries: list[LedgerEntry]  # chain order
    by_key: dict[bytes, LedgerEntry]
    mirror: Mirror | None  # the model now; None when no model file is known for the deployment
    predictions: np.ndarray | None  # the mirror's current prediction for every entry
    rules: Rules
    now: int  # the time a transaction sent now would be mined at
    num_valid: dict[str, int]  # refunds per author: the contract's numValid
    total_good: int

    def __post_init__(self) -> None:
        self._positions = {e.key: i for i, e in enumerate(self.entries)}

    def prediction_of(self, entry: LedgerEntry) -> int | None:
        """What the model predicts now for the entry's data (None without a mirror)."""
        if self.predictions is None:
            return None
        return int(self.predictions[self._positions[entry.key]])


def refresh_ledger(
    ctx: WalletContext,
    *,
    on_progress: Callable[[int, int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> LedgerView:
    """Brings the index up to the chain's head and builds the view.

    Apart from ``now`` the view is a function of the chain alone (the index and the mirror), so while the
    head block is the one it was built at, nothing in it can have changed: it is reused with a fresh
    ``now``, without syncing or rebuilding (a block request instead of a sync, SQL scans and a prediction
    per entry).
    """
    deployment = ctx.require_deployment()
    head = ctx.w3.eth.get_block("latest")["hash"]
    key = ("ledger view", ctx.chain_key, deployment.trainer)
    built = cast(tuple[HexBytes, LedgerView] | None, ctx.cache.get(key))
    if built is not None and built[0] == head:
        return replace(built[1], now=next_block_time(ctx.w3))
    report = Indexer(ctx.w3, ctx.db, ctx.chain_key, deployment).sync(on_progress=on_progress, should_stop=should_stop)
    view = _build(ctx, deployment)
    if not report.stopped:  # a partial index must be finished by the next read
        ctx.cache[key] = (head, view)
    return view


def _build(ctx: WalletContext, deployment: Deployment) -> LedgerView:
    trainer = to_checksum_address(deployment.trainer)
    entries = []
    for data, label, t, sender, cost, key, block in ctx.db.execute(
        "SELECT data, label, added_time, sender, cost, contribution_key, block_number FROM sync_contributions "
        "WHERE chain_key = ? AND trainer = ? ORDER BY block_number, log_index",
        (ctx.chain_key, trainer),
    ):
        share_gil()
        entries.append(LedgerEntry(bytes(key), tuple(json.loads(data)), label, t, sender, int(cost), block))
    by_key = {e.key: e for e in entries}
    num_valid: dict[str, int] = {}
    total_good = 0
    for kind, recipient, amount, key in ctx.db.execute(
        "SELECT kind, recipient, amount, contribution_key FROM sync_claims WHERE chain_key = ? AND trainer = ? "
        "ORDER BY block_number, log_index",
        (ctx.chain_key, trainer),
    ):
        share_gil()
        if kind == "refund":
            num_valid[recipient] = num_valid.get(recipient, 0) + 1
            total_good += 1
        entry = by_key.get(bytes(key)) if key is not None else None
        if entry is None:
            continue
        entry.paid += int(amount)
        if kind == "refund":
            entry.author_refunded = True
        else:
            entry.takers.append((recipient, int(amount)))
    mirror = predictions = None
    if ctx.bundle is not None:
        # Only the events since the last refresh are replayed (the watcher refreshes every 15 s).
        mirror = ctx.mirror_cache.get(ctx.db, ctx.chain_key, trainer, ctx.bundle.new_mirror, model=ctx.bundle).mirror
        if entries:
            predictions = mirror.predict_batch(Batch.from_lists([list(e.data) for e in entries]))
    now = next_block_time(ctx.w3)  # what a claim sent now is judged at, not the latest block's (maybe old) time
    return LedgerView(entries, by_key, mirror, predictions, rules_of(ctx), now, num_valid, total_good)


def rules_of(ctx: WalletContext) -> Rules:
    """The deployment's waiting periods and owner (read once per wallet: they never change)."""
    deployment = ctx.require_deployment()
    cached = cast(Rules | None, ctx.cache.get(("rules", deployment.trainer)))
    if cached is None:
        cached = ctx.cache[("rules", deployment.trainer)] = Rules.read(ctx.w3, deployment)
    return cached
