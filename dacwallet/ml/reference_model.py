"""The reference framework's own model files (its demos' ``{"type": "sparse perceptron", ...}`` JSON), read into a
dacwallet-model/1 model of a reference deployment.

The reference deploys every float times 1e9, rounded half up (JavaScript's ``Math.round``); counts stay whole. The
result keeps ``contracts: "reference"`` so its mirror computes as the reference's contracts do (see ml/mirrors).
"""

from __future__ import annotations

import math
from typing import Any

from dacwallet.errors import InputError
from dacwallet.ml.model_file import FORMAT, check_model

TO_FLOAT = 10**9
# A model file's "contracts" value for a model deployed on the reference's own contracts.
REFERENCE_CONTRACTS = "reference"
# The reference's deployment uses this learning rate when a perceptron's file gives none (or 0).
DEFAULT_LEARNING_RATE = 0.5
# The reference's type names (compared lower-cased, as its deployment does) -> our model type (each one mirrored).
_TYPES = {
    "sparse perceptron": "sparse_perceptron",
    "dense perceptron": "dense_perceptron",
    "perceptron": "dense_perceptron",
    "naive bayes": "naive_bayes",
    "nearest centroid classifier": "nearest_centroid",
    "dense nearest centroid classifier": "nearest_centroid",
    "sparse nearest centroid classifier": "sparse_nearest_centroid",
}


def _kind(raw: Any) -> str | None:
    kind = raw.get("type") if isinstance(raw, dict) else None
    return kind.casefold() if isinstance(kind, str) else None


def is_reference_model(raw: Any) -> bool:
    """True for the reference's model JSON (no dacwallet format tag, a reference model type)."""
    return isinstance(raw, dict) and "format" not in raw and _kind(raw) in _TYPES


def scaled(value: Any, what: str) -> int:
    """``value`` times 1e9, rounded half up as the reference's deployment does it."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InputError(f"The reference model's {what} is not a number.")
    return math.floor(value * TO_FLOAT + 0.5)


def whole(value: Any, what: str, high: int) -> int:
    """A count or index the reference uploads as it is: a whole number from 0 to ``high``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value) or not 0 <= value <= high:
        raise InputError(f"The reference model's {what} ({value!r}) is not a whole number from 0 to {high}.")
    return int(value)


def from_reference(
    raw: dict[str, Any], *, name: str, description: str, encoder: str, where: str = "the model file"
) -> dict[str, Any]:
    """The dacwallet-model/1 model of ``raw`` as the reference deploys it; ``name``, ``description`` and
    ``encoder`` are the deployment's (the reference's files do not carry them). InputError says what does not fit."""
    kind = _kind(raw)
    ours = _TYPES.get(kind or "")
    if ours is None:
        raise InputError(
            f"{where} has the model type {raw.get('type')!r}, which is none of the reference's: "
            f"{', '.join(sorted(_TYPES))}."
        )
    common = {
        "format": FORMAT,
        "type": ours,
        "contracts": REFERENCE_CONTRACTS,
        "name": name,
        "description": description,
        "encoder": encoder,
    }
    try:
        model = {**common, **_PARTS[ours](raw, where)}
    except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
        raise InputError(f"{where} is an incomplete reference {kind} model (bad or missing {exc}).") from None
    check_model(model, where)
    return model


def _perceptron(raw: dict[str, Any], where: str, sparse: bool) -> dict[str, Any]:
    if raw.get("sparseWeights") or (sparse and raw.get("featureIndices")):
        raise InputError(
            f"{where} uses sparseWeights or featureIndices, which this version of dacwallet does not read for a "
            "sparse perceptron; add the deployment without a model file."
        )
    weights = [scaled(w, "weight") for w in raw["weights"]]
    model: dict[str, Any] = {
        "classifications": [str(c) for c in raw["classifications"]],
        "num_features": len(weights),
        "weights": weights,
        "intercept": scaled(raw["intercept"], "intercept"),
        "learning_rate": scaled(raw.get("learningRate") or DEFAULT_LEARNING_RATE, "learning rate"),
    }
    if not sparse and raw.get("featureIndices"):
        # Which encoder outputs the client keeps; the contract holds them and the check compares them.
        model["feature_indices"] = [whole(i, "feature index", 2**32 - 1) for i in raw["featureIndices"]]
        if len(model["feature_indices"]) != len(weights):
            raise InputError(f"{where} has {len(model['feature_indices'])} featureIndices for {len(weights)} weights.")
    return model


def _naive_bayes(raw: dict[str, Any], where: str) -> dict[str, Any]:
    classes = [str(c) for c in raw["classifications"]]
    # Per class the [index, count] pairs as uploaded: the contract keeps a repeated index's last count.
    counts = [
        [[whole(i, "feature index", 2**32 - 1), whole(n, "feature count", 2**32 - 1)] for i, n in pairs]
        for pairs in raw["featureCounts"]
    ]
    return {
        "classifications": classes,
        "num_features": whole(raw["totalNumFeatures"], "totalNumFeatures", 2**256 - 1),
        "feature_counts": counts,
        "num_samples": [whole(n, "class count", 2**64 - 1) for n in raw["classCounts"]],
        "smoothing_factor": scaled(raw.get("smoothingFactor") or 1, "smoothing factor"),
    }


def _nearest_centroid(raw: dict[str, Any], where: str) -> dict[str, Any]:
    # The deployment takes the classes in JavaScript's key order: integer-like names ascending, then the others.
    names = sorted(raw["centroids"], key=lambda k: (0, int(k)) if _array_index(k) else (1, 0))
    infos = [raw["centroids"][k] for k in names]
    centroids = [[scaled(v, "centroid value") for v in info["centroid"]] for info in infos]
    if len({len(c) for c in centroids}) != 1:
        raise InputError(f"{where}: the centroids do not all have the same number of dimensions.")
    return {
        "classifications": names,
        "num_features": len(centroids[0]),
        "centroids": centroids,
        "num_samples": [whole(info["dataCount"], "data count", 2**191 - 1) for info in infos],
    }


def _sparse_nearest_centroid(raw: dict[str, Any], where: str) -> dict[str, Any]:
    names = sorted(raw["centroids"], key=lambda k: (0, int(k)) if _array_index(k) else (1, 0))
    infos = [raw["centroids"][k] for k in names]
    # Per class the [feature index, value] pairs in the order the deployment uploads them (ascending indices).
    centroids = [
        sorted(
            [whole(int(i) if str(i).isdigit() else i, "feature index", 2**32 - 1), scaled(v, "centroid value")]
            for i, v in info["centroid"].items()
        )
        for info in infos
    ]
    if any(value < 0 or value >= 2**64 for pairs in centroids for _, value in pairs):
        raise InputError(f"{where}: a sparse centroid value does not fit the contract's uint64 (0 up to 1.8e10).")
    return {
        "classifications": names,
        "num_features": 1 + max((i for pairs in centroids for i, _ in pairs), default=-1),
        "centroids": centroids,
        "num_samples": [whole(info["dataCount"], "data count", 2**64 - 1) for info in infos],
    }


def _array_index(key: str) -> bool:
    """True for the keys a JavaScript object lists first: canonical integers below 2**32 - 1."""
    return key.isdigit() and key.isascii() and str(int(key)) == key and int(key) < 2**32 - 1


_PARTS = {
    "sparse_perceptron": lambda raw, where: _perceptron(raw, where, sparse=True),
    "dense_perceptron": lambda raw, where: _perceptron(raw, where, sparse=False),
    "naive_bayes": _naive_bayes,
    "nearest_centroid": _nearest_centroid,
    "sparse_nearest_centroid": _sparse_nearest_centroid,
}
