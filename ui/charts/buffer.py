"""numpy buffers for one curve, grown by doubling, so a refresh that adds a few events does not
allocate: the curve is handed views of the same storage each time.

A step curve is stored already drawn as steps (two vertices per event: where its level starts and
where it ends) rather than with pyqtgraph's stepMode, whose len(x) == len(y) + 1 layout breaks
pyqtgraph's clip-to-view and downsampling, which long histories need.
"""

from __future__ import annotations

import numpy as np

INITIAL_CAPACITY = 64


class CurveBuffer:
    """x (Unix seconds) and y for one curve; a step curve's last level is drawn up to ``until``."""

    def __init__(self, step: bool, capacity: int = INITIAL_CAPACITY) -> None:
        self.step = step
        self._x = np.zeros(2 * capacity, dtype=np.float64)
        self._y = np.zeros(2 * capacity, dtype=np.float64)
        self.size = 0  # events (a step curve draws two vertices per event)

    @property
    def capacity(self) -> int:
        """Events the storage holds without growing."""
        return len(self._y) // 2

    def _reserve(self, n: int) -> None:
        capacity = self.capacity
        if n <= capacity:
            return
        while capacity < n:
            capacity *= 2
        # load() rewrites everything, so growing needs no copy of the old contents.
        self._x, self._y = np.zeros(2 * capacity, dtype=np.float64), np.zeros(2 * capacity, dtype=np.float64)

    def load(self, times: np.ndarray, values: np.ndarray, until: float, scale: float = 1.0) -> None:
        """Replaces the contents with ``values[i]`` from ``times[i]`` (to the next time, for a step curve)."""
        n = len(values)
        self._reserve(n)
        self.size = n
        if not n:
            return
        x, y = self._x, self._y
        if self.step:
            x[0 : 2 * n : 2] = times
            x[1 : 2 * n - 1 : 2] = times[1:]
            x[2 * n - 1] = max(float(until), float(times[-1]))
            y[0 : 2 * n : 2] = values
            y[0 : 2 * n : 2] *= scale
            y[1 : 2 * n : 2] = y[0 : 2 * n : 2]
        else:
            x[:n] = times
            y[:n] = values
            y[:n] *= scale

    @property
    def x(self) -> np.ndarray:
        return self._x[: 2 * self.size if self.step else self.size]

    @property
    def y(self) -> np.ndarray:
        return self._y[: 2 * self.size if self.step else self.size]

    @property
    def levels(self) -> np.ndarray:
        """One value per event (as plotted, i.e. scaled)."""
        return self.y[::2] if self.step else self.y
