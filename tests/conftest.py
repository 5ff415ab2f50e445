"""Shared fixtures: chains to deploy on; Qt runs offscreen and keyring uses no OS backend."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from tests.support.chains import DevChain, run_anvil, new_tester_chain  # noqa: E402


@pytest.fixture(scope="module")
def module_chain() -> DevChain:
    """One py-evm chain per test module; combine with `chain` to reset it per test."""
    return new_tester_chain()


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
