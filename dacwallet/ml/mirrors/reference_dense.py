"""Mirrors of the reference's two dense classifiers, DensePerceptron and NearestCentroidClassifier, as their
Solidity 0.6 code computes: checked SafeMath where the reference calls it, silent wrapping where it uses plain
operators, and the same revert for data whose squared norm is not within 1e11 of 1e18.

Both take ``data`` as the feature vector scaled by 1e9 and require exactly as many values as the model has."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from dacwallet.ml.mirrors.base import TO_FLOAT, Mirror, ModelRevert, as_int64, checked, signed_range, unsigned_max
from dacwallet.ml.mirrors.dense_perceptron import div_toward_zero

INT256_MIN, INT256_MAX = signed_range(256)
UINT256_MAX = unsigned_max(256)
# update() requires toFloat**2 - toFloat*100 < sum of squares < toFloat**2 + toFloat*100 (both ends excluded).
NORM_LOW, NORM_HIGH = TO_FLOAT * TO_FLOAT - TO_FLOAT * 100, TO_FLOAT * TO_FLOAT + TO_FLOAT * 100
# NearestCentroidClassifier stops counting a class's samples here so its products stay in 256 bits.
DATA_COUNT_LIMIT = 2 ** (256 - 64 - 1)


def wrapped(value: int, bits: int) -> int:
    """``value`` in a signed ``bits``-bit integer, as Solidity 0.6's unchecked arithmetic and casts leave it."""
    value %= 2**bits
    return value - 2**bits if value >= 2 ** (bits - 1) else value


def refuse(reason: str) -> ModelRevert:
    return ModelRevert(f"The model would refuse this: {reason}")


def _require_unit_norm(x: list[int]) -> None:
    if not NORM_LOW < sum(v * v for v in x) < NORM_HIGH:
        raise refuse("The provided data does not have a norm of 1.")


class ReferenceDensePerceptronMirror(Mirror):
    """int80 weights, an int80 intercept added unscaled to the 1e18-scaled products (the reference's own
    flaw), predict 1 when the margin is above 0. Every class index above 0 counts as class 1 in an update."""

    def __init__(self, classifications: int, weights: Sequence[int], intercept: int, learning_rate: int) -> None:
        self.num_classes = classifications
        self.weights = [checked(int(w), *signed_range(80), "a weight") for w in weights]
        self.intercept = checked(int(intercept), *signed_range(80), "the intercept")
        self.learning_rate = checked(int(learning_rate), 0, unsigned_max(32), "the learning rate")

    @classmethod
    def from_model_file(cls, model: dict[str, Any]) -> ReferenceDensePerceptronMirror:
        return cls(len(model["classifications"]), model["weights"], model["intercept"], model["learning_rate"])

    def _vector(self, data: Sequence[int] | np.ndarray) -> list[int]:
        x: list[int] = as_int64(data).tolist()
        if len(x) != len(self.weights):
            raise refuse("The data must have the same dimension as the weights.")
        return x

    def _margin(self, x: list[int]) -> int:
        m = self.intercept
        for w, v in zip(self.weights, x, strict=True):  # SignedSafeMath: a sum past int256 reverts
            m = checked(m + w * v, INT256_MIN, INT256_MAX, "the margin")
        return m

    def predict(self, data: Sequence[int] | np.ndarray) -> int:
        return int(self._margin(self._vector(data)) > 0)

    def update(self, data: Sequence[int] | np.ndarray, label: int) -> None:
        x = self._vector(data)
        prediction = int(self._margin(x) > 0)
        sign = -1 if label == 0 else 1
        # int80(datum * learningRate / toFloat) added with int80's wrap-around, no check.
        new = [
            wrapped(w + sign * div_toward_zero(v * self.learning_rate, TO_FLOAT), 80)
            for w, v in zip(self.weights, x, strict=True)
        ]
        _require_unit_norm(x)
        if prediction != label:
            self.weights = new


class ReferenceNearestCentroidMirror(Mirror):
    """int64 centroids (moving averages) and a sample count per class; predict the class whose centroid has the
    smallest sum of ``(x - c)**2 // 1e9``, the first on ties."""

    def __init__(self, centroids: Sequence[Sequence[int]], data_counts: Sequence[int]) -> None:
        self.num_classes = len(centroids)
        self.centroids = [[checked(int(v), *signed_range(64), "a centroid value") for v in row] for row in centroids]
        self.num_samples = [checked(int(n), 0, UINT256_MAX, "a sample count") for n in data_counts]
        if len({len(row) for row in self.centroids}) > 1:
            raise ModelRevert("The centroids do not all have the same number of dimensions.")

    @classmethod
    def from_model_file(cls, model: dict[str, Any]) -> ReferenceNearestCentroidMirror:
        return cls(model["centroids"], model["num_samples"])

    def centroid(self, label: int, index: int) -> int:
        """The contract's ``getCentroidValue(label, index)``."""
        return self.centroids[label][index]

    def predict(self, data: Sequence[int] | np.ndarray) -> int:
        x = as_int64(data).tolist()
        if len(x) != len(self.centroids[0]):
            raise refuse("Data doesn't have the correct length.")
        best, least = 0, UINT256_MAX
        for c, centroid in enumerate(self.centroids):
            distance = 0
            for v, m in zip(x, centroid, strict=True):
                distance = checked(distance + (v - m) ** 2 // TO_FLOAT, 0, UINT256_MAX, "a distance")
                if distance >= least:
                    break  # the contract stops summing a class that can no longer win
            if distance < least:
                best, least = c, distance
        return best

    def update(self, data: Sequence[int] | np.ndarray, label: int) -> None:
        x = as_int64(data).tolist()
        if not 0 <= label < self.num_classes:
            raise refuse("Classification is out of bounds.")
        if len(x) != len(self.centroids[label]):
            raise refuse("Data doesn't have the correct number of dimensions.")
        n = self.num_samples[label]
        new_n = n if n >= DATA_COUNT_LIMIT else n + 1
        # int64((centroid * n + datum) / newN): int256 maths, division toward zero, then cut to 64 bits.
        row = [wrapped(div_toward_zero(m * n + v, new_n), 64) for m, v in zip(self.centroids[label], x, strict=True)]
        _require_unit_norm(x)
        self.centroids[label] = row
        self.num_samples[label] = new_n
