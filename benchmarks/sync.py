"""Benchmark of the indexer: N contributions on a real anvil, synced into a fresh store.

    python benchmarks/sync.py [--contributions 10000] [--accounts 10] [--json]

Deploys the shipped default model (imdb-default) on anvil, sends N pre-signed addData
transactions of 20 random feature indices each (automine: one block each), then times a
sync into an empty database with the mirror rebuilt from the stored events (target <= 10 s),
and the computation of every chart series from the store. Also: the ledger's mirror refresh with
nothing new (MirrorCache) against the full replay it replaced, and reading N transactions the way
the indexer reads claim transactions, in JSON-RPC batches against one request each.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from unittest.mock import patch

import numpy as np
from web3 import Web3

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # for tests.support.chains (run_anvil)

from dacwallet.contracts.deploy import IncentiveParams, deploy
from dacwallet.contracts.deployment import attach, incentive_contract, trainer_contract
from dacwallet.contracts.model_spec import ModelSpec
from dacwallet.ml.catalog import load_bundle
from dacwallet.store.db import open_database
from dacwallet.sync import batch
from dacwallet.sync.batch import read_many
from dacwallet.sync.indexer import Indexer
from dacwallet.sync.mirror import MirrorCache, rebuild_mirror
from dacwallet.sync.retry import RetryingCaller, RetryPolicy
from dacwallet.sync.series import chart_series
from tests.support.chains import run_anvil

COST_WEIGHT = 10**12  # small deposits, so ten dev accounts can afford 10,000 of them
FEATURES_PER_CONTRIBUTION = 20
SEND_BATCH = 200


def send_contributions(chain: Any, trainer: str, count: int, n_accounts: int, seed: int = 1) -> float:
    """N addData transactions of 20 random features, pre-signed, sent in JSON-RPC batches of SEND_BATCH
    but each batch mined before the next is sent: with all 10,000 in anvil's pool at once, anvil once
    mined ~1,700 and then no block for minutes with ~8,300 pending. Returns seconds."""
    w3 = chain.w3
    contract = trainer_contract(w3, trainer)
    value = incentive_contract(w3, attach(w3, trainer).incentive_mechanism).functions.costWeight().call() * 3600
    accounts = chain.accounts[:n_accounts]
    for account in accounts:  # headroom for the deposits (3.6 ETH each at the default cost weight) and gas
        w3.provider.make_request("anvil_setBalance", [account.address, hex(10**24)])
    rng = np.random.default_rng(seed)
    num_features = load_bundle("default").model["num_features"]
    fee = max(100 * 10**9, 4 * w3.eth.get_block("latest")["baseFeePerGas"])
    nonces = [w3.eth.get_transaction_count(a.address, "pending") for a in accounts]
    chain_id = w3.eth.chain_id
    raw: list[str] = []
    for i in range(count):
        who = i % n_accounts
        data = sorted(int(x) for x in rng.choice(num_features, FEATURES_PER_CONTRIBUTION, replace=False))
        tx = {
            "type": 2,
            "chainId": chain_id,
            "to": trainer,
            "nonce": nonces[who],
            "gas": 1_500_000,
            "value": value,
            "maxFeePerGas": fee,
            "maxPriorityFeePerGas": 10**9,
            "data": contract.encode_abi("addData", args=[data, int(rng.integers(0, 2))]),
        }
        nonces[who] += 1
        raw.append(Web3.to_hex(accounts[who].sign_transaction(tx).raw_transaction))
    started = time.perf_counter()
    for start in range(0, count, SEND_BATCH):
        batch = raw[start : start + SEND_BATCH]
        responses = w3.provider.make_batch_request([("eth_sendRawTransaction", [r]) for r in batch])
        errors = [r["error"] for r in responses if "error" in r]
        if errors:
            raise RuntimeError(f"anvil refused a contribution: {errors[0]}")
        for last in batch[-n_accounts:]:
            receipt = w3.eth.wait_for_transaction_receipt(Web3.keccak(hexstr=last), timeout=120, poll_latency=0.02)
            if receipt["status"] != 1:
                raise RuntimeError("a contribution reverted")
    return time.perf_counter() - started


def time_transaction_reads(w3: Web3, tx_hashes: list[bytes], batches: bool) -> float:
    """Seconds to read every transaction as the indexer reads claim transactions (batched or one each)."""
    started = time.perf_counter()
    with patch.object(batch, "supports_batches", lambda _w3: batches):
        read_many(
            RetryingCaller(RetryPolicy()),
            w3,
            "reading transactions",
            [lambda h=h: w3.eth.get_transaction(h) for h in tx_hashes],
        )
    return time.perf_counter() - started


def measure(count: int, n_accounts: int) -> dict[str, Any]:
    bundle = load_bundle("default")
    with run_anvil(n_accounts=n_accounts) as chain, tempfile.TemporaryDirectory() as folder:
        deployment = deploy(
            chain.sender(0), ModelSpec.from_dict(bundle.model), IncentiveParams(cost_weight=COST_WEIGHT)
        )
        start_block = chain.w3.eth.block_number + 1
        send_s = send_contributions(chain, deployment.trainer, count, n_accounts)
        chain_key = f"{chain.w3.eth.chain_id}:{chain.w3.eth.get_block(0)['hash'].hex()}"
        conn = open_database(Path(folder))

        started = time.perf_counter()
        report = Indexer(chain.w3, conn, chain_key, deployment, start_block=start_block).sync()
        indexed = time.perf_counter()
        rebuilt = rebuild_mirror(conn, chain_key, deployment.trainer, bundle.new_mirror())
        rebuilt_at = time.perf_counter()
        series_started = time.perf_counter()
        charts = chart_series(conn, chain_key, deployment.trainer, chain.accounts[0].address, rebuilt)
        series_s = time.perf_counter() - series_started

        # The watcher's refresh with nothing new: the cached replay is checked, not replayed.
        cache = MirrorCache()
        cache.get(conn, chain_key, deployment.trainer, bundle.new_mirror)
        cached_started = time.perf_counter()
        cache.get(conn, chain_key, deployment.trainer, bundle.new_mirror)
        cached_s = time.perf_counter() - cached_started
        tx_hashes = [bytes(r[0]) for r in conn.execute("SELECT tx_hash FROM sync_contributions")]
        batched_s, one_by_one_s = (time_transaction_reads(chain.w3, tx_hashes, batches) for batches in (True, False))

        if report.contributions != count or len(charts.contributions) != count:
            raise RuntimeError(f"indexed {report.contributions} of {count} contributions")
        sample = [
            list(map(int, rebuilt_row))
            for rebuilt_row in (np.sort(np.random.default_rng(2).choice(2000, 20, replace=False)) for _ in range(50))
        ]
        classifier = chain.w3.eth.contract(
            address=deployment.classifier,
            abi=[
                {
                    "type": "function",
                    "name": "predict",
                    "stateMutability": "view",
                    "inputs": [{"name": "data", "type": "int64[]"}],
                    "outputs": [{"name": "", "type": "uint64"}],
                }
            ],
        )
        agree = sum(rebuilt.mirror.predict(s) == classifier.functions.predict(s).call() for s in sample)
        sync_s = indexed - started
        total_s = rebuilt_at - started
        return {
            "contributions": count,
            "accounts": n_accounts,
            "blocks": report.last_block - start_block + 1,
            "send_s": round(send_s, 2),
            "sync_s": round(sync_s, 3),
            "mirror_rebuild_s": round(rebuilt_at - indexed, 3),
            "sync_and_rebuild_s": round(total_s, 3),
            "events_per_s": round(count / total_s),
            "pages": report.pages,
            "series_s": round(series_s, 3),
            "mirror_refresh_nothing_new_s": round(cached_s, 4),
            "mirror_refresh_full_replay_s": round(rebuilt_at - indexed, 3),
            "claim_tx_reads": len(tx_hashes),
            "claim_tx_reads_batched_s": round(batched_s, 3),
            "claim_tx_reads_one_by_one_s": round(one_by_one_s, 3),
            "mirror_agrees_with_chain": f"{agree}/{len(sample)}",
            "prequential_accuracy": round(float(charts.prequential_accuracy.values[-1]), 4),
        }


def print_figures(figures: dict[str, Any], as_json: bool) -> None:
    """One figure a line, names aligned; or the whole dict as JSON."""
    if as_json:
        print(json.dumps(figures, indent=2))
        return
    width = max(map(len, figures))
    for name, value in figures.items():
        print(f"{name:<{width}}  {value}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--contributions", type=int, default=10_000)
    parser.add_argument("--accounts", type=int, default=10)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    figures = measure(args.contributions, args.accounts)
    print_figures(figures, args.json)


if __name__ == "__main__":
    main()
