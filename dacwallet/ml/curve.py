"""Accuracy over a run of contributions, for the live chart and the replay benchmark."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dacwallet.ml.mirrors import Batch, Mirror


@dataclass
class AccuracyCurve:
    """``eval_accuracy[k]`` is the accuracy on the evaluation set after ``points[k]`` contributions;
    ``prequential[i]`` is the share of contributions 0..i the model labelled right before learning each."""

    points: np.ndarray
    eval_accuracy: np.ndarray
    prequential: np.ndarray
    reverted: list[int]


def accuracy_curve(mirror: Mirror, contributions: Batch, evaluation: Batch, every: int = 100) -> AccuracyCurve:
    """Replay ``contributions`` (rows with labels) into ``mirror``, measuring every ``every`` of them.

    The mirror is changed in place; pass a fresh one to start from the initial model.
    """
    if every < 1:
        raise ValueError("every must be positive")
    points, accuracy = [0], [_accuracy(mirror, evaluation)]
    correct: list[np.ndarray] = []
    reverted: list[int] = []
    for start in range(0, len(contributions), every):
        stop = min(start + every, len(contributions))
        result = mirror.replay(contributions.slice(start, stop))
        correct.append(result.correct_before)
        reverted.extend(start + r for r in result.reverted)
        points.append(stop)
        accuracy.append(_accuracy(mirror, evaluation))
    hits = np.concatenate(correct) if correct else np.zeros(0, dtype=bool)
    prequential = np.cumsum(hits) / np.arange(1, len(hits) + 1)
    return AccuracyCurve(np.array(points), np.array(accuracy), prequential, reverted)


def _accuracy(mirror: Mirror, evaluation: Batch) -> float:
    return float((mirror.predict_batch(evaluation) == evaluation.labels).mean()) if len(evaluation) else float("nan")
