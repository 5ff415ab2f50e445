from __future__ import annotations

import json
from pathlib import Path

import pytest

from dacwallet.ml.dataset import load_reviews, split

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
IMDB_TRAIN = SHARED / "imdb" / "imdb_train.jsonl.gz"
REFERENCE_VOCAB = SHARED / "reference" / "imdb-vocab.json"


def _need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"shared data missing: {path}")
    return path


@pytest.fixture(scope="session")
def reference_vocab_path() -> Path:
    return _need(REFERENCE_VOCAB)


@pytest.fixture(scope="session")
def validation_reviews():
    return split(load_reviews(_need(IMDB_TRAIN)))[1]


@pytest.fixture(scope="session")
def sample_file(tmp_path_factory, validation_reviews) -> Path:
    """300 validation reviews in the shared JSONL format (a temporary file, never in the repo)."""
    path = tmp_path_factory.mktemp("reviews") / "sample.jsonl"
    path.write_text("".join(json.dumps({"id": r.id, "rating": 0, "label": r.label, "text": r.text}) + "\n"
                            for r in validation_reviews[:300]), encoding="utf-8")
    return path
