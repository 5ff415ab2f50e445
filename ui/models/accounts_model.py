"""The account list as a table: a thin adapter over a list of AccountView."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from dacwallet.usecases.accounts import AccountView
from ui import format as fmt
from ui.models.base import Index, ListTableModel


class AccountsModel(ListTableModel):
    NAME, ADDRESS, BALANCE, STATE = range(4)
    HEADERS = ("Name", "Address", "Balance", "Lock")

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[AccountView] = []
        self.unlocked: set[str] = set()
        self.remembered: set[str] = set()

    def set_lock_state(self, unlocked: set[str], remembered: set[str]) -> None:
        self.unlocked, self.remembered = {a.lower() for a in unlocked}, {a.lower() for a in remembered}
        if self.rows:
            self.dataChanged.emit(self.index(0, self.STATE), self.index(len(self.rows) - 1, self.STATE))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.NAME:
                return row.name
            if column == self.ADDRESS:
                return row.address
            if column == self.BALANCE:
                return fmt.balance(row.balance_wei)
            if column == self.STATE:
                return self._lock_text(row.address)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.BALANCE:
            return fmt.wei_tooltip(row.balance_wei) or "The node did not answer; the balance is not known."
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.BALANCE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _lock_text(self, address: str) -> str:
        if address.lower() in self.unlocked:
            return "unlocked"
        if address.lower() in self.remembered:
            return "remembered on this computer"
        return "locked"
