"""numpy buffers for one curve, grown by doubling, so a refresh that adds a few events does not
allocate: the curve is handed views of the same storage each time."""

from __future__ import annotations

import numpy as np

INITIAL_CAPACITY = 64


class CurveBuffer:
    """x (Unix seconds) and y for one curve; a step curve keeps one x more: where its last level ends."""

    def __init__(self, step: bool, capacity: int = INITIAL_CAPACITY) -> None:
        self.step = step
        self._x = np.zeros(capacity + 1, dtype=np.float64)
        self._y = np.zeros(capacity, dtype=np.float64)
        self.size = 0

    @property
    def capacity(self) -> int:
        return len(self._y)

    def _reserve(self, n: int) -> None:
        capacity = self.capacity
        if n <= capacity:
            return
        while capacity < n:
            capacity *= 2
        x, y = np.zeros(capacity + 1, dtype=np.float64), np.zeros(capacity, dtype=np.float64)
        x[: self.size + 1], y[: self.size] = self._x[: self.size + 1], self._y[: self.size]
        self._x, self._y = x, y

    def load(self, times: np.ndarray, values: np.ndarray, until: float, scale: float = 1.0) -> None:
        """Replaces the contents; a step curve's last level is drawn until ``until`` (the chain's now)."""
        n = len(values)
        self._reserve(n)
        self._x[:n] = times
        self._y[:n] = values
        if scale != 1.0:
            self._y[:n] *= scale
        self._x[n] = max(float(until), float(times[-1])) if n else float(until)
        self.size = n

    @property
    def x(self) -> np.ndarray:
        """For pyqtgraph's stepMode="center", a step curve's x has one edge more than y."""
        return self._x[: self.size + (1 if self.step and self.size else 0)]

    @property
    def y(self) -> np.ndarray:
        return self._y[: self.size]
