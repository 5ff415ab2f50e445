"""Mirror of the dense perceptron: features and weights scaled by 1e9, int64 weights."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from dacwallet.ml.mirrors.base import (
    TO_FLOAT,
    Batch,
    Mirror,
    ModelRevert,
    as_int64,
    checked,
    signed_range,
    unsigned_max,
)

WEIGHT_MIN, WEIGHT_MAX = signed_range(64)
INT256_MIN, INT256_MAX = signed_range(256)


def div_toward_zero(a: int, b: int) -> int:
    """Solidity's signed ``a / b``: the quotient truncated toward zero (Python's ``//`` floors)."""
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


class DensePerceptronMirror(Mirror):
    num_classes = 2

    def __init__(self, weights: Sequence[int], intercept: int, learning_rate: int) -> None:
        self.weights = [checked(int(w), WEIGHT_MIN, WEIGHT_MAX, "a weight") for w in weights]
        self.intercept = checked(int(intercept), *signed_range(80), "the intercept")
        self.learning_rate = checked(int(learning_rate), 0, unsigned_max(32), "the learning rate")

    @classmethod
    def from_model_file(cls, model: dict[str, Any]) -> DensePerceptronMirror:
        return cls(model["weights"], model["intercept"], model["learning_rate"])

    def _vector(self, data: Sequence[int] | np.ndarray) -> list[int]:
        x: list[int] = as_int64(data).tolist()
        if len(x) != len(self.weights):
            # The contract requires data.length == numFeatures in predict and update.
            raise ModelRevert(f"The data has {len(x)} values; the model expects {len(self.weights)}.")
        return x

    def _margin(self, x: list[int]) -> int:
        total = self.intercept * TO_FLOAT
        for w, v in zip(self.weights, x, strict=True):
            total = checked(total + w * v, INT256_MIN, INT256_MAX, "the margin")
        return total

    def predict(self, data: Sequence[int] | np.ndarray) -> int:
        return int(self._margin(self._vector(data)) > 0)

    def predict_batch(self, batch: Batch) -> np.ndarray:
        lengths = np.diff(batch.offsets)
        if not len(batch) or lengths.min() != lengths.max() or lengths[0] != len(self.weights):
            return super().predict_batch(batch)
        # Python-int dot products (object arrays): exact at any size, vectorised over the rows.
        rows = batch.data.reshape(len(batch), int(lengths[0])).astype(object)
        margins: np.ndarray = (
            rows.dot(np.array(self.weights[: rows.shape[1]], dtype=object)) + self.intercept * TO_FLOAT
        )
        if any(not INT256_MIN <= m <= INT256_MAX for m in margins):
            return super().predict_batch(batch)  # let the row-wise path raise where the contract would
        return (margins > 0).astype(np.int64)

    def update(self, data: Sequence[int] | np.ndarray, label: int) -> None:
        label = self._check_label(label)
        x = self._vector(data)
        if int(self._margin(x) > 0) == label:
            return
        sign = 1 if label == 1 else -1
        new = list(self.weights)
        for j, v in enumerate(x):
            new[j] = checked(
                new[j] + sign * div_toward_zero(self.learning_rate * v, TO_FLOAT), WEIGHT_MIN, WEIGHT_MAX, "a weight"
            )
        self.weights = new
