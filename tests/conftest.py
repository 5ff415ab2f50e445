"""Shared fixtures: chains to deploy on, the data beside the checkout; Qt runs offscreen and keyring uses
no OS backend."""

from __future__ import annotations

import os
from collections.abc import Iterator

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from tests.support.chains import DevChain, embedded_dev_chain, run_anvil
from tests.support.shared_data import (
    IMDB_TRAIN,
    REFERENCE_CONTRACTS,
    REFERENCE_MODEL,
    REFERENCE_VOCAB,
    need_shared,
)


@pytest.fixture(scope="module")
def module_chain() -> Iterator[DevChain]:
    """One embedded revm chain per test module; combine with `chain` to reset it per test."""
    with embedded_dev_chain() as dev_chain:
        yield dev_chain


@pytest.fixture
def chain(module_chain: DevChain):
    """The module's chain, rolled back after the test."""
    module_chain.snapshot()
    yield module_chain
    module_chain.revert()


@pytest.fixture(scope="module")
def anvil():
    """A real anvil node on a free port for the module."""
    with run_anvil() as node:
        yield node


# The data in ../shared/data: skipped without it on a developer machine, failed without it under CI
# (tests/support/shared_data.py). Session-scoped so they are checked before any module-scoped fixture reads it.
@pytest.fixture(scope="session")
def imdb_train_path():
    return need_shared(IMDB_TRAIN)


@pytest.fixture(scope="session")
def reference_model_path():
    return need_shared(REFERENCE_MODEL)


@pytest.fixture(scope="session")
def reference_vocab_path():
    return need_shared(REFERENCE_VOCAB)


@pytest.fixture(scope="session")
def reference_contracts_path():
    return need_shared(REFERENCE_CONTRACTS)
