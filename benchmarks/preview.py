"""Latency of the instant preview: encode a 2,000-character review and predict it with the mirror.

python benchmarks/preview.py [--data ../shared/data/imdb/imdb_train.jsonl.gz] [--runs 500] [--json]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from dacwallet.ml.catalog import load_bundle
from dacwallet.ml.dataset import load_reviews, split

MODELS = ("imdb-default", "imdb-naive-bayes")


def review_of_2000_chars(data: Path) -> str:
    """Validation reviews joined and cut at 2,000 characters (a typical long review)."""
    text = ""
    for review in split(load_reviews(data))[1]:
        text += review.text + " "
        if len(text) >= 2000:
            return text[:2000]
    return text


def measure(name: str, text: str, runs: int) -> dict:
    bundle = load_bundle(name)
    mirror = bundle.new_mirror()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        mirror.predict(bundle.encoder.encode(text))
        times.append((time.perf_counter() - start) * 1000)
    return {"p50_ms": round(float(np.percentile(times, 50)), 3), "p95_ms": round(float(np.percentile(times, 95)), 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/imdb/imdb_train.jsonl.gz"))
    parser.add_argument("--runs", type=int, default=500)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    text = review_of_2000_chars(args.data)
    result = {"chars": len(text), "runs": args.runs, **{name: measure(name, text, args.runs) for name in MODELS}}
    if args.json:
        print(json.dumps(result))
        return
    print(f"encode + mirror predict of a {len(text):,}-character review, {args.runs} runs")
    for name in MODELS:
        print(f"  {name:<18} p50 {result[name]['p50_ms']:.3f} ms   p95 {result[name]['p95_ms']:.3f} ms")


if __name__ == "__main__":
    main()
