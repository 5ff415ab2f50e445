"""Mirror of the reference's SparseNearestCentroidClassifier, as its Solidity 0.6 code computes.

Each class keeps, per uint32 feature key, a value (times 1e9) with the sample count it was last written at, and
the centroid's squared magnitude. A value written at an older count is rescaled when read; an update walks only
the data's keys (repeats included, each seeing the previous step's write), then rescales the magnitude by
``n**2 / newN**2``. Products of two uint64 fields wrap at 2**64, as they do there."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from dacwallet.ml.mirrors.base import TO_FLOAT, Mirror, ModelRevert, as_int64, checked, unsigned_max

UINT64 = 2**64
UINT256 = 2**256
KEY_MASK = 2**32 - 1
DATA_COUNT_LIMIT = 2 ** (256 - 64 - 1)


def _refuse(reason: str) -> ModelRevert:
    return ModelRevert(f"The model would refuse this: {reason}")


class ReferenceSparseNearestCentroidMirror(Mirror):
    def __init__(self, centroids: Sequence[Sequence[Sequence[int]]], num_samples: Sequence[int]) -> None:
        """``centroids``: per class the [index, value] pairs as uploaded (a repeated index keeps its last value,
        yet every value adds to the squared magnitude, as the contract does)."""
        self.num_classes = len(num_samples)
        self.num_samples = [checked(int(n), 0, unsigned_max(64), "a sample count") for n in num_samples]
        # Per class: key -> (value, the class's sample count when it was written).
        self._values: list[dict[int, tuple[int, int]]] = []
        self.squared_magnitude: list[int] = []
        for pairs, n in zip(centroids, self.num_samples, strict=True):
            values: dict[int, tuple[int, int]] = {}
            magnitude = 0
            for index, value in pairs:
                v = checked(int(value), 0, unsigned_max(64), "a centroid value")
                values[int(index) & KEY_MASK] = (v, n)
                magnitude = (magnitude + v * v) % UINT256
            self._values.append(values)
            self.squared_magnitude.append(magnitude)

    @classmethod
    def from_model_file(cls, model: dict[str, Any]) -> ReferenceSparseNearestCentroidMirror:
        return cls(model["centroids"], model["num_samples"])

    def centroid(self, label: int, index: int) -> int:
        """The contract's ``getCentroidValue(label, uint32(index))``."""
        value, written_at = self._values[label].get(int(index) & KEY_MASK, (0, 0))
        n = self.num_samples[label]
        if written_at == n:
            return value
        return (value * written_at // n) % UINT64  # n is never 0 here: a value is written at n >= 1 or at 0

    def predict(self, data: Sequence[int] | np.ndarray) -> int:
        keys = [v & KEY_MASK for v in as_int64(data).tolist()]
        best, least = 0, UINT256 - 1
        for c in range(self.num_classes):
            values, n = self._values[c], self.num_samples[c]
            shift = 0
            for key in keys:
                value, written_at = values.get(key, (0, 0))
                if written_at != n:
                    if n == 0:
                        raise _refuse("division by zero")
                    value = value * written_at // n
                shift += TO_FLOAT - 2 * value
            distance = (self.squared_magnitude[c] + shift * TO_FLOAT) % UINT256  # int256 sum read as uint256
            if distance < least:
                best, least = c, distance
        return best

    def update(self, data: Sequence[int] | np.ndarray, label: int) -> None:
        if not 0 <= label < self.num_classes:
            raise _refuse("This classification has not been added yet.")
        keys = [v & KEY_MASK for v in as_int64(data).tolist()]
        n = self.num_samples[label]
        new_n = n + 1 if n < DATA_COUNT_LIMIT else n
        values = self._values[label]
        written: dict[int, tuple[int, int]] = {}  # kept apart until every step passed: a revert undoes all
        magnitude, added = self.squared_magnitude[label], 0
        for key in keys:
            value, written_at = written.get(key) or values.get(key, (0, 0))
            if n == 0:
                raise _refuse("division by zero")
            previous = ((value * written_at) % UINT64) // n  # uint64 * uint64 wraps before the division
            if previous * previous > magnitude:
                raise _refuse("SafeMath: subtraction overflow")
            magnitude -= previous * previous
            v = ((n * previous + TO_FLOAT) // new_n) % UINT64
            written[key] = (v, new_n)
            added = checked(added + v * v, 0, UINT256 - 1, "the squared magnitude")
        if n != new_n:
            magnitude = checked(magnitude * ((n * n) % UINT256), 0, UINT256 - 1, "the squared magnitude")
            divisor = (new_n * new_n) % UINT64  # uint64 * uint64 again
            if divisor == 0:
                raise _refuse("SafeMath: division by zero")
            magnitude //= divisor
        values.update(written)
        self.num_samples[label] = new_n
        self.squared_magnitude[label] = checked(magnitude + added, 0, UINT256 - 1, "the squared magnitude")
