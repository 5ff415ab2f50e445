"""Network: which chain, its state, switching profiles, and moving the embedded chain's clock."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from dacwallet.errors import DacwalletError
from dacwallet.usecases.chainops import advance_clock, parse_duration
from dacwallet.usecases.exports import EMBEDDED, NetworkSpec
from ui import format as fmt
from ui.pages.base import Page
from ui.runner import message_of
from ui.session import WalletSession
from ui.watcher import Snapshot, Watcher
from ui.widgets.fields import fit_placeholder
from ui.widgets.messages import MessageLabel

PROFILES = (
    ("Embedded (in this app, test ether)", EMBEDDED, None),
    ("Local node (anvil, hardhat, geth --dev)", "http://127.0.0.1:8545", None),
    ("Custom RPC", "", None),
)


class NetworkPage(Page):
    title = "Network"
    hint = "Where the contracts live. The embedded chain runs inside the app; its clock can be moved forward."

    def __init__(self, session: WalletSession, watcher: Watcher, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.watcher = watcher
        state_box = QGroupBox("Connection")
        state = QFormLayout(state_box)
        self.state = QLabel("—")
        self.state.setWordWrap(True)
        self.chain_id = QLabel("—")
        self.block = QLabel("—")
        self.chain_time = QLabel("—")
        state.addRow("State", self.state)
        state.addRow("Chain id", self.chain_id)
        state.addRow("Block", self.block)
        state.addRow("Chain time", self.chain_time)
        self.layout_.addWidget(state_box)

        switch_box = QGroupBox("Switch network")
        switch = QFormLayout(switch_box)
        self.profile = QComboBox()
        for text, url, _chain in PROFILES:
            self.profile.addItem(text, url)
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://… JSON-RPC URL")
        self.expected_chain = QSpinBox()
        self.expected_chain.setRange(0, 2**31 - 1)
        self.expected_chain.setSpecialValueText("any")
        self.connect_button = QPushButton("Connect")
        switch.addRow("Profile", self.profile)
        switch.addRow("RPC URL", self.url)
        switch.addRow("Expected chain id", self.expected_chain)
        switch.addRow("", self.connect_button)
        self.switch_message = MessageLabel()
        switch.addRow(self.switch_message)
        self.layout_.addWidget(switch_box)

        clock_box = QGroupBox("Embedded chain clock")
        clock = QHBoxLayout(clock_box)
        self.hour_button = QPushButton("+1 hour")
        self.day_button = QPushButton("+1 day")
        self.custom = QLineEdit()
        self.custom.setPlaceholderText("e.g. 90m, 2h, 1d12h")
        fit_placeholder(self.custom)
        self.custom_button = QPushButton("Advance")
        for widget in (self.hour_button, self.day_button, QLabel("or"), self.custom, self.custom_button):
            clock.addWidget(widget)
        clock.addStretch(1)
        self.clock_box = clock_box
        self.layout_.addWidget(clock_box)
        self.clock_message = MessageLabel()
        self.layout_.addWidget(self.clock_message)
        self.layout_.addStretch(1)

        self.profile.currentIndexChanged.connect(self._profile_changed)
        self.connect_button.clicked.connect(self.switch)
        self.url.returnPressed.connect(self.switch)
        self.hour_button.clicked.connect(lambda: self.advance("1h"))
        self.day_button.clicked.connect(lambda: self.advance("1d"))
        self.custom_button.clicked.connect(lambda: self.advance(self.custom.text()))
        self.custom.returnPressed.connect(lambda: self.advance(self.custom.text()))
        watcher.sig_snapshot.connect(self._show)
        # The error itself is said once, in the window's banner; here the values become unknown.
        watcher.sig_failed.connect(lambda _text: self._unknown("not answering (see the message at the top)"))
        session.sig_opening.connect(self._unknown)
        session.sig_open_failed.connect(lambda _text: self._unknown("not connected (see the message at the top)"))
        session.sig_opened.connect(lambda _o: self._select_current())
        self._select_current()

    def _unknown(self, state: str) -> None:
        """No answer from the node: nothing from an earlier chain stays on screen as if it were current."""
        self.state.setText(state)
        for label in (self.chain_id, self.block, self.chain_time):
            label.setText("unknown")
        self.switch_message.clear()  # "Connecting to …" is over either way
        self._select_current()

    def _select_current(self) -> None:
        url = self.session.network.url
        index = 0 if url == EMBEDDED else (1 if url == PROFILES[1][1] else 2)
        self.profile.blockSignals(True)
        self.profile.setCurrentIndex(index)
        self.profile.blockSignals(False)
        self.url.setText("" if url == EMBEDDED else url)
        self.url.setEnabled(index != 0)
        self.expected_chain.setValue(self.session.network.expected_chain_id or 0)
        # Only the embedded chain's clock can be moved: its controls exist only while connected to it.
        embedded = self.session.connected and self.session.opened is not None and self.session.opened.embedded
        self.clock_box.setVisible(embedded)
        if not embedded:
            self.clock_message.clear()
        if self.session.connected:
            self.switch_message.clear()

    def _profile_changed(self) -> None:
        url = self.profile.currentData()
        self.url.setEnabled(url != EMBEDDED)
        if url != EMBEDDED:
            self.url.setText(url or self.url.text())

    def refresh(self) -> None:
        self.watcher.refresh()
        if self.watcher.last is not None:
            self._show(self.watcher.last)

    def _show(self, snapshot: Snapshot) -> None:
        s = snapshot.status
        reset = (
            (
                f" — this node was reset (was {s.reset_from[:18]}…): its cached chain data was dropped; your "
                "contributions from before are kept on My contributions"
            )
            if s.reset_from
            else ""
        )
        self.state.setText(f"connected to {'the embedded chain' if s.network == EMBEDDED else s.network}{reset}")
        self.chain_id.setText(str(s.chain_id))
        self.block.setText(f"{s.block:,}")
        self.chain_time.setText(fmt.when(s.time))

    def switch(self) -> None:
        url = EMBEDDED if self.profile.currentData() == EMBEDDED else self.url.text()
        try:
            spec = NetworkSpec.parse(url, self.expected_chain.value() or None)
        except DacwalletError as exc:
            self.switch_message.show_error(exc.user_message)
            return
        self.switch_message.show_note(f"Connecting to {spec.url}…")
        self.session.open(spec)

    def advance(self, text: str) -> None:
        try:
            seconds = parse_duration(text)
        except DacwalletError as exc:
            self.clock_message.show_error(exc.user_message)
            return
        self.clock_box.setEnabled(False)
        self.session.call(
            lambda ctx: advance_clock(ctx, seconds), lambda now: self._advanced(seconds, now), self._advance_failed
        )

    def _advanced(self, seconds: int, now: int) -> None:
        self.clock_box.setEnabled(True)
        # What was done stays true; the time itself is the Chain time field's, which keeps moving.
        self.clock_message.show_note(f"Moved the chain's clock forward by {fmt.duration(seconds)}.")
        self.chain_time.setText(fmt.when(now))
        self.session.notify_changed()

    def _advance_failed(self, error: BaseException) -> None:
        self.clock_box.setEnabled(True)
        self.clock_message.show_error(message_of(error))
