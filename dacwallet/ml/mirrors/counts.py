"""What the two count-based sparse mirrors share, as their contracts share SparseCountsClassifier64:
a count per (class, feature), for any uint64 feature key, and a sample count per class."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from dacwallet.ml.mirrors.base import KeySlots, Mirror, checked, grown, single_key, unsigned_max

COUNT_MAX = unsigned_max(64)
SAMPLES_MAX = unsigned_max(128)


class SparseCountsMirror(Mirror):
    # The largest count a lane of the contract holds.
    count_max = COUNT_MAX

    def _load_counts(
        self, feature_counts: Sequence[Sequence[int]], num_samples: Sequence[int], num_features: int | None
    ) -> list[list[int]]:
        """Sets up the count table and sample counts; returns the checked rows for class aggregates."""
        self.num_classes = len(num_samples)
        counts = [[checked(int(v), 0, self.count_max, "a feature count") for v in row] for row in feature_counts]
        self.num_features = len(counts[0]) if num_features is None else num_features
        self._slots = KeySlots(self.num_features)
        self._counts = np.zeros((self.num_classes, max(self.num_features, 1)), dtype=np.uint64)
        for c, row in enumerate(counts):
            self._counts[c, : len(row)] = np.array(row, dtype=np.uint64)
        self.num_samples = [checked(int(n), 0, SAMPLES_MAX, "a sample count") for n in num_samples]
        return counts

    def count(self, label: int, index: int) -> int:
        """The contract's count of feature ``uint64(index)`` in class ``label``."""
        slot = self._map(single_key(index))[0]  # map first: mapping may grow the array
        return int(self._counts[label, slot])

    def _map(self, keys: np.ndarray) -> np.ndarray:
        slots = self._slots.slots(keys)
        self._counts = grown(self._counts, self._slots.size)
        return slots
