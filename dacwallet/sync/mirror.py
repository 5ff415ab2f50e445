"""Rebuilding a model mirror from the indexed AddData events."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

import numpy as np

from dacwallet.ml.curve import AccuracyCurve, accuracy_curve
from dacwallet.ml.mirrors import Batch, Mirror
from dacwallet.sync.events import read_contributions


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
