"""A clear focus ring on whatever control has the keyboard focus: buttons, fields, tables, lists, combo boxes,
check boxes, in every window and dialog. Fusion marks focus with a faint one-pixel tint (and on some controls
not at all), which a keyboard user cannot follow.

The ring is one transparent child laid over the focused control and moved with the focus, so it works the
same for every kind of widget (an item view without a frame included) and is clipped where its control is.
Like browsers' focus-visible, it shows after the keyboard moved the focus (Tab, a shortcut) and always in a
text field; a control clicked with the mouse needs no ring to be found.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

RING_PX = 2
LEAST_CONTRAST = 3.0  # WCAG 2.1's least contrast for a focus indicator against what is next to it


def _luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())


def contrast(a: QColor, b: QColor) -> float:
    """WCAG's contrast ratio of two colours (1 to 21)."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def ring_colour(palette: QPalette) -> QColor:
    """The palette's highlight, made lighter on a dark background or darker on a light one until it stands out
    from the window by at least LEAST_CONTRAST (the dark palette's blue on grey did not)."""
    background = palette.color(QPalette.ColorRole.Window)
    colour = QColor(palette.color(QPalette.ColorRole.Highlight))
    dark = _luminance(background) < 0.2
    for _ in range(20):
        if contrast(colour, background) >= LEAST_CONTRAST:
            break
        colour = colour.lighter(112) if dark else colour.darker(112)
    return colour


def _typed_into(widget: QWidget) -> bool:
    return isinstance(widget, (QLineEdit, QPlainTextEdit, QTextEdit)) and not widget.isReadOnly()


def ring_target(widget: QWidget) -> QWidget:
    """The control the ring goes around: an editable combo box's or spin box's own line edit is part of it."""
    parent = widget.parentWidget()
    if isinstance(widget, QLineEdit) and isinstance(parent, (QComboBox, QAbstractSpinBox)):
        return parent
    return widget


class _Ring(QWidget):
    """Paints the ring over its parent (the focused control); lets every click through."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def paintEvent(self, _event: QEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(ring_colour(self.palette()), RING_PX))
        half = RING_PX / 2
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(half, half, -half, -half), 3, 3)


class FocusRing(QObject):
    """Follows QApplication's focus; one per application (see ``install``)."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._ring: _Ring | None = None
        self._target: QWidget | None = None
        app.focusChanged.connect(self._moved)

    def _moved(self, _old: QWidget | None, now: QWidget | None) -> None:
        if self._target is not None and shiboken6.isValid(self._target):
            self._target.removeEventFilter(self)
        self._target = None
        if self._ring is not None and shiboken6.isValid(self._ring):
            self._ring.hide()  # it keeps its parent: a ring without one would outlive the application
        if now is None or not self._wanted(now):
            return
        self._target = ring_target(now)
        self._target.installEventFilter(self)
        # Over the control, as its parent's child: the control's own children (a table's scroll bars shown
        # later, an editor) can then never cover the ring.
        host = self._target.parentWidget() or self._target
        if self._ring is None or not shiboken6.isValid(self._ring):
            self._ring = _Ring(host)  # the first, or the last one went with the widget it lay on
        else:
            self._ring.setParent(host)
        self._fit()

    def _wanted(self, widget: QWidget) -> bool:
        shown_by_keyboard = widget.window().testAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange)
        return shown_by_keyboard or _typed_into(widget)

    def _fit(self) -> None:
        ring, target = self._ring, self._target
        if ring is None or target is None or not shiboken6.isValid(ring):
            return
        ring.setGeometry(target.rect() if ring.parentWidget() is target else target.geometry())
        ring.raise_()
        ring.setVisible(target.isVisible())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._target and event.type() in (
            QEvent.Type.Move,
            QEvent.Type.Resize,
            QEvent.Type.Show,
            QEvent.Type.Hide,
        ):
            self._fit()
        return False


def install(app: QApplication) -> None:
    """Once per application: tests and the launcher may ask for the application more than once."""
    if app.findChild(FocusRing) is None:
        FocusRing(app)
