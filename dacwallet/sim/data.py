"""The simulation's data: the seeded split, the initial model trained on a share of it, the stream of
reviews the agents contribute, and the evaluation batch."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dacwallet.errors import InputError
from dacwallet.ml.build_model import CLASSES, class_counts
from dacwallet.ml.catalog import load_bundle
from dacwallet.ml.dataset import Review, load_reviews, split
from dacwallet.ml.encoders import WordsEncoder
from dacwallet.ml.evaluate import Encoded, encode_reviews
from dacwallet.ml.mirrors import Batch
from dacwallet.ml.model_file import FORMAT
from dacwallet.sim.config import SimConfig, missing_data_message


@dataclass
class SimData:
    model: dict[str, Any]  # a model file's contents: what is deployed, and the mirror's start
    initial_rows: int  # reviews that trained it
    stream: Encoded  # reviews the agents contribute, in order
    evaluation: Batch  # held-out reviews with labels


def prepare(config: SimConfig) -> SimData:
    """Splits the review file, counts the initial model from ``initial_share`` of the training part.

    The encoder is the shipped one (its vocabulary was ranked on the whole training split, so it knows
    more than the 8% share; the reference's Keras vocabulary likewise came from word counts over all data).
    """
    shipped = load_bundle("default")
    encoder = shipped.encoder
    if not isinstance(encoder, WordsEncoder):
        raise InputError("The simulation needs the shipped word encoder (dacwallet-words).")
    train_reviews, eval_reviews = split(load_reviews(_reviews_file(config)), fraction=config.eval_fraction)
    n_initial = int(len(train_reviews) * config.initial_share)
    initial = encode_reviews(encoder, train_reviews[:n_initial])
    if len(initial.rows) < 2 or len(set(initial.labels.tolist())) < 2:
        raise InputError(
            "The initial share holds too few reviews (both labels are needed); use more data or a larger share."
        )
    stream = _first_encoded(encoder, train_reviews[n_initial:], config.samples)
    evaluation = encode_reviews(encoder, eval_reviews)
    return SimData(_initial_model(initial, encoder, shipped.model), len(initial.rows), stream, evaluation.batch)


def _reviews_file(config: SimConfig) -> Path:
    if config.data is None:
        raise InputError(missing_data_message())
    return config.data


def _first_encoded(encoder: WordsEncoder, reviews: list[Review], n: int) -> Encoded:
    """The first ``n`` reviews the encoder accepts; encodes only what it needs (encoding is the slow part)."""
    end = min(len(reviews), n + n // 20 + 10)  # a few reviews have no known word and are skipped
    encoded = encode_reviews(encoder, reviews[:end])
    while len(encoded.rows) < n and end < len(reviews):
        end = min(len(reviews), end + n // 10 + 10)
        encoded = encode_reviews(encoder, reviews[:end])
    if len(encoded.rows) < n:
        raise InputError(
            f"Only {len(encoded.rows)} reviews remain after the initial share, fewer than "
            f"--samples {n}; lower --samples or give a larger review file."
        )
    return Encoded(encoded.rows[:n], encoded.labels[:n], encoded.batch.slice(0, n), encoded.skipped)


def _initial_model(initial: Encoded, encoder: WordsEncoder, shipped: dict[str, Any]) -> dict[str, Any]:
    """The shipped default's recipe on the initial share only: the Naive Bayes counts of its reviews on the
    gated contract, with the smoothing the build picked for the shipped model."""
    return {
        "format": FORMAT,
        "type": "gated_naive_bayes",
        "name": "imdb-simulation",
        "description": f"IMDB sentiment, Naive Bayes counts of {len(initial.rows)} reviews (the simulation's "
        "initial share); learns a contribution unless already sure of its label",
        "encoder": encoder.identity,
        "classifications": CLASSES,
        "num_features": encoder.num_features,
        **class_counts(initial, encoder.num_features),
        "smoothing_factor": shipped["smoothing_factor"],
    }
