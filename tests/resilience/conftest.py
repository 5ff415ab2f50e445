"""Fixtures of the resilience checks: cheap keystores, no OS keyring, one anvil per module."""

from __future__ import annotations

import pytest

from dacwallet.usecases.context import TEST_SCRYPT_ENV
from tests.resilience.harness import NULL_KEYRING
from tests.resilience.nodes import AnvilProcess


@pytest.fixture(autouse=True)
def cheap_keys(monkeypatch):
    monkeypatch.setenv(TEST_SCRYPT_ENV, str(2**4))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", NULL_KEYRING)


@pytest.fixture(scope="module")
def node():
    """A real anvil on a free port for the module (restartable at the same address)."""
    with AnvilProcess() as process:
        yield process
