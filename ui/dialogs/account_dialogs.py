"""Creating, importing and unlocking accounts; each dialog shows its own errors inline."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui import accounts_ops
from ui.runner import message_of
from ui.session import WalletSession
from ui.widgets.messages import MessageLabel


def password_field(placeholder: str = "") -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setPlaceholderText(placeholder)
    return field


def password_pair_problem(password: str, confirm: str) -> str | None:
    """Why a new password typed twice cannot be used, or None."""
    if not password:
        return "Choose a password: it protects the key on this computer."
    if password != confirm:
        return "The two passwords are different; type them again."
    return None


class NewAccountForm(QWidget):
    """Name, password twice, "remember on this computer"; used by the welcome and the Wallet page."""

    def __init__(self, default_name: str = "main", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.name = QLineEdit(default_name)
        self.password = password_field("at least one character; you type it when you sign")
        self.confirm = password_field("the same password again")
        self.remember = QCheckBox("Remember the password on this computer (OS keyring)")
        form.addRow("Account name", self.name)
        form.addRow("Password", self.password)
        form.addRow("Repeat password", self.confirm)
        form.addRow("", self.remember)

    def problem(self) -> str | None:
        if not self.name.text().strip():
            return "Give the account a name, for example 'main'."
        return password_pair_problem(self.password.text(), self.confirm.text())


class BusyDialog(QDialog):
    """A dialog with OK/Cancel, an inline message line, and a busy state while its operation runs."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(480)
        self.body = QVBoxLayout(self)
        self.message = MessageLabel()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.LayoutRequest and self.isVisible():
            self._grow_to_fit()
        return handled

    def _grow_to_fit(self) -> None:
        """Grow when a message appears: Qt sizes a shown window without asking word-wrapped labels."""
        layout = self.layout()
        height = layout.heightForWidth(self.width()) if layout.hasHeightForWidth() else layout.sizeHint().height()
        if height > self.height():
            self.resize(self.width(), height)

    def finish_layout(self) -> None:
        self.body.addWidget(self.message)
        self.body.addWidget(self.buttons)

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def set_busy(self, busy: bool, text: str = "") -> None:
        self.ok_button.setEnabled(not busy)
        if busy:
            self.message.show_note(text)

    def fail(self, error: BaseException) -> None:
        self.set_busy(False)
        self.message.show_error(message_of(error))

    def submit(self) -> None:
        raise NotImplementedError


class AccountCreatingDialog(BusyDialog):
    """A dialog whose ``form`` (a NewAccountForm) creates an account in the background on OK."""

    busy_text = "Creating the account…"
    session: WalletSession
    form: NewAccountForm
    added: accounts_ops.Added | None

    def submit(self) -> None:
        problem = self.form.problem()
        if problem:
            self.message.show_error(problem)
            return
        name, password, remember = self.form.name.text(), self.form.password.text(), self.form.remember.isChecked()
        self.set_busy(True, self.busy_text)
        self.session.call_keys(lambda keys, ctx: accounts_ops.create_account(keys, ctx, name, password, remember),
                               self._done, self.fail)

    def _done(self, added: accounts_ops.Added) -> None:
        self.added = added
        self.accept()


class NewAccountDialog(AccountCreatingDialog):
    def __init__(self, session: WalletSession, parent: QWidget | None = None) -> None:
        super().__init__("New account", parent)
        self.session = session
        self.added: accounts_ops.Added | None = None
        self.form = NewAccountForm("")
        self.body.addWidget(self.form)
        self.ok_button.setText("Create account")
        self.finish_layout()



class ImportAccountDialog(BusyDialog):
    KINDS = (("key", "Private key (64 hex digits)"), ("mnemonic", "Recovery phrase (BIP-39 words)"),
             ("keystore", "Keystore file (JSON v3)"))

    def __init__(self, session: WalletSession, parent: QWidget | None = None) -> None:
        super().__init__("Import an account", parent)
        self.session = session
        self.added: accounts_ops.Added | None = None
        form = QFormLayout()
        self.kind = QComboBox()
        for key, text in self.KINDS:
            self.kind.addItem(text, key)
        self.secret = QPlainTextEdit()
        self.secret.setPlaceholderText("Paste the private key or the recovery phrase here")
        self.secret.setFixedHeight(70)
        self.file_row = QWidget()
        file_layout = QHBoxLayout(self.file_row)
        file_layout.setContentsMargins(0, 0, 0, 0)
        self.file_path = QLineEdit()
        browse = QPushButton("Choose file…")
        browse.clicked.connect(self._browse)
        file_layout.addWidget(self.file_path, 1)
        file_layout.addWidget(browse)
        self.keystore_password = password_field("the password the file was saved with")
        self.name = QLineEdit()
        self.password = password_field("for this wallet (keystore: leave empty to keep the file's)")
        self.remember = QCheckBox("Remember the password on this computer (OS keyring)")
        form.addRow("What you have", self.kind)
        form.addRow("Secret", self.secret)
        form.addRow("File", self.file_row)
        form.addRow("File password", self.keystore_password)
        form.addRow("Account name", self.name)
        form.addRow("New password", self.password)
        form.addRow("", self.remember)
        self.form = form
        self.body.addLayout(form)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()
        self.ok_button.setText("Import")
        self.finish_layout()

    def _kind_changed(self) -> None:
        keystore = self.kind.currentData() == "keystore"
        for widget, visible in ((self.secret, not keystore), (self.file_row, keystore),
                                (self.keystore_password, keystore)):
            self.form.setRowVisible(widget, visible)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Keystore file", str(Path.home()), "JSON (*.json);;All (*)")
        if path:
            self.file_path.setText(path)

    def submit(self) -> None:
        kind = self.kind.currentData()
        secret = self.file_path.text() if kind == "keystore" else self.secret.toPlainText().strip()
        name, password = self.name.text(), self.password.text()
        remember, file_password = self.remember.isChecked(), self.keystore_password.text()
        if not secret:
            self.message.show_error("Paste the secret (or choose the keystore file) first.")
            return
        self.set_busy(True, "Importing…")
        self.session.call_keys(
            lambda keys, ctx: accounts_ops.import_account(keys, ctx, kind, name, secret, password, remember,
                                                          file_password),
            self._done, self.fail)

    def _done(self, added: accounts_ops.Added) -> None:
        self.added = added
        self.accept()


class UnlockDialog(BusyDialog):
    """Checks the password (off the GUI thread) and keeps it in memory until lock or idle."""

    def __init__(self, session: WalletSession, address: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(f"Unlock {name}", parent)
        self.session = session
        self.address = address
        self.body.addWidget(QLabel(f"Password of <b>{name}</b> ({address[:10]}…). It stays in memory until you "
                                   "lock the wallet or leave it idle."))
        self.password = password_field()
        self.remember = QCheckBox("Also remember it on this computer (OS keyring)")
        self.body.addWidget(self.password)
        self.body.addWidget(self.remember)
        self.ok_button.setText("Unlock")
        self.finish_layout()

    def submit(self) -> None:
        password, remember, address = self.password.text(), self.remember.isChecked(), self.address
        if not password:
            self.message.show_error("Type the password.")
            return
        self.set_busy(True, "Checking the password…")
        self.session.call_keys(lambda keys, _ctx: accounts_ops.verify_password(keys, address, password, remember),
                               lambda ok: self._done(ok, password), self.fail)

    def _done(self, ok: bool, password: str) -> None:
        if not ok:
            self.set_busy(False)
            self.message.show_error("The password does not open this account. Check it (and the keyboard layout) "
                                    "and try again.")
            self.password.selectAll()
            return
        self.session.passwords.keep(self.address, password)
        self.accept()
