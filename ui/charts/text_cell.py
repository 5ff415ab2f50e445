"""A block of rich text in a chart layout that wraps to the width it is given instead of widening the
layout (pyqtgraph's LabelItem takes its text's full width as its minimum, which pushed a half-width
chart's big number out of a 1024-pixel window)."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QRectF, QSizeF, Qt
from PySide6.QtGui import QTextOption
from PySide6.QtWidgets import QGraphicsSceneResizeEvent, QGraphicsTextItem, QSizePolicy


class TextCell(pg.GraphicsWidget):
    def __init__(self, align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft, shrink: bool = True) -> None:
        """``shrink``: the cell may be narrower than its text (which then wraps); otherwise its text's width
        is its minimum (a number that must never wrap)."""
        super().__init__()
        self.shrink = shrink
        self.item = QGraphicsTextItem(self)
        option = QTextOption(align)
        option.setWrapMode(QTextOption.WrapMode.WordWrap)
        self.item.document().setDefaultTextOption(option)
        self.item.document().setDocumentMargin(0)
        policy = QSizePolicy.Policy.Ignored if shrink else QSizePolicy.Policy.Fixed
        self.setSizePolicy(policy, QSizePolicy.Policy.Preferred)
        self.setFlag(self.GraphicsItemFlag.ItemClipsChildrenToShape)  # text that cannot fit is cut, never overlaps

    def set_html(self, text: str) -> None:
        self.item.setHtml(text)
        self.item.setTextWidth(-1)
        self._natural = self.item.document().idealWidth()
        self.updateGeometry()
        self._wrap()

    def text(self) -> str:
        return self.item.toPlainText()

    def sizeHint(self, which: Qt.SizeHint, constraint: QSizeF | None = None) -> QSizeF:
        natural = getattr(self, "_natural", 0.0)
        if which == Qt.SizeHint.MinimumSize:
            return QSizeF(0.0 if self.shrink else natural + 2, 0.0)
        if which == Qt.SizeHint.PreferredSize:
            return QSizeF(natural + 2, self.item.document().size().height())
        hint: QSizeF = super().sizeHint(which, constraint if constraint is not None else QSizeF())
        return hint

    def resizeEvent(self, event: QGraphicsSceneResizeEvent) -> None:
        super().resizeEvent(event)
        self._wrap()

    def _wrap(self) -> None:
        self.item.setTextWidth(max(1.0, self.size().width()))
        self.item.setPos(0, 0)

    def text_rect(self) -> QRectF:
        """Where the text is drawn, in scene coordinates (wider or taller than the cell when it does not fit)."""
        return self.item.mapRectToScene(self.item.boundingRect())

    def fits(self) -> bool:
        """Whether the wrapped text fits inside the cell (else part of it is drawn outside)."""
        cell_height: float = self.size().height()
        return self.item.document().size().height() <= cell_height + 0.5
