"""Creating, importing and unlocking accounts; each dialog shows its own errors inline."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dacwallet.usecases.account_add import Added, add_created, add_imported, keystore_text
from dacwallet.usecases.account_manage import verify_password
from dacwallet.usecases.account_setup import PhraseToBackUp, new_phrase_to_back_up, password_strength
from ui.dialogs.fitting import FittingDialog
from ui.dialogs.recovery_phrase import SKIP_WARNING, PhraseQuiz, PhraseView
from ui.runner import message_of
from ui.session import WalletSession
from ui.widgets.fields import fit_placeholder
from ui.widgets.messages import MessageLabel


def password_field(placeholder: str = "") -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setPlaceholderText(placeholder)
    return field


class SecretField(QWidget):
    """A masked line (a key, a phrase, a password) with a "Show" box to check what was typed or pasted."""

    def __init__(self, placeholder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edit = password_field(placeholder)
        fit_placeholder(self.edit)  # the import's "Paste the private key or the recovery phrase here" was cut
        self.show_box = QCheckBox("Show")
        self.show_box.toggled.connect(
            lambda shown: self.edit.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)
        )
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.show_box)

    def text(self) -> str:
        return self.edit.text()


class StrengthLabel(QLabel):
    """Under a new password: how strong it is while typing, and why it would be refused. Estimated once typing
    pauses (an estimate of a long password takes tens of milliseconds: not on every key press)."""

    PAUSE_MS = 150

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self._pending: tuple[str, str] = ("", "")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.PAUSE_MS)
        self._timer.timeout.connect(lambda: self.update_now(*self._pending))

    def update_for(self, password: str, name: str) -> None:
        self._pending = (password, name)
        self._timer.start()

    def update_now(self, password: str, name: str) -> None:
        if not password:
            self.setText("")
            return
        strength = password_strength(password, name)
        verdict = "" if strength.acceptable else f" — {strength.reason}"
        self.setText(f"Strength: <b>{strength.label}</b>{verdict}")


def password_pair_problem(password: str, confirm: str, name: str = "") -> str | None:
    """Why a new password typed twice cannot be used (the policy's reason, or a mismatch), or None."""
    strength = password_strength(password, name)
    if strength.reason is not None:
        return strength.reason
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
        self.password = password_field("8 characters or more, hard to guess")
        self.password.setToolTip("You type it each time this account signs (unless it is remembered)")
        self.strength = StrengthLabel()
        self.confirm = password_field("the same password again")
        self.remember = QCheckBox("Remember the password on this computer (OS keyring)")
        form.addRow("Account name", self.name)
        form.addRow("Password", self.password)
        form.addRow("", self.strength)
        form.addRow("Repeat password", self.confirm)
        form.addRow("", self.remember)
        for field in (self.name, self.password):
            field.textChanged.connect(lambda _t: self.strength.update_for(self.password.text(), self.name.text()))

    def problem(self) -> str | None:
        if not self.name.text().strip():
            return "Give the account a name, for example 'main'."
        return password_pair_problem(self.password.text(), self.confirm.text(), self.name.text())


class BusyDialog(FittingDialog):
    """A dialog with OK/Cancel, an inline message line, and a busy state while its operation runs."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.body = QVBoxLayout(self)
        self.message = MessageLabel()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

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
    """A dialog whose ``form`` (a NewAccountForm) creates an account from a fresh recovery phrase, in three
    steps on OK: the form, the phrase's words, a few of them asked back (skippable on the embedded chain).
    Nothing is written before the last step, so cancelling at any step leaves no account behind."""

    busy_text = "Creating the account…"
    session: WalletSession
    form: NewAccountForm
    added: Added | None
    backup: PhraseToBackUp | None = None
    phrase_view: PhraseView | None = None
    quiz: PhraseQuiz | None = None

    def form_step(self) -> list[QWidget]:
        """What the first step shows (hidden while the phrase is shown)."""
        return [self.form]

    def submit(self) -> None:
        if self.backup is None:
            self._show_phrase()
        elif self.quiz is None:
            self._ask_words()
        else:
            wrong = self.backup.wrong_answers(self.quiz.answers())
            if wrong:
                numbers = ", ".join(str(n) for n in wrong)
                self.message.show_error(
                    f"Word {numbers} does not match the phrase. Look at your copy again (or go "
                    "back to the words and correct it)."
                )
                return
            self._create()

    def _show_phrase(self) -> None:
        problem = self.form.problem()
        if problem:
            self.message.show_error(problem)
            return
        self.message.clear()
        self.backup = new_phrase_to_back_up()
        for widget in self.form_step():
            widget.hide()
        self.phrase_view = PhraseView(self.backup)
        self.body.insertWidget(self.body.indexOf(self.message), self.phrase_view)
        if self.session.network.is_embedded:
            self.skip_button = self.buttons.addButton("Skip the check", QDialogButtonBox.ButtonRole.ActionRole)
            self.skip_button.clicked.connect(self._create)
            self.message.show_advice(SKIP_WARNING)
        self.ok_button.setText("I wrote them down")

    def _ask_words(self) -> None:
        assert self.backup is not None and self.phrase_view is not None
        self.message.clear()
        self.phrase_view.hide()
        self.quiz = PhraseQuiz(self.backup)
        self.body.insertWidget(self.body.indexOf(self.message), self.quiz)
        self.back_button = self.buttons.addButton("Show the words again", QDialogButtonBox.ButtonRole.ActionRole)
        self.back_button.clicked.connect(self._back_to_words)
        self.ok_button.setText("Create account")
        self.quiz.focus_first()

    def _back_to_words(self) -> None:
        assert self.phrase_view is not None and self.quiz is not None
        self.quiz.deleteLater()
        self.quiz = None
        self.buttons.removeButton(self.back_button)
        self.back_button.deleteLater()
        self.message.clear()
        self.phrase_view.show()
        self.ok_button.setText("I wrote them down")

    def _create(self) -> None:
        assert self.backup is not None
        name, password, remember = self.form.name.text(), self.form.password.text(), self.form.remember.isChecked()
        phrase = self.backup.phrase
        self.set_busy(True, self.busy_text)
        self.session.call_keys(
            lambda keys, ctx: add_created(keys, ctx, name, password, remember, phrase),
            self._done,
            self._not_created,
        )

    def _not_created(self, error: BaseException) -> None:
        """Back to the form (e.g. the name is taken): nothing was written, and a new phrase comes next time."""
        for step in (self.phrase_view, self.quiz):
            if step is not None:
                step.deleteLater()
        for name in ("skip_button", "back_button"):
            button = getattr(self, name, None)
            if button is not None:
                self.buttons.removeButton(button)
                button.deleteLater()
                setattr(self, name, None)
        self.backup, self.phrase_view, self.quiz = None, None, None
        for widget in self.form_step():
            widget.show()
        self.ok_button.setText(self.first_ok_text)
        self.fail(error)

    def _done(self, added: Added) -> None:
        self.added = added
        self.accept()

    @property
    def first_ok_text(self) -> str:
        return "Next"


class NewAccountDialog(AccountCreatingDialog):
    def __init__(self, session: WalletSession, parent: QWidget | None = None) -> None:
        super().__init__("New account", parent)
        self.session = session
        self.added: Added | None = None
        self.form = NewAccountForm("")
        self.body.addWidget(self.form)
        self.ok_button.setText(self.first_ok_text)
        self.finish_layout()


class ImportAccountDialog(BusyDialog):
    KINDS = (
        ("key", "Private key (64 hex digits)"),
        ("mnemonic", "Recovery phrase (BIP-39 words)"),
        ("keystore", "Keystore file (JSON v3)"),
    )

    def __init__(self, session: WalletSession, parent: QWidget | None = None) -> None:
        super().__init__("Import an account", parent)
        self.session = session
        self.added: Added | None = None
        form = QFormLayout()
        self.kind = QComboBox()
        for key, text in self.KINDS:
            self.kind.addItem(text, key)
        self.secret = SecretField("Paste the private key or the recovery phrase here")
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
        for widget, visible in (
            (self.secret, not keystore),
            (self.file_row, keystore),
            (self.keystore_password, keystore),
        ):
            self.form.setRowVisible(widget, visible)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Keystore file", str(Path.home()), "JSON (*.json);;All (*)")
        if path:
            self.file_path.setText(path)

    def submit(self) -> None:
        kind = self.kind.currentData()
        secret = self.file_path.text() if kind == "keystore" else self.secret.text().strip()
        name, password = self.name.text(), self.password.text()
        remember, file_password = self.remember.isChecked(), self.keystore_password.text()
        if not secret:
            self.message.show_error("Paste the secret (or choose the keystore file) first.")
            return
        self.set_busy(True, "Importing…")
        self.session.call_keys(
            lambda keys, ctx: add_imported(
                keys,
                ctx,
                kind,
                name,
                keystore_text(secret) if kind == "keystore" else secret,
                password,
                remember,
                file_password,
            ),
            self._done,
            self.fail,
        )

    def _done(self, added: Added) -> None:
        self.added = added
        self.accept()


class UnlockDialog(BusyDialog):
    """Checks the password (off the GUI thread) and keeps it in memory until lock or idle."""

    def __init__(self, session: WalletSession, address: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(f"Unlock {name}", parent)
        self.session = session
        self.address = address
        self.body.addWidget(
            QLabel(
                f"Password of <b>{name}</b> ({address[:10]}…). It stays in memory until you "
                "lock the wallet or leave it idle."
            )
        )
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
        self.session.call_keys(
            lambda keys, _ctx: verify_password(keys, address, password, remember),
            lambda ok: self._done(ok, password),
            self.fail,
        )

    def _done(self, ok: bool, password: str) -> None:
        if not ok:
            self.set_busy(False)
            self.message.show_error(
                "The password does not open this account. Check it (and the keyboard layout) and try again."
            )
            self.password.selectAll()
            return
        self.session.passwords.keep(self.address, password)
        self.accept()
