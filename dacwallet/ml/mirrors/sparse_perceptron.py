"""Mirror of the sparse perceptron: int48 weights keyed by uint64 index, constant int80 intercept."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from dacwallet.gil import share_gil
from dacwallet.ml.mirrors.base import (
    INT64_MAX,
    INT64_MIN,
    Batch,
    KeySlots,
    Mirror,
    ModelRevert,
    ReplayResult,
    as_int64,
    as_keys,
    checked,
    grown,
    row_sums,
    signed_range,
    single_key,
    unsigned_max,
)

# The brief of our contracts: a weight must stay strictly inside +-2**47 (packed as int48).
WEIGHT_MIN, WEIGHT_MAX = -(2**47) + 1, 2**47 - 1
INTERCEPT_MIN, INTERCEPT_MAX = signed_range(80)
# int64 row sums of weights stay exact up to this many indices per row.
_EXACT_ROW = 2**15


class SparsePerceptronMirror(Mirror):
    num_classes = 2
    weight_min, weight_max = WEIGHT_MIN, WEIGHT_MAX

    def __init__(self, weights: Sequence[int], intercept: int, learning_rate: int) -> None:
        self._slots = KeySlots(len(weights))
        self._weights = np.array(
            [checked(int(w), self.weight_min, self.weight_max, "a weight") for w in weights], dtype=np.int64
        ).reshape(-1)
        self.intercept = checked(int(intercept), INTERCEPT_MIN, INTERCEPT_MAX, "the intercept")
        self.learning_rate = checked(int(learning_rate), 0, unsigned_max(32), "the learning rate")

    @classmethod
    def from_model_file(cls, model: dict[str, Any]) -> SparsePerceptronMirror:
        return cls(model["weights"], model["intercept"], model["learning_rate"])

    def weight(self, index: int) -> int:
        """The contract's ``weights(uint64(index))``; ``index`` may be an int64 or a uint64 key."""
        slot = self._map(single_key(index))[0]  # map first: mapping may grow the array
        return int(self._weights[slot])

    def _map(self, keys: np.ndarray) -> np.ndarray:
        slots = self._slots.slots(keys)
        self._weights = grown(self._weights, self._slots.size)
        return slots

    def _margin(self, slots: np.ndarray) -> int:
        values = self._weights[slots]
        total = int(values.sum()) if len(values) <= _EXACT_ROW else sum(int(v) for v in values)
        return self.intercept + total

    def predict(self, data: Sequence[int] | np.ndarray) -> int:
        return int(self._margin(self._map(as_keys(data))) > 0)

    def predict_batch(self, batch: Batch) -> np.ndarray:
        lengths = np.diff(batch.offsets)
        if lengths.size and lengths.max() > _EXACT_ROW:
            return super().predict_batch(batch)
        slots = self._map(as_keys(batch.data))
        sums = row_sums(self._weights[slots], batch.offsets)
        threshold = -self.intercept  # m > 0  <=>  sum of weights > -intercept
        if threshold >= INT64_MAX:
            return np.zeros(len(batch), dtype=np.int64)
        if threshold < INT64_MIN:
            return np.ones(len(batch), dtype=np.int64)
        return (sums > threshold).astype(np.int64)

    def update(self, data: Sequence[int] | np.ndarray, label: int) -> None:
        self._learn(self._map(as_keys(data)), self._check_label(label))

    def _learn(self, slots: np.ndarray, label: int, predicted: int | None = None) -> None:
        if predicted is None:
            predicted = int(self._margin(slots) > 0)
        if predicted == label or not len(slots):
            return
        # Every occurrence moves its weight the same way, so the final values are the extremes:
        # checking them checks every intermediate step of the contract's loop.
        unique, counts = np.unique(slots, return_counts=True)
        step = self.learning_rate if label == 1 else -self.learning_rate
        new = [int(w) + int(c) * step for w, c in zip(self._weights[unique], counts, strict=True)]
        for value in new:
            checked(value, self.weight_min, self.weight_max, "a weight")
        self._weights[unique] = np.array(new, dtype=np.int64)

    def replay(self, batch: Batch) -> ReplayResult:
        slots_all = self._map(as_keys(batch.data))
        correct = np.zeros(len(batch), dtype=bool)
        reverted = []
        offsets = batch.offsets
        for r in range(len(batch)):
            share_gil()
            slots = slots_all[offsets[r] : offsets[r + 1]]
            label = int(batch.labels[r])
            predicted = int(self._margin(slots) > 0)
            correct[r] = predicted == label
            try:
                self._learn(slots, self._check_label(label), predicted)
            except ModelRevert:
                reverted.append(r)
        return ReplayResult(correct, reverted)


class ReferenceSparsePerceptronMirror(SparsePerceptronMirror):
    """The reference's SparsePerceptron: int80 weights, and an index below 0 makes predict (and so addData) revert
    ("Not all indices are >= 0."). Weights far from int80's ends (any real model) never wrap."""

    weight_min, weight_max = signed_range(80)

    def predict(self, data: Sequence[int] | np.ndarray) -> int:
        _refuse_negative(as_int64(data))
        return super().predict(data)

    def predict_batch(self, batch: Batch) -> np.ndarray:
        if (batch.data < 0).any():  # rows with a negative index revert: the slow path raises for them alone
            return Mirror.predict_batch(self, batch)
        return super().predict_batch(batch)

    def update(self, data: Sequence[int] | np.ndarray, label: int) -> None:
        _refuse_negative(as_int64(data))
        super().update(data, label)

    def replay(self, batch: Batch) -> ReplayResult:
        if (batch.data < 0).any():
            return Mirror.replay(self, batch)
        return super().replay(batch)


def _refuse_negative(data: np.ndarray) -> None:
    if (data < 0).any():
        raise ModelRevert("The model would refuse this: Not all indices are >= 0.")
