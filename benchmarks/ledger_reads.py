"""What a read costs when nothing on the chain moved: the ledger view rebuilt (sync + SQL + a prediction per
contribution, what every read did before) against the view reused at the same head block.

    python benchmarks/ledger_reads.py [--contributions 200] [--repeats 20] [--json]

Setup (not timed): an embedded-chain wallet, one account, N contributions through the real use-case
(six hours apart on the chain's clock, so the deposits stay small).
Timed: ``refresh_ledger`` and ``own_contributions`` (the contributions page's read), median of the repeats,
once with the reused view dropped before each call and once as it is. Figures only: nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.sync import print_figures  # one way to print figures for both


def median_s(fn: Callable[[], Any], repeats: int, before: Callable[[], None] = lambda: None) -> float:
    times = []
    for _ in range(repeats):
        before()
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(count: int, repeats: int) -> dict[str, Any]:
    from dacwallet.usecases.accounts import fund_new_account
    from dacwallet.usecases.chainops import advance_clock
    from dacwallet.usecases.claims import own_contributions
    from dacwallet.usecases.context import TEST_SCRYPT_ENV, open_wallet
    from dacwallet.usecases.contribute import contribute
    from dacwallet.usecases.ledger import refresh_ledger
    from dacwallet.usecases.sending import signer_for
    from tests.support.crash_child import vocab_words

    os.environ[TEST_SCRYPT_ENV] = str(2**4)
    os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    words = vocab_words(100, 3 * count)
    with tempfile.TemporaryDirectory() as folder:
        ctx = open_wallet(Path(folder))
        try:
            fund_new_account(ctx, ctx.keys.create("bench", "bench-pw"))
            signer = signer_for(ctx, "bench", "bench-pw")
            for i in range(count):
                advance_clock(ctx, 6 * 3600)  # spaced out, so the deposit stays low and the test ether lasts
                contribute(ctx, signer, f"A film and a story {' '.join(words[3 * i : 3 * i + 3])}", "Positive")
            key = ("ledger view", ctx.chain_key, ctx.require_deployment().trainer)

            def drop() -> None:
                ctx.cache.pop(key, None)

            return {
                "contributions": count,
                "repeats": repeats,
                "ledger_rebuilt_s": round(median_s(lambda: refresh_ledger(ctx), repeats, drop), 4),
                "ledger_reused_s": round(median_s(lambda: refresh_ledger(ctx), repeats), 4),
                "own_contributions_reused_s": round(median_s(lambda: own_contributions(ctx), repeats), 4),
                "own_contributions_rebuilt_s": round(median_s(lambda: own_contributions(ctx), repeats, drop), 4),
            }
        finally:
            ctx.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--contributions", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    figures = measure(args.contributions, args.repeats)
    print_figures(figures, args.json)


if __name__ == "__main__":
    main()
