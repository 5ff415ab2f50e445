"""Key hygiene: a full CLI session (create, import with a raw key, --remember in a test keyring,
contribute, refund, report), then every file of the data folder (SQLite and its WAL included),
every captured output and log line, and every temp file created meanwhile is scanned for the
private keys and passwords in all the forms they could be written; keystore modes are checked; and
after a use-case runs, nothing reachable from the WalletContext holds the password or the key.

Python's limits: ``str`` and ``bytes`` are immutable and cannot be wiped; a decrypted key or a
typed password lives in freed memory until it is overwritten, may be interned or cached by the
runtime, and is held by the caller's own frame as long as the caller keeps it. What can be checked,
and is, is that no object the wallet keeps (reachable from its context) refers to them afterwards.
"""

from __future__ import annotations

import gc
import logging
import os
import secrets
import stat
import tempfile
import types
from collections import deque
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import keyring
from eth_account import Account

from dacwallet.chain.connect import NetworkSpec
from dacwallet.chain.transactions import TransactionSender
from dacwallet.usecases.context import open_wallet
from dacwallet.usecases.contribute import contribute
from dacwallet.usecases.sending import signer_for
from tests.resilience.harness import DEV_KEYS, Tally, deploy_default, http_w3, run_cli
from tests.support.keyring_backend import MemoryKeyring

GOOD = "A wonderful film: brilliant acting, a moving story and a great score. One of the best this year."
BAD = "Dreadful and boring. The worst acting, a stupid plot, a waste of time; awful from start to end."
DAY = 86_400
MAX_WALK = 300_000  # objects visited from the context at most


def secret_forms(secret: str | bytes) -> list[bytes]:
    """The byte strings that would betray ``secret`` on disk or in output."""
    if isinstance(secret, bytes):
        return [secret, secret.hex().encode(), secret.hex().upper().encode()]
    return [secret.encode(), secret.encode("utf-16-le")]


@contextmanager
def captured_session(root: Path):
    """Temp files go to ``root/tmp``, log records of every level to a list, the keyring to a test backend."""
    tmp = root / "tmp"
    tmp.mkdir(parents=True)
    saved_tempdir, saved_env = tempfile.tempdir, os.environ.get("TMPDIR")
    tempfile.tempdir, os.environ["TMPDIR"] = str(tmp), str(tmp)
    records: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(self.format(record))

    handler, logger = Keep(logging.DEBUG), logging.getLogger()
    saved_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    previous_keyring = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield tmp, records, backend
    finally:
        keyring.set_keyring(previous_keyring)
        logger.removeHandler(handler)
        logger.setLevel(saved_level)
        tempfile.tempdir = saved_tempdir
        if saved_env is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = saved_env


def run_session(node_url: str, root: Path) -> Tally:
    tally = Tally("key hygiene (full CLI session)")
    w3 = http_w3(node_url)
    deployment = deploy_default(w3)
    data_dir = root / "data"
    passwords = {"alice": "alice-" + secrets.token_hex(8), "bob": "bob-" + secrets.token_hex(8)}
    bob_key = "0x" + secrets.token_hex(32)
    faucet = TransactionSender(w3, Account.from_key(DEV_KEYS[0]))
    outputs: list[str] = []

    def cli(*args: str, stdin: str = "") -> dict | list | None:
        run = run_cli(data_dir, node_url, *args, stdin=stdin)
        outputs.extend([run.out, run.err, run.crash or ""])
        if run.code != 0:
            tally.fail(f"{' '.join(args[:3])}: exit {run.code} {run.err.strip()[:100]} {run.crash or ''}")
            return None
        return run.json_value() if "--json" in args else None

    def advance(seconds: int) -> None:
        w3.provider.make_request("evm_increaseTime", [seconds])
        w3.provider.make_request("evm_mine", [])

    with captured_session(root) as (tmp, records, backend):
        cli("deployment", "add", deployment.trainer, "--model-file", "default")
        alice = cli("account", "new", "alice", "--json", stdin=passwords["alice"] + "\n")
        bob = cli("account", "import", "bob", "--remember", "--json", stdin=f"{bob_key}\n{passwords['bob']}\n")
        for account in (alice, bob):
            if account:
                faucet.transact({"to": account["address"], "value": 10**19}, action="funding")
        cli(
            "contribute",
            "--account",
            "alice",
            "--password-stdin",
            "--label",
            "Positive",
            GOOD,
            "--json",
            stdin=passwords["alice"] + "\n",
        )
        cli("contribute", "--account", "bob", "--label", "Positive", BAD, "--json")  # the remembered password
        advance(DAY + 60)
        cli("refund", "--all", "--account", "alice", "--password-stdin", "--json", stdin=passwords["alice"] + "\n")
        reportable = cli("reportable", "--account", "alice", "--json") or []
        if reportable:
            cli(
                "report",
                reportable[0]["id"],
                "--account",
                "alice",
                "--password-stdin",
                "--json",
                stdin=passwords["alice"] + "\n",
            )
        else:
            tally.fail("bob's mislabelled review was not reportable: the session did not cover report")
        cli("account", "export", "alice", "--out", str(root / "alice-export.json"))
        wrong = run_cli(
            data_dir,
            node_url,
            "refund",
            "--all",
            "--account",
            "alice",
            "--password-stdin",
            stdin="not-" + passwords["alice"] + "\n",
        )
        outputs.extend([wrong.out, wrong.err, wrong.crash or ""])
        remembered = dict(backend.entries)
        check_context_holds_no_secret(node_url, data_dir, passwords["alice"], tally)
    alice_key = Account.decrypt((root / "alice-export.json").read_text(), passwords["alice"]) if alice else b""

    secrets_ = {
        "alice key": bytes(alice_key),
        "bob key": bytes.fromhex(bob_key[2:]),
        "alice password": passwords["alice"],
        "bob password": passwords["bob"],
    }
    places = {
        f"file {p.relative_to(root)}": p.read_bytes()
        for base in (data_dir, tmp)
        for p in sorted(base.rglob("*"))
        if p.is_file()
    }
    places["stdout/stderr"] = "\n".join(outputs).encode()
    places["log records"] = "\n".join(records).encode()
    for place, content in places.items():
        for name, secret in secrets_.items():
            leaked = any(form in content for form in secret_forms(secret))
            if leaked:
                tally.lost += 1
                tally.fail(f"{name} found in {place}")
            else:
                tally.ok()
    expected_remembered = {passwords["bob"]}
    if set(remembered.values()) == expected_remembered:
        tally.ok()  # only the password asked to be remembered went to the keyring, and no key
    else:
        tally.fail(f"the keyring holds {len(remembered)} entries, expected only bob's password")
    check_modes(data_dir, tally)
    return tally


def check_modes(data_dir: Path, tally: Tally) -> None:
    keystore = data_dir / "keystore"
    mode = stat.S_IMODE(keystore.stat().st_mode)
    tally.ok() if mode == 0o700 else tally.fail(f"keystore folder mode {oct(mode)}, not 0o700")
    for path in keystore.glob("*.json"):
        mode = stat.S_IMODE(path.stat().st_mode)
        tally.ok() if mode == 0o600 else tally.fail(f"{path.name} mode {oct(mode)}, not 0o600")


def check_context_holds_no_secret(node_url: str, data_dir: Path, password: str, tally: Tally) -> None:
    """Contributes through the use-case, drops the signer, then walks every object reachable from the
    context (modules excluded: they lead to the whole program) looking for the password or the key."""
    ctx = open_wallet(data_dir, NetworkSpec.parse(node_url))
    try:
        signer = signer_for(ctx, "alice", password)
        contribute(ctx, signer, GOOD + " Again, with feeling.", "Positive")
        del signer
        gc.collect()
        key = bytes(Account.decrypt(ctx.keys.export_keystore("alice"), password))
        found = reachable_secret(ctx, [password, key])
        tally.ok() if found is None else tally.fail(f"after contribute, the wallet context holds {found}")
        tally.lost += found is not None
        del key
    finally:
        ctx.close()


def reachable_secret(root: Any, secrets_: list[str | bytes]) -> str | None:
    seen: set[int] = set()
    queue: deque[tuple[Any, str]] = deque([(root, "ctx")])
    while queue and len(seen) < MAX_WALK:
        obj, path = queue.popleft()
        if id(obj) in seen or isinstance(obj, (types.ModuleType, type, types.FrameType)):
            continue
        seen.add(id(obj))
        if isinstance(obj, (str, bytes, bytearray, memoryview)):
            data = bytes(obj) if not isinstance(obj, str) else obj
            for secret in secrets_:
                if isinstance(secret, type(data)) and secret in data:
                    return f"the secret at {path}"
            continue
        for child in gc.get_referents(obj):
            queue.append((child, f"{path} -> {type(child).__name__}"))
    return None
