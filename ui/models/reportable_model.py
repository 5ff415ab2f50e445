"""Others' contributions this account may report now, as a table."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from dacwallet.usecases.community import Reportable
from ui import format as fmt
from ui.models.base import Index, ListTableModel



class ReportableModel(ListTableModel):
    KEY, AUTHOR, LABEL, ADDED, DEPOSIT, REWARD, REASON = range(7)
    HEADERS = ("Key", "Author", "Label", "Added", "Deposit", "You would get", "Why")

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Reportable] = []
        self.classifications: tuple[str, ...] = ()

    def set_rows(self, rows: list[Reportable], classifications: tuple[str, ...]) -> None:
        self.beginResetModel()
        self.rows, self.classifications = list(rows), classifications
        self.endResetModel()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item, column = self.rows[index.row()], index.column()
        c = item.contribution
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                self.KEY: c.key[:12] + "…",
                self.AUTHOR: fmt.short_address(c.author),
                self.LABEL: self.classifications[c.label] if 0 <= c.label < len(self.classifications) else str(c.label),
                self.ADDED: fmt.when(c.added_time),
                self.DEPOSIT: fmt.eth(c.cost),
                self.REWARD: fmt.eth(item.reward_wei),
                self.REASON: item.reason,
            }[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.KEY:
                return c.key
            if column == self.AUTHOR:
                return c.author
            if column == self.DEPOSIT:
                return fmt.wei_tooltip(c.cost)
            if column == self.REWARD:
                return fmt.wei_tooltip(item.reward_wei)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.DEPOSIT, self.REWARD):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
