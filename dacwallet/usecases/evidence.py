"""Why the local model says what it says about a review: the evidence of each word, and how far the review is
from the decision boundary."""

from __future__ import annotations

from dacwallet.ml.catalog import ModelBundle
from dacwallet.usecases.preview import LocalPreview


def word_weights(preview: LocalPreview) -> dict[str, float]:
    """Evidence per lower-case word. A word pair's evidence goes to the pair's word that moves the model most
    on its own ("the best" to "best"), so that "the", "of" or "with" are not coloured for their neighbours."""
    alone = {feature: value for feature, value in preview.evidence if " " not in feature}
    weights: dict[str, float] = {}
    for feature, value in preview.evidence:
        word = max(feature.split(" "), key=lambda w: (abs(alone.get(w, 0.0)), len(w)))  # tie: the longer word
        weights[word] = weights.get(word, 0.0) + value
    return weights


def margin(bundle: ModelBundle, preview: LocalPreview) -> float:
    """How far the review is from the decision boundary, in the model's own units (binary models)."""
    base = bundle.model.get("intercept", 0) / 1e9 if bundle.model.get("type") == "sparse_perceptron" else 0.0
    return float(base + sum(value for _, value in preview.evidence))
