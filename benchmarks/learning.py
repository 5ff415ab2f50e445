"""Learning curves of candidate on-chain learning rules, honest and attacked, replayed on the simulation's data.

    python benchmarks/learning.py [--data ../shared/data/imdb/imdb_train.jsonl.gz] [--honest 4000]
                                  [--attacked 18400] [--json]

The start is the simulation's (`dacwallet simulate`): the seeded split, an initial model from 8% of the
training part, held-out evaluation reviews. Each candidate replays the same stream twice: honest (every label
right) and attacked (every seventh label wrong: the paper's hourly attacker beside an honest agent every ten
minutes). Printed: accuracy at the start and end, the lowest point (measured every 1,000 contributions), and
the share of contributions that changed the model (a contribution that changes nothing costs the least gas).

Candidates:
- perceptron, mistakes only: the default before issue 17 (exact mirror of SparsePerceptron.sol, imdb-perceptron);
- perceptron, uncertain band: update when -0.5 < y*m < 6 (m the margin in log-odds, y = +-1): learns from
  correct but unsure answers, ignores labels the model is sure are wrong (integer arithmetic, no contract);
- Naive Bayes counts: every contribution adds its counts (exact mirror of NaiveBayesClassifier.sol);
- Naive Bayes counts, gated y*m < 5: the shipped default (exact mirror of PackedNaiveBayes.sol): counts are
  added unless the model is already sure of the label (score[label] > e^5 score[other]);
- the gate both ways, -T < y*m < 5 for T = 5, 3, 1: also skips labels the model is sure are wrong (the same
  integer arithmetic, no contract): fewer updates (cheaper) under attack, but less learnt from honest data.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from dacwallet.ml.build_model import PERCEPTRON_MODEL, SCALE, log_odds
from dacwallet.ml.mirrors import Batch, GatedNaiveBayesMirror, NaiveBayesMirror, SparsePerceptronMirror
from dacwallet.ml.mirrors.base import TO_FLOAT, as_keys
from dacwallet.ml.mirrors.gated_naive_bayes import GATE_DENOMINATOR
from dacwallet.ml.model_file import load_model
from dacwallet.sim.config import SimConfig
from dacwallet.sim.data import prepare

ATTACK_EVERY = 7
MEASURE_EVERY = 1000
BAND_LOW, BAND_HIGH, BAND_RATE = -0.5, 6.0, 0.05


@dataclass
class Curve:
    start: float
    end: float
    lowest: float
    updated_share: float


class Learner:
    """One candidate: ``learn`` applies a contribution and says whether the model changed."""

    def learn(self, row: np.ndarray, label: int) -> bool:
        raise NotImplementedError

    def accuracy(self, evaluation: Batch) -> float:
        raise NotImplementedError


class MistakePerceptron(Learner):
    def __init__(self, model: dict) -> None:
        self.mirror = SparsePerceptronMirror.from_model_file(model)

    def learn(self, row: np.ndarray, label: int) -> bool:
        before = self.mirror.predict(row)
        self.mirror.update(row, label)
        return before != label

    def accuracy(self, evaluation: Batch) -> float:
        return float((self.mirror.predict_batch(evaluation) == evaluation.labels).mean())


class BandPerceptron(MistakePerceptron):
    """Integer weights scaled by 1e9 like the contract's; the band and rate in the same units."""

    def __init__(self, model: dict) -> None:
        super().__init__(model)
        self.low, self.high, self.step = (round(v * TO_FLOAT) for v in (BAND_LOW, BAND_HIGH, BAND_RATE))

    def learn(self, row: np.ndarray, label: int) -> bool:
        mirror = self.mirror
        slots = mirror._map(as_keys(row))
        sign = 1 if label == 1 else -1
        if not self.low < sign * mirror._margin(slots) < self.high:
            return False
        np.add.at(mirror._weights, slots, sign * self.step)
        return True


class CountsBayes(Learner):
    """Naive Bayes counts on an exact mirror. ``sure_right``: skip labels the model is already sure of
    (PackedNaiveBayes's gate, score[label] > e^5 * score[other]); ``sure_wrong`` (a log-odds margin T, or None):
    also skip labels it is sure are wrong, score[other] > e^T * score[label], in the same integer arithmetic."""

    def __init__(self, model: dict, sure_right: bool, sure_wrong: float | None = None) -> None:
        self.mirror = GatedNaiveBayesMirror.from_model_file(model)
        self.sure_right = sure_right
        self.wrong_numerator = None if sure_wrong is None else round(math.exp(sure_wrong) * GATE_DENOMINATOR)

    def learn(self, row: np.ndarray, label: int) -> bool:
        mirror = self.mirror
        if self.sure_right and mirror.is_sure(row, label):
            return False
        if self.wrong_numerator is not None:
            scores = mirror._scores(mirror._map(as_keys(row)))
            if scores[1 - label] * GATE_DENOMINATOR > scores[label] * self.wrong_numerator:
                return False
        NaiveBayesMirror.update(mirror, row, label)  # the counts, past the gate already decided here
        return True

    def accuracy(self, evaluation: Batch) -> float:
        return float((self.mirror.predict_batch(evaluation) == evaluation.labels).mean())


def perceptron_start(counts_model: dict) -> dict:
    """The perceptron as the build makes imdb-perceptron, on the simulation's initial counts: their Naive Bayes
    log-odds quantised by 1e9, with the shipped perceptron's learning rate."""
    weights, intercept = log_odds(counts_model)
    return {
        **counts_model,
        "type": "sparse_perceptron",
        "weights": [round(w * SCALE) for w in weights],
        "intercept": round(intercept * SCALE),
        "learning_rate": load_model(PERCEPTRON_MODEL)["learning_rate"],
    }


def replay(learner: Learner, stream: Batch, count: int, attacked: bool, evaluation: Batch) -> Curve:
    points = [learner.accuracy(evaluation)]
    updated = 0
    for i in range(count):
        label = int(stream.labels[i])
        if attacked and i % ATTACK_EVERY == ATTACK_EVERY - 1:
            label = 1 - label
        updated += learner.learn(stream.row(i), label)
        if (i + 1) % MEASURE_EVERY == 0 or i + 1 == count:
            points.append(learner.accuracy(evaluation))
    return Curve(points[0], points[-1], min(points), updated / max(count, 1))


def candidates(data_path: Path, samples: int) -> tuple[dict[str, Callable[[], Learner]], Batch, Batch]:
    sim = prepare(SimConfig(samples=samples, data=data_path))
    perceptron = perceptron_start(sim.model)
    made: dict[str, Callable[[], Learner]] = {
        "perceptron, mistakes only (imdb-perceptron)": lambda: MistakePerceptron(perceptron),
        f"perceptron, band {BAND_LOW} < y*m < {BAND_HIGH:g}": lambda: BandPerceptron(perceptron),
        "Naive Bayes counts, every contribution": lambda: CountsBayes(sim.model, False),
        "Naive Bayes counts, gated y*m < 5 (shipped)": lambda: CountsBayes(sim.model, True),
        "Naive Bayes counts, gated -5 < y*m < 5": lambda: CountsBayes(sim.model, True, 5.0),
        "Naive Bayes counts, gated -3 < y*m < 5": lambda: CountsBayes(sim.model, True, 3.0),
        "Naive Bayes counts, gated -1 < y*m < 5": lambda: CountsBayes(sim.model, True, 1.0),
    }
    return made, sim.stream.batch, sim.evaluation


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/imdb/imdb_train.jsonl.gz"))
    parser.add_argument("--honest", type=int, default=4000, help="honest contributions replayed")
    parser.add_argument("--attacked", type=int, default=18400, help="attacked contributions replayed")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    started = time.perf_counter()
    made, stream, evaluation = candidates(args.data, max(args.honest, args.attacked))
    result = {}
    for name, new in made.items():
        honest = replay(new(), stream, args.honest, False, evaluation)
        attacked = replay(new(), stream, args.attacked, True, evaluation)
        result[name] = {"honest": vars(honest), "attacked": vars(attacked)}
    if args.json:
        print(
            json.dumps(
                {
                    "honest_n": args.honest,
                    "attacked_n": args.attacked,
                    "evaluation_n": len(evaluation),
                    "candidates": result,
                }
            )
        )
        return
    print(
        f"Evaluation: {len(evaluation):,} held-out reviews; honest {args.honest:,}, attacked {args.attacked:,} "
        f"(every {ATTACK_EVERY}th label wrong); {time.perf_counter() - started:.0f} s"
    )
    print(f"{'candidate':<46} {'honest start -> end (low)':>28} {'upd':>5}   {'attacked end (low)':>20} {'upd':>5}")
    for name, r in result.items():
        h, a = r["honest"], r["attacked"]
        print(
            f"{name:<46} {h['start']:>9.4f} -> {h['end']:.4f} ({h['lowest']:.4f}) {h['updated_share']:>5.2f}   "
            f"{a['end']:>11.4f} ({a['lowest']:.4f}) {a['updated_share']:>5.2f}"
        )


if __name__ == "__main__":
    main()
