"""The data kept beside the checkout, in ../shared/data (never in the repository): the IMDB reviews and
the reference framework's model and vocabulary.

need_shared(path) is the one guard for tests that read it: on a developer machine without the data the
test is skipped (saying what is missing); when the CI environment variable is set it fails instead, so
CI cannot pass by skipping them. tests/conftest.py wraps it in fixtures.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.chains import ROOT
from tests.support.ci import on_ci

SHARED = ROOT.parent / "shared" / "data"
IMDB_TRAIN = SHARED / "imdb" / "imdb_train.jsonl.gz"
REFERENCE_MODEL = SHARED / "reference" / "imdb-sentiment-model.json"
REFERENCE_VOCAB = SHARED / "reference" / "imdb-vocab.json"
REFERENCE_CONTRACTS = SHARED / "reference" / "reference-contracts-solc-0.6.2.json"


def need_shared(path: Path) -> Path:
    """path when it exists; otherwise skip the test, or fail it under CI."""
    if path.exists():
        return path
    message = f"shared data missing: {path} (../shared/data beside the checkout)"
    if on_ci():
        pytest.fail(
            f"{message}; CI is set, so a missing data file fails the test instead of skipping it", pytrace=False
        )
    pytest.skip(message)
