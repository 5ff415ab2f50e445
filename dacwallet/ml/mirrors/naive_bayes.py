"""Mirror of our Naive Bayes: binary sparse features, products rescaled by 2**64 instead of logs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from dacwallet.ml.mirrors.base import (
    TO_FLOAT,
    Batch,
    ModelRevert,
    as_keys,
    checked,
    take_rows,
    unsigned_max,
)
from dacwallet.ml.mirrors.counts import SAMPLES_MAX, SparseCountsMirror
from dacwallet.ml.mirrors.naive_bayes_fast import UNDECIDED, log_space_classes

UINT256_MAX = unsigned_max(256)
RESCALE_BELOW = 2**128
# Scores start at numSamples << 128 so the first divisions keep 128 bits of precision.
START_BITS = 128
RESCALE_BITS = 64


class NaiveBayesMirror(SparseCountsMirror):
    def __init__(
        self,
        feature_counts: Sequence[Sequence[int]],
        num_samples: Sequence[int],
        smoothing_factor: int,
        num_features: int | None = None,
    ) -> None:
        counts = self._load_counts(feature_counts, num_samples, num_features)
        # The contract adds the counts up once at upload.
        self.total_feature_count = [checked(sum(row), 0, SAMPLES_MAX, "a class total") for row in counts]
        self.smoothing_factor = checked(int(smoothing_factor), 0, UINT256_MAX, "the smoothing factor")

    @classmethod
    def from_model_file(cls, model: dict[str, Any]) -> NaiveBayesMirror:
        return cls(model["feature_counts"], model["num_samples"], model["smoothing_factor"], model["num_features"])

    def _denominators(self) -> list[int]:
        dens = [t * TO_FLOAT + self.smoothing_factor * self.num_features for t in self.total_feature_count]
        if 0 in dens:
            raise ModelRevert("The model cannot predict yet: a class has no data and no smoothing.")
        return dens

    def predict(self, data: Sequence[int] | np.ndarray) -> int:
        probs = self._scores(self._map(as_keys(data)))
        return probs.index(max(probs))

    def _scores(self, slots: np.ndarray) -> list[int]:
        """The contract's integer score of each class for the mapped indices."""
        dens = self._denominators()
        s = self.smoothing_factor
        counts = [self._counts[c, slots].tolist() for c in range(self.num_classes)]
        probs = [n << START_BITS for n in self.num_samples]
        for pos in range(len(slots)):
            for c in range(self.num_classes):
                product = checked(probs[c] * (counts[c][pos] * TO_FLOAT + s), 0, UINT256_MAX, "a probability")
                probs[c] = product // dens[c]
            top = max(probs)
            if 0 < top < RESCALE_BELOW:
                probs = [p << RESCALE_BITS for p in probs]
        return probs

    def predict_batch(self, batch: Batch) -> np.ndarray:
        """``predict`` of every row: float64 log scores decide the clear rows (provably the same
        answer, see ``naive_bayes_fast``), the exact integer steps run only on the close ones."""
        slots = self._map(as_keys(batch.data))
        result = log_space_classes(
            self._counts, slots, batch.offsets, self.num_samples, self._denominators(), self.smoothing_factor
        )
        close = np.flatnonzero(result == UNDECIDED)
        if len(close):
            result[close] = self._exact_batch(take_rows(batch, close))
        return result

    def _exact_batch(self, batch: Batch) -> np.ndarray:
        """The contract's integer steps over all rows at once (Python ints in object arrays)."""
        slots = self._map(as_keys(batch.data))
        dens = self._denominators()
        n_rows = len(batch)
        lengths = np.diff(batch.offsets)
        width = int(lengths.max()) if n_rows else 0
        # Pad rows to one width; padded steps multiply by 1 and divide by 1 and never rescale.
        column = np.arange(width)
        active = column[None, :] < lengths[:, None]
        positions = np.where(active, batch.offsets[:-1, None] + column[None, :], 0)
        probs: np.ndarray = np.array([[n << START_BITS] * n_rows for n in self.num_samples], dtype=object)
        if len(slots):
            gathered = [self._counts[c][slots[positions]].astype(object) for c in range(self.num_classes)]
        for pos in range(width):
            on = active[:, pos]
            for c in range(self.num_classes):
                num = np.where(on, gathered[c][:, pos] * TO_FLOAT + self.smoothing_factor, 1)
                product = probs[c] * num
                if (product > UINT256_MAX).any():
                    return super().predict_batch(batch)  # the row-wise path raises where it must
                probs[c] = product // np.where(on, dens[c], 1)
            top = probs.max(axis=0)
            rescale = on & (top > 0) & (top < RESCALE_BELOW)
            probs = np.where(rescale[None, :], probs * (1 << RESCALE_BITS), probs)
        winners: np.ndarray = probs.argmax(axis=0)
        return winners.astype(np.int64)

    def update(self, data: Sequence[int] | np.ndarray, label: int) -> None:
        label = self._check_label(label)
        self._add_counts(self._map(as_keys(data)), label)

    def _add_counts(self, slots: np.ndarray, label: int) -> None:
        unique, times = np.unique(slots, return_counts=True)
        new_counts = [
            checked(int(v) + int(k), 0, self.count_max, "a feature count")
            for v, k in zip(self._counts[label, unique], times, strict=True)
        ]
        samples = checked(self.num_samples[label] + 1, 0, SAMPLES_MAX, "the sample count")
        total = checked(self.total_feature_count[label] + len(slots), 0, SAMPLES_MAX, "the class total")
        self._counts[label, unique] = np.array(new_counts, dtype=np.uint64)
        self.num_samples[label] = samples
        self.total_feature_count[label] = total
