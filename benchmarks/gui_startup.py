"""GUI start-up with a large local history, and the longest GUI-thread stall while the app refreshes.

    python benchmarks/gui_startup.py [--contributions 5000] [--json]

Setup (not timed): a fresh data folder on the embedded chain (the default model is deployed), one account, and
N contributions written straight into the local store with dacwallet.store.contributions (insert_draft +
set_state, below the lifecycle: no transaction is behind them). They are *synthetic*: their rows look like
added contributions but were never sent, so the chain knows nothing of them (sending 5,000 real contributions
would take far longer than the benchmark). The app still asks the chain about each one, exactly as for real
ones.

Timed, offscreen: launch (QApplication + session + main window built and shown, the wallet opening
queued) until the window is usable (shown, first page painted, the wallet open and the model loaded);
then how long the first full refresh of "My contributions" takes to fill the table; meanwhile a
10 ms QTimer heartbeat records the longest gap between two beats on the GUI thread.
Targets: usable window <= 2 s; longest stall <= 100 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("DACWALLET_TEST_SCRYPT_N", "16")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def prepare(data_dir: Path, count: int) -> None:
    from dacwallet.chain.connect import NetworkSpec
    from dacwallet.store import contributions
    from dacwallet.store.db import transaction
    from dacwallet.store.states import ContributionState
    from dacwallet.usecases.context import open_wallet

    ctx = open_wallet(data_dir, NetworkSpec())
    try:
        info = ctx.keys.create("bench", "bench-pw")
        deployment = ctx.require_deployment()
        now = ctx.w3.eth.get_block("latest")["timestamp"]
        words = ctx.bundle.encoder.vocabulary
        with transaction(ctx.db):
            for i in range(count):
                data = sorted({(i * 7 + k * 13) % len(words) for k in range(12)})
                text = " ".join(words[j] for j in data)
                cid = contributions.insert_draft(
                    ctx.db, ctx.chain_key, deployment.trainer, info.address, text, data, i % 2
                )
                contributions.set_state(
                    ctx.db,
                    cid,
                    ContributionState.ADDED,
                    added_time=now - 3600 * (i % 48),
                    cost=10**15 + i,
                    block_number=1,
                )
    finally:
        ctx.close()


class Heartbeat:
    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.max_gap = 0.0
        self._last = time.perf_counter()
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._beat)

    def start(self) -> None:
        self._last = time.perf_counter()
        self.max_gap = 0.0
        self.timer.start()

    def _beat(self) -> None:
        now = time.perf_counter()
        self.max_gap = max(self.max_gap, now - self._last)
        self._last = now


def wait_for(app, predicate, timeout_s: float) -> bool:
    """Runs the real event loop (as app.exec would) until ``predicate()`` or the timeout."""
    from PySide6.QtCore import QEventLoop, QTimer

    if predicate():
        return True
    loop = QEventLoop()
    check = QTimer()
    check.setInterval(5)
    check.timeout.connect(lambda: predicate() and loop.quit())
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    check.start()
    loop.exec()
    check.stop()
    return bool(predicate())


def measure(data_dir: Path, count: int, timeout_s: float) -> dict[str, float | int | None]:
    from dacwallet.chain.connect import NetworkSpec

    t0 = time.perf_counter()
    from ui.app import build, make_application
    from ui.pages.contributions import ContributionsPage

    app = make_application()
    session, window = build(data_dir, NetworkSpec())
    window.show()
    app.processEvents()
    shown = time.perf_counter() - t0
    heartbeat = Heartbeat()
    heartbeat.start()
    usable_ok = wait_for(app, lambda: session.connected and session.mirror is not None, timeout_s)
    window.grab()  # the first page painted
    usable = time.perf_counter() - t0
    stall_startup = heartbeat.max_gap
    page = window.show_page(ContributionsPage)
    heartbeat.start()
    t1 = time.perf_counter()
    filled_ok = wait_for(app, lambda: len(page.model.rows) >= count, timeout_s)
    filled = time.perf_counter() - t1
    window.show_page(0)
    window.show_page(ContributionsPage)  # switching pages with the full table, then a second refresh
    wait_for(app, lambda: window.watcher.last is not None and not window.watcher._busy, timeout_s)
    wait_for(app, lambda: False, 1.5)  # a few countdown ticks
    stall_refresh = heartbeat.max_gap
    session.close()
    window.close()
    return {
        "contributions": count,
        "window_shown_s": round(shown, 3),
        "usable_window_s": round(usable, 3) if usable_ok else None,
        "longest_stall_startup_ms": round(stall_startup * 1000, 1),
        "contributions_table_filled_s": round(filled, 2) if filled_ok else None,
        "longest_stall_refresh_ms": round(stall_refresh * 1000, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contributions", type=int, default=5000)
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        prepare(data_dir, args.contributions)
        result = measure(data_dir, args.contributions, args.timeout)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"{result['contributions']:,} synthetic contributions in the local store")
        print(f"window shown            {result['window_shown_s']} s")
        print(f"usable window           {result['usable_window_s']} s   (target <= 2 s)")
        print(f"longest stall, startup  {result['longest_stall_startup_ms']} ms (target <= 100 ms)")
        print(f"contributions table     {result['contributions_table_filled_s']} s to fill (background)")
        print(f"longest stall, refresh  {result['longest_stall_refresh_ms']} ms (target <= 100 ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
