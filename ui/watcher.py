"""Keeps the user's contributions and the chain status fresh, and says which notices are true now.

One refresh = one runner operation; results arrive as signals that pages and the status bar use.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from dacwallet.usecases.notices import Notice, current_notices
from dacwallet.usecases.snapshot import Snapshot, take_snapshot
from ui.runner import message_of
from ui.session import WalletSession

REFRESH_MS = 15_000


class Watcher(QObject):
    sig_snapshot = Signal(object)  # Snapshot
    sig_failed = Signal(str)  # the node is not answering, etc.
    sig_notices = Signal(object)  # list[Notice]: every notice true now for the selected account (maybe none)

    def __init__(self, session: WalletSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.last: Snapshot | None = None
        self._busy = False
        self._again = False
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        session.sig_changed.connect(
            lambda moved: self.refresh() if moved.touches_contributions or moved.touches_accounts else None
        )  # a mined claim moves statuses too
        session.sig_account_changed.connect(lambda _a: self._emit_notices())
        session.sig_opening.connect(lambda _text: self._forget())  # another network: nothing known is true there
        self._timer.start()

    def refresh(self) -> None:
        if not self.session.connected:
            return
        if self._busy:
            self._again = True
            return
        self._busy = True
        self.session.call(take_snapshot, self._done, self._failed)

    def _finish(self) -> None:
        self._busy = False
        if self._again:
            self._again = False
            self.refresh()

    def _done(self, snapshot: Snapshot) -> None:
        self.last = snapshot
        self.sig_snapshot.emit(snapshot)
        self._emit_notices()
        self._finish()

    def _emit_notices(self) -> None:
        opened = self.session.opened
        in_points = opened is not None and opened.pays_points
        notices = [] if self.last is None else current_notices(self.last.contributions, self.session.account, in_points)
        self.sig_notices.emit(notices)

    def _forget(self) -> None:
        self.last = None
        self._emit_notices()

    def _failed(self, error: BaseException) -> None:
        self.sig_failed.emit(message_of(error))
        self._finish()


__all__ = ["Notice", "Snapshot", "Watcher", "take_snapshot"]
