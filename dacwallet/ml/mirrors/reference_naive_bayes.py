"""Mirror of the reference's NaiveBayesClassifier, as its Solidity 0.6 code computes.

Its counts are uint32 keyed by ``uint32(index)`` (an index is cut to its low 32 bits), and predict multiplies the
per-feature ratios without logs: each step ``prob * (1e9 * count + s) / (1e9 * total + s * V)`` floors, so a long
input underflows every class to 0, and then class 0 wins (the reference's known flaw, kept here on purpose)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from dacwallet.ml.mirrors.base import TO_FLOAT, Mirror, ModelRevert, as_int64, checked, unsigned_max

UINT256_MAX = unsigned_max(256)
KEY_MASK = 2**32 - 1


def _refuse(reason: str) -> ModelRevert:
    return ModelRevert(f"The model would refuse this: {reason}")


def _safe_mul(a: int, b: int) -> int:
    if a * b > UINT256_MAX:
        raise _refuse("SafeMath: multiplication overflow")
    return a * b


class ReferenceNaiveBayesMirror(Mirror):
    def __init__(
        self,
        feature_counts: Sequence[Sequence[Sequence[int]]],
        num_samples: Sequence[int],
        smoothing_factor: int,
        num_features: int,
    ) -> None:
        """``feature_counts``: per class, the [index, count] pairs the deployment uploaded, in upload order (a
        repeated index keeps its last count, yet every count adds to the class total, as the contract does)."""
        self.num_classes = len(num_samples)
        self.num_samples = [checked(int(n), 0, unsigned_max(64), "a sample count") for n in num_samples]
        self.smoothing_factor = checked(int(smoothing_factor), 0, unsigned_max(32), "the smoothing factor")
        self.num_features = checked(int(num_features), 0, UINT256_MAX, "the number of features")
        self._counts: list[dict[int, int]] = []
        self.total_feature_count: list[int] = []
        for pairs in feature_counts:
            counts: dict[int, int] = {}
            total = 0
            for index, count in pairs:
                counts[checked(int(index), 0, KEY_MASK, "a feature index")] = checked(
                    int(count), 0, KEY_MASK, "a feature count"
                )
                total += int(count)
            self._counts.append(counts)
            self.total_feature_count.append(checked(total, 0, unsigned_max(64), "a class total"))

    @classmethod
    def from_model_file(cls, model: dict[str, Any]) -> ReferenceNaiveBayesMirror:
        return cls(model["feature_counts"], model["num_samples"], model["smoothing_factor"], model["num_features"])

    def count(self, label: int, index: int) -> int:
        """The contract's ``getFeatureCount(label, uint32(index))``."""
        return self._counts[label].get(int(index) & KEY_MASK, 0)

    def predict(self, data: Sequence[int] | np.ndarray) -> int:
        keys = [v & KEY_MASK for v in as_int64(data).tolist()]
        smoothing = self.smoothing_factor
        spread = _safe_mul(smoothing, self.num_features)
        best, most = 0, 0
        for c in range(self.num_classes):
            counts = self._counts[c]
            # The denominator is summed unchecked (it wraps at 2**256); SafeMath's div refuses a zero.
            denominator = (TO_FLOAT * self.total_feature_count[c] + spread) % 2**256
            prob = self.num_samples[c] * TO_FLOAT
            for key in keys:
                prob = _safe_mul(prob, TO_FLOAT * counts.get(key, 0) + smoothing)
                if denominator == 0:
                    raise _refuse("SafeMath: division by zero")
                prob //= denominator
            if prob > most:
                best, most = c, prob
        return best

    def update(self, data: Sequence[int] | np.ndarray, label: int) -> None:
        values = as_int64(data).tolist()
        if not 0 <= label < self.num_classes:
            raise _refuse("Classification is out of bounds.")
        if self.num_samples[label] >= 2**64 - 1:
            raise _refuse("There are too many samples for the class.")
        total = self.total_feature_count[label] + len(values)
        if total >= 2**65:
            raise _refuse("Feature count will be too high.")
        if any(value >= 2**33 for value in values):  # checked before anything changes: a revert undoes all
            raise _refuse("A feature index is too high.")
        counts = self._counts[label]
        for value in values:
            key = value & KEY_MASK
            counts[key] = (counts.get(key, 0) + 1) & KEY_MASK  # a uint32 += 1, unchecked in Solidity 0.6
        self.num_samples[label] += 1
        self.total_feature_count[label] = total % 2**64
