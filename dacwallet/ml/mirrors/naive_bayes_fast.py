"""A float64 shortcut for the Naive Bayes mirror's batch prediction that never changes an answer.

The contract multiplies each class's score by ``a = count * 1e9 + s`` and floor-divides by ``d``, rescaling
both scores by ``2**64`` whenever the larger one drops under ``2**128``. In real numbers the scores'
ratio is ``exp(L_0 - L_1)`` with ``L_c = log(n_c) + sum(log(a / d_c))``; the floors only ever lower a
score, and by a relative ``< 1 / score`` per step. So when the float log scores say class A wins by
more than ``MARGIN`` *and* A's score stayed far above 1 at every step (it cannot have floored to
nothing), the exact integers must pick A too. Every other row returns ``UNDECIDED`` and the caller
runs the exact big-integer computation on it.

Why A stays large: before each step the larger score is at least ``2**128`` (the rescale sees to it),
so after a step the leader is at least ``2**128 * r_min`` with ``r_min = min_c s / d_c``, the smallest
factor a step can apply. A class ``g`` nats (natural log) behind the leader is then at least
``2**128 * r_min * exp(-g)``; we require that to stay above ``2**SAFE_BITS``.
"""

from __future__ import annotations

import math

import numpy as np

from dacwallet.ml.mirrors.base import TO_FLOAT

UNDECIDED = -1
UINT256_MAX = 2**256 - 1
# Winner's score kept above 2**64 at every step: each floor then loses < 2**-64 of it, a relative
# error far below MARGIN for any row length a contract could be sent.
SAFE_BITS = 64
# Float64 log sums of a few hundred terms of size < 50 are accurate to ~1e-12; 1e-6 is a wide berth.
MARGIN = 1e-6
# Nats of slack on the "stays large" bound, again far above float error.
SLACK = 1.0


def log_space_classes(
    counts: np.ndarray, slots: np.ndarray, offsets: np.ndarray, num_samples: list[int], dens: list[int], smoothing: int
) -> np.ndarray:
    """Per row of ``slots`` (split by ``offsets``): the class the exact computation picks, or ``UNDECIDED``.

    ``counts`` is the mirror's (classes x slots) uint64 count table, ``dens`` the per-class divisors.
    """
    n_rows = len(offsets) - 1
    undecided = np.full(n_rows, UNDECIDED, dtype=np.int64)
    budget_nats = _budget_nats(counts, num_samples, dens, smoothing)
    if budget_nats is None or n_rows == 0:
        return undecided
    num_classes, num_slots = counts.shape
    # Each class's log factor per slot, and one slot more with a factor of 1 (log 0) that pads every row to
    # one width: the rows' steps are then one gather, cumulated per row into the score path.
    log_factor = np.zeros((num_classes, num_slots + 1))
    log_factor[:, :num_slots] = np.log(counts.astype(np.float64) * TO_FLOAT + smoothing)
    log_factor[:, :num_slots] -= np.log(np.array([float(d) for d in dens]))[:, None]
    lengths = np.diff(offsets)
    column = np.arange(int(lengths.max()))
    padded = np.full((n_rows, len(column)), num_slots)
    padded[column[None, :] < lengths[:, None]] = slots
    paths = np.empty((num_classes, n_rows, len(column) + 1))
    paths[:, :, 0] = 0.0
    for c in range(num_classes):
        np.cumsum(log_factor[c][padded], axis=1, out=paths[c, :, 1:])
    paths += np.log(np.array([float(n) for n in num_samples]))[:, None, None]
    final = paths[:, :, -1]
    order = np.argsort(-final, axis=0, kind="stable")
    winner = order[0]
    rows = np.arange(n_rows)
    lead = final[winner, rows] - final[order[1], rows]
    behind = paths.max(axis=0) - paths[winner, rows]  # how far the winner trails the leader, per step
    safe = (lead > MARGIN) & (behind.max(axis=1) < budget_nats - SLACK)
    return np.where(safe, winner, UNDECIDED)


def _budget_nats(counts: np.ndarray, num_samples: list[int], dens: list[int], smoothing: int) -> float | None:
    """How far (in nats) a class may trail the leader and still stay above ``2**SAFE_BITS``; ``None``
    when the model is outside what the argument covers (the exact path then handles every row)."""
    if smoothing <= 0 or min(num_samples) <= 0 or len(num_samples) < 2:
        return None
    top_count = [int(row.max()) if row.size else 0 for row in counts]
    top_factor = max(n * TO_FLOAT + smoothing for n in top_count)
    # A factor above 1 could grow a score past the overflow bound below; counts never exceed their
    # class total, so this holds for every model built by uploads and updates.
    if any(n * TO_FLOAT + smoothing > d for n, d in zip(top_count, dens, strict=True)):
        return None
    # Scores never exceed their start or, after a rescale, 2**192: no product can revert.
    if max(max(num_samples) << 128, 2**192) * top_factor > UINT256_MAX:
        return None
    log2_r_min = min(math.log2(smoothing) - math.log2(d) for d in dens)
    bits = 128 + log2_r_min - SAFE_BITS
    return bits * math.log(2) if bits > 0 else None
