"""A run's files: every event as CSV, the accuracy series as CSV, the summary as JSON, two PNG charts.

Charts are drawn with matplotlib's Agg canvas directly (no pyplot): no global state, no GUI toolkit,
safe from a worker thread.
"""

from __future__ import annotations

import csv
import json
from dataclasses import asdict, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dacwallet.errors import InputError
from dacwallet.sim.runner import AccuracyPoint, SimEvent, SimResult

if TYPE_CHECKING:  # matplotlib is imported only when a chart is drawn
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

EVENTS_CSV = "events.csv"
ACCURACY_CSV = "accuracy.csv"
SUMMARY_JSON = "summary.json"
BALANCES_PNG = "balances.png"
ACCURACY_PNG = "accuracy.png"
_ROLE_STYLE = {"good": ("tab:green", ":"), "attacker": ("tab:red", "--")}


def write_outputs(result: SimResult, out_dir: Path) -> dict[str, Path]:
    """Writes the five files into ``out_dir`` (created if needed); returns them by name."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"Cannot create the output folder {out_dir}.", detail=str(exc)) from exc
    paths = {name: out_dir / name for name in (EVENTS_CSV, ACCURACY_CSV, SUMMARY_JSON, BALANCES_PNG, ACCURACY_PNG)}
    _write_csv(paths[EVENTS_CSV], SimEvent, [asdict(e) for e in result.events])
    _write_csv(paths[ACCURACY_CSV], AccuracyPoint, [asdict(p) for p in result.accuracy])
    paths[SUMMARY_JSON].write_text(json.dumps(summary_file(result.summary), indent=1) + "\n", encoding="utf-8")
    _balances_chart(result, paths[BALANCES_PNG])
    _accuracy_chart(result, paths[ACCURACY_PNG])
    return paths


def summary_file(summary: dict[str, Any]) -> dict[str, Any]:
    """summary.json's contents: the run's summary with ``accuracy_gain`` (end - start) after ``accuracy_end``."""
    gain = round(summary["accuracy_end"] - summary["accuracy_start"], 4)
    written: dict[str, Any] = {}
    for key, value in summary.items():
        written[key] = value
        if key == "accuracy_end":
            written["accuracy_gain"] = gain
    return written


def _write_csv(path: Path, kind: type[Any], rows: list[dict[str, Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=[f.name for f in fields(kind)])
        writer.writeheader()
        writer.writerows(rows)


def _figure(title: str) -> tuple[Figure, Axes]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8, 5), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.set_title(title)
    axes.set_xlabel("simulated days")
    axes.grid(True, alpha=0.3)
    return figure, axes


def _balances_chart(result: SimResult, path: Path) -> None:
    figure, axes = _figure(f"Balances ({result.config.scenario}, {result.summary['contributions']} contributions)")
    for outcome in result.agents:
        points = [p for p in result.balances if p.agent == outcome.name]
        color, dash = _ROLE_STYLE[outcome.role]
        axes.plot(
            [p.day for p in points],
            [p.pct for p in points],
            dash,
            color=color,
            drawstyle="steps-post",
            label=f"{outcome.name} ({outcome.final_pct:.1f}%)",
        )
    axes.axhline(100, color="grey", linewidth=0.8)
    axes.set_ylabel("balance, % of start (gas included)")
    axes.legend(loc="best")
    figure.savefig(path, format="png")


def _accuracy_chart(result: SimResult, path: Path) -> None:
    figure, axes = _figure(f"Accuracy on {result.evaluation_rows} held-out reviews")
    axes.plot(
        [p.day for p in result.accuracy],
        [100 * p.accuracy for p in result.accuracy],
        color="black",
        drawstyle="steps-post",
        label="on-chain model (exact mirror)",
    )
    # A fixed span up to 100%: autoscaling would blow a 0.3-point wobble up to the full height.
    axes.set_ylim(max(0.0, 100 * min(p.accuracy for p in result.accuracy) - 10), 100)
    axes.set_ylabel("accuracy, %")
    axes.legend(loc="best")
    figure.savefig(path, format="png")
