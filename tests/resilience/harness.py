"""Shared pieces of the resilience checks: a tally per scenario, an in-process CLI driver that
never lets an exception escape unseen, and a deployed default model on an anvil node.

The scenarios live in the other modules of this package; the tests run them small and
``benchmarks/resilience.py`` runs them big and prints their tallies.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from eth_account import Account
from web3 import Web3

from dacwallet import cli
from dacwallet.chain.transactions import TransactionSender
from dacwallet.contracts.deploy import DAY_S, IncentiveParams, deploy
from dacwallet.contracts.deployment import Deployment
from dacwallet.contracts.model_spec import ModelSpec
from dacwallet.ml.model_file import model_path
from dacwallet.usecases.context import TEST_SCRYPT_ENV

# anvil's well-known dev keys (mnemonic "test test ... junk"), accounts 0 and 1.
DEV_KEYS = (
    "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
    "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
)
RULES = IncentiveParams(refund_wait_s=DAY_S, owner_claim_wait_s=9 * DAY_S, any_address_claim_wait_s=9 * DAY_S)
NULL_KEYRING = "keyring.backends.null.Keyring"


@dataclass
class Tally:
    """One scenario's count: ``tried`` cases, ``survived`` (success or a clear DacwalletError / exit 1-2),
    ``lost`` (data lost or a transaction sent twice). ``failures`` describes what did not survive."""

    scenario: str
    tried: int = 0
    survived: int = 0
    lost: int = 0
    failures: list[str] = field(default_factory=list)

    def ok(self) -> None:
        self.tried += 1
        self.survived += 1

    def fail(self, why: str) -> None:
        self.tried += 1
        if len(self.failures) < 20:
            self.failures.append(why)

    def as_dict(self) -> dict[str, object]:
        return {
            "scenario": self.scenario,
            "tried": self.tried,
            "survived": self.survived,
            "lost": self.lost,
            "failures": self.failures,
        }


@dataclass
class CliRun:
    code: int | None  # None: an exception escaped cli.main
    out: str
    err: str
    crash: str | None = None  # the traceback when one escaped

    def json_value(self):
        return json.loads(self.out)

    @property
    def clear(self) -> bool:
        """Ended the way the CLI promises: 0, or 1/2 with a message on stderr."""
        return self.crash is None and (self.code == 0 or (self.code in (1, 2) and self.err.strip() != ""))


@contextlib.contextmanager
def cheap_test_env() -> Iterator[None]:
    """Cheap scrypt and no OS keyring, for code run outside pytest (the benchmark)."""
    saved = {k: os.environ.get(k) for k in (TEST_SCRYPT_ENV, "PYTHON_KEYRING_BACKEND")}
    os.environ[TEST_SCRYPT_ENV] = str(2**4)
    os.environ.setdefault("PYTHON_KEYRING_BACKEND", NULL_KEYRING)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def run_cli(data_dir: Path, network: str, *args: str, stdin: str = "", extra: tuple[str, ...] = ()) -> CliRun:
    """``dacwallet --data-dir D --network N ARGS`` in this process, stdin given, output captured."""
    argv = [*extra, "--data-dir", str(data_dir), "--network", network, *args]
    return run_argv(argv, stdin=stdin)


def run_argv(argv: list[str], *, stdin: str = "") -> CliRun:
    out, err = io.StringIO(), io.StringIO()
    old_stdin = sys.stdin
    sys.stdin = io.StringIO(stdin)
    crash = None
    code: int | None = None
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main(argv)
    except BaseException:
        crash = traceback.format_exc()
    finally:
        sys.stdin = old_stdin
    return CliRun(code, out.getvalue(), err.getvalue(), crash)


def deploy_default(w3: Web3, key: str = DEV_KEYS[0]) -> Deployment:
    """The shipped default (IMDB) model, deployed by ``key`` with the demo's waiting periods."""
    return deploy(TransactionSender(w3, Account.from_key(key)), ModelSpec.from_file(model_path("default")), RULES)


def http_w3(url: str, timeout: float = 30) -> Web3:
    return Web3(Web3.HTTPProvider(url, request_kwargs={"timeout": timeout}))
