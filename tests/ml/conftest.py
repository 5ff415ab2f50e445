from __future__ import annotations

import json
from pathlib import Path

import pytest

from dacwallet.ml.dataset import load_reviews, split

# The data guards (skip on a developer machine, fail under CI) are tests/conftest.py's fixtures
# imdb_train_path and reference_vocab_path (tests/support/shared_data.py).


@pytest.fixture(scope="session")
def validation_reviews(imdb_train_path):
    return split(load_reviews(imdb_train_path))[1]


@pytest.fixture(scope="session")
def sample_file(tmp_path_factory, validation_reviews) -> Path:
    """300 validation reviews in the shared JSONL format (a temporary file, never in the repo)."""
    path = tmp_path_factory.mktemp("reviews") / "sample.jsonl"
    path.write_text(
        "".join(
            json.dumps({"id": r.id, "rating": 0, "label": r.label, "text": r.text}) + "\n"
            for r in validation_reviews[:300]
        ),
        encoding="utf-8",
    )
    return path
