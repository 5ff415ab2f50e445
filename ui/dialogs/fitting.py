"""Dialogs that fit their text: wide enough for their widest control, tall enough for their word-wrapped lines."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDialog


def fit_height(dialog: QDialog) -> None:
    """Sizes ``dialog`` to the height its word-wrapped labels need at its width: its size hint is computed
    without the width, so an open dialog otherwise slices its longer lines (and squeezes its buttons), and
    never shrinks, so a step with fewer rows (the fee fields hidden, the words asked back after the phrase)
    showed a band of empty space."""
    layout = dialog.layout()
    if layout is None:
        return
    layout.activate()
    width = dialog.width()
    need = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else layout.totalSizeHint().height()
    dialog.setMinimumHeight(need)
    if dialog.height() != need:
        dialog.resize(width, need)


class FittingDialog(QDialog):
    """Starts ``preferred_width`` wide, or wider when a control needs it, and grows in height whenever a line
    appears. The width is a preference, not a minimum: an explicit minimum width overrides the one the layout
    computes, so a longer check box or button (at a larger font) was cut at 480 pixels."""

    preferred_width = 480

    def sizeHint(self) -> QSize:
        return super().sizeHint().expandedTo(QSize(self.preferred_width, 0))

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.LayoutRequest and self.isVisible():
            fit_height(self)  # a message shown, a step's widgets swapped
        return handled

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        fit_height(self)
