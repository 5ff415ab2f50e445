"""The wallet's pending transactions as a table (one row a nonce: its newest attempt)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from dacwallet.usecases.exports import gwei, short_gwei
from dacwallet.usecases.pending import PendingTransaction
from ui import format as fmt
from ui.models.base import Index, ListTableModel


def age(seconds: float) -> str:
    """'42 s', '5 min', '3 h 10 min'."""
    whole = int(seconds)
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        return f"{whole // 60} min"
    return f"{whole // 3600} h {whole % 3600 // 60} min"


class PendingModel(ListTableModel):
    ACTION, HASH, NONCE, FEE, COST, AGE, NODE = range(7)
    HEADERS = ("Transaction", "Hash", "Nonce", "Max fee", "Fee at most", "Waiting", "Node")
    rows: list[PendingTransaction]

    def set_rows(self, rows: list[PendingTransaction]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                self.ACTION: item.action,
                self.HASH: item.tx_hash[:10] + "…",
                self.NONCE: str(item.nonce),
                self.FEE: f"{short_gwei(item.max_fee_wei)} gwei",
                self.COST: fmt.eth(item.max_cost_wei),
                self.AGE: age(item.age_s),
                self.NODE: "pending" if item.known_to_node else "lost — sent again at next start",
            }[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.HASH:
                return item.tx_hash + "".join(f"\nreplaces {h}" for h in item.earlier)
            if column == self.FEE:
                tip = "" if item.priority_fee_wei is None else f", priority fee {gwei(item.priority_fee_wei)} gwei"
                return f"max fee {gwei(item.max_fee_wei)} gwei{tip}"
            if column == self.COST:
                return fmt.wei_tooltip(item.max_cost_wei)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.NONCE, self.FEE, self.COST, self.AGE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
