"""Resilience summary: node faults, a lying node, bad input, key hygiene and load, as one table.

    python benchmarks/resilience.py [--json] [--quick]

Every scenario runs against a real anvil (started here on free loopback ports, stopped at the end)
through the fault-injecting proxy of tests/support/rpc_proxy.py where it applies; the scenario code
is the same the tests in tests/resilience/ run at a smaller size. Columns: tried (cases), survived
(success, or a clear DacwalletError / CLI exit 1-2 with a message: never a traceback), lost (data
lost, index rows missing or doubled, or a transaction sent twice; for a lying node, a transaction that
reached it at all). --quick uses the test sizes; the slow-loris rows use the wallet's real 30 s deadline
(--quick: 3 s).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # for tests.resilience and tests.support

from tests.resilience import fuzz, hygiene, lying_node
from tests.resilience import node_faults as nf
from tests.resilience.harness import Tally, cheap_test_env, http_w3
from tests.resilience.load import run_load
from tests.resilience.nodes import AnvilProcess
from tests.support.rpc_proxy import RpcProxy

FULL = {
    "examples": 300,
    "indexer_rounds": 10,
    "malformed_rounds": 6,
    "reorg_rounds": 15,
    "wallet_rounds": 40,
    "switch_rounds": 5,
    "loris": (5.0, lying_node.http_provider.REQUEST_DEADLINE_S),
    "load": (50, 100),
}
QUICK = {
    "examples": 60,
    "indexer_rounds": 3,
    "malformed_rounds": 2,
    "reorg_rounds": 4,
    "wallet_rounds": 10,
    "switch_rounds": 1,
    "loris": (0.5, 3.0),
    "load": (10, 20),
}


def run(sizes: dict, tmp: Path, log) -> tuple[list[dict], dict]:
    rows: list[Tally] = []
    extra: dict = {}

    def timed(make):
        started = time.monotonic()
        tally = make()
        log(
            f"  {tally.scenario}: {tally.tried} tried, {tally.survived} survived, {tally.lost} lost "
            f"({time.monotonic() - started:.1f} s)"
        )
        rows.append(tally)
        return tally

    n = sizes["examples"]
    log("bad input (hypothesis, derandomized)")
    timed(lambda: fuzz.fuzz_private_keys(tmp, n))
    timed(lambda: fuzz.fuzz_mnemonics(tmp, n))
    timed(lambda: fuzz.fuzz_keystore_json(tmp, n))
    timed(lambda: fuzz.fuzz_account_names_and_passwords(tmp, n))
    timed(lambda: fuzz.fuzz_rpc_urls(2 * n))
    timed(lambda: fuzz.fuzz_labels(2 * n))
    timed(lambda: fuzz.fuzz_review_text(n))
    with AnvilProcess() as node, RpcProxy(node.url) as proxy:
        log(f"anvil at {node.url}, proxy at {proxy.url}")
        setup = nf.wallet_on(node.url, proxy, tmp / "fuzz-wallet")
        d = setup.deployment
        timed(
            lambda: fuzz.fuzz_addresses(
                http_w3(node.url), [d.classifier, d.data_handler, d.incentive_mechanism], n // 2
            )
        )
        timed(lambda: fuzz.fuzz_event_logs(d.trainer, d.incentive_mechanism, 4 * n))
        timed(lambda: fuzz.fuzz_cli_argv(setup.data_dir, proxy.url, 2 * n))

        log("node faults")
        chain = nf.dev_chain(node.url)
        busy = nf.busy_deployment(chain)
        timed(
            lambda: nf.indexer_under_faults(
                node.url,
                busy,
                tmp,
                rounds=sizes["indexer_rounds"],
                seed=7,
                rate=0.15,
                kinds=nf.TRANSPORT_FAULTS + nf.LOG_FAULTS,
                name="indexer: delay/drop/lose/429/502/range",
            )
        )
        timed(
            lambda: nf.indexer_under_faults(
                node.url,
                busy,
                tmp,
                rounds=sizes["malformed_rounds"],
                seed=3,
                rate=0.2,
                kinds=("malformed", "truncated"),
                name="indexer: malformed JSON",
            )
        )
        timed(lambda: nf.reorgs(chain, busy, tmp, rounds=sizes["reorg_rounds"], seed=11))
        wallet = nf.wallet_on(node.url, proxy, tmp / "fault-wallet")
        timed(lambda: nf.wallet_under_faults(node.url, wallet, rounds=sizes["wallet_rounds"], seed=5, rate=0.08))
        timed(lambda: nf.wrong_shapes(wallet))

        log("a lying node")
        liar = nf.wallet_on(node.url, proxy, tmp / "lying-wallet")
        timed(lambda: lying_node.network_switch(node.url, liar, rounds=sizes["switch_rounds"]))
        timed(lambda: lying_node.absurd_tip(node.url, liar))
        timed(lambda: lying_node.absurd_deposit(node.url, liar))
        every_s, deadline_s = sizes["loris"]
        timed(lambda: lying_node.slow_loris(node.url, liar, every_s=every_s, deadline_s=deadline_s))
    timed(lambda: nf.node_reset(tmp))

    log("key hygiene")
    with AnvilProcess() as node:
        timed(lambda: hygiene.run_session(node.url, tmp / "hygiene"))

    accounts, per_account = sizes["load"]
    log(f"load: {accounts} x {per_account}")
    with AnvilProcess() as node:
        timed(lambda: _load(node.url, tmp, accounts, per_account, extra))
    return [t.as_dict() for t in rows], extra


def _load(url: str, tmp: Path, accounts: int, per_account: int, extra: dict) -> Tally:
    result = run_load(url, tmp, accounts=accounts, per_account=per_account)
    extra["load"] = {
        "accounts": accounts,
        "per_account": per_account,
        "seconds": round(result.seconds, 1),
        "tx_per_s": round(result.tx_per_s, 1),
        "indexed_add_data": result.indexed,
    }
    return result.tally


def table(rows: list[dict]) -> str:
    width = max(len(r["scenario"]) for r in rows)
    lines = [f"| {'scenario':<{width}} | tried | survived | lost |", f"|{'-' * (width + 2)}|------:|---------:|-----:|"]
    lines += [f"| {r['scenario']:<{width}} | {r['tried']:>5} | {r['survived']:>8} | {r['lost']:>4} |" for r in rows]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--quick", action="store_true", help="the test suite's sizes (about a minute)")
    args = parser.parse_args()
    sizes = QUICK if args.quick else FULL
    log = (lambda s: print(s, file=sys.stderr)) if args.json else print
    started = time.monotonic()
    with cheap_test_env(), tempfile.TemporaryDirectory(prefix="dacwallet-resilience-") as tmp:
        rows, extra = run(sizes, Path(tmp), log)
    seconds = time.monotonic() - started
    if args.json:
        print(json.dumps({"quick": args.quick, "seconds": round(seconds, 1), "scenarios": rows, **extra}, indent=1))
        return 0
    print()
    print(table(rows))
    print(f"\n{'quick' if args.quick else 'full'} run, {seconds:.0f} s; load: {extra['load']}")
    for r in rows:
        for failure in r["failures"][:3]:
            print(f"  {r['scenario']}: {failure[:160]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
