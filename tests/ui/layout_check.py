"""Finding what is clipped: a label or button given less room than its text needs (size hint against
geometry, word-wrapped labels by their height for the width they have)."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import QAbstractButton, QGraphicsView, QGraphicsWidget, QLabel, QLineEdit, QWidget

SLACK_PX = 1  # rounding between the hint and the layout's integer geometry
EMPTY_BAND_PX = 8
FIELD_PADDING_PX = 10  # a line edit's frame and text margins, both sides


def _name(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, (QLabel, QAbstractButton)) else ""
    owner = widget.window().windowTitle() or type(widget.window()).__name__
    return f"{owner}: {type(widget).__name__} {text[:70]!r}"


def clipped(root: QWidget) -> list[str]:
    """Every visible label or button under ``root`` whose text needs more room than it has, every empty field
    whose placeholder is cut, and every chart whose plots and titles need more width than its view."""
    problems = []
    for view in root.findChildren(QGraphicsView):  # the charts: a scene wider than its view is cut on the right
        layout = getattr(view, "centralWidget", None)  # pyqtgraph's: the layout of the plots and their titles
        if view.isVisible() and isinstance(layout, QGraphicsWidget):
            need = layout.effectiveSizeHint(Qt.SizeHint.MinimumSize).width()
            if need > view.viewport().width() + SLACK_PX:
                problems.append(f"{_name(view)} needs {need:.0f} px wide, has {view.viewport().width()}")
    for field in root.findChildren(QLineEdit):  # a hint cut off mid-word ("you type it when y…")
        hint = field.placeholderText()
        room = field.width() - FIELD_PADDING_PX
        if field.isVisible() and hint and not field.text() and field.fontMetrics().horizontalAdvance(hint) > room:
            problems.append(f"{_name(field)} placeholder {hint[:50]!r} is wider than the field ({room} px)")
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible() or not isinstance(widget, (QLabel, QAbstractButton)):
            continue
        if not widget.text() or widget.width() <= 0:
            continue
        hint = widget.sizeHint()
        if isinstance(widget, QLabel) and widget.wordWrap():
            need_w, need_h = widget.minimumSizeHint().width(), widget.heightForWidth(widget.width())
        else:
            need_w, need_h = hint.width(), hint.height()
        if need_w > widget.width() + SLACK_PX or need_h > widget.height() + SLACK_PX:
            problems.append(f"{_name(widget)} needs {need_w}x{need_h}, has {widget.width()}x{widget.height()}")
    return problems


def empty_band(dialog: QWidget) -> list[str]:
    """A dialog taller than its rows need at its width: what the user sees is a band of empty space."""
    layout = dialog.layout()
    need = layout.totalHeightForWidth(dialog.width()) if layout.hasHeightForWidth() else layout.totalSizeHint().height()
    if dialog.height() > need + EMPTY_BAND_PX:
        return [f"{_name(dialog)} is {dialog.height()} px high, its rows need {need}"]
    return []


def off_screen(window: QWidget, screen: QSize) -> list[str]:
    """What of ``window`` a screen of size ``screen`` cannot show whole: the window itself when larger, and
    every visible button not wholly inside the window (cut by its edge)."""
    problems = []
    if window.width() > screen.width() or window.height() > screen.height():
        problems.append(f"{_name(window)} is {window.width()}x{window.height()}, larger than the screen")
    inside = window.rect()
    for button in window.findChildren(QAbstractButton):
        if button.isVisible() and not inside.contains(
            QRect(button.mapTo(window, button.rect().topLeft()), button.size())
        ):
            problems.append(f"{_name(button)} is cut by the edge of its window")
    return problems
