"""The open wallet as the GUI sees it: one WalletContext used only through the runner.

The context, its sqlite connection and the embedded chain are touched only by operations the
runner executes (one at a time, off the GUI thread). The GUI thread keeps plain values: the
current account's address, the local mirror used for the instant preview, the network spec.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QObject, QTimer, Signal

from dacwallet.errors import ChainError
from dacwallet.usecases.account_manage import open_key_store
from dacwallet.usecases.changes import EVERYTHING, Changes, drain_changes
from dacwallet.usecases.context import WalletContext, open_wallet
from dacwallet.usecases.exports import KeyStore, Mirror, NetworkSpec
from dacwallet.usecases.opened import Opened, read_opened
from dacwallet.usecases.settle import resolve_journal
from dacwallet.usecases.sync_mirror import current_mirror
from ui import preferences
from ui.passwords import SessionPasswords
from ui.runner import Runner, StageRelay, message_of

T = TypeVar("T")
RETRY_MS = 4000


class WalletSession(QObject):
    sig_opening = Signal(str)  # progress text while (re)opening
    sig_opened = Signal(object)  # Opened
    sig_open_failed = Signal(str)  # user message
    sig_changed = Signal(object)  # Changes: what moved (EVERYTHING when not known); listeners refresh their part
    _sig_moved = Signal(object)  # from the runner's thread: what an operation moved
    sig_account_changed = Signal(object)  # address or None
    sig_mirror_changed = Signal()

    def __init__(self, data_dir: Path, network: NetworkSpec, runner: Runner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.network = network
        self.runner = runner
        self._sig_moved.connect(self.notify_changed)  # queued: emitted by the runner's thread
        self.passwords = SessionPasswords(preferences.auto_lock_minutes(data_dir) * 60_000, parent=self)
        self.ctx: WalletContext | None = None  # written and used by runner operations only
        self.opened: Opened | None = None
        self.mirror: Mirror | None = None  # GUI thread only
        self.account: str | None = None
        self.open_error: str | None = None
        self._opening = False
        self._relay = StageRelay(self)
        self._relay.sig_stage.connect(self.sig_opening)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(RETRY_MS)
        self._retry.timeout.connect(lambda: self.open(self.network))
        self.offline_keys = open_key_store(data_dir)

    # --- opening -------------------------------------------------------------------------------

    @property
    def connected(self) -> bool:
        return self.opened is not None

    @property
    def opening(self) -> bool:
        return self._opening

    def open(self, network: NetworkSpec) -> None:
        """(Re)opens the wallet on ``network`` in the runner; retries quietly while the node is away."""
        self._retry.stop()
        self.network = network
        self._opening = True
        self.sig_opening.emit(f"Connecting to {network.url}…")
        relay = self._relay

        def op() -> Opened:
            if self.ctx is not None:
                old, self.ctx = self.ctx, None
                old.close()

            def progress(text: str, done: int, total: int) -> None:
                relay.send(f"{text} ({done}/{total})")

            ctx = open_wallet(self.data_dir, network, on_progress=progress)
            self.ctx = ctx
            notes = resolve_journal(ctx)
            drain_changes(ctx)  # the pages are told everything moved once it is open
            relay.send("Reading the model from the chain…")
            return read_opened(ctx, ctx.reset_from, len(notes))

        self.runner.run(op, self._on_opened, self._on_open_failed, progress_label="Connecting")

    def model_switched(self) -> None:
        """The open context's active model changed (use, add, remove, a resumed deployment): every page learns
        it as after an open, without closing the chain and connecting again."""
        self.call(
            lambda ctx: read_opened(ctx, None, 0),
            self._on_opened,
            lambda _error: self.open(self.network),
            label="Loading the model",
        )  # failing that (node gone meanwhile), a full reopen says why

    def _on_opened(self, opened: Opened) -> None:
        self._opening = False
        self.opened = opened
        self.open_error = None
        self.mirror = opened.mirror
        self.sig_opened.emit(opened)
        self.sig_mirror_changed.emit()
        self.sig_changed.emit(EVERYTHING)

    def _on_open_failed(self, error: BaseException) -> None:
        self._opening = False
        self.opened = None
        self.open_error = message_of(error)
        self.sig_open_failed.emit(self.open_error)
        self._retry.start()

    def retry_now(self) -> None:
        if not self._opening and self.opened is None:
            self.open(self.network)

    # --- operations ----------------------------------------------------------------------------

    def call(
        self,
        fn: Callable[[WalletContext], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        label: str | None = None,
    ) -> None:
        """Runs ``fn(ctx)`` in the runner; ChainError when no wallet is open (node not answering)."""

        def op() -> T:
            ctx = self.ctx
            if ctx is None:
                raise ChainError(self.open_error or "Not connected to a network yet.")
            try:
                return fn(ctx)
            finally:
                moved = drain_changes(ctx)  # what the operation's state writes moved, for the pages to follow
                if moved:
                    self._sig_moved.emit(moved)

        self.runner.run(op, on_done, on_error, progress_label=label)

    def call_keys(
        self,
        fn: Callable[[KeyStore, WalletContext | None], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        label: str | None = None,
    ) -> None:
        """Runs ``fn(keys, ctx or None)`` in the runner: key operations work while the node is away."""

        def op() -> T:
            ctx = self.ctx
            return fn(ctx.keys if ctx is not None else self.offline_keys, ctx)

        self.runner.run(op, on_done, on_error, progress_label=label)

    def refresh_mirror(self) -> None:
        """Rebuilds the local mirror from the chain's events (after a contribution, or when asked)."""
        self.call(current_mirror, self._set_mirror, lambda _e: None)

    def _set_mirror(self, mirror: Mirror | None) -> None:
        self.mirror = mirror
        self.sig_mirror_changed.emit()

    def set_account(self, address: str | None) -> None:
        if address != self.account:
            self.account = address
            self.sig_account_changed.emit(address)

    def notify_changed(self, changes: Changes = EVERYTHING) -> None:
        self.sig_changed.emit(changes)

    def password_for(self, address: str) -> str | None:
        """The session's unlocked password, or None (the signer then uses the remembered one, if any)."""
        return self.passwords.get(address)

    def close(self) -> None:
        self._retry.stop()

        def op() -> None:
            if self.ctx is not None:
                self.ctx.close()
                self.ctx = None

        self.runner.run(op)
        self.runner.wait()
