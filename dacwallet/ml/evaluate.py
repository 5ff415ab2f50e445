"""Accuracy of a model file on reviews it was not trained on, exactly as the chain would predict.

    python -m dacwallet.ml.evaluate --model default --json            # the held-out validation split
    python -m dacwallet.ml.evaluate --model default --data reviews.jsonl.gz

A model built by build_model records its split (``validation.split``); the reviews of its training part
are then left out of any file evaluated (the training file itself keeps only the validation split), and
the figures say how many: accuracy on reviews a model learnt from says nothing about new ones.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from dacwallet.errors import DacwalletError, InputError
from dacwallet.ml.dataset import SPLIT_DESCRIPTION, Review, load_reviews, split
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


def summary(predictions: np.ndarray, encoded: Encoded) -> dict[str, Any]:
    lengths = np.array([len(r) for r in encoded.rows])
    return {
        "accuracy": round(float((predictions == encoded.labels).mean()), 4),
        "n": len(encoded.rows),
        "median_features": float(np.median(lengths)),
        "p95_features": float(np.percentile(lengths, 95)),
    }


def review_digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


@dataclass(frozen=True)
class TrainingReviews:
    """The reviews a model file was built from, as digests of their texts (a duplicate text counts as trained)."""

    source: Path
    digests: frozenset[bytes]


def training_reviews(model: dict[str, Any], source: Path | None) -> TrainingReviews | None:
    """For a model built by build_model (its ``validation.split`` is ours) from ``source`` (the review file
    the split was carved from): the training part. None when the model does not say, or no source is known."""
    validation = model.get("validation")
    if source is None or not isinstance(validation, dict) or validation.get("split") != SPLIT_DESCRIPTION:
        return None
    trained, _held_out = split(load_reviews(source))
    return TrainingReviews(source, frozenset(review_digest(r.text) for r in trained))


def without_training(reviews: list[Review], training: TrainingReviews, name: str) -> tuple[list[Review], int]:
    """(the reviews that did not train the model, how many did); InputError when every one did."""
    kept = [r for r in reviews if review_digest(r.text) not in training.digests]
    if not kept:
        raise InputError(
            f"Every review in {name} trained this model: accuracy on them would say nothing about "
            "reviews it has not seen. Choose another file, or use the held-out reviews (the default)."
        )
    return kept, len(reviews) - len(kept)


def evaluate(
    model_ref: str, data: Path | None, imdb_vocab: Path | None = None, training_source: Path | None = None
) -> dict[str, Any]:
    """The figures for ``model_ref`` (``default``, a shipped name or a path) on the reviews in ``data`` (None:
    ``training_source``, i.e. its held-out split), leaving out those the model was trained on."""
    model = load_model(model_ref)
    training = training_reviews(model, training_source)
    data = data or (training.source if training else None)
    if data is None:
        raise InputError(
            "No held-out reviews are known for this model; pass --data with reviews it was not trained on."
        )
    reviews, left_out = load_reviews(data), 0
    if training is not None:
        reviews, left_out = without_training(reviews, training, data.name)
    encoder = get_encoder(model["encoder"], imdb_vocab=imdb_vocab)
    encoded = encode_reviews(encoder, reviews)
    if not encoded.rows:
        raise InputError(f"The model's encoder accepted none of the reviews in {data}.")
    result = summary(mirror_for(model).predict_batch(encoded.batch), encoded)
    result["data"] = str(data)
    result["training_left_out"] = left_out if training is not None else None  # None: its training is unknown
    if encoded.skipped:
        result["skipped"] = encoded.skipped
    return result


def main(argv: list[str] | None = None) -> int:
    from dacwallet.sim.config import find_default_data  # where the shared IMDB reviews are looked for

    parser = argparse.ArgumentParser(
        description="Accuracy of a dacwallet model file on reviews it was not trained on (JSONL or JSONL.gz)."
    )
    parser.add_argument("--model", default="default", help="'default', a shipped model name, or a model file path")
    parser.add_argument(
        "--data",
        type=Path,
        help="reviews: {id, rating, label, text} per line (default: the "
        "held-out validation split of the shared imdb_train file)",
    )
    parser.add_argument("--imdb-vocab", type=Path, help='vocabulary JSON for models using the "IMDB vocab" encoder')
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    try:
        result = evaluate(args.model, args.data, args.imdb_vocab, find_default_data())
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
