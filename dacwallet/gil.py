"""Letting the GUI thread have the GIL first while a background thread runs a long loop.

Two things starve a GUI thread that shares the interpreter with a busy worker:

* CPython makes a thread give up the GIL only when a waiting thread saw no hand-over for a whole
  switch interval. Loops full of tiny C calls that drop and retake the GIL (numpy sorts, sqlite row
  steps, the ctypes keccak behind checksum addresses) count as hand-overs yet retake the GIL before the
  waiting thread wakes, so it can wait for ever: we measured 200-400 ms. A real sleep hands it over.
* Even when the GIL alternates fairly, a repaint that needs 35 ms alone takes twice that beside a busy
  worker. So the foreground (the GUI) says when it was last idle; while it is busy, the worker steps
  aside at its next ``share_gil()``.

The worker's loops call ``share_gil()`` once per iteration. It costs a clock read; on the main thread
and with no foreground registered (the CLI) it never sleeps.
"""

from __future__ import annotations

import threading
import time

SLICE_S = 0.008  # a background loop hands the GIL over at least this often
PAUSE_S = 0.0002  # long enough for a waiting thread to wake and take the GIL
FOREGROUND_BUSY_S = 0.015  # the foreground has not been idle for this long: it is working, step aside
FOREGROUND_GONE_S = 0.2  # ... for this long: it is blocked or gone, waiting for it helps nobody
STEP_ASIDE_S = 0.001

_state = threading.local()
_foreground_idle_at: float | None = None


def note_foreground_idle() -> None:
    """The foreground thread calls this whenever it is idle (a short timer while work runs)."""
    global _foreground_idle_at
    _foreground_idle_at = time.perf_counter()


def share_gil() -> None:
    """Call once per iteration of a long loop on a background thread."""
    now = time.perf_counter()
    due = getattr(_state, "due", None)
    if due is None:
        _state.due = now + SLICE_S
        return
    if now < due or threading.current_thread() is threading.main_thread():
        return
    time.sleep(PAUSE_S)
    while _foreground_busy():
        time.sleep(STEP_ASIDE_S)
    _state.due = time.perf_counter() + SLICE_S


def _foreground_busy() -> bool:
    idle_at = _foreground_idle_at
    if idle_at is None:
        return False
    return FOREGROUND_BUSY_S < time.perf_counter() - idle_at < FOREGROUND_GONE_S
