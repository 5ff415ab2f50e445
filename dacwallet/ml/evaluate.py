"""Accuracy of a model file on a review file, exactly as the chain would predict.

    python -m dacwallet.ml.evaluate --model default --data ../shared/data/imdb/imdb_train.jsonl.gz --json
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from dacwallet.errors import DacwalletError, InputError
from dacwallet.ml.dataset import Review, load_reviews
from dacwallet.ml.encoders import Encoder
from dacwallet.ml.mirrors import Batch, mirror_for
from dacwallet.ml.model_file import load_model
from dacwallet.ml.registry import get_encoder


@dataclass
class Encoded:
    """Reviews an encoder accepted, as rows of indices; ``skipped`` counts those it refused."""

    rows: list[list[int]]
    labels: np.ndarray
    batch: Batch
    skipped: int


def encode_reviews(encoder: Encoder, reviews: list[Review]) -> Encoded:
    rows, labels, skipped = [], [], 0
    for review in reviews:
        try:
            rows.append(encoder.encode(review.text))
        except InputError:
            skipped += 1
            continue
        labels.append(review.label)
    label_array = np.array(labels, dtype=np.int64)
    return Encoded(rows, label_array, Batch.from_lists(rows, label_array), skipped)


def summary(predictions: np.ndarray, encoded: Encoded) -> dict:
    lengths = np.array([len(r) for r in encoded.rows])
    return {"accuracy": round(float((predictions == encoded.labels).mean()), 4), "n": len(encoded.rows),
            "median_features": float(np.median(lengths)), "p95_features": float(np.percentile(lengths, 95))}


def evaluate(model_ref: str, data: Path, imdb_vocab: Path | None = None) -> dict:
    """The figures for ``model_ref`` (``default``, a shipped name or a path) on the reviews in ``data``."""
    model = load_model(model_ref)
    encoder = get_encoder(model["encoder"], imdb_vocab=imdb_vocab)
    encoded = encode_reviews(encoder, load_reviews(data))
    if not encoded.rows:
        raise InputError(f"The model's encoder accepted none of the reviews in {data}.")
    result = summary(mirror_for(model).predict_batch(encoded.batch), encoded)
    if encoded.skipped:
        result["skipped"] = encoded.skipped
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Accuracy of a dacwallet model file on a JSONL(.gz) review file.")
    parser.add_argument("--model", default="default", help="'default', a shipped model name, or a model file path")
    parser.add_argument("--data", type=Path, required=True, help="reviews: {id, rating, label, text} per line")
    parser.add_argument("--imdb-vocab", type=Path, help='vocabulary JSON for models using the "IMDB vocab" encoder')
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    try:
        result = evaluate(args.model, args.data, args.imdb_vocab)
    except DacwalletError as exc:
        print(exc.user_message, file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:<16} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
