"""Wallet: accounts and balances, copy address, lock/unlock and the auto-lock time, send, new/import/export,
test ether, rename / change password / delete."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QComboBox, QDialog, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QPushButton, QWidget

from dacwallet.usecases import account_manage
from dacwallet.usecases.account_add import Added
from dacwallet.usecases.accounts import give_test_ether
from ui import format as fmt
from ui import preferences
from ui.dialogs.account_dialogs import ImportAccountDialog, NewAccountDialog, UnlockDialog
from ui.dialogs.first_run import FirstRunDialog
from ui.dialogs.manage_account import (
    ChangePasswordDialog,
    DeleteAccountDialog,
    RenameDialog,
    export_with_file_dialog,
)
from ui.dialogs.send_dialog import SendDialog
from ui.models.accounts_model import AccountsModel
from ui.pages.base import Page
from ui.runner import message_of
from ui.session import WalletSession
from ui.widgets.messages import MessageLabel
from ui.widgets.tables import row_table


class WalletPage(Page):
    title = "Wallet"
    hint = "Your accounts on this computer. The selected one is used to contribute, claim and report."

    def __init__(self, session: WalletSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.model = AccountsModel()
        self.table = row_table(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(AccountsModel.ADDRESS, QHeaderView.ResizeMode.Stretch)
        for column in (AccountsModel.NAME, AccountsModel.BALANCE, AccountsModel.STATE):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.layout_.addWidget(self.table, 1)

        self.copy_button = QPushButton("Copy address")
        self.unlock_button = QPushButton("Unlock…")
        self.lock_button = QPushButton("Lock")
        self.forget_button = QPushButton("Forget remembered password")
        self.ether_button = QPushButton("Get test ether")
        self.new_button = QPushButton("New account…")
        self.import_button = QPushButton("Import…")
        self.export_button = QPushButton("Export keystore…")
        self.rename_button = QPushButton("Rename…")
        self.password_button = QPushButton("Change password…")
        self.delete_button = QPushButton("Delete…")
        grid = QGridLayout()
        # Row by row: using the account, adding and backing up accounts, changing the selected one.
        # Delete sits alone at the far end of its row, away from the everyday buttons.
        for row, buttons in enumerate(
            (
                (self.copy_button, self.unlock_button, self.lock_button, self.forget_button),
                (self.ether_button, self.new_button, self.import_button, self.export_button),
                (self.rename_button, self.password_button, None, self.delete_button),
            )
        ):
            for column, button in enumerate(buttons):
                if button is not None:
                    grid.addWidget(button, row, column)
        self.layout_.addLayout(grid)
        everyday = QHBoxLayout()
        self.send_button = QPushButton("Send…")
        self.send_button.setToolTip("Send ether from the selected account to an address")
        everyday.addWidget(self.send_button)
        everyday.addStretch(1)
        self.auto_lock = QComboBox()
        for minutes in preferences.AUTO_LOCK_CHOICES:
            self.auto_lock.addItem(f"{minutes} min" if minutes < 60 else f"{minutes // 60} h", minutes)
        self.auto_lock.setCurrentIndex(self.auto_lock.findData(session.passwords.idle_lock_ms // 60_000))
        auto_lock_label = QLabel("Lock when idle for")
        auto_lock_label.setBuddy(self.auto_lock)
        everyday.addWidget(auto_lock_label)
        everyday.addWidget(self.auto_lock)
        self.layout_.addLayout(everyday)
        self.message = MessageLabel()
        self.layout_.addWidget(self.message)

        self.copy_button.clicked.connect(self._copy)
        self.unlock_button.clicked.connect(self._unlock)
        self.lock_button.clicked.connect(self._lock)
        self.forget_button.clicked.connect(self._forget)
        self.ether_button.clicked.connect(self._test_ether)
        self.new_button.clicked.connect(self._new)
        self.import_button.clicked.connect(self._import)
        self.export_button.clicked.connect(self._export)
        self.rename_button.clicked.connect(self._rename)
        self.password_button.clicked.connect(self._change_password)
        self.delete_button.clicked.connect(self._delete)
        self.send_button.clicked.connect(self._send)
        self.auto_lock.currentIndexChanged.connect(self._auto_lock_chosen)
        session.passwords.sig_locked.connect(self._update_lock_state)
        session.passwords.sig_unlocked.connect(lambda _a: self._update_lock_state())
        session.sig_changed.connect(lambda moved: self.refresh() if moved.touches_accounts else None)
        session.sig_account_changed.connect(lambda _a: self._select_current())
        self._remembered: set[str] = set()
        self._update_buttons()

    # --- reading -------------------------------------------------------------------------------

    def refresh(self) -> None:
        self.session.call_keys(account_manage.snapshot, self._show, lambda e: self.message.show_error(message_of(e)))

    def _show(self, snap: account_manage.AccountsSnapshot) -> None:
        self._remembered = snap.remembered
        self.model.set_rows(snap.accounts)
        self._update_lock_state()
        self._select_current()
        if not snap.connected and snap.accounts:
            self.message.show_error(
                f"Balances are unknown — the node is not answering. {self.session.open_error or ''}"
            )
        elif self.message.styleSheet() and "198, 40, 40" in self.message.styleSheet():
            self.message.clear()
        self._update_buttons()

    def _update_lock_state(self) -> None:
        unlocked = {row.address for row in self.model.rows if self.session.passwords.is_unlocked(row.address)}
        self.model.set_lock_state(unlocked, self._remembered)
        self._update_buttons()

    def _select_current(self) -> None:
        for row, view in enumerate(self.model.rows):
            if view.address == self.session.account:
                self.table.selectionModel().select(
                    self.model.index(row, 0),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
                )
                return

    def selected_address(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()].address if rows else None

    def _selected_name(self) -> str:
        address = self.selected_address()
        return next((v.name for v in self.model.rows if v.address == address), "")

    def _selection_changed(self) -> None:
        address = self.selected_address()
        if address is not None:
            self.session.set_account(address)
        self._update_buttons()

    def _update_buttons(self) -> None:
        address = self.selected_address()
        has = address is not None
        unlocked = self.session.passwords.is_unlocked(address)
        for button in (
            self.copy_button,
            self.export_button,
            self.rename_button,
            self.password_button,
            self.delete_button,
            self.send_button,
        ):
            button.setEnabled(has)
        self.unlock_button.setEnabled(has and not unlocked)
        self.lock_button.setEnabled(any(self.session.passwords.is_unlocked(v.address) for v in self.model.rows))
        self.forget_button.setEnabled(has and address in self._remembered)
        embedded = self.session.opened is not None and self.session.opened.embedded
        self.ether_button.setEnabled(has and embedded)
        self.ether_button.setToolTip("" if embedded else "Test ether comes from the embedded chain's faucet only.")

    # --- acting --------------------------------------------------------------------------------

    def _copy(self) -> None:
        address = self.selected_address()
        if address:
            QGuiApplication.clipboard().setText(address)
            self.message.show_note(f"Copied {address} to the clipboard.")

    def _unlock(self) -> None:
        address = self.selected_address()
        if address:
            name = self._selected_name()
            dialog = UnlockDialog(self.session, address, name, self)
            dialog.accepted.connect(
                lambda: self.message.show_note(f"{name} is unlocked until you lock it or leave the wallet idle.")
            )
            self._open(dialog)

    def _send(self) -> None:
        address = self.selected_address()
        if address:
            dialog = SendDialog(self.session, address, self._selected_name(), self)
            self._open(dialog)

    def _auto_lock_chosen(self) -> None:
        minutes = self.auto_lock.currentData()
        self.session.passwords.set_idle_lock_ms(minutes * 60_000)
        preferences.save(self.session.data_dir, preferences.AUTO_LOCK_MINUTES, minutes)
        self.message.show_note(
            f"Unlocked accounts now lock after {self.auto_lock.currentText()} without a key press or a click."
        )

    def _lock(self) -> None:
        self.session.passwords.lock()
        self.message.show_note("Locked: passwords held in memory are forgotten.")

    def _forget(self) -> None:
        address = self.selected_address()
        if address:
            self.session.call_keys(
                lambda keys, _ctx: account_manage.forget_password(keys, address),
                lambda _r: self._after("This computer no longer remembers the password."),
                lambda e: self.message.show_error(message_of(e)),
            )

    def _test_ether(self) -> None:
        address = self.selected_address()
        if address:
            self.ether_button.setEnabled(False)
            self.session.call(
                lambda ctx: give_test_ether(ctx, address),
                lambda _r: self._after("100 test ETH sent from the embedded faucet."),
                self._failed,
            )

    def _new(self) -> None:
        dialog = NewAccountDialog(self.session, self)
        dialog.accepted.connect(lambda: self._added(dialog.added, "created"))
        self._open(dialog)

    def _import(self) -> None:
        dialog = ImportAccountDialog(self.session, self)
        dialog.accepted.connect(lambda: self._added(dialog.added, "imported"))
        self._open(dialog)

    def _open(self, dialog: QDialog) -> None:
        """Window-modal but not blocking: the event loop (and the runner's results) keep flowing."""
        self.dialog = dialog
        dialog.open()

    def _added(self, added: Added | None, verb: str) -> None:
        if added is None:
            return
        self.session.set_account(added.info.address)
        self._after(added.note or f"Account {added.info.name} {verb}.")

    def _export(self) -> None:
        address = self.selected_address()
        if address:
            export_with_file_dialog(self, self.session, address, self._selected_name(), self.message)

    def _rename(self) -> None:
        address = self.selected_address()
        if address:
            dialog = RenameDialog(self.session, address, self._selected_name(), self)
            dialog.accepted.connect(lambda: self._after(f"Renamed to {dialog.new_name.text().strip()}."))
            self._open(dialog)

    def _change_password(self) -> None:
        address = self.selected_address()
        if address:
            dialog = ChangePasswordDialog(self.session, address, self._selected_name(), self)
            dialog.accepted.connect(
                lambda: self._after(
                    "Password changed. "
                    + ("This computer remembers the new one." if dialog.remembered else "Use the new one from now on.")
                )
            )
            self._open(dialog)

    def _delete(self) -> None:
        address = self.selected_address()
        if address:
            name = self._selected_name()
            balance = next((v.balance_wei for v in self.model.rows if v.address == address), None)
            holds = fmt.balance(balance) if balance else None  # unknown or zero: nothing to point at
            dialog = DeleteAccountDialog(self.session, address, name, holds, self)
            dialog.accepted.connect(lambda: self._deleted(address, name, dialog.next_account))
            self._open(dialog)

    def _deleted(self, address: str, name: str, next_account: str | None) -> None:
        self.session.passwords.forget(address)
        self.session.set_account(next_account)
        self._after(f"Deleted {name} from this computer.")
        if next_account is None:
            # No account left: the same welcome as a first start (create one, or import a key).
            welcome = FirstRunDialog(self.session, self.window())
            welcome.accepted.connect(lambda: self._added(welcome.added, "added"))
            self._open(welcome)

    def _after(self, note: str) -> None:
        self.message.show_note(note)
        self.session.notify_changed()

    def _failed(self, error: BaseException) -> None:
        self._update_buttons()
        self.message.show_error(message_of(error))
