"""Chains the tests run against: the embedded revm chain in process, and a real anvil node."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import keccak
from web3 import Web3

from dacwallet.chain.embedded import EmbeddedChain, open_embedded_chain
from dacwallet.chain.transactions import TransactionSender
from tests.support.ci import on_ci

ROOT = Path(__file__).resolve().parents[2]
ANVIL_MNEMONIC = "test test test test test test test test test test test junk"


@dataclass
class DevChain:
    """A chain with funded accounts and a clock the test can move."""

    w3: Web3
    accounts: list[LocalAccount]
    kind: str
    embedded: EmbeddedChain | None = None
    _snapshots: list[object] = field(default_factory=list)

    def sender(self, index: int) -> TransactionSender:
        return TransactionSender(self.w3, self.accounts[index])

    def now(self) -> int:
        return self.w3.eth.get_block("latest")["timestamp"]

    def advance(self, seconds: int) -> None:
        """Moves the clock forward and mines a block at the new time."""
        if self.embedded is not None:
            self.embedded.advance(seconds)
        else:
            self.w3.provider.make_request("evm_increaseTime", [seconds])
            self.w3.provider.make_request("evm_mine", [])

    def snapshot(self) -> None:
        if self.embedded is not None:
            self._snapshots.append(self.embedded.snapshot())
        else:
            self._snapshots.append(self.w3.provider.make_request("evm_snapshot", [])["result"])

    def revert(self) -> None:
        snap = self._snapshots.pop()
        if self.embedded is not None:
            self.embedded.revert(snap)
        else:
            self.w3.provider.make_request("evm_revert", [snap])


@contextmanager
def embedded_dev_chain(n_accounts: int = 10) -> Iterator[DevChain]:
    """The embedded revm chain in a scratch folder, with ``n_accounts`` accounts of 1,000,000 ether."""
    accounts = [Account.from_key(keccak(f"dacwallet dev account {i}".encode())) for i in range(n_accounts)]
    with tempfile.TemporaryDirectory(prefix="dacwallet-devchain-") as folder:
        with open_embedded_chain(Path(folder), {a.address: 10**24 for a in accounts}) as chain:
            yield DevChain(w3=chain.w3, accounts=accounts, kind="embedded", embedded=chain)


def anvil_binary() -> str | None:
    """anvil from contracts/node_modules (npm @foundry-rs/anvil), else from PATH."""
    local = ROOT / "contracts" / "node_modules" / ".bin" / "anvil"
    if local.exists():
        return str(local)
    return shutil.which("anvil")


def anvil_missing() -> bool:
    """True when anvil is not installed and the tests may skip for it: never under CI, where a test that needs
    anvil fails on starting it instead of passing by skipping."""
    return anvil_binary() is None and not on_ci()


needs_anvil = pytest.mark.skipif(anvil_missing(), reason="anvil is not installed (npm ci in contracts/)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Hardhat runs only from a project that installs it: contracts/ (its package.json pins hardhat 2.x, its
# hardhat.config.js sets the chain). DACWALLET_HARDHAT_PROJECT names another folder holding both, if need be.
HARDHAT_PROJECT = Path(os.environ.get("DACWALLET_HARDHAT_PROJECT", ROOT / "contracts"))


def hardhat_binary() -> str | None:
    """hardhat from the Hardhat project's node_modules (npm hardhat 2.x), if installed."""
    local = HARDHAT_PROJECT / "node_modules" / ".bin" / "hardhat"
    return str(local) if local.exists() else None


def hardhat_missing() -> bool:
    """True when hardhat is not installed and CI is not set: the hardhat tests skip (under CI they fail)."""
    return hardhat_binary() is None and not on_ci()


needs_hardhat = pytest.mark.skipif(hardhat_missing(), reason="hardhat is not installed (npm ci in contracts/)")


@contextmanager
def run_hardhat() -> Iterator[DevChain]:
    """Starts a real Hardhat Network node (`hardhat node`, the same mnemonic as anvil) on a free port."""
    binary = hardhat_binary()
    if binary is None:
        raise RuntimeError("hardhat is not installed: run `npm ci` in contracts/ (CI does).")
    port = free_port()
    env = {**os.environ, "HARDHAT_DISABLE_TELEMETRY_PROMPT": "true"}
    args = [
        binary,
        "--config",
        str(HARDHAT_PROJECT / "hardhat.config.js"),
        "node",
        "--port",
        str(port),
        "--hostname",
        "127.0.0.1",
    ]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=HARDHAT_PROJECT)
    try:
        yield _wait_for_node(process, port, "hardhat", 10, timeout_s=60)
    finally:
        _stop(process)


def _wait_for_node(process: subprocess.Popen, port: int, kind: str, n_accounts: int, timeout_s: float = 20) -> DevChain:
    w3 = Web3(Web3.HTTPProvider(f"http://127.0.0.1:{port}", request_kwargs={"timeout": 30}))
    deadline = time.monotonic() + timeout_s
    while not w3.is_connected():
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{kind} did not start: {process.stderr.read().decode(errors='replace')}")
        time.sleep(0.05)
    Account.enable_unaudited_hdwallet_features()
    accounts = [Account.from_mnemonic(ANVIL_MNEMONIC, account_path=f"m/44'/60'/0'/0/{i}") for i in range(n_accounts)]
    return DevChain(w3=w3, accounts=accounts, kind=kind)


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@contextmanager
def run_anvil(
    n_accounts: int = 10, block_time: float | None = None, extra_args: tuple[str, ...] = (), hardfork: str = "cancun"
) -> Iterator[DevChain]:
    """Starts a real anvil on a free port and stops it afterwards (``hardfork`` "berlin": no base fee, legacy
    gas prices)."""
    binary = anvil_binary()
    if binary is None:
        raise RuntimeError("anvil is not installed: run `npm ci` in contracts/ (CI does).")
    port = free_port()
    args = [
        binary,
        "--port",
        str(port),
        "--accounts",
        str(n_accounts),
        "--mnemonic",
        ANVIL_MNEMONIC,
        "--hardfork",
        hardfork,
        "--gas-limit",
        "60000000",
        "--silent",
    ]
    if block_time is not None:
        args += ["--block-time", str(block_time)]
    args += list(extra_args)
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=os.environ.copy())
    try:
        yield _wait_for_node(process, port, "anvil", n_accounts)
    finally:
        _stop(process)
