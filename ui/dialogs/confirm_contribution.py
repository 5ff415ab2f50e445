"""The confirmation before a contribution is signed: what is at stake, problems, password, progress, receipt."""

from __future__ import annotations

import html

from PySide6.QtWidgets import (
    QCheckBox,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dacwallet.usecases.account_manage import unlocked_signer
from dacwallet.usecases.context import WalletContext
from dacwallet.usecases.contribute import ContributionState
from dacwallet.usecases.contribution_send import PreparedContribution, send_previewed
from dacwallet.usecases.deposit import DepositOutcome
from dacwallet.usecases.deposit import outcome as deposit_outcome
from dacwallet.usecases.exports import FeeOverride, FeeSuggestion, HighFeeError, StoredContribution
from dacwallet.usecases.payout import claim_text
from dacwallet.usecases.sending import Stage, receipt_wait_cap, suggest_fees
from ui import format as fmt
from ui.dialogs import sign_dialog
from ui.dialogs.account_dialogs import password_field
from ui.dialogs.fitting import FittingDialog, fit_height
from ui.dialogs.sign_dialog import add_follow_button, add_outcome_rows, waiting_to_be_mined
from ui.runner import StageRelay, message_of
from ui.session import WalletSession
from ui.widgets.fee_editor import FeeEditor
from ui.widgets.messages import MessageLabel

STAGES = (Stage.CHECKING_PASSWORD, Stage.ESTIMATING, Stage.SIGNING, Stage.SENDING, Stage.WAITING)


def stake_sentence(prepared: PreparedContribution) -> str:
    """Says plainly what is at stake (UX.md), with the deposit told as everywhere else (usecases.deposit)."""
    p = prepared.preview
    if p.deposit.pays_points:
        return (
            f"{html.escape(p.deposit.summary())} If the model still says <b>{html.escape(p.label_name)}</b> on "
            f"<b>{fmt.when(p.refund_at)}</b>, a refund earns you {claim_text(True, 'refund', None)}; right now it "
            f"says <b>{html.escape(p.chain_class_name)}</b>. The network fee is all you pay."
        )
    text = (
        f"The deposit is <b>{fmt.eth(p.deposit.now_wei)}</b> now; you send at most "
        f"<b>{fmt.eth(p.deposit.send_wei)}</b> and the contract sends back at once what it does not keep. "
        f"If the model still says <b>{html.escape(p.label_name)}</b> on <b>{fmt.when(p.refund_at)}</b>, "
        "you get the deposit back."
    )
    if p.model_agrees:
        text += f" Right now it says <b>{html.escape(p.chain_class_name)}</b>, as you do."
    else:
        text += (
            f" Right now it says <b>{html.escape(p.chain_class_name)}</b>: unless it changes its mind, others "
            f"may take your deposit after that time."
        )
    text += f" Anyone may take what is left after {fmt.when(p.anyone_may_take_at)}."
    return text


def details_html(prepared: PreparedContribution, max_fee_wei: int | None) -> str:
    """Account, label, the deposit and the network fee with the total; ``max_fee_wei`` is the node's
    suggestion's, or the one typed in the fee editor (one fee and one total on screen, never two)."""
    p = prepared.preview
    fee = "unknown (the estimate failed)" if max_fee_wei is None else f"at most {fmt.eth(max_fee_wei)}"
    total = None if max_fee_wei is None else p.deposit.send_wei + max_fee_wei
    return (
        f"Account: <b>{html.escape(prepared.account_name)}</b> ({fmt.short_address(prepared.address)}), "
        f"balance {fmt.balance(prepared.balance_wei)}<br>"
        f"Label: <b>{html.escape(p.label_name)}</b> · on-chain prediction: <b>{html.escape(p.chain_class_name)}</b>"
        + (
            "<br>No deposit (points) · "
            if p.deposit.pays_points
            else f"<br>Deposit now {fmt.eth(p.deposit.now_wei)} · sent at most {fmt.eth(p.deposit.send_wei)} · "
        )
        + f"network fee {fee}"
        + (f" · total at most <b>{fmt.eth(total)}</b>" if total is not None else "")
        + f"<br>{html.escape(p.deposit.why())}"
    )


class ConfirmContributionDialog(FittingDialog):
    preferred_width = 560

    def __init__(
        self, session: WalletSession, prepared: PreparedContribution, text: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Confirm contribution")
        self.session = session
        self.prepared = prepared
        self.text = text
        self.result_: StoredContribution | None = None
        p = prepared.preview
        layout = QVBoxLayout(self)

        self.stake = QLabel(stake_sentence(prepared))
        self.stake.setWordWrap(True)
        layout.addWidget(self.stake)
        self.details = QLabel(details_html(prepared, p.max_fee_wei))
        self.details.setToolTip(
            f"deposit now {p.deposit.now_wei:,} wei, sent at most {p.deposit.send_wei:,} wei"
            + (f", fee {p.max_fee_wei:,} wei" if p.max_fee_wei else "")
        )
        self.details.setWordWrap(True)
        fee_row = QHBoxLayout()
        fee_row.addWidget(self.details, 1)
        self.edit_fee_button = QPushButton("Edit fee…")
        self.edit_fee_button.setToolTip(
            "Set the max fee and priority fee yourself (advanced); click again to go back to the node's suggestion"
        )
        self.edit_fee_button.setCheckable(True)
        self.edit_fee_button.setEnabled(p.gas is not None)
        self.edit_fee_button.toggled.connect(self._edit_fee)
        fee_row.addWidget(self.edit_fee_button)
        layout.addLayout(fee_row)
        self.fee_editor = FeeEditor(p.gas, p.deposit.send_wei)
        self.fee_editor.hide()
        self.fee_editor.sig_changed.connect(self._fee_changed)
        layout.addWidget(self.fee_editor)

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
            how = (
                "unlocked for this session"
                if session.passwords.is_unlocked(prepared.address)
                else "its password is remembered on this computer"
            )
            layout.addWidget(QLabel(f"The account is {how}; no password needed."))

        self.progress, self.error, self.buttons = add_outcome_rows(layout)
        self.confirm_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.confirm_button.setText(f"Contribute (send at most {fmt.eth(p.deposit.send_wei)})")
        self.confirm_button.setEnabled(not p.blocking)
        self.buttons.accepted.connect(self.confirm)
        self.buttons.rejected.connect(self.reject)
        self._relay = StageRelay(self)
        self._relay.sig_stage.connect(self._stage)
        self._sending = False
        (self.password if self.needs_password else self.confirm_button).setFocus()

    def _edit_fee(self, shown: bool) -> None:
        """Shows the fee fields (the first time, asks the node in the runner for its suggestion) or hides
        them, going back to the suggestion."""
        self.fee_editor.setVisible(shown)
        self.edit_fee_button.setText("Use suggested fee" if shown else "Edit fee…")
        if shown:
            self.fee_editor.max_fee.setFocus()
            if self.fee_editor.suggestion is None:
                self.session.call(
                    suggest_fees, self._suggested, lambda error: self.fee_editor.show_failure(message_of(error))
                )
        self._fee_changed()
        self.adjustSize()  # an open dialog does not grow by itself for the fields shown (or shrink when hidden)
        fit_height(self)

    def _suggested(self, suggestion: FeeSuggestion) -> None:
        self.fee_editor.set_suggestion(suggestion)
        self.adjustSize()
        fit_height(self)

    def _fee_valid(self) -> bool:
        return not self.fee_editor.isVisibleTo(self) or self.fee_editor.is_valid()

    def _fee_changed(self) -> None:
        if not self._sending and self.result_ is None:
            self.confirm_button.setEnabled(not self.prepared.preview.blocking and self._fee_valid())
        typed = self.fee_editor.isVisibleTo(self) and self.fee_editor.fee_wei is not None
        self.details.setText(
            details_html(self.prepared, self.fee_editor.fee_wei if typed else self.prepared.preview.max_fee_wei)
        )

    def fee(self) -> FeeOverride | None:
        """The fee typed in the editor; None for the node's suggestion."""
        return self.fee_editor.override() if self.fee_editor.isVisibleTo(self) else None

    def confirm(self) -> None:
        if self.result_ is not None:
            self.accept()
            return
        if self._sending or self.prepared.preview.blocking or not self._fee_valid():
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
        self.fee_editor.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setEnabled(False)
        address, text, preview, relay, fee = (
            self.prepared.address,
            self.text,
            self.prepared.preview,
            self._relay,
            self.fee(),
        )

        def op(ctx: WalletContext) -> tuple[StoredContribution, DepositOutcome | None]:
            if password is not None:
                relay.send(Stage.CHECKING_PASSWORD)
            signer = unlocked_signer(ctx, address, password)  # a wrong password signs nothing
            with receipt_wait_cap(sign_dialog.RECEIPT_WAIT_S):
                # the preview the user confirmed: its deposit is the most sent, and what blocked it still refuses
                stored = send_previewed(ctx, signer, text, preview, on_stage=relay.send, fee=fee, pending_ok=True)
            return stored, deposit_outcome(ctx, stored)

        self.session.call(op, lambda done: self._done(*done, password), self._failed)

    def _stage(self, text: str) -> None:
        current = Stage(text)  # the relay carries the member's value across threads
        shown = [
            f"<b>{s}…</b>" if s is current else str(s)
            for s in STAGES
            if s is not Stage.CHECKING_PASSWORD or self.needs_password
        ]
        self.progress.setText(" → ".join(shown))

    def _done(self, stored: StoredContribution, deposit: DepositOutcome | None, password: str | None) -> None:
        self._sending = False
        self.result_ = stored
        if self.needs_password and self.remember.isChecked() and password:
            self.session.passwords.keep(self.prepared.address, password)
        if stored.state is ContributionState.SENDING:
            self._waiting_to_be_mined(stored)
        else:
            told = (
                f"{deposit.summary()} {deposit.since_quote(self.prepared.preview.deposit.now_wei)}" if deposit else ""
            )
            self.progress.setText(
                f"<b>Done.</b> Contribution #{stored.id} is on the chain (block {stored.block_number}). "
                f"{html.escape(told.strip())}<br>Transaction {stored.tx_hash}"
            )
        self.password.setEnabled(False)
        self.fee_editor.setEnabled(False)
        self.edit_fee_button.setEnabled(False)
        self.confirm_button.setText("Close")
        self.confirm_button.setEnabled(True)
        self.confirm_button.setFocus()
        fit_height(self)  # the receipt is longer than the progress line

    def _waiting_to_be_mined(self, stored: StoredContribution) -> None:
        """Sent, but no block has it yet: say so, and where to follow it (the runner is free again)."""
        self.progress.setText(waiting_to_be_mined(f"Contribution #{stored.id}", stored.tx_hash))
        self.follow_button = add_follow_button(self, self.buttons)
        self.session.notify_changed()  # the pending panel lists it now, not at its next tick

    def _failed(self, error: BaseException) -> None:
        self._sending = False
        self.progress.setText("")
        self.error.show_error(message_of(error))
        fit_height(self)
        self.fee_editor.setEnabled(True)
        self.confirm_button.setEnabled(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setEnabled(True)
        if isinstance(error, HighFeeError) and not self.edit_fee_button.isChecked():
            # The node's own suggestion is past its bounds: the fee fields show it with the box to confirm it.
            self.edit_fee_button.setChecked(True)
        elif self.needs_password:
            self.password.selectAll()
            self.password.setFocus()
