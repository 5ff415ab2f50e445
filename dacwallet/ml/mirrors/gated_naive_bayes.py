"""Mirror of PackedNaiveBayes: our Naive Bayes's predictions, uint24 counts, and an update that is
skipped when the model is already sure of the label (score[label] > e^5 * score[other])."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from dacwallet.ml.mirrors.base import ModelRevert, as_keys, checked, unsigned_max
from dacwallet.ml.mirrors.naive_bayes import UINT256_MAX, NaiveBayesMirror

# e^5 = 148.4131...: the contract's GATE_NUMERATOR / GATE_DENOMINATOR.
GATE_NUMERATOR = 148413
GATE_DENOMINATOR = 1000


class GatedNaiveBayesMirror(NaiveBayesMirror):
    count_max = unsigned_max(24)

    def __init__(
        self,
        feature_counts: Sequence[Sequence[int]],
        num_samples: Sequence[int],
        smoothing_factor: int,
        num_features: int | None = None,
    ) -> None:
        if len(num_samples) != 2:
            raise ModelRevert("This Naive Bayes has exactly two classes.")
        super().__init__(feature_counts, num_samples, smoothing_factor, num_features)

    def is_sure(self, data: Sequence[int] | np.ndarray, label: int) -> bool:
        """Whether the contract would skip ``update(data, label)``: the log-odds margin toward the label exceeds 5."""
        label = self._check_label(label)
        scores = self._scores(self._map(as_keys(data)))
        mine = checked(scores[label] * GATE_DENOMINATOR, 0, UINT256_MAX, "a gate product")
        other = checked(scores[1 - label] * GATE_NUMERATOR, 0, UINT256_MAX, "a gate product")
        return mine > other

    def update(self, data: Sequence[int] | np.ndarray, label: int) -> None:
        if not self.is_sure(data, label):
            super().update(data, label)
