"""Line edits whose hint is read whole."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit

HINT_PADDING_PX = 16  # the frame and text margins on both sides, and the clear button's room


def fit_placeholder(field: QLineEdit) -> None:
    """Never narrower than its placeholder: a hint cut mid-word ("e.g. 90m, 2h, 1d1…") stops helping."""
    need = field.fontMetrics().horizontalAdvance(field.placeholderText()) + HINT_PADDING_PX
    field.setMinimumWidth(max(field.minimumWidth(), need))
