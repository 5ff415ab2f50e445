"""Inline messages shown where the user acted: errors under a form, notes, and the in-app banner."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

ERROR_STYLE = (
    "background: rgba(198, 40, 40, 0.16); border: 1px solid rgba(198, 40, 40, 0.6); border-radius: 4px; padding: 6px;"
)
NOTE_STYLE = (
    "background: rgba(46, 125, 50, 0.14); border: 1px solid rgba(46, 125, 50, 0.5); border-radius: 4px; padding: 6px;"
)
ADVICE_STYLE = (
    "background: rgba(245, 166, 35, 0.16); border: 1px solid rgba(245, 166, 35, 0.6); border-radius: 4px; padding: 6px;"
)


class MessageLabel(QLabel):
    """A word-wrapped label that is hidden while empty; ``show_error`` / ``show_note`` / ``clear``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def show_error(self, text: str) -> None:
        self._show(text, ERROR_STYLE)

    def show_note(self, text: str) -> None:
        self._show(text, NOTE_STYLE)

    def show_advice(self, text: str) -> None:
        self._show(text, ADVICE_STYLE)

    def _show(self, text: str, style: str) -> None:
        self.setStyleSheet(style)
        self.setText(text)
        self.setVisible(bool(text))

    def clear(self) -> None:
        self.setText("")
        self.hide()


class Banner(QFrame):
    """A dismissable notice at the top of the window (refund claimable, contribution at risk)."""

    sig_dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        self.label = QLabel()
        self.label.setWordWrap(True)
        close = QPushButton("Dismiss")
        close.clicked.connect(self._dismiss)
        layout.addWidget(self.label, 1)
        layout.addWidget(close)
        # A line of room, kept while hidden: a notice (one line across the window) never moves what is under the
        # mouse; only a longer message (a node's error) may take a second line.
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.setSizePolicy(policy)
        self.setStyleSheet(f"QFrame#banner {{ {NOTE_STYLE} }}")  # both styles have the same border and padding
        self.label.setText(" ")
        self.setMinimumHeight(self.sizeHint().height())
        self.label.setText("")
        self.hide()

    def show_message(self, text: str, warning: bool = False) -> None:
        self.setStyleSheet(f"QFrame#banner {{ {ADVICE_STYLE if warning else NOTE_STYLE} }}")
        self.label.setText(text)
        self.show()

    def _dismiss(self) -> None:
        self.hide()
        self.sig_dismissed.emit()
