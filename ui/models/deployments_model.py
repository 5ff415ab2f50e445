"""The deployments (models) known on this chain as a table: one row a deployment, the active one marked."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from dacwallet.usecases.deployments import KnownRow
from ui import format as fmt
from ui.models.base import Index, ListTableModel


def markers(row: KnownRow) -> str:
    marks = (["active"] if row.active else []) + (["default"] if row.known.is_default else [])
    return ", ".join(marks)


class DeploymentsModel(ListTableModel):
    STATE, NAME, ADDRESS, TYPE, ENCODER, LOCAL, MINE = range(7)
    HEADERS = ("In use", "Name", "Address", "Model type", "Encoder", "Local copy", "Your contributions")
    rows: list[KnownRow]

    def set_rows(self, rows: list[KnownRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def active_row(self) -> int | None:
        return next((i for i, r in enumerate(self.rows) if r.active), None)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self.rows[index.row()], index.column()
        d = row.known.deployment
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                self.STATE: markers(row),
                self.NAME: d.name,
                self.ADDRESS: fmt.short_address(d.trainer),
                self.TYPE: d.model_type.replace("_", " "),
                self.ENCODER: d.encoder.split(" ")[0],
                self.LOCAL: row.known.model_file or "none",
                self.MINE: str(row.own_contributions),
            }[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return {
                self.STATE: "The model the other pages use" if row.active else "Select it and press Use to switch",
                self.NAME: d.description or d.name,
                self.ADDRESS: f"entry point {d.trainer}\nmodel contract {d.classifier}",
                self.ENCODER: d.encoder,
                self.LOCAL: (
                    f"Instant preview from {row.known.model_file}"
                    if row.known.model_file
                    else "No local copy: no instant preview; the chain's own predictions only"
                ),
            }.get(column)
        if role == Qt.ItemDataRole.FontRole and row.active:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.MINE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
