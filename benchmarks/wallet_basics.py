"""Benchmark of the wallet's basics: password estimate, a new account from a phrase, send, activity.

    python benchmarks/wallet_basics.py [--sends 50] [--json]

(a) the password policy's estimate (zxcvbn) for a typical and for a 64-character password, as the app's
    strength line pays it on every keystroke;
(b) a new recovery phrase and the account derived from it (BIP-39 seed + BIP-32 path), without the
    keystore's scrypt (the low test cost is used, so the figure is the phrase's own);
(c) ``send_ether`` on the embedded chain: checks, estimate, sign, journal, send, receipt — per transfer;
(d) ``account_activity`` for an account with that many transfers (one receipt read per mined row).
Figures only: nothing here is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as `python benchmarks/wallet_basics.py`: make `benchmarks` importable
    sys.path.insert(0, str(REPO))

os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
from dacwallet.usecases.context import TEST_SCRYPT_ENV

os.environ.setdefault(TEST_SCRYPT_ENV, str(2**4))  # a low-cost keystore: the figures are not scrypt's

from benchmarks.core import percentiles_ms, timed
from dacwallet.usecases.account_setup import create_account, password_strength
from dacwallet.usecases.accounts import give_test_ether
from dacwallet.usecases.activity import account_activity
from dacwallet.usecases.context import open_wallet
from dacwallet.usecases.sending import signer_for
from dacwallet.usecases.transfer import send_ether

PASSWORD = "bench-quiet-harbor-71"
LONG_PASSWORD = "correct horse battery staple " * 2 + "ok!!!!"


def estimate_latency(repeat: int) -> dict[str, Any]:
    return {
        "typical": percentiles_ms(timed(lambda: password_strength(PASSWORD, "bench"), repeat)),
        "64_chars": percentiles_ms(timed(lambda: password_strength(LONG_PASSWORD[:64], "bench"), repeat)),
    }


def new_account_latency(folder: Path, repeat: int) -> dict[str, Any]:
    ctx = open_wallet(folder)
    names = iter(range(repeat + 1))
    try:
        return percentiles_ms(timed(lambda: create_account(ctx.keys, f"phrase{next(names)}", PASSWORD), repeat))
    finally:
        ctx.close()


def send_and_activity(folder: Path, sends: int) -> dict[str, Any]:
    ctx = open_wallet(folder)
    try:
        sender, _ = create_account(ctx.keys, "sender", PASSWORD)
        recipient, _ = create_account(ctx.keys, "recipient", PASSWORD)
        give_test_ether(ctx, sender.address, 10**21)
        signer = signer_for(ctx, "sender", PASSWORD)
        start = time.perf_counter()
        for _ in range(sends):
            send_ether(ctx, signer, recipient.address, 10**15)
        elapsed = time.perf_counter() - start
        listing = timed(lambda: account_activity(ctx, sender.address), 5)
        rows = len(account_activity(ctx, sender.address))
    finally:
        ctx.close()
    return {
        "sends": sends,
        "send_ms_each": round(elapsed / sends * 1000, 1),
        "activity_rows": rows,
        "activity": percentiles_ms(listing),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sends", type=int, default=50)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="dacwallet-bench-") as tmp:
        folder = Path(tmp) / "wallet"
        results = {
            "password_estimate": estimate_latency(200),
            "new_account_from_phrase": new_account_latency(folder, 20),
            "embedded": send_and_activity(folder, args.sends),
        }
    if args.json:
        print(json.dumps(results, indent=1))
    else:
        for section, figures in results.items():
            print(f"{section}: {json.dumps(figures)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
