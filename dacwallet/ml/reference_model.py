"""The reference framework's own model files (its demo's ``{"type": "sparse perceptron", ...}`` JSON), read into a
dacwallet-model/1 model of a reference deployment.

The reference deploys every number times 1e9, rounded half up (JavaScript's ``Math.round``); the result keeps
``contracts: "reference"`` so its mirror computes as the reference's contracts do (see ml/mirrors).
"""

from __future__ import annotations

import math
from typing import Any

from dacwallet.errors import InputError
from dacwallet.ml.model_file import FORMAT, check_model

TO_FLOAT = 10**9
# A model file's "contracts" value for a model deployed on the reference's own contracts.
REFERENCE_CONTRACTS = "reference"
# The reference's model types whose contracts the mirrors compute exactly, by the name its files use.
_SUPPORTED = {"sparse perceptron": "sparse_perceptron"}
_KNOWN = (
    "sparse perceptron",
    "dense perceptron",
    "naive bayes",
    "nearest centroid classifier",
    "sparse nearest centroid classifier",
)


def is_reference_model(raw: Any) -> bool:
    """True for the reference's model JSON (no dacwallet format tag, a reference model type)."""
    return isinstance(raw, dict) and "format" not in raw and raw.get("type") in _KNOWN


def scaled(value: Any, what: str) -> int:
    """``value`` times 1e9, rounded half up as the reference's deployment does it."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InputError(f"The reference model's {what} is not a number.")
    return math.floor(value * TO_FLOAT + 0.5)


def from_reference(
    raw: dict[str, Any], *, name: str, description: str, encoder: str, where: str = "the model file"
) -> dict[str, Any]:
    """The dacwallet-model/1 model of ``raw`` as the reference deploys it; ``name``, ``description`` and
    ``encoder`` are the deployment's (the reference's files do not carry them). InputError says what does not fit."""
    kind = raw.get("type")
    if kind not in _SUPPORTED:
        raise InputError(
            f"{where} is a reference {kind} model; this version of dacwallet mirrors the reference's "
            f"{', '.join(_SUPPORTED)} contracts only. Add the deployment without a model file (the "
            "chain's own predictions still work)."
        )
    if raw.get("featureIndices") or raw.get("sparseWeights"):
        raise InputError(
            f"{where} uses featureIndices or sparseWeights, which this version of dacwallet does not "
            "read; add the deployment without a model file."
        )
    try:
        classes = [str(c) for c in raw["classifications"]]
        weights = [scaled(w, "weight") for w in raw["weights"]]
        model = {
            "format": FORMAT,
            "type": _SUPPORTED[kind],
            "contracts": REFERENCE_CONTRACTS,
            "name": name,
            "description": description,
            "encoder": encoder,
            "classifications": classes,
            "num_features": len(weights),
            "weights": weights,
            "intercept": scaled(raw["intercept"], "intercept"),
            "learning_rate": scaled(raw["learningRate"], "learning rate"),
        }
    except (KeyError, TypeError) as exc:
        raise InputError(f"{where} is an incomplete reference {kind} model (lacks {exc}).") from None
    check_model(model, where)
    return model
