"""Axes a person reads: dates with day and month (times when zoomed in), ether with sensible decimals,
whole counts, percent; never pyqtgraph's SI prefixes ("(x0.001)"). Each picks its tick step from the
pixels it has, so labels never crowd and an axis with data always has at least three ticks."""

from __future__ import annotations

import math
import time
from datetime import datetime

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QFontMetricsF

from ui.charts.specs import COUNT, PERCENT

MIN_TICKS = 3
PERCENT_MIN_SPAN = 4.0  # percentage points: a flat accuracy still gets a few 1-point ticks
EDGE_PX = 10  # room at both ends of a value axis: an end tick's label closer to the edge is not drawn
DAY = 86_400
# Tick steps for time, in seconds: round numbers of seconds, minutes, hours, days, weeks.
TIME_STEPS = (
    1,
    2,
    5,
    10,
    15,
    30,
    60,
    120,
    300,
    600,
    900,
    1800,
    3600,
    2 * 3600,
    3 * 3600,
    6 * 3600,
    12 * 3600,
    DAY,
    2 * DAY,
    7 * DAY,
    14 * DAY,
    28 * DAY,
    56 * DAY,
    91 * DAY,
    182 * DAY,
    364 * DAY,
)


def nice_steps(whole: bool) -> list[float]:
    """1, 2, 2.5, 5 × 10^k; for whole numbers (counts, percentage points) 1, 2, 5 × 10^k from 1; smallest first."""
    out = []
    for exponent in range(-9, 12):
        for mantissa in (1.0, 2.0, 5.0) if whole else (1.0, 2.0, 2.5, 5.0):
            step = mantissa * 10.0**exponent
            if not whole or step >= 1:
                out.append(step)
    return out


_STEPS = {True: nice_steps(True), False: nice_steps(False)}


def percent_range(
    values: list[np.ndarray], floor: float | None = 0.0, ceiling: float | None = 100.0
) -> tuple[float, float]:
    """A percent range showing the movement of ``values``: at least PERCENT_MIN_SPAN points, kept inside
    [floor, ceiling] when given (0-100 for an accuracy; a balance may pass 100 % of its start)."""
    present = [v for v in values if len(v)]
    if not present:
        return (floor or 0.0), (ceiling or 100.0)
    joined = np.concatenate(present)
    low, high = float(joined.min()), float(joined.max())
    margin = max(0.5, (high - low) * 0.1)
    low, high = low - margin, high + margin
    if high - low < PERCENT_MIN_SPAN:
        middle = (low + high) / 2
        low, high = middle - PERCENT_MIN_SPAN / 2, middle + PERCENT_MIN_SPAN / 2
    if floor is not None and low < floor:
        low, high = floor, high + (floor - low)
    if ceiling is not None and high > ceiling:
        low, high = low - (high - ceiling), ceiling
        if floor is not None:
            low = max(floor, low)
    return low, high


def with_edges(low: float, high: float, pixels: float) -> tuple[float, float]:
    """[low, high] widened by EDGE_PX at both ends of an axis ``pixels`` long, so its end ticks' labels show."""
    pixels = max(pixels, 4.0 * EDGE_PX)
    pad = (high - low) * EDGE_PX / (pixels - 2 * EDGE_PX)
    return low - pad, high + pad


def tick_count(low: float, high: float, step: float) -> int:
    """Ticks at multiples of ``step`` inside [low, high]."""
    return math.floor(high / step + 1e-9) - math.ceil(low / step - 1e-9) + 1


def nice_range(
    low: float, high: float, max_ticks: int, whole: bool, floor: float | None = None, ceiling: float | None = None
) -> tuple[float, float, float]:
    """(first tick, last tick, step) covering [low, high] with at least three and, when the data allow,
    at most ``max_ticks`` ticks, the axis ending on ticks; never past ``floor`` / ``ceiling``."""
    limit = max(max_ticks, MIN_TICKS)
    for step in _STEPS[whole]:
        first, last = math.floor(low / step + 1e-9) * step, math.ceil(high / step - 1e-9) * step
        if round((last - first) / step) + 1 <= limit:
            break
    while round((last - first) / step) + 1 < MIN_TICKS:  # a flat series: one more tick above, or below
        if ceiling is None or last + step <= ceiling + 1e-9:
            last += step
        elif floor is None or first - step >= floor - 1e-9:
            first -= step
        else:
            break
    return first, last, step


def decimals(step: float) -> int:
    """Decimals that tell ticks ``step`` apart (2.5e-3 needs 4, 5e-3 needs 3)."""
    if step >= 1:
        return 0
    places = -math.floor(math.log10(step) + 1e-9)
    mantissa = step / 10.0**-places
    return places + (1 if abs(mantissa - round(mantissa)) > 1e-6 else 0)


def _metrics(axis: pg.AxisItem) -> QFontMetricsF:
    """The metrics of the font the axis draws its tick labels in."""
    return QFontMetricsF(axis.style["tickFont"] or axis.font())


class ValueAxis(pg.AxisItem):
    """A left or right axis for one kind of value (ETH, count, %), fitted with ``fit``: the range ends on
    ticks, as many as the axis's height allows but never fewer than three."""

    def __init__(self, orientation: str, kind: str) -> None:
        super().__init__(orientation)
        self.kind = kind
        self.step: float | None = None  # chosen by fit; None: from the range and size at drawing time
        self.enableAutoSIPrefix(False)

    def max_ticks(self, pixels: float) -> int:
        """Tick labels that fit in ``pixels`` with most of a label's height of air between two."""
        return int(max(pixels - 2 * EDGE_PX, 0) // (1.7 * _metrics(self).height()))

    def fit(
        self, low: float, high: float, pixels: float, floor: float | None = None, ceiling: float | None = None
    ) -> tuple[float, float]:
        """The view range for data in [low, high] on an axis ``pixels`` long; remembers its tick step."""
        first, last, self.step = nice_range(
            low, high, self.max_ticks(pixels), self.kind in (COUNT, PERCENT), floor, ceiling
        )
        return with_edges(first, last, pixels)

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list[tuple[float, list[float]]]:
        low, high = min(minVal, maxVal), max(minVal, maxVal)
        step = self.step or nice_range(low, high, self.max_ticks(size), self.kind in (COUNT, PERCENT))[2]
        first = math.ceil(low / step - 1e-9) * step
        return [(step, [first + i * step for i in range(tick_count(low, high, step))])]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        places = decimals(spacing)
        texts = []
        for value in values:
            if abs(value) < spacing / 1000:
                value = 0.0  # -0.000 reads wrong
            texts.append(f"{value:,.{places}f}")
        return texts


def _local_offset(moment: float) -> int:
    return int(time.localtime(moment).tm_gmtoff)


def time_label(moment: float, step: float, with_day: bool) -> str:
    """'3 Dec' for day steps and at midnight; '14:00' for hours and minutes ('2 Dec 14:00' when asked);
    seconds when the step needs them."""
    local = datetime.fromtimestamp(moment)
    day = f"{local.day} {local:%b}"
    if step >= DAY or (step < DAY and local.hour == local.minute == local.second == 0 and not with_day):
        return day
    clock = f"{local:%H:%M}" if step >= 60 else f"{local:%H:%M:%S}"
    return f"{day} {clock}" if with_day else clock


def time_ticks(low: float, high: float, step: float) -> list[float]:
    """Multiples of ``step`` in local time (midnights, round hours) inside [low, high]."""
    offset = _local_offset(low)
    moment = math.ceil((low + offset) / step) * step - offset
    values = []
    while moment <= high:
        values.append(moment)
        moment += step
    return values


def time_strings(values: list[float], step: float) -> list[str]:
    """Labels for ``values``: the date where a day starts; with no midnight in view, the first one has it."""
    midnight = step < DAY and any(datetime.fromtimestamp(v).time() == datetime.min.time() for v in values)
    return [time_label(v, step, with_day=i == 0 and step < DAY and not midnight) for i, v in enumerate(values)]


class TimeAxis(pg.AxisItem):
    """Chain time (Unix seconds) in local dates and times, ticks on round local times."""

    GAP = 14  # pixels between two labels
    OVERHANG = 0  # pixels a label may reach past the axis's ends: none, a chart without a right axis ends there

    def __init__(self, orientation: str = "bottom") -> None:
        super().__init__(orientation)
        self.enableAutoSIPrefix(False)
        self.setStyle(hideOverlappingLabels=self.OVERHANG)

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list[tuple[float, list[float]]]:
        low, high = min(minVal, maxVal), max(minVal, maxVal)
        if not math.isfinite(low) or not math.isfinite(high) or high <= low or size <= 0:
            return []
        metrics = _metrics(self)
        per_second = size / (high - low)
        best: tuple[float, list[float]] | None = None
        for step in TIME_STEPS:
            if (high - low) / step > size / 24:  # even the narrowest label is wider than that
                continue
            values = time_ticks(low, high, step)
            widths = [metrics.horizontalAdvance(text) for text in time_strings(values, step)]
            # Only ticks whose label is drawn whole (pyqtgraph hides the others) count.
            kept = [
                (v, w)
                for v, w in zip(values, widths, strict=True)
                if (v - low) * per_second - w / 2 >= -self.OVERHANG
                and (high - v) * per_second - w / 2 >= -self.OVERHANG
            ]
            crowded = any(
                (b - a) * per_second < (wa + wb) / 2 + self.GAP
                for (a, wa), (b, wb) in zip(kept, kept[1:], strict=False)
            )
            if not crowded:
                best = (step, [v for v, _w in kept])
                break
        if best is None:
            return []
        return [best]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        return time_strings(list(values), spacing)


__all__ = ["TimeAxis", "ValueAxis", "decimals", "nice_range", "percent_range", "time_label", "with_edges"]
