"""Shared fixtures: a cheap-scrypt keystore in tmp_path and an in-memory keyring backend."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from dacwallet.keys import KeyStore, PasswordMemory
from tests.support.keyring_backend import MemoryKeyring

FAST_N = 2**4  # scrypt cost for tests; the real default is 2**18
TEST_MNEMONIC = "test test test test test test test test test test test junk"
ANVIL_0 = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
ANVIL_1 = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
ANVIL_0_KEY = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(data_dir: Path) -> KeyStore:
    return KeyStore(data_dir, scrypt_n=FAST_N, memory=PasswordMemory())
