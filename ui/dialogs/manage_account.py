"""Renaming, re-passwording and deleting one account; each dialog shows its errors beside the field."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtWidgets import QFileDialog, QFormLayout, QLabel, QLineEdit, QWidget

from dacwallet.usecases import account_manage
from dacwallet.usecases.exports import KeyStore, WrongPasswordError
from ui.dialogs.account_dialogs import BusyDialog, password_field, password_pair_problem
from ui.runner import message_of
from ui.session import WalletSession
from ui.widgets.messages import MessageLabel

T = TypeVar("T")


def export_with_file_dialog(
    parent: QWidget, session: WalletSession, address: str, name: str, message: MessageLabel
) -> None:
    """Ask where to save the account's encrypted keystore, write it in the runner, report in ``message``."""
    path, _ = QFileDialog.getSaveFileName(parent, "Export keystore", str(Path.home() / f"{name}.json"), "JSON (*.json)")
    if path:
        session.call_keys(
            lambda keys, _ctx: account_manage.export_keystore(keys, address, Path(path)),
            lambda saved: message.show_note(
                f"Saved the encrypted keystore to {saved}. It opens with the account's password."
            ),
            lambda error: message.show_error(message_of(error)),
        )


class AccountActionDialog(BusyDialog):
    """A dialog about one account: an intro, a form, and one key-store step run in the runner on OK."""

    def __init__(
        self,
        session: WalletSession,
        address: str,
        name: str,
        title: str,
        intro: str,
        ok_text: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(title, parent)
        self.session = session
        self.address = address
        self.name = name
        label = QLabel(intro)
        label.setWordWrap(True)
        self.body.addWidget(label)
        self.form = QFormLayout()  # subclasses add their rows; it is already in place above the buttons
        self.body.addLayout(self.form)
        self.ok_button.setText(ok_text)
        self.finish_layout()

    def run(self, busy_text: str, work: Callable[[KeyStore], T], done: Callable[[T], None]) -> None:
        self.set_busy(True, busy_text)
        self.session.call_keys(lambda keys, _ctx: work(keys), done, self.fail)

    def refuse(self, text: str, field: QLineEdit) -> None:
        """Say what is wrong and put the cursor where it can be fixed."""
        self.set_busy(False)
        self.message.show_error(text)
        field.setFocus()
        field.selectAll()

    def fail(self, error: BaseException) -> None:
        self.refuse(message_of(error), self.field_for(error))

    def field_for(self, error: BaseException) -> QLineEdit:
        raise NotImplementedError


class RenameDialog(AccountActionDialog):
    def __init__(self, session: WalletSession, address: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(
            session,
            address,
            name,
            f"Rename {name}",
            f"A new name for <b>{name}</b> ({address[:10]}…). The address, the key and a remembered "
            "password stay as they are.",
            "Rename",
            parent,
        )
        self.new_name = QLineEdit(name)
        self.form.addRow("New name", self.new_name)
        self.new_name.selectAll()
        self.new_name.setFocus()

    def submit(self) -> None:
        address, new_name = self.address, self.new_name.text()
        # The key store checks the name (taken, characters, length): one set of rules for GUI and CLI.
        self.run(
            "Renaming…",
            lambda keys: account_manage.rename_account(keys, address, new_name),
            lambda _info: self.accept(),
        )

    def field_for(self, error: BaseException) -> QLineEdit:
        return self.new_name


class ChangePasswordDialog(AccountActionDialog):
    def __init__(self, session: WalletSession, address: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(
            session,
            address,
            name,
            f"Change the password of {name}",
            f"The key of <b>{name}</b> is encrypted again with the new password. Copies you exported "
            "earlier still open with the old one.",
            "Change password",
            parent,
        )
        self.remembered: bool | None = None
        self.current = password_field("the password you use now")
        self.new = password_field("8 characters or more, hard to guess")
        self.confirm = password_field("the new password again")
        self.form.addRow("Current password", self.current)
        self.form.addRow("New password", self.new)
        self.form.addRow("Repeat new password", self.confirm)
        self.current.setFocus()

    def submit(self) -> None:
        old, new = self.current.text(), self.new.text()
        if not old:
            self.refuse("Type the current password first.", self.current)
            return
        problem = password_pair_problem(new, self.confirm.text(), self.name)
        if problem:
            self.refuse(problem, self.new)
            return
        address = self.address
        self.run(
            "Encrypting the key with the new password…",
            lambda keys: account_manage.change_password(keys, address, old, new),
            lambda remembered: self._done(remembered, new),
        )

    def _done(self, remembered: bool, new: str) -> None:
        self.remembered = remembered
        # An unlocked account must stay signable: the old password in memory no longer opens it.
        if self.session.passwords.is_unlocked(self.address):
            self.session.passwords.keep(self.address, new)
        self.accept()

    def field_for(self, error: BaseException) -> QLineEdit:
        return self.current if isinstance(error, WrongPasswordError) else self.new


class DeleteAccountDialog(AccountActionDialog):
    def __init__(
        self, session: WalletSession, address: str, name: str, holds: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            session,
            address,
            name,
            f"Delete {name}",
            f"Type the password of <b>{name}</b> ({address[:10]}…) to delete it from this computer.",
            "Delete for good",
            parent,
        )
        self.next_account: str | None = None
        self.warning = MessageLabel()
        at_stake = f", and with it the {holds} on the account" if holds else ""
        self.warning.show_advice(
            f"Deleting removes the key from this computer for good{at_stake}. Only an exported keystore file "
            "(with its password), or the recovery phrase or private key you imported it from, brings the account "
            "back. If you have no such copy, export the keystore first."
        )
        self.body.insertWidget(1, self.warning)
        self.password = password_field("the account's password")
        self.form.addRow("Password", self.password)
        self.export_button = self.buttons.addButton("Export keystore first…", self.buttons.ButtonRole.ActionRole)
        self.export_button.setAutoDefault(False)  # Enter deletes (the password guards it); it never exports
        self.export_button.clicked.connect(lambda: export_with_file_dialog(self, session, address, name, self.message))
        self.password.setFocus()

    def submit(self) -> None:
        password, address = self.password.text(), self.address
        if not password:
            self.refuse("Type the account's password to confirm the deletion.", self.password)
            return
        self.run(
            "Checking the password and deleting…",
            lambda keys: account_manage.delete_account(keys, address, password),
            self._done,
        )

    def _done(self, next_account: str | None) -> None:
        self.next_account = next_account
        self.accept()

    def field_for(self, error: BaseException) -> QLineEdit:
        return self.password
