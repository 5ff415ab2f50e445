"""Passwords held in memory for this session only, forgotten on lock or after idle time.

This is the "unlocked" state of the wallet. The OS keyring ("remember on this computer") is
separate and lives in dacwallet.keys; locking never touches it.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

DEFAULT_IDLE_LOCK_MS = 5 * 60 * 1000


class SessionPasswords(QObject):
    sig_locked = Signal()
    sig_unlocked = Signal(str)  # address

    def __init__(self, idle_lock_ms: int = DEFAULT_IDLE_LOCK_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._passwords: dict[str, str] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(idle_lock_ms)
        self._timer.timeout.connect(self.lock)

    def __repr__(self) -> str:  # never show a password
        return f"SessionPasswords({len(self._passwords)} unlocked)"

    def keep(self, address: str, password: str) -> None:
        self._passwords[address.lower()] = password
        self._timer.start()
        self.sig_unlocked.emit(address)

    def get(self, address: str) -> str | None:
        return self._passwords.get(address.lower())

    @property
    def has_unlocked(self) -> bool:
        return bool(self._passwords)

    def is_unlocked(self, address: str | None) -> bool:
        return address is not None and address.lower() in self._passwords

    @property
    def idle_lock_ms(self) -> int:
        return self._timer.interval()

    def set_idle_lock_ms(self, ms: int) -> None:
        """A new idle time; a countdown already running starts again with it."""
        self._timer.setInterval(ms)
        if self._passwords:
            self._timer.start()

    def touch(self) -> None:
        """The user did something: restart the idle countdown."""
        if self._passwords:
            self._timer.start()

    def forget(self, address: str) -> None:
        """Drops one account's password (it was deleted); the others stay unlocked."""
        if self._passwords.pop(address.lower(), None) is None:
            return
        if not self._passwords:
            self._timer.stop()
        self.sig_locked.emit()  # listeners re-read who is unlocked

    def lock(self) -> None:
        had = bool(self._passwords)
        self._passwords.clear()
        self._timer.stop()
        if had:
            self.sig_locked.emit()
