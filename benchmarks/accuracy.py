"""Accuracy and indices per review of each shipped model on the validation split, beside the reference.

python benchmarks/accuracy.py [--data ../shared/data/imdb/imdb_train.jsonl.gz] [--json]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from dacwallet.ml.catalog import load_bundle
from dacwallet.ml.dataset import SPLIT_DESCRIPTION, load_reviews, split
from dacwallet.ml.evaluate import encode_reviews, summary
from dacwallet.paths import resources_dir

# Published by the reference (REFERENCE.md), measured on the official IMDB test split.
REFERENCE = {
    "reference demo perceptron (1000 words)": {"accuracy": 0.734, "median_features": 172},
    "reference perceptron (simulation)": {"accuracy": 0.79},
    "reference Naive Bayes": {"accuracy": 0.8323},
    "reference nearest centroid": {"accuracy": 0.7445},
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/imdb/imdb_train.jsonl.gz"))
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    valid = split(load_reviews(args.data))[1]
    ours = {}
    for path in sorted((resources_dir() / "models").glob("*.json")):
        bundle = load_bundle(path)
        encoded = encode_reviews(bundle.encoder, valid)
        ours[bundle.model["name"]] = summary(bundle.new_mirror().predict_batch(encoded.batch), encoded)
    result = {"split": SPLIT_DESCRIPTION, "models": ours, "reference": REFERENCE}
    if args.json:
        print(json.dumps(result))
        return
    print(f"validation split: {SPLIT_DESCRIPTION}")
    print(f"{'model':<42} {'accuracy':>8} {'median':>7} {'p95':>5}")
    for name, r in ours.items():
        print(f"{name:<42} {r['accuracy']:>8.4f} {r['median_features']:>7.0f} {r['p95_features']:>5.0f}")
    for name, r in REFERENCE.items():
        median = r.get("median_features")
        print(f"{name:<42} {r['accuracy']:>8.4f} {median if median else '-':>7} {'-':>5}  (official test split)")


if __name__ == "__main__":
    main()
