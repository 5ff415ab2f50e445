"""One dialog for every signed action but contributing (claim, claim all, report).

It says what will happen, asks for the password only when the account is neither unlocked for
the session nor remembered, runs the action in the runner with progress, shows errors inline
(a wrong password changes nothing: it is checked before anything is signed), and, for long
actions, can stop between steps. A node fee suggestion refused as past its bounds shows the
contribution dialog's "Yes, I mean this fee" box; ticked, the action runs again with it confirmed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from dacwallet.usecases.account_manage import is_remembered, unlocked_signer
from dacwallet.usecases.context import WalletContext
from dacwallet.usecases.exports import FeeOverride, HighFeeError
from dacwallet.usecases.fee_quote import FeeQuote
from dacwallet.usecases.sending import NotMinedYet, UnlockedSigner, receipt_wait_cap
from ui import format as fmt
from ui.dialogs.account_dialogs import password_field
from ui.dialogs.fitting import FittingDialog, fit_height
from ui.runner import StageRelay, message_of
from ui.session import WalletSession
from ui.widgets.fee_editor import high_fee_box
from ui.widgets.messages import MessageLabel

# action(ctx, signer, report_progress, should_stop, allow_high_fee) -> result; allow_high_fee: the user ticked
# the box confirming a node fee suggestion past its bounds
Action = Callable[[WalletContext, UnlockedSigner, Callable[[str], None], Callable[[], bool], bool], Any]
# How long a dialog waits for a receipt. The runner has one thread: while it waits, the pending panel,
# the watcher and the charts wait too, and a stuck transaction is when the user needs Speed up. Past
# this the transaction stays journaled as sent, and the pending panel's refresh settles it once mined.
RECEIPT_WAIT_S = 15.0


def waiting_to_be_mined(what: str, tx_hash: str | None) -> str:
    """The plain words for a transaction sent but not mined within RECEIPT_WAIT_S."""
    return (
        f"<b>Sent, waiting to be mined.</b> {what} was sent, but no block has included it after "
        f"{RECEIPT_WAIT_S:.0f} s. Nothing is lost: it is mined when the network gets to it, and the wallet "
        "notices by itself. Follow it, speed it up or cancel it under "
        "<b>My contributions → Pending transactions</b>." + (f"<br>Transaction {tx_hash}" if tx_hash else "")
    )


def add_outcome_rows(layout: QVBoxLayout) -> tuple[QLabel, MessageLabel, QDialogButtonBox]:
    """A signing dialog's last rows: the progress line, the error line and OK / Cancel (added to ``layout``)."""
    progress = QLabel("")
    progress.setWordWrap(True)
    error = MessageLabel()
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    for widget in (progress, error, buttons):
        layout.addWidget(widget)
    return progress, error, buttons


def add_follow_button(dialog: QDialog, buttons: QDialogButtonBox) -> QPushButton:
    """A button that closes ``dialog`` and opens My contributions, where the pending transactions are."""
    button = buttons.addButton("Go to Pending transactions", QDialogButtonBox.ButtonRole.ActionRole)

    def follow() -> None:
        from ui.pages.contributions import ContributionsPage  # here: the pages import the dialogs

        parent = dialog.parentWidget()
        dialog.accept()
        window = parent.window() if parent is not None else None
        if window is not None and hasattr(window, "show_page"):
            window.show_page(ContributionsPage)

    button.clicked.connect(follow)
    return button


def confirmed_fee(allow_high_fee: bool) -> FeeOverride | None:
    """The fee for an action: the node's suggestion, confirmed whatever it is when the box was ticked."""
    return FeeOverride(allow_high=True) if allow_high_fee else None


class SignDialog(FittingDialog):
    def __init__(
        self,
        session: WalletSession,
        title: str,
        what_html: str,
        address: str,
        action: Action,
        describe: Callable[[Any], str],
        confirm_text: str,
        cancellable: bool = False,
        parent: QWidget | None = None,
        amount_wei: int | None = None,
        fee: Callable[[WalletContext], FeeQuote] | None = None,
        gets: str | None = None,
    ) -> None:
        """``amount_wei`` is what the action brings in; ``fee`` estimates its network fee (in the runner), so
        the dialog says the amount, the fee and what is left, like a contribution's confirmation. ``gets`` says
        what it brings in instead when that is not ether (a points model's points)."""
        super().__init__(parent)
        self.gets = gets
        self.setWindowTitle(title)
        self.session, self.address, self.action, self.describe = session, address, action, describe
        self.cancellable = cancellable
        self.result_: Any = None
        self.done_ = False
        self._stop = threading.Event()
        self._running = False
        layout = QVBoxLayout(self)
        what = QLabel(what_html)
        what.setWordWrap(True)
        layout.addWidget(what)
        self.amounts = QLabel("")
        self.amounts.setWordWrap(True)
        layout.addWidget(self.amounts)
        self.amounts.setVisible(amount_wei is not None)
        if amount_wei is not None:
            self._show_amounts(amount_wei, None)
            if fee is not None:
                session.call(
                    fee,
                    lambda quote: self._show_amounts(amount_wei, quote),
                    lambda error: self._show_amounts(amount_wei, None, message_of(error)),
                )
        self.password_label = QLabel("Password")
        self.password = password_field("password of the account")
        self.keep = QCheckBox("Keep it unlocked for this session")
        self.password_note = QLabel("")
        for widget in (self.password_label, self.password, self.keep, self.password_note):
            layout.addWidget(widget)
            widget.hide()
        self.confirm_high = high_fee_box()
        layout.addWidget(self.confirm_high)
        self.progress, self.error, self.buttons = add_outcome_rows(layout)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.ok.setText(confirm_text)
        self.buttons.accepted.connect(self.confirm)
        self.buttons.rejected.connect(self._cancel)
        self._relay = StageRelay(self)
        self._relay.sig_stage.connect(self.progress.setText)
        self.confirm_high.toggled.connect(self.ok.setEnabled)  # shown after a refusal: signing waits for the tick
        self.needs_password = True
        if session.passwords.is_unlocked(address):
            self._set_needs_password(False, "The account is unlocked for this session; no password needed.")
        else:
            self.ok.setEnabled(False)
            session.call_keys(
                lambda keys, _ctx: is_remembered(keys, address),
                self._remembered,
                lambda _e: self._set_needs_password(True, ""),
            )

    def _show_amounts(self, amount_wei: int, quote: FeeQuote | None, failure: str | None = None) -> None:
        if self.isVisible():
            QTimer.singleShot(0, lambda: fit_height(self))
        if quote is None:
            fee = f"unknown ({failure})" if failure else "being estimated…"
            self.amounts.setText(f"You get <b>{self.gets or fmt.eth(amount_wei)}</b> · network fee {fee}")
            return
        if self.gets is not None:  # points: the balance only pays the fee
            self.amounts.setText(f"You get <b>{self.gets}</b> · network fee at most {fmt.eth(quote.max_fee_wei)}")
            self.amounts.setToolTip(f"{quote.gas:,} gas; the fee is usually below this maximum")
            return
        self.amounts.setText(
            f"You get <b>{fmt.eth(amount_wei)}</b> · network fee at most "
            f"{fmt.eth(quote.max_fee_wei)} · in all, your balance grows by at least "
            f"<b>{fmt.eth(amount_wei - quote.max_fee_wei)}</b>"
        )
        self.amounts.setToolTip(f"{quote.gas:,} gas; the fee is usually below this maximum")

    def _remembered(self, remembered: bool) -> None:
        self._set_needs_password(not remembered, "Its password is remembered on this computer; no password needed.")

    def _set_needs_password(self, needed: bool, note: str) -> None:
        self.needs_password = needed
        for widget in (self.password_label, self.password, self.keep):
            widget.setVisible(needed)
        self.password_note.setText(note)
        self.password_note.setVisible(not needed)
        self.ok.setEnabled(True)
        (self.password if needed else self.ok).setFocus()
        if self.isVisible():
            fit_height(self)  # rows were shown or hidden

    def confirm(self) -> None:
        if self.done_:
            self.accept()
            return
        if self._running:
            return
        password: str | None = self.session.password_for(self.address)
        if self.needs_password:
            password = self.password.text()
            if not password:
                self.error.show_error("Type the account's password to sign.")
                return
        self._running = True
        self.error.clear()
        self.ok.setEnabled(False)
        self.confirm_high.setEnabled(False)
        self.cancel.setEnabled(self.cancellable)
        self.cancel.setText("Stop" if self.cancellable else "Cancel")
        address, action, relay, stop = self.address, self.action, self._relay, self._stop
        allow_high_fee = self.confirm_high.isChecked()

        def op(ctx: WalletContext) -> Any:
            relay.send("checking the password…" if password else "preparing…")
            signer = unlocked_signer(ctx, address, password)
            with receipt_wait_cap(RECEIPT_WAIT_S):  # the actions come from pages: cap their receipt waits here
                return action(ctx, signer, relay.send, stop.is_set, allow_high_fee)

        self.session.call(op, lambda result: self._done(result, password), self._failed)

    def _cancel(self) -> None:
        if self._running:
            self._stop.set()
            self.progress.setText("Stopping after the current step…")
            self.cancel.setEnabled(False)
            return
        self.reject()

    def _done(self, result: Any, password: str | None) -> None:
        self._running = False
        self.done_ = True
        self.result_ = result
        if self.needs_password and self.keep.isChecked() and password:
            self.session.passwords.keep(self.address, password)
        self.progress.setText(self.describe(result))
        self.password.setEnabled(False)
        self.ok.setText("Close")
        self.ok.setEnabled(True)
        self.cancel.hide()
        self.ok.setFocus()
        fit_height(self)  # an open dialog does not grow by itself for a longer result
        self.session.notify_changed()

    def _not_mined_yet(self, error: NotMinedYet) -> None:
        """Not a failure: it was sent. Closing is all that is left here; the pending panel follows it."""
        self._running = False
        self.done_ = True
        self.progress.setText(waiting_to_be_mined("The transaction", error.detail))
        self.password.setEnabled(False)
        self.ok.setText("Close")
        self.ok.setEnabled(True)
        self.cancel.hide()
        self.follow_button = add_follow_button(self, self.buttons)
        fit_height(self)
        self.session.notify_changed()  # the pending panel lists it now, not at its next tick

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, NotMinedYet):
            self._not_mined_yet(error)
            return
        self._running = False
        self.progress.setText("")
        self.error.show_error(message_of(error))
        self.confirm_high.setEnabled(True)
        if isinstance(error, HighFeeError):
            self.confirm_high.show()  # the node's fee is past its bounds: sent only once the box is ticked
        self.ok.setEnabled(self.confirm_high.isHidden() or self.confirm_high.isChecked())
        fit_height(self)
        self.cancel.setText("Cancel")
        self.cancel.setEnabled(True)
        if self.needs_password:
            self.password.selectAll()
            self.password.setFocus()
