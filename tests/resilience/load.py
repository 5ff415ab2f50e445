"""Load: many accounts contributing at once against anvil, each from its own thread with its own
nonce sequence (pre-signed raw transactions, sent in modest batches, receipts awaited per batch).
Afterwards a clean index must hold exactly one AddData per contribution, every key present."""

from __future__ import annotations

import secrets
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from eth_account import Account
from web3 import Web3

from dacwallet.contracts.deployment import incentive_contract, trainer_contract
from dacwallet.store.db import open_database
from dacwallet.sync.indexer import Indexer
from dacwallet.sync.keys import contribution_key
from tests.resilience.harness import Tally, http_w3
from tests.resilience.node_faults import CHAIN_KEY, dev_chain
from tests.sync.support import deploy_small

BATCH = 20
GAS = 600_000
RECEIPT_TIMEOUT_S = 120


@dataclass
class LoadResult:
    tally: Tally
    accounts: int
    per_account: int
    seconds: float
    indexed: int
    tx_per_s: float


def run_load(node_url: str, tmp: Path, *, accounts: int, per_account: int) -> LoadResult:
    w3 = http_w3(node_url, timeout=60)
    chain = dev_chain(node_url)
    deployment = deploy_small(chain)
    trainer = trainer_contract(w3, deployment.trainer)
    value = incentive_contract(w3, deployment.incentive_mechanism).functions.costWeight().call() * 3600  # the max
    keys = [Account.from_key(secrets.token_bytes(32)) for _ in range(accounts)]
    for account in keys:
        w3.provider.make_request("anvil_setBalance", [account.address, hex(10**24)])
    chain_id = w3.eth.chain_id
    fee = 2 * w3.eth.get_block("latest")["baseFeePerGas"] + 10**9 + 10**10
    expected: dict[bytes, None] = {}
    failures: list[str] = []
    lock = threading.Lock()

    def contributor(index: int) -> int:
        account = keys[index]
        local = http_w3(node_url, timeout=60)
        mined = 0
        raws = []
        for j in range(per_account):
            tx = {
                "to": deployment.trainer,
                "value": value,
                "gas": GAS,
                "maxFeePerGas": fee,
                "maxPriorityFeePerGas": 10**9,
                "nonce": j,
                "chainId": chain_id,
                "data": trainer.encode_abi("addData", args=[[j, 1000 + index], 1]),
            }
            raws.append(account.sign_transaction(tx))
        for start in range(0, per_account, BATCH):
            hashes = [local.eth.send_raw_transaction(s.raw_transaction) for s in raws[start : start + BATCH]]
            for tx_hash in hashes:
                receipt = local.eth.wait_for_transaction_receipt(tx_hash, timeout=RECEIPT_TIMEOUT_S, poll_latency=0.05)
                if receipt["status"] != 1:
                    with lock:
                        failures.append(f"account {index}: {Web3.to_hex(tx_hash)} reverted")
                    continue
                args = trainer.events.AddData().process_receipt(receipt)[0]["args"]
                key = contribution_key(list(args["d"]), args["c"], args["t"], args["sender"])
                with lock:
                    expected[key] = None
                mined += 1
        return mined

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=accounts) as pool:
        futures = [pool.submit(contributor, i) for i in range(accounts)]
        mined = []
        for f in futures:
            try:
                mined.append(f.result())
            except Exception as exc:
                failures.append(f"{type(exc).__name__}: {exc}"[:200])
                mined.append(0)
    seconds = time.monotonic() - started

    conn = open_database(tmp / "load-index")
    try:
        Indexer(w3, conn, CHAIN_KEY, deployment).sync()
        indexed = [bytes(k) for (k,) in conn.execute("SELECT contribution_key FROM sync_contributions")]
    finally:
        conn.close()
    total = accounts * per_account
    tally = Tally(f"load: {accounts} accounts x {per_account} contributions")
    tally.tried = total
    tally.survived = sum(mined)
    missing = len(set(expected) - set(indexed))
    doubled = len(indexed) - len(set(indexed))
    strangers = len(set(indexed) - set(expected))
    tally.lost = missing + doubled + strangers + (total - len(expected))
    tally.failures = failures[:20]
    if len(indexed) != total:
        tally.failures.append(f"the index holds {len(indexed)} AddData events, expected {total}")
    return LoadResult(tally, accounts, per_account, seconds, len(indexed), total / seconds if seconds else 0.0)
