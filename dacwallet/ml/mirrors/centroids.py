"""Mirrors of the nearest-centroid models, sparse (binary counts) and dense (sums of 1e9-scaled vectors).

Both compare squared distances scaled by n_c**2, so no division ever happens: class b is nearer than
an earlier class a when ``D_b * n_a**2 < D_a * n_b**2``; ties keep the earlier class, and a class
without samples is skipped.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from dacwallet.ml.mirrors.base import (
    Batch,
    Mirror,
    ModelRevert,
    as_int64,
    as_keys,
    checked,
    row_sums,
    signed_range,
    unsigned_max,
)
from dacwallet.ml.mirrors.counts import COUNT_MAX, SAMPLES_MAX, SparseCountsMirror

UINT256_MAX = unsigned_max(256)
INT256_MIN, INT256_MAX = signed_range(256)
SUM_MIN, SUM_MAX = signed_range(128)


def product(*factors: int) -> int:
    """Left-to-right multiplication in checked int256, as the contracts evaluate ``a * b * c``."""
    result = factors[0]
    for factor in factors[1:]:
        result = checked(result * factor, INT256_MIN, INT256_MAX, "a distance comparison")
    return result


def nearest(distances: Sequence[int], samples: Sequence[int]) -> int:
    """The winning class for scaled distances ``D_c`` (see the module doc)."""
    best = None
    for c, (d, n) in enumerate(zip(distances, samples, strict=True)):
        if n == 0:
            continue
        if best is None or product(d, samples[best], samples[best]) < product(distances[best], n, n):
            best = c
    return 0 if best is None else best


class SparseNearestCentroidMirror(SparseCountsMirror):
    def __init__(
        self, feature_counts: Sequence[Sequence[int]], num_samples: Sequence[int], num_features: int | None = None
    ) -> None:
        counts = self._load_counts(feature_counts, num_samples, num_features)
        self.squares = [checked(sum(v * v for v in row), 0, UINT256_MAX, "a sum of squares") for row in counts]

    @classmethod
    def from_model_file(cls, model: dict[str, Any]) -> SparseNearestCentroidMirror:
        return cls(model["feature_counts"], model["num_samples"], model["num_features"])

    def _distances(self, length: int, overlaps: Sequence[int]) -> list[int]:
        return [
            checked(product(n, n, length) - product(2, n, s) + q, INT256_MIN, INT256_MAX, "a distance")
            for n, s, q in zip(self.num_samples, overlaps, self.squares, strict=True)
        ]

    def predict(self, data: Sequence[int] | np.ndarray) -> int:
        slots = self._map(as_keys(data))
        overlaps = [sum(int(v) for v in self._counts[c, slots]) for c in range(self.num_classes)]
        return nearest(self._distances(len(slots), overlaps), self.num_samples)

    def predict_batch(self, batch: Batch) -> np.ndarray:
        slots = self._map(as_keys(batch.data))
        lengths = np.diff(batch.offsets)
        longest = int(lengths.max()) if len(batch) else 0
        if longest * int(self._counts.max(initial=0)) >= 2**63:
            return super().predict_batch(batch)  # int64 row sums would not be exact
        overlaps = [
            row_sums(self._counts[c, slots].astype(np.int64), batch.offsets).tolist() for c in range(self.num_classes)
        ]
        return np.array(
            [
                nearest(self._distances(int(length), [o[r] for o in overlaps]), self.num_samples)
                for r, length in enumerate(lengths)
            ],
            dtype=np.int64,
        )

    def update(self, data: Sequence[int] | np.ndarray, label: int) -> None:
        label = self._check_label(label)
        slots = self._map(as_keys(data))
        unique, times = np.unique(slots, return_counts=True)
        old = [int(v) for v in self._counts[label, unique]]
        new = [checked(a + int(k), 0, COUNT_MAX, "a feature count") for a, k in zip(old, times, strict=True)]
        # k occurrences starting from count a add sum(2(a+t)+1 for t<k) = (a+k)**2 - a**2 to Q.
        squares = checked(
            self.squares[label] + sum(b * b - a * a for a, b in zip(old, new, strict=True)),
            0,
            UINT256_MAX,
            "a sum of squares",
        )
        samples = checked(self.num_samples[label] + 1, 0, SAMPLES_MAX, "the sample count")
        self._counts[label, unique] = np.array(new, dtype=np.uint64)
        self.squares[label] = squares
        self.num_samples[label] = samples


class NearestCentroidMirror(Mirror):
    """Dense: per class the int128 sums of the vectors it learnt, and their number."""

    def __init__(self, centroid_sums: Sequence[Sequence[int]], num_samples: Sequence[int]) -> None:
        self.num_classes = len(num_samples)
        self.sums = [[checked(int(v), SUM_MIN, SUM_MAX, "a centroid sum") for v in row] for row in centroid_sums]
        self.num_samples = [checked(int(n), 0, SAMPLES_MAX, "a sample count") for n in num_samples]

    @classmethod
    def from_model_file(cls, model: dict[str, Any]) -> NearestCentroidMirror:
        return cls(model["centroid_sums"], model["num_samples"])

    def _vector(self, data: Sequence[int] | np.ndarray) -> list[int]:
        x: list[int] = as_int64(data).tolist()
        if len(x) != len(self.sums[0]):
            raise ModelRevert(f"The data has {len(x)} values; the model expects {len(self.sums[0])}.")
        return x

    def predict(self, data: Sequence[int] | np.ndarray) -> int:
        x = self._vector(data)
        distances = [
            checked(sum((n * v - s) ** 2 for v, s in zip(x, row, strict=True)), 0, INT256_MAX, "a distance")
            for n, row in zip(self.num_samples, self.sums, strict=True)
        ]
        return nearest(distances, self.num_samples)

    def update(self, data: Sequence[int] | np.ndarray, label: int) -> None:
        label = self._check_label(label)
        x = self._vector(data)
        row = [checked(s + v, SUM_MIN, SUM_MAX, "a centroid sum") for s, v in zip(self.sums[label], x, strict=True)]
        samples = checked(self.num_samples[label] + 1, 0, SAMPLES_MAX, "the sample count")
        self.sums[label] = row
        self.num_samples[label] = samples
