"""The confirmation before a contribution is signed: what is at stake, problems, password, progress, receipt."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from dacwallet.store.contributions import StoredContribution
from ui import format as fmt
from ui.contribute_ops import PreparedContribution, send_contribution
from ui.dialogs.account_dialogs import password_field
from ui.runner import StageRelay, message_of
from ui.session import WalletSession
from ui.widgets.messages import MessageLabel

STAGES = ("checking the password", "estimating", "signing", "sending", "waiting for the receipt")


def stake_sentence(prepared: PreparedContribution) -> str:
    """Says plainly what is at stake (UX.md)."""
    p = prepared.preview
    text = (f"You deposit <b>{fmt.eth(p.deposit_wei)}</b>. If the model still says <b>{html.escape(p.label_name)}</b> "
            f"on <b>{fmt.when(p.refund_at)}</b>, you get it back.")
    if p.model_agrees:
        text += f" Right now it says <b>{html.escape(p.chain_class_name)}</b>, as you do."
    else:
        text += (f" Right now it says <b>{html.escape(p.chain_class_name)}</b>: unless it changes its mind, others "
                 f"may take your deposit after that time.")
    text += f" Anyone may take what is left after {fmt.when(p.anyone_may_take_at)}."
    return text


class ConfirmContributionDialog(QDialog):
    def __init__(self, session: WalletSession, prepared: PreparedContribution, text: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Confirm contribution")
        self.setMinimumWidth(560)
        self.session = session
        self.prepared = prepared
        self.text = text
        self.result_: StoredContribution | None = None
        p = prepared.preview
        layout = QVBoxLayout(self)

        self.stake = QLabel(stake_sentence(prepared))
        self.stake.setWordWrap(True)
        layout.addWidget(self.stake)
        fee = "unknown (the estimate failed)" if p.max_fee_wei is None else f"at most {fmt.eth(p.max_fee_wei)}"
        total = None if p.max_fee_wei is None else p.deposit_wei + p.max_fee_wei
        details = QLabel(
            f"Account: <b>{html.escape(prepared.account_name)}</b> ({fmt.short_address(prepared.address)}), "
            f"balance {fmt.balance(prepared.balance_wei)}<br>"
            f"Label: <b>{html.escape(p.label_name)}</b> · on-chain prediction: <b>{html.escape(p.chain_class_name)}</b>"
            f"<br>Deposit {fmt.eth(p.deposit_wei)} · network fee {fee}"
            + (f" · total at most <b>{fmt.eth(total)}</b>" if total is not None else ""))
        details.setToolTip(f"deposit {p.deposit_wei:,} wei" + (f", fee {p.max_fee_wei:,} wei" if p.max_fee_wei else ""))
        details.setWordWrap(True)
        layout.addWidget(details)

        self.blocking = MessageLabel()
        if p.blocking:
            self.blocking.show_error("Cannot send: " + " ".join(p.blocking))
        layout.addWidget(self.blocking)
        self.advice = MessageLabel()
        if p.advice:
            self.advice.show_advice("Worth knowing: " + " ".join(p.advice))
        layout.addWidget(self.advice)

        self.needs_password = not (prepared.remembered or session.passwords.is_unlocked(prepared.address))
        self.password = password_field("password of the account")
        self.remember = QCheckBox("Keep it unlocked for this session")
        if self.needs_password:
            layout.addWidget(QLabel("Password"))
            layout.addWidget(self.password)
            layout.addWidget(self.remember)
        else:
            how = "unlocked for this session" if session.passwords.is_unlocked(prepared.address) else \
                "its password is remembered on this computer"
            layout.addWidget(QLabel(f"The account is {how}; no password needed."))

        self.progress = QLabel("")
        self.progress.setWordWrap(True)
        layout.addWidget(self.progress)
        self.error = MessageLabel()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.confirm_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.confirm_button.setText(f"Deposit {fmt.eth(p.deposit_wei)} and contribute")
        self.confirm_button.setEnabled(not p.blocking)
        self.buttons.accepted.connect(self.confirm)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._relay = StageRelay(self)
        self._relay.sig_stage.connect(self._stage)
        self._sending = False
        (self.password if self.needs_password else self.confirm_button).setFocus()

    def confirm(self) -> None:
        if self.result_ is not None:
            self.accept()
            return
        if self._sending or self.prepared.preview.blocking:
            return
        password: str | None = None
        if self.needs_password:
            password = self.password.text()
            if not password:
                self.error.show_error("Type the account's password to sign.")
                return
        elif self.session.passwords.is_unlocked(self.prepared.address):
            password = self.session.password_for(self.prepared.address)
        self._sending = True
        self.error.clear()
        self.confirm_button.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setEnabled(False)
        address, text, label, relay = self.prepared.address, self.text, self.prepared.preview.label, self._relay
        self.session.call(lambda ctx: send_contribution(ctx, address, password, text, label, relay.emit),
                          lambda stored: self._done(stored, password), self._failed)

    def _stage(self, stage: str) -> None:
        shown = [f"<b>{s}…</b>" if s == stage else s for s in STAGES if s != "checking the password"
                 or self.needs_password]
        self.progress.setText(" → ".join(shown))

    def _done(self, stored: StoredContribution, password: str | None) -> None:
        self._sending = False
        self.result_ = stored
        if self.needs_password and self.remember.isChecked() and password:
            self.session.passwords.keep(self.prepared.address, password)
        self.progress.setText(
            f"<b>Done.</b> Contribution #{stored.id} is on the chain (block {stored.block_number}), deposit "
            f"{fmt.eth(stored.cost)}.<br>Transaction {stored.tx_hash}")
        self.password.setEnabled(False)
        self.confirm_button.setText("Close")
        self.confirm_button.setEnabled(True)
        self.confirm_button.setFocus()

    def _failed(self, error: BaseException) -> None:
        self._sending = False
        self.progress.setText("")
        self.error.show_error(message_of(error))
        self.confirm_button.setEnabled(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setEnabled(True)
        if self.needs_password:
            self.password.selectAll()
            self.password.setFocus()
