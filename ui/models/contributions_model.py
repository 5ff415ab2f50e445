"""The user's contributions as a table, with a refund countdown that ticks locally every second."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import Qt

from dacwallet.usecases.claims import CHAIN_RESET, REFUNDABLE, WAITING, ContributionStatus, Standing
from dacwallet.usecases.contribute import ContributionState
from dacwallet.usecases.payout import claim_text
from ui import format as fmt
from ui.models.base import Index, ListTableModel

# Every status a row can have (tests/ui/test_status_texts.py checks none is missing): never a raw code.
STATUS_TEXT: dict[str, str] = {
    Standing.WAITING: "waiting",
    Standing.REFUNDABLE: "refund claimable",
    Standing.AT_RISK: "at risk",
    Standing.REFUNDED: "refunded",
    Standing.TAKEN: "taken",
    Standing.OPEN_TO_ANYONE: "open to anyone",
    Standing.MISSING: "not on this chain",
    Standing.CHAIN_RESET: "chain reset — not on this chain any more",
    ContributionState.DRAFT: "draft (not sent)",
    ContributionState.SENDING: "sending",
    ContributionState.ADDED: "added",
    ContributionState.FAILED: "failed",
    ContributionState.DROPPED: "dropped (never mined)",
    ContributionState.CANCELLED: "cancelled",
}
UNKNOWN_STATUS = "unknown"
RESET_TOOLTIP = (
    "This network was reset after you sent it: the contribution is on no chain any more and its "
    "deposit went with the old chain. The text and label are kept; select it and press "
    "“Contribute again” to send it on this chain."
)


class ContributionsModel(ListTableModel):
    ID, REVIEW, LABEL, STATUS, REFUND, DEPOSIT, CLAIMABLE = range(7)
    HEADERS = ("#", "Review", "Label", "Status", "Refund", "Deposit kept", "Claimable now")

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[ContributionStatus] = []
        self.classifications: tuple[str, ...] = ()
        self.names: dict[str, str] = {}
        self.pays_points = False  # a points model: amounts are points, not ether
        self._chain_now = 0
        self._fetched = time.monotonic()

    # The rows come with what they are shown against; nothing sets them through the base class.
    def set_rows(  # type: ignore[override]
        self,
        rows: list[ContributionStatus],
        chain_now: int,
        classifications: tuple[str, ...],
        names: dict[str, str],
        pays_points: bool = False,
    ) -> None:
        self.beginResetModel()
        self.rows, self.classifications, self.names = list(rows), classifications, names
        self.pays_points = pays_points
        self._chain_now, self._fetched = chain_now, time.monotonic()
        self.endResetModel()

    def chain_now(self) -> int:
        """The chain's time now, estimated from the last refresh plus the local clock."""
        return self._chain_now + int(time.monotonic() - self._fetched)

    def seconds_left(self, item: ContributionStatus) -> int | None:
        return None if item.refund_at is None else item.refund_at - self.chain_now()

    def tick(self, first: int = 0, last: int | None = None) -> None:
        """Repaint the countdowns of rows ``first..last`` (the visible ones: cheap with 5,000 rows)."""
        if not self.rows:
            return
        last = len(self.rows) - 1 if last is None else min(last, len(self.rows) - 1)
        if 0 <= first <= last:
            self.dataChanged.emit(
                self.index(first, self.REFUND), self.index(last, self.REFUND), [Qt.ItemDataRole.DisplayRole]
            )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(item, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.DEPOSIT:
                return item.deposit.summary() if item.deposit else fmt.wei_tooltip(item.stored.cost)
            if column == self.CLAIMABLE:
                return fmt.wei_tooltip(item.claimable)
            if column == self.REVIEW:
                return item.stored.text
            if column == self.STATUS and item.status == CHAIN_RESET:
                return RESET_TOOLTIP + (
                    f"\nIts transaction on the old chain: {item.stored.tx_hash}" if item.stored.tx_hash else ""
                )
            if column == self.STATUS and item.stored.error:
                return item.stored.error
            if column == self.REFUND and item.refund_at:
                return (
                    f"refund from {fmt.when(item.refund_at)}; "
                    f"anyone may take it after {fmt.when(item.anyone_may_take_at)}"
                )
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.DEPOSIT, self.CLAIMABLE, self.ID):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, item: ContributionStatus, column: int) -> str:
        stored = item.stored
        if column == self.ID:
            return str(stored.id)
        if column == self.REVIEW:
            author = self.names.get(stored.author, fmt.short_address(stored.author))
            return f"{author}: {fmt.excerpt(stored.text, 60)}"
        if column == self.LABEL:
            if item.label_name is not None:  # from its own deployment (a reset chain's may differ)
                return item.label_name
            return (
                self.classifications[stored.label]
                if 0 <= stored.label < len(self.classifications)
                else str(stored.label)
            )
        if column == self.STATUS:
            text = STATUS_TEXT.get(item.status, UNKNOWN_STATUS)
            if item.model_agrees is False and item.status == WAITING:
                text += " (model disagrees now)"
            elif item.status == REFUNDABLE and item.anyone_may_take_now:
                text += " now: anyone may take it"
            return text
        if column == self.REFUND:
            if item.status != WAITING:
                return fmt.when(item.refund_at) if item.refund_at else ""
            return fmt.countdown(self.seconds_left(item))
        if column == self.DEPOSIT:
            return "none (points)" if self.pays_points else fmt.eth(stored.cost)
        if column == self.CLAIMABLE:  # what can be claimed now: nothing while waiting or at risk
            if self.pays_points:
                return claim_text(True, "refund", None) if item.status == REFUNDABLE else ""
            return fmt.eth(item.claimable) if item.claimable and item.status == REFUNDABLE else ""
        return ""
