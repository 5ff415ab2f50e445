"""What every page shares: a title, a heading, the session, and a refresh that runs in the runner."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QPalette, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from ui.session import WalletSession

NO_MODEL = (
    "No model is known on this chain yet. Add one on the Model page: paste its address in "
    "“Add by address” under Models on this chain."
)


def muted_palette(widget: QWidget) -> QPalette:
    """Text two thirds of the way from the background to the normal text: readable in light and dark."""
    palette = widget.palette()
    text, back = palette.color(QPalette.ColorRole.WindowText), palette.color(QPalette.ColorRole.Window)
    palette.setColor(
        QPalette.ColorRole.WindowText,
        QColor(
            (2 * text.red() + back.red()) // 3,
            (2 * text.green() + back.green()) // 3,
            (2 * text.blue() + back.blue()) // 3,
        ),
    )
    return palette


class _PageLayout(QVBoxLayout):
    """A page's layout, which hides its height-for-width from the scroll area around it: given that, QScrollArea
    makes the page at least its *preferred* height, so every page scrolled (the review box kept its 192 px
    while the deposit story went below the fold). The page's least height is set by the scroll area instead."""

    measuring = False

    def hasHeightForWidth(self) -> bool:
        return self.measuring and super().hasHeightForWidth()


class _HeightForWidthScroll(QScrollArea):
    """A resizable scroll area whose page is never squeezed below the least height its word-wrapped labels
    need at the viewport's width (QScrollArea alone goes by the minimum size, which ignores it)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self._fit()
        return super().eventFilter(watched, event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        body = self.widget()
        layout = body.layout() if body is not None else None
        if body is not None and isinstance(layout, _PageLayout):
            layout.measuring = True
            try:
                need = layout.totalMinimumHeightForWidth(self.viewport().width())
            finally:
                layout.measuring = False
            body.setMinimumHeight(need)


class Page(QWidget):
    """A page of the main window; subclasses set ``title`` and implement ``refresh``."""

    title = "Page"
    hint = ""
    points_hint = ""  # the hint on a points model (no deposit) when the plain one speaks of deposits

    def __init__(self, session: WalletSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        # The page scrolls as a whole when the window is smaller than its content: no page sets the window's
        # minimum size (usable at 1024x700, at any font size) and nothing is clipped.
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroll_area = _HeightForWidthScroll()  # not ``scroll``: that would hide QWidget.scroll
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        self.scroll_area.setWidget(body)
        outer.addWidget(self.scroll_area)
        self.layout_ = _PageLayout(body)
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
            self.layout_.addWidget(hint)
        self._hint = hint if self.hint else None
        self._mute_hint()
        if self.points_hint:
            session.sig_opened.connect(self._word_hint)

    def _word_hint(self, opened: object) -> None:
        """The hint in the words of the model now open: deposits, or points (usecases.payout)."""
        if self._hint is not None:
            self._hint.setText(self.points_hint if getattr(opened, "pays_points", False) else self.hint)

    def _mute_hint(self) -> None:
        if self._hint is not None:
            self._hint.setPalette(muted_palette(self))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._mute_hint()

    def no_model(self) -> bool:
        """True when the wallet is open on a chain where no model is known (e.g. a fresh local node)."""
        opened = self.session.opened
        return opened is not None and opened.model_name is None

    def focus_first(self) -> None:
        """Where the keyboard goes when the page is opened by its shortcut: its first control."""
        body = self.scroll_area.widget()
        assert body is not None  # set in __init__
        widget = body.nextInFocusChain()
        while widget is not body and widget is not None:
            if (
                self.isAncestorOf(widget)
                and widget.isVisible()
                and widget.isEnabled()
                and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            ):
                widget.setFocus(Qt.FocusReason.ShortcutFocusReason)
                return
            widget = widget.nextInFocusChain()

    def refresh(self) -> None:
        """Re-reads what the page shows (F5, page shown, wallet changed); never blocks."""

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()
