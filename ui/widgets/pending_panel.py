"""Pending transactions with Speed up / Cancel: shown on the My contributions page while any is waiting.

The list comes from the runner (``pending_transactions`` also settles what was mined meanwhile);
the two actions go through the SignDialog, so the password is asked and checked the usual way.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QVBoxLayout, QWidget

from dacwallet.usecases.exports import short_gwei
from dacwallet.usecases.pending import (
    DepositChange,
    PendingTransaction,
    Replacement,
    cancel,
    pending_transactions,
    speed_up,
    speed_up_deposit,
)
from ui import format as fmt
from ui.dialogs.sign_dialog import SignDialog
from ui.models.pending_model import PendingModel
from ui.runner import message_of
from ui.session import WalletSession
from ui.widgets.messages import MessageLabel
from ui.widgets.tables import row_table

REFRESH_MS = 10_000  # a pending transaction is mined (or not) on the chain's time, not ours: poll gently


class PendingPanel(QGroupBox):
    def __init__(self, session: WalletSession, parent: QWidget | None = None) -> None:
        super().__init__("Pending transactions", parent)
        self.session = session
        self.model = PendingModel()
        self.dialog: SignDialog | None = None
        layout = QVBoxLayout(self)
        note = QLabel(
            "Sent but not mined yet. <b>Speed up</b> sends the same transaction again with higher fees; "
            "<b>Cancel</b> replaces it with an empty transfer to yourself (a cancelled contribution keeps "
            "its text). Only one of them can be mined."
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        self.table = row_table(self.model)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)  # a handful of rows at most
        header.setSectionResizeMode(PendingModel.ACTION, QHeaderView.ResizeMode.Stretch)
        self._row_height = self.table.fontMetrics().height() + 10
        self.table.verticalHeader().setDefaultSectionSize(self._row_height)
        layout.addWidget(self.table)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.speed_up_button = QPushButton("Speed up")
        self.cancel_button = QPushButton("Cancel transaction")
        buttons.addWidget(self.speed_up_button)
        buttons.addWidget(self.cancel_button)
        layout.addLayout(buttons)
        self.message = MessageLabel()
        layout.addWidget(self.message)
        self.speed_up_button.clicked.connect(lambda: self._replace(cancelling=False))
        self.cancel_button.clicked.connect(lambda: self._replace(cancelling=True))
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        session.sig_changed.connect(lambda moved: self.refresh() if moved.touches_transactions else None)
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self._loading = False
        self.hide()  # until something is pending
        self._update_buttons()

    def refresh(self) -> None:
        if self._loading or not self.session.connected:
            return
        self._loading = True
        self.session.call(pending_transactions, self._show, self._failed)

    def _show(self, rows: list[PendingTransaction]) -> None:
        self._loading = False
        selected = self.selected()
        self.model.set_rows(rows)
        for row, item in enumerate(rows):
            if selected is not None and item.nonce == selected.nonce and item.sender == selected.sender:
                self.table.selectRow(row)
        if rows and self.selected() is None:
            self.table.selectRow(0)
        # As tall as its rows (up to four, then it scrolls): the contributions table keeps the room.
        shown = min(max(len(rows), 1), 4)
        self.table.setFixedHeight(shown * self._row_height + self.table.horizontalHeader().sizeHint().height() + 4)
        self.setVisible(bool(rows))
        self._update_buttons()

    def _failed(self, _error: BaseException) -> None:
        self._loading = False  # node away: the status bar says so; keep the last list

    def selected(self) -> PendingTransaction | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        enabled = self.selected() is not None
        self.speed_up_button.setEnabled(enabled)
        self.cancel_button.setEnabled(enabled)

    def _replace(self, *, cancelling: bool) -> None:
        item = self.selected()
        if item is None:
            return
        if cancelling:
            what = (
                f"Cancel <b>{html.escape(item.action)}</b> (nonce {item.nonce}): an empty transfer to yourself "
                "takes its place."
            )
            self._open(item, what, cancelling=True)
            return
        # A contribution's deposit may have risen since it was signed: read it first, to say so before signing.
        tx_hash = item.tx_hash
        self.message.clear()
        self.session.call(
            lambda ctx: speed_up_deposit(ctx, tx_hash),
            lambda deposit: self._open(item, _speed_up_text(item, deposit), cancelling=False),
            lambda error: self.message.show_error(message_of(error)),
        )

    def _open(self, item: PendingTransaction, what: str, *, cancelling: bool) -> None:
        tx_hash = item.tx_hash
        title, confirm = ("Cancel transaction", "Cancel it") if cancelling else ("Speed up transaction", "Speed up")
        replace = cancel if cancelling else speed_up
        self.dialog = SignDialog(
            self.session,
            title,
            what,
            item.sender,
            lambda ctx, signer, stage, _stop, allow: replace(
                ctx, signer, tx_hash, on_stage=stage, allow_high_fee=allow
            ),
            _describe,
            confirm,
            parent=self,
        )
        self.dialog.setMinimumWidth(600)  # the texts above fit one line at this width
        self.dialog.open()


def _speed_up_text(item: PendingTransaction, deposit: DepositChange | None) -> str:
    text = (
        f"Speed up <b>{html.escape(item.action)}</b> (nonce {item.nonce}): sent again, both fees at least "
        "12.5 % higher."
    )
    if deposit is not None and deposit.rose:
        text += (
            f"<br>The deposit required now is <b>{fmt.eth(deposit.required_wei)}</b> (it was signed with "
            f"{fmt.eth(deposit.signed_wei)}: someone contributed since); the replacement deposits the new "
            "amount, or it would be refused. Rather not? Cancel the transaction instead."
        )
    return text


def _describe(result: Replacement) -> str:
    """One line (two when the deposit rose): the dialog does not grow for more."""
    short_hash = f"{result.tx_hash[:10]}…{result.tx_hash[-6:]}"
    mined = " and mined" if result.mined else ""
    text = f"<b>Done.</b> Replacement {short_hash} sent{mined}, max fee {short_gwei(result.max_fee_wei)} gwei."
    if result.deposit is not None and result.deposit.rose:
        text += f"<br>Deposit raised to {fmt.eth(result.deposit.required_wei)} (the contract's current figure)."
    return text
