"""Qt-free: which words of a review pushed the model, as HTML for a read-only rendering, and the margin."""

from __future__ import annotations

import html
import re

from dacwallet.usecases.exports import ModelBundle
from dacwallet.usecases.preview import LocalPreview

_WORD = re.compile(r"[A-Za-z0-9']+|[^A-Za-z0-9']+")
POSITIVE_COLOURS = ("#2e7d32", "#43a047")  # strong, weak (readable on light and dark)
NEGATIVE_COLOURS = ("#c62828", "#e53935")


# A word is coloured only when it carries at least this share of the strongest word's evidence: the many
# features with a tiny weight would otherwise colour half the review.
MIN_SHARE = 0.1


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
    return base + sum(value for _, value in preview.evidence)


def highlighted_html(text: str, preview: LocalPreview | None, class_names: tuple[str, ...] = ("", "")) -> str:
    """The review with the words that moved the model coloured: green toward class 1, red toward class 0."""
    weights = word_weights(preview) if preview is not None else {}
    strongest = max((abs(v) for v in weights.values()), default=0.0) or 1.0
    parts = []
    for piece in _WORD.findall(text):
        value = weights.get(piece.lower().replace("'", "'"))
        escaped = html.escape(piece).replace("\n", "<br>")
        if value is None or abs(value) < strongest * MIN_SHARE:
            parts.append(escaped)
            continue
        strong = abs(value) >= strongest / 2
        colour = (POSITIVE_COLOURS if value > 0 else NEGATIVE_COLOURS)[0 if strong else 1]
        toward = class_names[1 if value > 0 else 0] if class_names[0] else ("+" if value > 0 else "−")
        parts.append(
            f'<span style="color:{colour}; font-weight:{"bold" if strong else "normal"};'
            f' text-decoration: underline" title="toward {html.escape(toward)} ({value:+.2f})">'
            f"{escaped}</span>"
        )
    return "".join(parts)


def strongest_words(
    bundle: ModelBundle, weights: list[float], count: int = 12
) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
    """(most positive, most negative) vocabulary entries by weight."""
    vocabulary = getattr(bundle.encoder, "vocabulary", None) or ()
    named = [(vocabulary[i] if i < len(vocabulary) else str(i), w) for i, w in enumerate(weights)]
    ranked = sorted(named, key=lambda item: item[1])
    positive = [item for item in reversed(ranked[-count:]) if item[1] > 0]
    negative = [item for item in ranked[:count] if item[1] < 0]
    return positive, negative
