"""Reading review files in the shared JSONL(.gz) format and carving the validation split."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from dacwallet.errors import InputError

VALIDATION_SEED = 1234
VALIDATION_FRACTION = 0.2
SPLIT_DESCRIPTION = "seed 1234, 20% of imdb_train"


@dataclass(frozen=True)
class Review:
    id: int
    label: int
    text: str


def load_reviews(path: Path | str) -> list[Review]:
    """Every ``{"id", "rating", "label", "text"}`` line of a ``.jsonl`` or ``.jsonl.gz`` file."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    reviews = []
    try:
        with opener(path, "rt", encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                if not line.strip():
                    continue
                row = json.loads(line)
                if row.get("label") not in (0, 1) or not isinstance(row.get("text"), str):
                    raise InputError(f"Line {number} of {path} has no 0/1 label or no text.")
                reviews.append(Review(int(row.get("id", number)), row["label"], row["text"]))
    except (OSError, EOFError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"Cannot read reviews from {path}.", detail=str(exc)) from None
    if not reviews:
        raise InputError(f"{path} holds no reviews.")
    return reviews


def split(
    reviews: list[Review], seed: int = VALIDATION_SEED, fraction: float = VALIDATION_FRACTION
) -> tuple[list[Review], list[Review]]:
    """(training, validation): a fixed seeded shuffle, the first ``fraction`` of it for validation."""
    order = np.random.default_rng(seed).permutation(len(reviews))
    n_valid = int(round(len(reviews) * fraction))
    return [reviews[i] for i in order[n_valid:]], [reviews[i] for i in order[:n_valid]]
