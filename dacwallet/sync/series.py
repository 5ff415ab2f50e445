"""The time series behind the charts, computed from the indexed events.

Every series is a step series: ``values[i]`` holds from ``times[i]`` (Unix seconds) until the
next time, which is what pyqtgraph's step mode draws. Ether values are floats for plotting;
they are summed exactly in wei first.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from eth_utils import to_checksum_address

from dacwallet.sync.events import StoredEvent, read_events
from dacwallet.sync.mirror import RebuiltMirror

WEI_PER_ETHER = 10**18


@dataclass
class Series:
    times: np.ndarray  # int64 Unix seconds
    values: np.ndarray  # float64

    def __len__(self) -> int:
        return len(self.times)


@dataclass
class Reputation:
    """After every refund (anyone's, since each moves the total): the account's numValid and score."""

    times: np.ndarray
    num_valid: np.ndarray
    total_good: np.ndarray
    score: np.ndarray  # num_valid / total_good


@dataclass
class PendingRefunds:
    """After every change: how many of the account's contributions are still open, and their ether."""

    times: np.ndarray
    count: np.ndarray
    ether: np.ndarray


@dataclass
class ChartSeries:
    pool_balance: Series
    deposit_costs: Series
    contributions: Series
    reputation: Reputation
    pending_refunds: PendingRefunds
    prequential_accuracy: Series | None
    evaluation_accuracy: Series | None


def _series(times: Sequence[int], values: Sequence[float]) -> Series:
    return Series(np.asarray(times, dtype=np.int64), np.asarray(values, dtype=np.float64))


def _ether(wei: int) -> float:
    return wei / WEI_PER_ETHER


def pool_balance(events: Sequence[StoredEvent]) -> Series:
    """Ether still claimable in the pool (deposits minus payouts) after every event."""
    balance, values = 0, []
    for event in events:
        balance += event.amount if event.kind == "add" else -event.amount
        values.append(_ether(balance))
    return _series([e.timestamp for e in events], values)


def deposit_costs(events: Sequence[StoredEvent]) -> Series:
    """The deposit of each contribution (a point per contribution rather than a level)."""
    adds = [e for e in events if e.kind == "add"]
    return _series([e.timestamp for e in adds], [_ether(e.amount) for e in adds])


def contribution_count(events: Sequence[StoredEvent]) -> Series:
    times = [e.timestamp for e in events if e.kind == "add"]
    return _series(times, list(range(1, len(times) + 1)))


def reputation(events: Sequence[StoredEvent], account: str) -> Reputation:
    """numValid and score of ``account``, from the Refund events (each refund validates its author)."""
    account = to_checksum_address(account)
    times, mine, total = [], [], []
    num_valid = total_good = 0
    for event in events:
        if event.kind == "refund":
            total_good += 1
            num_valid += event.party == account
            times.append(event.timestamp)
            mine.append(num_valid)
            total.append(total_good)
    mine_array, total_array = np.asarray(mine, dtype=np.int64), np.asarray(total, dtype=np.int64)
    score = mine_array / np.maximum(total_array, 1)
    return Reputation(np.asarray(times, dtype=np.int64), mine_array, total_array, score)


def pending_refunds(events: Sequence[StoredEvent], account: str) -> PendingRefunds:
    """The account's contributions not yet emptied: a refund closes one, a report closes it when it
    takes what was left. Claims whose contribution is unknown (no key) cannot be matched and are ignored."""
    account = to_checksum_address(account)
    open_wei: dict[bytes, int] = {}
    times, counts, ether = [], [], []
    total = 0
    for event in events:
        key = event.contribution_key
        if event.kind == "add":
            if event.party != account or key is None:  # an add always has its key
                continue
            open_wei[key] = event.amount
            total += event.amount
        elif key in open_wei:
            left = open_wei[key]
            taken = left if event.kind == "refund" else min(left, event.amount)
            total -= taken
            if event.kind == "refund" or taken == left:
                del open_wei[key]
            else:
                open_wei[key] = left - taken
        else:
            continue
        times.append(event.timestamp)
        counts.append(len(open_wei))
        ether.append(_ether(total))
    return PendingRefunds(
        np.asarray(times, dtype=np.int64), np.asarray(counts, dtype=np.int64), np.asarray(ether, dtype=np.float64)
    )


def prequential_accuracy(rebuilt: RebuiltMirror) -> Series:
    """Share of contributions so far that the model labelled right before learning them."""
    hits = np.cumsum(rebuilt.correct_before)
    return Series(rebuilt.timestamps.copy(), hits / np.arange(1, len(hits) + 1))


def evaluation_accuracy(rebuilt: RebuiltMirror) -> Series | None:
    """Accuracy on the evaluation set after every k contributions (at the k-th one's time)."""
    curve = rebuilt.curve
    if curve is None or not len(rebuilt.timestamps):
        return None
    # Point 0 is the model as deployed: shown at the first contribution's time.
    times = rebuilt.timestamps[np.maximum(curve.points - 1, 0)]
    return Series(times, curve.eval_accuracy.astype(np.float64))


def chart_series(
    conn: sqlite3.Connection, chain_key: str, trainer: str, account: str, rebuilt: RebuiltMirror | None = None
) -> ChartSeries:
    """Every chart's series for ``account`` from one read of the store."""
    events = read_events(conn, chain_key, trainer)
    return ChartSeries(
        pool_balance=pool_balance(events),
        deposit_costs=deposit_costs(events),
        contributions=contribution_count(events),
        reputation=reputation(events, account),
        pending_refunds=pending_refunds(events, account),
        prequential_accuracy=None if rebuilt is None else prequential_accuracy(rebuilt),
        evaluation_accuracy=None if rebuilt is None else evaluation_accuracy(rebuilt),
    )
