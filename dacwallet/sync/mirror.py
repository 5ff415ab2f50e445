"""Rebuilding a model mirror from the indexed AddData events, in full or from where a cached replay stopped."""

from __future__ import annotations

import copy
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from eth_utils import to_checksum_address

from dacwallet.ml.curve import AccuracyCurve, accuracy_curve
from dacwallet.ml.mirrors import Batch, Mirror
from dacwallet.sync.events import read_contributions
from dacwallet.sync.schema import ensure_schema


@dataclass
class RebuiltMirror:
    """The mirror after every stored contribution, and how the model did along the way.

    ``correct_before[i]`` says whether the model predicted contribution i's label before learning it;
    ``curve`` is set when an evaluation set was given.
    """

    mirror: Mirror
    timestamps: np.ndarray
    correct_before: np.ndarray
    reverted: list[int]
    curve: AccuracyCurve | None = None


def rebuild_mirror(
    conn: sqlite3.Connection,
    chain_key: str,
    trainer: str,
    fresh_mirror: Mirror,
    evaluation: Batch | None = None,
    every: int = 100,
) -> RebuiltMirror:
    """Replays the stored contributions, in chain order, into ``fresh_mirror`` (the model as deployed,
    e.g. ``load_bundle(...).new_mirror()``), measuring ``evaluation`` every ``every`` contributions."""
    batch, timestamps = read_contributions(conn, chain_key, trainer)
    if evaluation is None:
        result = fresh_mirror.replay(batch)
        return RebuiltMirror(fresh_mirror, timestamps, result.correct_before, result.reverted)
    curve = accuracy_curve(fresh_mirror, batch, evaluation, every=every)
    # The curve keeps only the running share; the hit count is exact below 2**53 contributions.
    hits = np.rint(curve.prequential * np.arange(1, len(batch) + 1)).astype(np.int64)
    correct = np.diff(hits, prepend=0).astype(bool)
    return RebuiltMirror(fresh_mirror, timestamps, correct, curve.reverted, curve)


@dataclass(frozen=True)
class _Position:
    """Where a cached replay stands: its scope, and the last contribution applied (to verify it is still there)."""

    scope: tuple[str, str, int, int, int | None]  # chain, trainer, model, evaluation, evaluation step
    count: int
    last: tuple[int, int, bytes] | None  # (block, log index, block hash) of the last row applied


class MirrorCache:
    """A replayed mirror kept between refreshes, brought up to date with only the new AddData events.

    Falls back to a full replay when the chain, the deployment, the model or the evaluation set
    changed, when the rows already applied are no longer exactly those in the store (the indexer
    rolled back a reorganisation), or when replaying raised. A RebuiltMirror handed out is never
    changed afterwards (new events go into a copy), so another thread may keep predicting with it.
    """

    def __init__(self) -> None:
        self._position: _Position | None = None
        self._rebuilt: RebuiltMirror | None = None
        self.full_rebuilds = 0  # for tests and benchmarks
        self.incremental_updates = 0

    def clear(self) -> None:
        self._position, self._rebuilt = None, None

    def get(
        self,
        conn: sqlite3.Connection,
        chain_key: str,
        trainer: str,
        new_mirror: Callable[[], Mirror],
        evaluation: Batch | None = None,
        every_for: Callable[[int], int] = lambda count: 100,
        model: object = None,
    ) -> RebuiltMirror:
        """The mirror after every stored contribution of ``trainer`` (``new_mirror()`` makes the model as
        deployed; ``model`` names it, e.g. the bundle, so a different model is never extended)."""
        trainer = to_checksum_address(trainer)
        count = _count(conn, chain_key, trainer)
        # An evaluation curve's points depend on the count: with one, any change replays it all.
        scope = (chain_key, trainer, id(model), id(evaluation), every_for(count) if evaluation is not None else None)
        cached, rebuilt = self._position, self._rebuilt
        try:
            if cached is None or rebuilt is None or cached.scope != scope or not _still_stored(conn, cached):
                rebuilt = rebuild_mirror(conn, chain_key, trainer, new_mirror(), evaluation, every_for(count))
                self.full_rebuilds += 1
            elif count != cached.count:
                if evaluation is not None:
                    rebuilt = rebuild_mirror(conn, chain_key, trainer, new_mirror(), evaluation, every_for(count))
                    self.full_rebuilds += 1
                else:
                    rebuilt = _extend(conn, cached, rebuilt)
                    self.incremental_updates += 1
        except BaseException:
            self.clear()  # a replay that raised may have left a mirror half-updated
            raise
        self._position, self._rebuilt = _Position(scope, count, _last_row(conn, chain_key, trainer)), rebuilt
        return rebuilt


_WHERE = "FROM sync_contributions WHERE chain_key = ? AND trainer = ?"


def _count(conn: sqlite3.Connection, chain_key: str, trainer: str) -> int:
    ensure_schema(conn)
    count: int = conn.execute(f"SELECT COUNT(*) {_WHERE}", (chain_key, trainer)).fetchone()[0]
    return count


def _last_row(conn: sqlite3.Connection, chain_key: str, trainer: str) -> tuple[int, int, bytes] | None:
    row = conn.execute(
        f"SELECT block_number, log_index, block_hash {_WHERE} ORDER BY block_number DESC, log_index DESC LIMIT 1",
        (chain_key, trainer),
    ).fetchone()
    return None if row is None else (row[0], row[1], bytes(row[2]))


def _still_stored(conn: sqlite3.Connection, cached: _Position) -> bool:
    """Whether the rows the cached replay applied are still the first ``count`` rows, unchanged.

    A rollback deletes rows above a fork and the new fork's blocks have other hashes (each block hash
    covers its parent's), so the same count up to the same last row with the same hash means the same rows.
    """
    chain_key, trainer = cached.scope[0], cached.scope[1]
    if cached.last is None:
        return cached.count == 0
    block, log_index, block_hash = cached.last
    row = conn.execute(
        f"SELECT block_hash {_WHERE} AND block_number = ? AND log_index = ?", (chain_key, trainer, block, log_index)
    ).fetchone()
    if row is None or bytes(row[0]) != block_hash:
        return False
    before: int
    (before,) = conn.execute(
        f"SELECT COUNT(*) {_WHERE} AND (block_number, log_index) <= (?, ?)", (chain_key, trainer, block, log_index)
    ).fetchone()
    return before == cached.count


def _extend(conn: sqlite3.Connection, cached: _Position, rebuilt: RebuiltMirror) -> RebuiltMirror:
    """``rebuilt`` plus the contributions stored after ``cached.last``, replayed into a copy of its mirror."""
    chain_key, trainer = cached.scope[0], cached.scope[1]
    after = (-1, -1) if cached.last is None else cached.last[:2]
    batch, timestamps = read_contributions(conn, chain_key, trainer, after=after)
    mirror = copy.deepcopy(rebuilt.mirror)
    result = mirror.replay(batch)
    return RebuiltMirror(
        mirror,
        np.concatenate([rebuilt.timestamps, timestamps]),
        np.concatenate([rebuilt.correct_before, result.correct_before]),
        rebuilt.reverted + [cached.count + r for r in result.reverted],
    )
