"""Learning curves of candidate on-chain learning rules, honest and attacked, replayed on the simulation's data.

    python benchmarks/learning.py [--data ../shared/data/imdb/imdb_train.jsonl.gz] [--honest 4000]
                                  [--attacked 18400] [--json]

The start is the simulation's (`dacwallet simulate`): the seeded split, an initial model from 8% of the
training part, held-out evaluation reviews. Each candidate replays the same stream twice: honest (every label
right) and attacked (every seventh label wrong: the paper's hourly attacker beside an honest agent every ten
minutes). Printed: accuracy at the start and end, the lowest point (measured every 1,000 contributions), and
the share of contributions that changed the model (a contribution that changes nothing costs the least gas).

Candidates:
- perceptron, mistakes only: the shipped rule (exact mirror of SparsePerceptron.sol);
- perceptron, uncertain band: update when -0.5 < y*m < 6 (m the margin in log-odds, y = +-1): learns from
  correct but unsure answers, ignores labels the model is sure are wrong (integer arithmetic, no contract yet);
- Naive Bayes counts: every contribution adds its counts (exact mirror of NaiveBayesClassifier.sol);
- Naive Bayes counts, gated: counts are added only when y*m < 5, i.e. unless the model is already sure of the
  label (the gate in float log-odds; no contract yet).
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from dacwallet.ml.build_model import class_counts
from dacwallet.ml.catalog import load_bundle
from dacwallet.ml.dataset import load_reviews, split
from dacwallet.ml.evaluate import encode_reviews
from dacwallet.ml.mirrors import Batch, NaiveBayesMirror, SparsePerceptronMirror
from dacwallet.ml.mirrors.base import TO_FLOAT, as_keys
from dacwallet.ml.model_file import load_model
from dacwallet.sim.config import SimConfig
from dacwallet.sim.data import prepare

ATTACK_EVERY = 7
MEASURE_EVERY = 1000
BAND_LOW, BAND_HIGH, BAND_RATE = -0.5, 6.0, 0.05
NB_GATE = 5.0


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


class CountsNaiveBayes(Learner):
    def __init__(self, counts: dict, smoothing: int, num_features: int, gate: float | None) -> None:
        self.mirror = NaiveBayesMirror(counts["feature_counts"], counts["num_samples"], smoothing, num_features)
        self.gate = gate

    def _log_odds_margin(self, row: np.ndarray) -> float:
        mirror = self.mirror
        slots = mirror._map(as_keys(row))
        s = mirror.smoothing_factor / TO_FLOAT
        totals = np.array(mirror.total_feature_count, dtype=float) + s * mirror.num_features
        per_class = [
            np.log(mirror._counts[c, slots].astype(float) + s).sum() - len(slots) * np.log(totals[c]) for c in range(2)
        ]
        return float(per_class[1] - per_class[0] + np.log(mirror.num_samples[1] / mirror.num_samples[0]))

    def learn(self, row: np.ndarray, label: int) -> bool:
        if self.gate is not None and (1 if label == 1 else -1) * self._log_odds_margin(row) >= self.gate:
            return False
        self.mirror.update(row, label)
        return True

    def accuracy(self, evaluation: Batch) -> float:
        return float((self.mirror.predict_batch(evaluation) == evaluation.labels).mean())


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
    config = SimConfig(samples=samples, data=data_path)
    sim = prepare(config)
    encoder = load_bundle("default").encoder
    train, _ = split(load_reviews(data_path), fraction=config.eval_fraction)
    initial = encode_reviews(encoder, train[: sim.initial_rows])
    counts = class_counts(initial, encoder.num_features)
    smoothing = load_model("imdb-naive-bayes")["smoothing_factor"]
    made: dict[str, Callable[[], Learner]] = {
        "perceptron, mistakes only (shipped)": lambda: MistakePerceptron(sim.model),
        f"perceptron, band {BAND_LOW} < y*m < {BAND_HIGH:g}": lambda: BandPerceptron(sim.model),
        "Naive Bayes counts, every contribution": lambda: CountsNaiveBayes(
            counts, smoothing, encoder.num_features, None
        ),
        f"Naive Bayes counts, gated y*m < {NB_GATE:g}": lambda: CountsNaiveBayes(
            counts, smoothing, encoder.num_features, NB_GATE
        ),
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
    print(f"{'candidate':<42} {'honest start -> end (low)':>28} {'upd':>5}   {'attacked end (low)':>20} {'upd':>5}")
    for name, r in result.items():
        h, a = r["honest"], r["attacked"]
        print(
            f"{name:<42} {h['start']:>9.4f} -> {h['end']:.4f} ({h['lowest']:.4f}) {h['updated_share']:>5.2f}   "
            f"{a['end']:>11.4f} ({a['lowest']:.4f}) {a['updated_share']:>5.2f}"
        )


if __name__ == "__main__":
    main()
