"""Dashboard chart redraw with 100,000 points per curve, and the longest GUI-thread stall meanwhile.

    python benchmarks/charts.py [--points 100000] [--redraws 10] [--json]

Setup (not timed): the Dashboard's ChartBoard (five charts, nine curves) alone in a 900x620
offscreen window, and ``--redraws`` DashboardData values with synthetic series of N points per
curve (each one event longer than the one before, as after a sync; the chain is not involved, the
series are what dacwallet.usecases.dashboard would hand the page).

Timed on the GUI thread: one redraw = ``show_data`` (setData on every curve) + processEvents +
``grab()`` (a real paint of every chart into a pixmap). The first redraw is reported apart (it
sizes the buffers). Redraws are queued 25 ms apart so a 10 ms QTimer heartbeat runs
between them; its longest gap is the longest stall the user would feel. Target: redraw and stall
<= 100 ms at 10^5 points per curve (pyqtgraph downsamples and clips to view past 10^4 points).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

from benchmarks.gui_startup import Heartbeat

START = 1_700_000_000


def synthetic(points: int, seed: int = 7):
    """N events a minute apart on every series, values shaped like real ones (levels, shares, ether)."""
    from dacwallet.sync.series import ChartSeries, PendingRefunds, Reputation, Series
    from dacwallet.usecases.dashboard import DashboardData
    from dacwallet.usecases.evaluation import AccuracyNow, EvaluationProgress

    rng = np.random.default_rng(seed + points)
    times = START + 60 * np.arange(points, dtype=np.int64)
    count = np.arange(1, points + 1, dtype=np.float64)
    deposits = 0.001 + rng.exponential(0.01, points)
    pool = np.cumsum(deposits * rng.choice([1.0, -0.5], points, p=[0.7, 0.3]))
    num_valid = np.cumsum(rng.random(points) < 0.3).astype(np.int64)
    total = np.maximum(np.arange(1, points + 1), 1)
    pending = rng.integers(0, 40, points)
    accuracy = np.clip(0.75 + np.cumsum(rng.normal(0, 0.002, points)), 0, 1)
    series = ChartSeries(
        pool_balance=Series(times, np.abs(pool)),
        deposit_costs=Series(times, deposits),
        contributions=Series(times, count),
        reputation=Reputation(times, num_valid, total, num_valid / total),
        pending_refunds=PendingRefunds(times, pending, pending * 0.01),
        prequential_accuracy=Series(times, accuracy),
        evaluation_accuracy=Series(times, np.clip(accuracy - 0.02, 0, 1)),
    )
    progress = EvaluationProgress(Path("imdb_train.jsonl.gz"), False, 5000, 5000, 0, 20000, True, True)
    accuracy = AccuracyNow(float(accuracy[-1]), 5000, int(times[-1]), points)
    return DashboardData("0x" + "1" * 40, int(times[-1]) + 60, series, progress, 10**16, accuracy)


def measure(points: int, redraws: int) -> dict[str, float | int]:
    from PySide6.QtCore import QEventLoop, QTimer

    from ui.app import make_application
    from ui.charts.board import ChartBoard

    app = make_application()
    board = ChartBoard()
    board.resize(900, 620)
    board.show()
    app.processEvents()
    datasets = [synthetic(points + i) for i in range(redraws + 1)]
    curves = sum(len(chart.curves) for chart in board.charts.values())

    def redraw(data) -> float:
        t0 = time.perf_counter()
        board.show_data(data)
        app.processEvents()
        board.grab()
        return time.perf_counter() - t0

    first = redraw(datasets[0])
    timings: list[float] = []
    heartbeat = Heartbeat()
    loop = QEventLoop()

    def next_redraw() -> None:
        if len(timings) == redraws:
            QTimer.singleShot(50, loop.quit)  # a few more beats after the last redraw
            return
        timings.append(redraw(datasets[len(timings) + 1]))
        QTimer.singleShot(25, next_redraw)  # room for a heartbeat between redraws: zero-delay timers starve it

    heartbeat.start()
    QTimer.singleShot(20, next_redraw)
    loop.exec()
    heartbeat.timer.stop()
    drawn = board.charts["pool"].curves["pool_balance"].getData()[1]
    board.close()
    return {
        "points_per_curve": points,
        "curves": curves,
        "redraws": redraws,
        "first_redraw_ms": round(first * 1000, 1),
        "redraw_median_ms": round(statistics.median(timings) * 1000, 1),
        "redraw_max_ms": round(max(timings) * 1000, 1),
        "longest_stall_ms": round(heartbeat.max_gap * 1000, 1),
        "points_in_last_curve": int(len(drawn)),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=100_000, help="points per curve")
    parser.add_argument("--redraws", type=int, default=10)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = measure(args.points, args.redraws)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(
            f"{result['curves']} curves x {result['points_per_curve']:,} points, {result['redraws']} redraws "
            "(setData + processEvents + grab)"
        )
        print(f"first redraw         {result['first_redraw_ms']} ms")
        print(f"redraw, median       {result['redraw_median_ms']} ms")
        print(f"redraw, worst        {result['redraw_max_ms']} ms  (target <= 100 ms)")
        print(f"longest stall        {result['longest_stall_ms']} ms  (10 ms heartbeat; target <= 100 ms)")
    sys.stdout.flush()
    os._exit(0)  # skip interpreter teardown: destroying Qt objects late can crash at exit


if __name__ == "__main__":
    raise SystemExit(main())
