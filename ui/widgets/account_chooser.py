"""The account in use, chosen at the top of the window; lists accounts through the runner."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from dacwallet.usecases.account_manage import accounts_and_default
from dacwallet.usecases.exports import AccountInfo
from ui import format as fmt
from ui.session import WalletSession


class AccountChooser(QWidget):
    def __init__(self, session: WalletSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.combo = QComboBox()
        self.combo.setMinimumWidth(260)
        label = QLabel("&Account")
        label.setBuddy(self.combo)
        layout.addWidget(label)
        layout.addWidget(self.combo)
        self.combo.currentIndexChanged.connect(self._chosen)
        session.sig_account_changed.connect(self._select)
        session.sig_changed.connect(lambda moved: self.refresh() if moved.touches_accounts else None)
        self._filling = False

    def refresh(self) -> None:
        self.session.call_keys(accounts_and_default, self._fill, lambda _e: None)

    def _fill(self, result: tuple[list[AccountInfo], str | None]) -> None:
        accounts, default = result
        self._filling = True
        self.combo.clear()
        for info in accounts:
            self.combo.addItem(f"{info.name}  ({fmt.short_address(info.address)})", info.address)
        self._filling = False
        current = self.session.account if self.session.account in [a.address for a in accounts] else default
        self.session.set_account(current)
        self._select(current)

    def _select(self, address: object) -> None:
        index = self.combo.findData(address)
        if index >= 0 and index != self.combo.currentIndex():
            self._filling = True
            self.combo.setCurrentIndex(index)
            self._filling = False

    def _chosen(self) -> None:
        if not self._filling:
            self.session.set_account(self.combo.currentData())
