"""The review with the words that pushed the model coloured, as HTML for a read-only rendering."""

from __future__ import annotations

import html
import re

from dacwallet.usecases.evidence import word_weights
from dacwallet.usecases.preview import LocalPreview

_WORD = re.compile(r"[A-Za-z0-9']+|[^A-Za-z0-9']+")
POSITIVE_COLOURS = ("#2e7d32", "#43a047")  # strong, weak (readable on light and dark)
NEGATIVE_COLOURS = ("#c62828", "#e53935")


# A word is coloured only when it carries at least this share of the strongest word's evidence: the many
# features with a tiny weight would otherwise colour half the review.
MIN_SHARE = 0.1


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
