"""All the Dashboard's series as one CSV file, long format (Qt-free; written in the runner).

One row per point: ``chart, series, unit, time_unix, time_utc, value``. Long format because the
series have different timestamps; values are the raw ones (fractions, not percent; ether as
floats summed exactly in wei first, as in dacwallet.sync.series).
"""

from __future__ import annotations

import csv
from datetime import datetime, timezone
from pathlib import Path

from dacwallet.sync.series import ChartSeries
from ui.charts.specs import CHARTS

HEADER = ("chart", "series", "unit", "time_unix", "time_utc", "value")


def csv_rows(series: ChartSeries) -> list[tuple[str, str, str, int, str, str]]:
    rows = []
    for chart in CHARTS:
        for curve in chart.curves:
            picked = curve.pick(series)
            if picked is None:
                continue
            for t, v in zip(picked[0].tolist(), picked[1].tolist()):
                moment = datetime.fromtimestamp(int(t), tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
                value = str(int(v)) if curve.unit == "count" else repr(float(v))
                rows.append((chart.key, curve.key, curve.unit, int(t), moment, value))
    return rows


def write_csv(path: Path, series: ChartSeries) -> int:
    """Writes the file; returns the number of data rows."""
    rows = csv_rows(series)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return len(rows)
