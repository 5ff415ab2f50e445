"""A model description (the resources/models JSON format) and how it maps onto a contract."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dacwallet.contracts.packing import pack_words
from dacwallet.errors import InputError
from dacwallet.ml.model_file import read_model_json

TO_FLOAT = 10**9

# model type -> (contract, upload function, lane bits, signed lanes)
_CONTRACTS: dict[str, tuple[str, str, int, bool]] = {
    "sparse_perceptron": ("SparsePerceptron", "initializeWords", 48, True),
    "dense_perceptron": ("DensePerceptron", "initializeWords", 64, True),
    "naive_bayes": ("NaiveBayesClassifier", "initializeCounts", 64, False),
    "gated_naive_bayes": ("PackedNaiveBayes", "initializeCounts", 24, False),
    "sparse_nearest_centroid": ("SparseNearestCentroidClassifier", "initializeCounts", 64, False),
    "nearest_centroid": ("NearestCentroidClassifier", "initializeSums", 128, True),
}
MODEL_TYPES = tuple(_CONTRACTS)


@dataclass(frozen=True)
class ModelSpec:
    """Everything needed to deploy one model; integers exactly as the contract stores them."""

    type: str
    name: str
    description: str
    encoder: str
    classifications: tuple[str, ...]
    num_features: int
    weights: tuple[int, ...] = ()
    intercept: int = 0
    learning_rate: int = 0
    feature_counts: tuple[tuple[int, ...], ...] = ()
    num_samples: tuple[int, ...] = ()
    smoothing_factor: int = 0
    centroid_sums: tuple[tuple[int, ...], ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> ModelSpec:
        model_type = raw.get("type")
        if model_type not in _CONTRACTS:
            raise InputError(f"Unknown model type {model_type!r}; expected one of {', '.join(MODEL_TYPES)}.")
        try:
            spec = cls(
                type=model_type,
                name=str(raw["name"]),
                description=str(raw.get("description", "")),
                encoder=str(raw["encoder"]),
                classifications=tuple(str(c) for c in raw["classifications"]),
                num_features=int(raw["num_features"]),
                weights=tuple(int(w) for w in raw.get("weights", ())),
                intercept=int(raw.get("intercept", 0)),
                learning_rate=int(raw.get("learning_rate", 0)),
                feature_counts=tuple(tuple(int(v) for v in row) for row in raw.get("feature_counts", ())),
                num_samples=tuple(int(n) for n in raw.get("num_samples", ())),
                smoothing_factor=int(raw.get("smoothing_factor", 0)),
                centroid_sums=tuple(tuple(int(v) for v in row) for row in raw.get("centroid_sums", ())),
                extra={k: v for k, v in raw.items() if k in ("validation", "format")},
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"The model description is incomplete or malformed: {exc}.") from exc
        spec.validate()
        return spec

    @classmethod
    def from_file(cls, path: Path) -> ModelSpec:
        raw = read_model_json(Path(path))
        if not isinstance(raw, dict):
            raise InputError(f"The model file {path} does not hold a JSON object.")
        return cls.from_dict(raw)

    @property
    def contract_name(self) -> str:
        return _CONTRACTS[self.type][0]

    @property
    def upload_function(self) -> str:
        return _CONTRACTS[self.type][1]

    def validate(self) -> None:
        """Raises InputError when the parameters cannot describe this type of model."""
        n_classes = len(self.classifications)
        if n_classes < 2:
            raise InputError("A model needs at least two classes.")
        if self.num_features <= 0:
            raise InputError("A model needs at least one feature.")
        if self.type.endswith("perceptron"):
            if n_classes != 2:
                raise InputError("A perceptron has exactly two classes.")
            if len(self.weights) != self.num_features:
                raise InputError(f"Expected {self.num_features} weights, found {len(self.weights)}.")
            if not 0 <= self.learning_rate < 2**32:
                raise InputError("The learning rate must fit in 32 bits (it is scaled by 1e9).")
            if not -(2**79) <= self.intercept < 2**79:
                raise InputError("The intercept does not fit in 80 bits.")
        elif self.type == "nearest_centroid":
            self._check_per_class(self.centroid_sums, "centroid_sums")
        else:
            self._check_per_class(self.feature_counts, "feature_counts")
            if self.type.endswith("naive_bayes") and self.smoothing_factor <= 0:
                raise InputError("Naive Bayes needs a positive smoothing factor (scaled by 1e9).")
            if self.type == "gated_naive_bayes" and n_classes != 2:
                raise InputError("The gated Naive Bayes has exactly two classes.")
        if self.type != "sparse_perceptron" and self.type != "dense_perceptron":
            if len(self.num_samples) != n_classes or any(n < 0 for n in self.num_samples):
                raise InputError("Give one non-negative sample count per class.")
        try:
            self.upload_words()
        except ValueError as exc:
            raise InputError(f"A parameter is out of the contract's range: {exc}.") from exc

    def _check_per_class(self, rows: Sequence[Sequence[int]], what: str) -> None:
        if len(rows) != len(self.classifications) or any(len(r) != self.num_features for r in rows):
            raise InputError(f"{what} needs one row of {self.num_features} values per class.")

    def upload_words(self) -> list[int]:
        """The storage words the upload function writes, in key order from 0."""
        _, _, bits, signed = _CONTRACTS[self.type]
        if self.type.endswith("perceptron"):
            return pack_words(self.weights, bits, signed=signed)
        if self.type == "nearest_centroid":
            # Class c's dimensions start at word c * wordsPerClass.
            return [w for row in self.centroid_sums for w in pack_words(row, bits, signed=signed)]
        # Count models: feature f's classes share words f * wordsPerFeature + c // 4; the gated
        # Naive Bayes packs its two classes of five features to a word, unpadded.
        n_classes = len(self.classifications)
        pad_to = 1 if self.type == "gated_naive_bayes" else 4
        interleaved = []
        for f in range(self.num_features):
            per_feature = [self.feature_counts[c][f] for c in range(n_classes)]
            padded = per_feature + [0] * (-n_classes % pad_to)
            interleaved.extend(padded)
        return pack_words(interleaved, bits, signed=signed)

    def constructor_args(self) -> list[Any]:
        classes = list(self.classifications)
        if self.type == "sparse_perceptron":
            return [classes, self.intercept, self.learning_rate]
        if self.type == "dense_perceptron":
            return [classes, self.intercept, self.learning_rate, self.num_features]
        if self.type.endswith("naive_bayes"):
            return [classes, self.num_features, list(self.num_samples), self.smoothing_factor]
        return [classes, self.num_features, list(self.num_samples)]

    def digest(self) -> str:
        """A stable fingerprint, so a resumed deployment is known to be the same model."""
        payload = json.dumps(
            [
                self.type,
                self.name,
                self.description,
                self.encoder,
                self.classifications,
                self.num_features,
                self.constructor_args(),
                self.upload_words(),
            ],
            separators=(",", ":"),
        )
        return hashlib.sha256(payload.encode()).hexdigest()
