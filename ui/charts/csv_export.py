"""All the Dashboard's series as one CSV file (Qt-free; written in the runner).

One row per moment at which any series changed, one column per series with its unit in the header
("ether in the pool (ETH)", "on held-out reviews (%)"). A level (step series) holds until its next
change, so it is carried forward; a per-event value (the deposit paid) appears only on its own rows.
Values are as plotted: ether (summed exactly in wei first, as in dacwallet.sync.series), whole
counts, percent.
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from dacwallet.usecases.exports import ChartSeries
from ui.charts.specs import CHARTS, COUNT, ETH, CurveSpec

TIME_COLUMNS = ("time (UTC)", "time (Unix seconds)")


def columns(without_ether: bool = False) -> list[CurveSpec]:
    """Every curve; ``without_ether`` (a points model, which holds none) leaves the ether ones out."""
    return [curve for chart in CHARTS for curve in chart.curves if not (without_ether and curve.kind == ETH)]


def header(without_ether: bool = False) -> tuple[str, ...]:
    return (*TIME_COLUMNS, *(curve.column for curve in columns(without_ether)))


def _text(value: float, curve: CurveSpec) -> str:
    return str(int(round(value))) if curve.kind == COUNT else repr(float(value))


def csv_rows(series: ChartSeries, without_ether: bool = False) -> list[list[str]]:
    picked = [(curve, curve.pick(series)) for curve in columns(without_ether)]
    present = [(c, p) for c, p in picked if p is not None and len(p[0])]
    if not present:
        return []
    moments = np.unique(np.concatenate([p[0] for _c, p in present]))
    cells: list[list[str]] = [[""] * len(picked) for _ in moments]
    for column, (curve, pair) in enumerate(picked):
        if pair is None or not len(pair[0]):
            continue
        times, values = pair[0], np.asarray(pair[1], dtype=np.float64) * curve.scale
        if curve.step:  # the level holding at each moment: the last change at or before it
            index = np.searchsorted(times, moments, side="right") - 1
            for row, i in enumerate(index.tolist()):
                if i >= 0:
                    cells[row][column] = _text(values[i], curve)
        else:  # the value of each event on its moment's row (the last, if several share a second)
            for t, v in zip(times.tolist(), values.tolist(), strict=True):
                row = int(np.searchsorted(moments, t))
                cells[row][column] = _text(v, curve)
    out = []
    for moment, line in zip(moments.tolist(), cells, strict=True):
        utc = datetime.fromtimestamp(int(moment), tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        out.append([utc, str(int(moment)), *line])
    return out


def write_csv(path: Path, series: ChartSeries, without_ether: bool = False) -> int:
    """Writes the file; returns the number of data rows."""
    rows = csv_rows(series, without_ether)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header(without_ether))
        writer.writerows(rows)
    return len(rows)
