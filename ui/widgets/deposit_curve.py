"""A small curve of the deposit against minutes of waiting (the contract's own figures), beside its words."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QSize
from PySide6.QtGui import QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from dacwallet.usecases.deposit import DepositQuote
from ui import format as fmt


class DepositCurve(QWidget):
    """Empty (but keeping its room, so nothing moves) until a quote with a deposit arrives; the points are
    spaced evenly (now, 1, 5, 10, 30, 60 min)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.quote: DepositQuote | None = None
        self.setAccessibleName("Deposit against minutes of waiting")
        self.setToolTip("Deposit against minutes of waiting")

    def sizeHint(self) -> QSize:
        line = self.fontMetrics().height()
        return QSize(self.fontMetrics().horizontalAdvance("now   1   5   10   30   60") + 16, 3 * line + 8)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def set_quote(self, quote: DepositQuote | None) -> None:
        self.quote = quote if quote is not None and quote.now_wei > 0 else None
        self.setToolTip(
            ""
            if self.quote is None
            else "Deposit if sent after waiting:\n"
            + "\n".join(f"{'now' if m == 0 else f'{m} min'}: {fmt.eth(w)}" for m, w in self.quote.curve)
        )
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:
        if self.quote is None:
            return
        metrics = self.fontMetrics()
        line = metrics.height()
        left, right, top, bottom = 4, self.width() - 4, 2, self.height() - line - 2
        values = [w for _m, w in self.quote.curve]
        top_value = max(values) or 1
        step = (right - left) / max(1, len(values) - 1)
        points = [QPointF(left + i * step, bottom - (bottom - top) * w / top_value) for i, w in enumerate(values)]
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(self.palette().mid().color(), 1))
        painter.drawLine(left, bottom, right, bottom)
        path = QPainterPath(points[0])
        for point in points[1:]:
            path.lineTo(point)
        painter.setPen(QPen(self.palette().highlight().color(), 2))
        painter.drawPath(path)
        painter.setPen(self.palette().text().color())
        for i, (minutes, _w) in enumerate(self.quote.curve):
            text = "now" if minutes == 0 else str(minutes)  # minutes (said by the tooltip and the accessible name)
            x = left + i * step - metrics.horizontalAdvance(text) / 2
            x = min(max(x, 0), self.width() - metrics.horizontalAdvance(text))
            painter.drawText(QPointF(x, self.height() - 4), text)
        painter.end()
