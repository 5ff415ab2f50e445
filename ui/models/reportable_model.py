"""Others' contributions this account may report now, as a table."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from dacwallet.usecases.community import Reportable
from dacwallet.usecases.payout import claim_text
from ui import format as fmt
from ui.models.base import Index, ListTableModel

WORDS_SHOWN = 10


class ReportableModel(ListTableModel):
    WORDS, LABEL, MODEL, AUTHOR, ADDED, DEPOSIT, REWARD, REASON = range(8)
    # Short headers, their meaning in tooltips: at 1024 px the long ones left the words a sliver, scrolled aside.
    HEADERS = ("What it says", "Label", "Model says", "Author", "Added", "Deposit", "You get", "Why")
    HEADER_TIPS = {
        WORDS: "The words and word pairs the model sees in it (the chain keeps features, not the text)",
        LABEL: "The label its author gave it",
        REWARD: "What reporting it would bring you",
    }

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Reportable] = []
        self.classifications: tuple[str, ...] = ()
        self.pays_points = False  # a points model: no deposits, a report earns points (none), not ether

    # The rows come with what they are shown against; nothing sets them through the base class.
    def set_rows(  # type: ignore[override]
        self, rows: list[Reportable], classifications: tuple[str, ...], pays_points: bool = False
    ) -> None:
        self.beginResetModel()
        self.rows, self.classifications, self.pays_points = list(rows), classifications, pays_points
        self.endResetModel()

    def class_name(self, index: int) -> str:
        return self.classifications[index] if 0 <= index < len(self.classifications) else str(index)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADER_TIPS.get(section)
        return super().headerData(section, orientation, role)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item, column = self.rows[index.row()], index.column()
        c = item.contribution
        if role == Qt.ItemDataRole.DisplayRole:
            more = len(item.words) - WORDS_SHOWN
            return {
                self.WORDS: ", ".join(item.words[:WORDS_SHOWN]) + (f" … (+{more})" if more > 0 else ""),
                self.LABEL: self.class_name(c.label),
                self.MODEL: self.class_name(item.prediction),
                self.AUTHOR: fmt.short_address(c.author),
                self.ADDED: fmt.when(c.added_time),
                self.DEPOSIT: "none (points)" if self.pays_points else fmt.eth(c.cost),
                self.REWARD: claim_text(self.pays_points, "report", item.reward_wei),
                self.REASON: item.reason,
            }[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.WORDS:
                return (
                    "The chain keeps the review's features, not its text; these are the words and word pairs "
                    f"they stand for:\n{', '.join(item.words)}\n\nContribution key {c.key}"
                )
            if column == self.AUTHOR:
                return c.author
            if column == self.REASON:
                return item.reason
            if column == self.DEPOSIT:
                return fmt.wei_tooltip(c.cost)
            if column == self.REWARD:
                return fmt.wei_tooltip(item.reward_wei)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.DEPOSIT, self.REWARD):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
