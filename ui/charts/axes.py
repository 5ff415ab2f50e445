"""Axes a person reads: dates with day and month (times when zoomed in), ether with sensible decimals,
whole counts, percent; never pyqtgraph's SI prefixes ("(x0.001)"). Each picks its tick step from the
pixels it has, so labels never crowd and an axis with data always has at least three ticks."""

from __future__ import annotations

import math
import time
from datetime import datetime

import pyqtgraph as pg
from PySide6.QtGui import QFontMetricsF

from ui.charts.specs import COUNT, PERCENT

MIN_TICKS = 3
DAY = 86_400
# Tick steps for time, in seconds: round numbers of seconds, minutes, hours, days, weeks.
TIME_STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 2 * 3600, 3 * 3600, 6 * 3600,
              12 * 3600, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 28 * DAY, 56 * DAY, 91 * DAY, 182 * DAY, 364 * DAY)


def nice_steps(whole: bool) -> list[float]:
    """1, 2, 2.5, 5 × 10^k; for whole numbers (counts, percentage points) 1, 2, 5 × 10^k from 1; smallest first."""
    out = []
    for exponent in range(-9, 12):
        for mantissa in ((1.0, 2.0, 5.0) if whole else (1.0, 2.0, 2.5, 5.0)):
            step = mantissa * 10.0 ** exponent
            if not whole or step >= 1:
                out.append(step)
    return out


_STEPS = {True: nice_steps(True), False: nice_steps(False)}


def tick_count(low: float, high: float, step: float) -> int:
    """Ticks at multiples of ``step`` inside [low, high]."""
    return math.floor(high / step + 1e-9) - math.ceil(low / step - 1e-9) + 1


def value_step(low: float, high: float, max_ticks: int, whole: bool) -> float:
    """The smallest nice step putting at most ``max_ticks`` ticks on [low, high], but never fewer than three
    (then more ticks than asked: a crowded axis reads better than one that cannot be read)."""
    limit = max(max_ticks, MIN_TICKS)
    fallback = _STEPS[whole][0]
    for step in _STEPS[whole]:
        count = tick_count(low, high, step)
        if count < MIN_TICKS:
            break
        fallback = step
        if count <= limit:
            return step
    return fallback


def decimals(step: float) -> int:
    """Decimals that tell ticks ``step`` apart (2.5e-3 needs 4, 5e-3 needs 3)."""
    if step >= 1:
        return 0
    places = -math.floor(math.log10(step) + 1e-9)
    mantissa = step / 10.0 ** -places
    return places + (1 if abs(mantissa - round(mantissa)) > 1e-6 else 0)


def _metrics(axis: pg.AxisItem) -> QFontMetricsF:
    """The metrics of the font the axis draws its tick labels in."""
    return QFontMetricsF(axis.style["tickFont"] or axis.font())


class ValueAxis(pg.AxisItem):
    """A left or right axis for one kind of value (ETH, count, %)."""

    def __init__(self, orientation: str, kind: str) -> None:
        super().__init__(orientation)
        self.kind = kind
        self.enableAutoSIPrefix(False)

    def tickValues(self, minVal: float, maxVal: float, size: float):  # noqa: N802, N803, ANN201
        low, high = min(minVal, maxVal), max(minVal, maxVal)
        line = _metrics(self).height()
        max_ticks = int(size // (2.2 * line))  # a label's height of air between two labels
        step = value_step(low, high, max_ticks, whole=self.kind in (COUNT, PERCENT))
        first = math.ceil(low / step - 1e-9) * step
        values = [first + i * step for i in range(int((high - first) / step + 1e-9) + 1)]
        return [(step, values)]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:  # noqa: N802
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
    OVERHANG = 16  # pixels a label may reach past the axis's ends (over the corner under a value axis)

    def __init__(self, orientation: str = "bottom") -> None:
        super().__init__(orientation)
        self.enableAutoSIPrefix(False)
        self.setStyle(hideOverlappingLabels=self.OVERHANG)

    def tickValues(self, minVal: float, maxVal: float, size: float):  # noqa: N802, N803, ANN201
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
            kept = [(v, w) for v, w in zip(values, widths)
                    if (v - low) * per_second - w / 2 >= -self.OVERHANG
                    and (high - v) * per_second - w / 2 >= -self.OVERHANG]
            crowded = any((b - a) * per_second < (wa + wb) / 2 + self.GAP
                          for (a, wa), (b, wb) in zip(kept, kept[1:]))
            if not crowded:
                best = (step, [v for v, _w in kept])
                break
        if best is None:
            return []
        return [best]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:  # noqa: N802
        return time_strings(list(values), spacing)


__all__ = ["TimeAxis", "ValueAxis", "decimals", "time_label", "value_step"]
