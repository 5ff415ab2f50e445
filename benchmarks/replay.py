"""Replay speed: 10,000 contributions into a mirror, accuracy on 5,000 evaluation reviews every 100.

    python benchmarks/replay.py [--data ../shared/data/imdb/imdb_train.jsonl.gz] [--json]

Contributions are training-split reviews drawn with a fixed seed (correct labels); the evaluation
reviews are the validation split. Encoding is timed apart from the replay.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from dacwallet.ml.catalog import load_bundle
from dacwallet.ml.curve import accuracy_curve
from dacwallet.ml.dataset import load_reviews, split
from dacwallet.ml.evaluate import encode_reviews

MODELS = ("imdb-default", "imdb-naive-bayes")
SEED = 7


def run(name: str, train, valid, contributions: int, evaluation: int, every: int) -> dict:
    bundle = load_bundle(name)
    picks = np.random.default_rng(SEED).choice(len(train), size=contributions, replace=contributions > len(train))
    start = time.perf_counter()
    contrib = encode_reviews(bundle.encoder, [train[i] for i in picks])
    evaluation_set = encode_reviews(bundle.encoder, valid[:evaluation])
    encode_s = time.perf_counter() - start
    start = time.perf_counter()
    curve = accuracy_curve(bundle.new_mirror(), contrib.batch, evaluation_set.batch, every)
    replay_s = time.perf_counter() - start
    return {
        "encode_s": round(encode_s, 2),
        "replay_s": round(replay_s, 2),
        "points": len(curve.points),
        "accuracy_start": round(float(curve.eval_accuracy[0]), 4),
        "accuracy_end": round(float(curve.eval_accuracy[-1]), 4),
        "prequential_end": round(float(curve.prequential[-1]), 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/imdb/imdb_train.jsonl.gz"))
    parser.add_argument("--contributions", type=int, default=10_000)
    parser.add_argument("--evaluation", type=int, default=5_000)
    parser.add_argument("--every", type=int, default=100)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    train, valid = split(load_reviews(args.data))
    result = {name: run(name, train, valid, args.contributions, args.evaluation, args.every) for name in MODELS}
    if args.json:
        print(json.dumps(result))
        return
    print(f"{args.contributions:,} contributions, accuracy on {args.evaluation:,} reviews every {args.every}")
    for name, r in result.items():
        print(
            f"  {name:<18} replay+curve {r['replay_s']:.2f} s (encoding {r['encode_s']:.2f} s), "
            f"accuracy {r['accuracy_start']:.4f} -> {r['accuracy_end']:.4f}, prequential {r['prequential_end']:.4f}"
        )


if __name__ == "__main__":
    main()
