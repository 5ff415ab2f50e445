"""What every page shares: a title, a heading, the session, and a refresh that runs in the runner."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui.session import WalletSession


class Page(QWidget):
    """A page of the main window; subclasses set ``title`` and implement ``refresh``."""

    title = "Page"
    hint = ""

    def __init__(self, session: WalletSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(18, 14, 18, 14)
        self.layout_.setSpacing(10)
        heading = QLabel(self.title)
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        heading.setFont(font)
        self.layout_.addWidget(heading)
        if self.hint:
            hint = QLabel(self.hint)
            hint.setWordWrap(True)
            hint.setEnabled(False)  # the palette's muted text, right in light and dark themes
            self.layout_.addWidget(hint)

    def refresh(self) -> None:
        """Re-reads what the page shows (F5, page shown, wallet changed); never blocks."""

    def showEvent(self, event) -> None:  # noqa: N802, ANN001
        super().showEvent(event)
        self.refresh()
