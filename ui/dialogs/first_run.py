"""The welcome: create (or import) an account while the embedded chain and its model get ready."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from dacwallet.usecases.account_add import Added
from dacwallet.usecases.opened import Opened
from ui.dialogs.account_dialogs import AccountCreatingDialog, ImportAccountDialog, NewAccountForm
from ui.session import WalletSession

WELCOME = (
    "<h2>Welcome to dacwallet</h2>"
    "<p>A sentiment model for movie reviews lives in a smart contract. You teach it by adding a labelled review "
    "with a small deposit; you get the deposit back after a day if the model then agrees with you.</p>"
    "<p>Everything is ready on a chain that runs inside this app, with test ether — nothing real is at stake. "
    "Create an account to start.</p>"
)


class FirstRunDialog(AccountCreatingDialog):
    busy_text = "Creating your account and getting test ether…"

    def __init__(self, session: WalletSession, parent: QWidget | None = None) -> None:
        super().__init__("Welcome", parent)
        self.session = session
        self.added: Added | None = None
        self.intro = QLabel(WELCOME)
        self.intro.setWordWrap(True)
        self.body.addWidget(self.intro)
        self.form = NewAccountForm("main")
        self.body.addWidget(self.form)
        self.chain_state = QLabel("")
        self.chain_state.setWordWrap(True)
        self.chain_state.setEnabled(False)
        self.body.addWidget(self.chain_state)
        self.ok_button.setText(self.first_ok_text)
        self.import_button = self.buttons.addButton("I already have a key…", self.buttons.ButtonRole.ActionRole)
        self.import_button.clicked.connect(self._import)
        self.finish_layout()
        session.sig_opening.connect(self._opening)
        session.sig_opened.connect(self._opened)
        session.sig_open_failed.connect(lambda text: self.chain_state.setText(f"The network is not answering: {text}"))
        if session.opened is not None:
            self._opened(session.opened)
        elif session.opening:
            self._opening("preparing the embedded chain and its model…")
        self.form.password.setFocus()

    def form_step(self) -> list[QWidget]:
        return [self.intro, self.form]

    @property
    def first_ok_text(self) -> str:
        return "Next: your recovery phrase"

    def _opening(self, text: str) -> None:
        self.chain_state.setText(f"Getting the chain ready: {text}")

    def _opened(self, _opened: Opened) -> None:
        self.chain_state.setText("The chain and the model are ready.")

    def _import(self) -> None:
        dialog = ImportAccountDialog(self.session, self)
        dialog.accepted.connect(lambda: self._imported(dialog))
        self.import_dialog = dialog
        dialog.open()

    def _imported(self, dialog: ImportAccountDialog) -> None:
        if dialog.added is not None:
            self.added = dialog.added
            self.accept()
