"""The one way to run work off the GUI thread (Anki's shape).

``run(op, on_done, on_error, progress_label)``: ``op`` runs on a worker thread and must never
touch a widget; its result (or its exception) comes back on the GUI thread through a queued
signal. Wallet operations share one WalletContext (a sqlite connection and an embedded chain
that are not safe for concurrent use), so the pool has exactly one thread: operations run one
after another, in the order they were asked for, and never on the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

from dacwallet.gil import note_foreground_idle
from dacwallet.usecases.failures import message_of as message_of  # the pages take it from here, with the runner

log = logging.getLogger(__name__)

T = TypeVar("T")
IDLE_BEAT_MS = 10  # while work runs, how often the GUI thread tells the worker it is idle (dacwallet.gil)
ErrorHandler = Callable[[BaseException], None]


class _Relay(QObject):
    """Lives on the GUI thread; the worker emits, Qt queues the call back to the GUI thread."""

    sig_finished = Signal(object, object, object)  # callback, result, error


class _Job(QRunnable, Generic[T]):
    def __init__(self, op: Callable[[], T], relay: _Relay, callback: object) -> None:
        super().__init__()
        self._op = op
        self._relay = relay
        self._callback = callback

    def run(self) -> None:  # worker thread: no widgets here
        try:
            result = self._op()
        except BaseException as error:
            self._relay.sig_finished.emit(self._callback, None, error)
            return
        self._relay.sig_finished.emit(self._callback, result, None)


class Runner(QObject):
    """Runs operations one at a time on a single background thread."""

    sig_busy = Signal(str)  # a progress label: work with a label started
    sig_idle = Signal()  # no labelled work is left

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._relay = _Relay(self)
        self._relay.sig_finished.connect(self._finished)
        self._labelled = 0
        self.pending = 0
        # While work runs, the worker steps aside whenever these beats stop (the GUI thread is busy).
        self._idle_beat = QTimer(self)
        self._idle_beat.setInterval(IDLE_BEAT_MS)
        self._idle_beat.timeout.connect(note_foreground_idle)

    def run(
        self,
        op: Callable[[], T],
        on_done: Callable[[T], None] | None = None,
        on_error: ErrorHandler | None = None,
        progress_label: str | None = None,
    ) -> None:
        """Queue ``op``; ``on_done(result)`` or ``on_error(exception)`` runs later on the GUI thread."""
        self.pending += 1
        if not self._idle_beat.isActive():
            note_foreground_idle()
            self._idle_beat.start()
        if progress_label:
            self._labelled += 1
            self.sig_busy.emit(progress_label)
        self._pool.start(_Job(op, self._relay, (on_done, on_error, bool(progress_label))))

    def _finished(self, callback: Any, result: object, error: BaseException | None) -> None:
        on_done, on_error, labelled = callback
        self.pending -= 1
        if self.pending == 0:
            self._idle_beat.stop()
        if labelled:
            self._labelled -= 1
            if self._labelled == 0:
                self.sig_idle.emit()
        if error is None:
            if on_done is not None:
                on_done(result)
        elif on_error is not None:
            on_error(error)
        else:
            log.error("Background operation failed: %s", message_of(error), exc_info=error)

    def wait(self, msecs: int = 30_000) -> bool:
        """Blocks until the queue is empty (shutdown and tests only)."""
        return self._pool.waitForDone(msecs)


class StageRelay(QObject):
    """Carries progress text from an operation (worker thread) to a widget (GUI thread)."""

    sig_stage = Signal(str)

    def send(self, text: str) -> None:  # not ``emit``: that would hide QObject.emit
        self.sig_stage.emit(text)
