"""An account's transactions as a table: a thin adapter over a list of ActivityRow."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from dacwallet.usecases.activity import ActivityRow
from dacwallet.usecases.payout import points
from ui import format as fmt
from ui.models.base import Index, ListTableModel

_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class ActivityModel(ListTableModel):
    WHEN, KIND, STATE, AMOUNT, RECEIVED, FEE, HASH, DETAIL = range(8)
    HEADERS = ("When", "What", "State", "Sent", "Received", "Network fee", "Transaction", "Details")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row: ActivityRow = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.RECEIVED and row.points is not None:
                return "a points model pays no ether: a refund earns a point, a report none"
            if column in (self.AMOUNT, self.RECEIVED, self.FEE):
                return fmt.wei_tooltip(self._wei(row, column))
            if column in (self.HASH, self.DETAIL):
                return row.tx_hash if column == self.HASH else row.detail
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.AMOUNT, self.RECEIVED, self.FEE):
            return _RIGHT
        return None

    def _wei(self, row: ActivityRow, column: int) -> int | None:
        return {self.AMOUNT: row.amount_wei, self.RECEIVED: row.received_wei, self.FEE: row.fee_wei}[column]

    def _text(self, row: ActivityRow, column: int) -> str:
        if column == self.WHEN:
            return fmt.when(int(row.time))
        if column == self.KIND:
            return row.kind
        if column == self.STATE:
            return row.state
        if column == self.RECEIVED and row.points is not None:
            return points(row.points)
        if column in (self.AMOUNT, self.RECEIVED):
            wei = self._wei(row, column)
            return "" if not wei else fmt.eth(wei, 6)
        if column == self.FEE:
            return "not paid yet" if row.fee_wei is None else fmt.eth(row.fee_wei, 8)
        if column == self.HASH:
            return fmt.short_address(row.tx_hash) if row.tx_hash else ""
        return row.detail
