"""Off-chain training in numpy: L2-regularised logistic regression on binary sparse rows.

Only the build script uses it; the chain never sees floats, the build quantises the result.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class SparseRows:
    """Binary sparse matrix: row r has ones at ``cols[offsets[r]:offsets[r + 1]]``."""

    cols: np.ndarray
    offsets: np.ndarray
    num_cols: int

    @classmethod
    def from_lists(cls, rows: list[list[int]], num_cols: int) -> SparseRows:
        offsets = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum([len(r) for r in rows], out=offsets[1:])
        cols = np.fromiter((c for r in rows for c in r), dtype=np.int64, count=int(offsets[-1]))
        return cls(cols, offsets, num_cols)

    @property
    def row_ids(self) -> np.ndarray:
        return np.repeat(np.arange(len(self.offsets) - 1), np.diff(self.offsets))

    def dot(self, w: np.ndarray) -> np.ndarray:
        return np.bincount(self.row_ids, weights=w[self.cols], minlength=len(self.offsets) - 1)

    def tdot(self, g: np.ndarray) -> np.ndarray:
        return np.bincount(self.cols, weights=g[self.row_ids], minlength=self.num_cols)


def logistic_regression(
    x: SparseRows, y: np.ndarray, l2: float, iterations: int = 300, step: float = 0.05
) -> tuple[np.ndarray, float]:
    """(weights, intercept) minimising mean log-loss + l2/2 * |w|^2, by full-batch Adam (deterministic)."""
    rows = x.row_ids  # cached: dot/tdot would recompute it every call
    n = len(y)
    params = np.zeros(x.num_cols + 1)
    m = np.zeros_like(params)
    v = np.zeros_like(params)
    beta1, beta2 = 0.9, 0.999
    for t in range(1, iterations + 1):
        w, b = params[:-1], params[-1]
        z = np.bincount(rows, weights=w[x.cols], minlength=n) + b
        g = 1.0 / (1.0 + np.exp(-z)) - y  # d loss / d z
        grad = np.empty_like(params)
        grad[:-1] = np.bincount(x.cols, weights=g[rows], minlength=x.num_cols) / n + l2 * w
        grad[-1] = g.mean()
        m = beta1 * m + (1 - beta1) * grad
        v = beta2 * v + (1 - beta2) * grad * grad
        params -= step * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + 1e-8)
    return params[:-1].copy(), float(params[-1])
