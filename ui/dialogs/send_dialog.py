"""Send ether: the recipient and the amount, checked by the core (address checksum, amount plus fee within the
balance), then a confirmation that shows the amount, the network fee and the total before anything is signed.

The confirmation is the signing dialog every other action uses (password, progress, receipt wait), and the
transfer goes through the journal, so a crash while sending never sends it twice.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QWidget

from dacwallet.errors import DacwalletError
from dacwallet.usecases.transfer import SendPreview, SendResult, parse_address, parse_amount, preview_send, send_ether
from ui import format as fmt
from ui.dialogs.account_dialogs import BusyDialog
from ui.dialogs.sign_dialog import SignDialog, confirmed_fee
from ui.runner import message_of
from ui.session import WalletSession


def confirmation_html(preview: SendPreview) -> str:
    return (
        f"Send <b>{fmt.eth(preview.amount_wei, 9)}</b> to <b>{preview.to}</b>.<br>"
        f"Network fee: up to {fmt.eth(preview.max_fee_wei, 9)} (you pay what the network charges, usually "
        f"less).<br>Total: up to <b>{fmt.eth(preview.total_wei, 9)}</b> of the "
        f"{fmt.eth(preview.balance_wei, 6)} on the account.<br>"
        "A transfer cannot be undone: check the address once more."
    )


def describe_sent(result: SendResult) -> str:
    return (
        f"<b>Sent.</b> {fmt.eth(result.amount_wei, 9)} to {result.to}; network fee "
        f"{fmt.eth(result.fee_wei, 9)}; total {fmt.eth(result.amount_wei + result.fee_wei, 9)}.<br>"
        f"Transaction {result.tx_hash} (block {result.block})."
    )


class SendDialog(BusyDialog):
    """Step one: who and how much. OK (Review) checks them on the chain and opens the confirmation."""

    def __init__(self, session: WalletSession, address: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(f"Send from {name}", parent)
        self.session, self.address = session, address
        self.sign_dialog: SignDialog | None = None
        intro = QLabel(f"From <b>{name}</b> ({address}).")
        intro.setWordWrap(True)
        self.body.addWidget(intro)
        form = QFormLayout()
        self.to = QLineEdit()
        self.to.setPlaceholderText("0x… the recipient's address (copy and paste it)")
        self.amount = QLineEdit()
        self.amount.setPlaceholderText("e.g. 0.5")
        form.addRow("To", self.to)
        form.addRow("Amount (ETH)", self.amount)
        self.body.addLayout(form)
        self.ok_button.setText("Review…")
        self.finish_layout()
        self.to.setFocus()

    def submit(self) -> None:
        try:  # what can be checked without the chain is said at once
            to, amount = parse_address(self.to.text()), parse_amount(self.amount.text())
        except DacwalletError as exc:
            self.message.show_error(message_of(exc))
            return
        sender = self.address
        self.set_busy(True, "Checking the balance and the network fee…")
        self.session.call(lambda ctx: preview_send(ctx, sender, to, amount), self._confirm, self.fail)

    def _confirm(self, preview: SendPreview) -> None:
        self.set_busy(False)

        def action(ctx: Any, signer: Any, stage: Any, _stop: Any, allow: bool) -> SendResult:
            return send_ether(ctx, signer, preview.to, preview.amount_wei, on_stage=stage, fee=confirmed_fee(allow))

        parent = self.parentWidget()
        self.sign_dialog = SignDialog(
            self.session,
            "Confirm the transfer",
            confirmation_html(preview),
            self.address,
            action,
            describe_sent,
            f"Send {fmt.eth(preview.amount_wei, 9)}",
            parent=parent,
        )
        self.accept()
        self.sign_dialog.open()
