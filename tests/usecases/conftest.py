"""Driving the CLI in-process, as a user would from a shell."""

from __future__ import annotations

import io
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from dacwallet import cli
from dacwallet.usecases.context import TEST_SCRYPT_ENV


@dataclass
class Run:
    code: int
    out: str
    err: str

    def json(self):
        return json.loads(self.out)


class Cli:
    def __init__(self, data_dir: Path, network: str, capsys) -> None:
        self.data_dir = data_dir
        self.network = network
        self.capsys = capsys

    def __call__(self, *args: str, stdin: str = "") -> Run:
        old = sys.stdin
        sys.stdin = io.StringIO(stdin)
        try:
            code = cli.main(["--data-dir", str(self.data_dir), "--network", self.network, *args])
        finally:
            sys.stdin = old
        captured = self.capsys.readouterr()
        return Run(code, captured.out, captured.err)

    def ok(self, *args: str, stdin: str = "") -> Run:
        run = self(*args, stdin=stdin)
        assert run.code == 0, run.err
        return run


def funding_new_accounts(cli: Cli, node) -> Cli:
    """``cli`` on a node without a faucet (anvil, hardhat): each `account new` is funded from a dev account."""
    original_ok = Cli.ok

    def fund_then_new(self: Cli, *args: str, stdin: str = "") -> Run:
        run = original_ok(self, *args, stdin=stdin)
        if args[:2] == ("account", "new"):
            node.sender(1).transact({"to": run.json()["address"], "value": 50 * 10**18}, action="funding")
        return run

    cli.ok = fund_then_new.__get__(cli)  # type: ignore[method-assign]
    return cli


@pytest.fixture(autouse=True)
def cheap_keys(monkeypatch):
    monkeypatch.setenv(TEST_SCRYPT_ENV, str(2**4))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")


@pytest.fixture
def embedded_ctx(tmp_path, cheap_keys):
    """A fresh wallet on the embedded chain (the default model deployed), closed afterwards."""
    from dacwallet.usecases.context import open_wallet

    opened = open_wallet(tmp_path)
    yield opened
    opened.close()
