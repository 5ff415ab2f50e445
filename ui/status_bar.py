"""The status bar: network, block, account, sync (runner) state."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from dacwallet.usecases.exports import EMBEDDED
from dacwallet.usecases.opened import Opened
from ui import format as fmt
from ui.session import WalletSession
from ui.watcher import Snapshot, Watcher


class WalletStatusBar(QStatusBar):
    def __init__(self, session: WalletSession, watcher: Watcher, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.network = QLabel("network: —")
        self.block = QLabel("block: —")
        self.account = QLabel("account: —")
        self.sync = QLabel("")
        for label in (self.network, self.block, self.account):
            self.addPermanentWidget(label)
        self.addWidget(self.sync, 1)
        session.sig_opening.connect(lambda text: self.sync.setText(text))
        session.sig_opened.connect(self._opened)
        session.sig_open_failed.connect(self._failed)
        session.sig_account_changed.connect(self._account)
        session.runner.sig_busy.connect(lambda text: self.sync.setText(f"{text}…"))
        session.runner.sig_idle.connect(lambda: self.sync.setText("up to date"))
        watcher.sig_snapshot.connect(self._snapshot)
        watcher.sig_failed.connect(self._failed)
        self.names: dict[str, str] = {}

    def _opened(self, opened: Opened) -> None:
        where = "embedded chain" if opened.network == EMBEDDED else opened.network
        self.network.setText(f"network: {where} (chain {opened.chain_id})")
        self.sync.setText("up to date")

    def _failed(self, _text: str) -> None:
        self.network.setText("network: not answering")  # the reason is said once, in the window's banner
        self.block.setText("block: unknown")
        self.sync.setText("")

    def _snapshot(self, snapshot: Snapshot) -> None:
        self.names = snapshot.names
        self.block.setText(f"block: {snapshot.status.block:,} · {fmt.when(snapshot.status.time)}")
        self._account(self.session.account)
        if self.session.opened is not None:
            self._opened(self.session.opened)

    def _account(self, address: object) -> None:
        if not isinstance(address, str):
            self.account.setText("account: —")
            return
        name = self.names.get(address)
        self.account.setText(f"account: {name + ' ' if name else ''}{fmt.short_address(address)}")
