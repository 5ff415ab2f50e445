"""Beside the account chooser, on every page: the selected account's balance and whether it can sign without
a password (unlocked for the session, or its password remembered in the OS keyring) or is locked.

The balance is re-read when the account, the chain or the watcher's snapshot changes; a reply for an
account no longer selected is dropped, so the header never shows one account's balance under another's name.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from dacwallet.usecases.account_manage import balance_and_remembered
from ui import format as fmt
from ui.session import WalletSession
from ui.watcher import Watcher

LOCKED_STYLE = "color: rgb(198, 40, 40); font-weight: bold;"
UNLOCKED_STYLE = "color: rgb(46, 125, 50); font-weight: bold;"
REMEMBERED = "Password remembered"


class AccountHeader(QWidget):
    def __init__(self, session: WalletSession, watcher: Watcher, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 0, 0, 0)
        layout.setSpacing(10)
        self.balance = QLabel("Balance: —")
        self.lock_state = QLabel("")
        self.lock_button = QPushButton("Lock")
        self.lock_button.setToolTip("Forget the passwords held in memory now (remembered ones stay in the keyring).")
        for widget in (self.balance, self.lock_state, self.lock_button):
            layout.addWidget(widget)
        # Room for the longest texts from the start: the header never clips a figure, nor moves the buttons
        # beside it when a balance or the lock state changes.
        bold = QFont(self.font())
        bold.setBold(True)
        wide = QFontMetrics(bold)
        samples = (9999_9999 * 10**14, 999_999_99 * 10**16)  # 9999.9999 ETH, 999,999.99 ETH
        widest = max(wide.horizontalAdvance(f"Balance: {self._balance_text(wei)}") for wei in samples)
        self.balance.setMinimumWidth(widest + 4)
        self.lock_state.setMinimumWidth(wide.horizontalAdvance(REMEMBERED) + 4)
        self.lock_state.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)  # by its button
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        self.balance_wei: int | None = None
        self.remembered = False  # the keyring keeps the selected account's password (read with the balance)
        self.lock_button.clicked.connect(session.passwords.lock)
        session.sig_account_changed.connect(lambda _a: self._account_changed())
        session.sig_changed.connect(self.refresh)
        watcher.sig_snapshot.connect(lambda _s: self.refresh())
        session.passwords.sig_locked.connect(self.update_lock)
        session.passwords.sig_unlocked.connect(lambda _a: self.update_lock())
        self.update_lock()

    def _account_changed(self) -> None:
        """Nothing of the previous account's stays on screen while the new one's facts are read."""
        self.balance_wei, self.remembered = None, False
        self.balance.setText("Balance: …")
        self.update_lock()
        self.refresh()

    def refresh(self) -> None:
        address = self.session.account
        if address is None:
            self._show(address, (None, False))
            return
        self.session.call_keys(
            lambda keys, ctx: balance_and_remembered(keys, ctx, address),
            lambda facts: self._show(address, facts),
            lambda _e: self._show(address, (None, False)),
        )

    def _show(self, address: str | None, facts: tuple[int | None, bool]) -> None:
        if address != self.session.account:
            return  # the user chose another account meanwhile: its own reply follows
        wei, self.remembered = facts
        self.balance_wei = wei
        self.balance.setText("Balance: —" if address is None else f"Balance: <b>{self._balance_text(wei)}</b>")
        self.balance.setToolTip(
            fmt.wei_tooltip(wei)
            if wei is not None
            else "The node is not answering, so the balance is not known (it is not 0)."
        )
        self.update_lock()

    @staticmethod
    def _balance_text(wei: int | None) -> str:
        return "unknown" if wei is None else fmt.balance(wei)  # the tooltip says why it is unknown

    def update_lock(self) -> None:
        passwords = self.session.passwords
        unlocked = passwords.is_unlocked(self.session.account)
        minutes = passwords.idle_lock_ms // 60_000
        if unlocked:
            self.lock_state.setText("Unlocked")
            self.lock_state.setToolTip(
                f"Its password is held in memory; it locks after {minutes} min without "
                "a key press or a click, or when you click Lock."
            )
        elif self.remembered:
            self.lock_state.setText(REMEMBERED)
            self.lock_state.setToolTip(
                "This computer keeps its password in the OS keyring, so signing does not ask "
                "for it; locking does not change that. Forget it on the Wallet page."
            )
        else:
            self.lock_state.setText("Locked")
            self.lock_state.setToolTip("Signing asks for the password.")
        self.lock_state.setStyleSheet(UNLOCKED_STYLE if unlocked or self.remembered else LOCKED_STYLE)
        self.lock_button.setEnabled(passwords.has_unlocked)
