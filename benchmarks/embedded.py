"""Benchmark of the embedded chain: throughput, reopen time and eth_getLogs as the chain grows.

    python benchmarks/embedded.py [--blocks 1000,10000] [--transfers 300] [--against REV] [--json]

Half of the blocks are plain transfers, half call a contract that emits one
log with a topic drawn from 100 values, so a "selective" query matches ~1 %.
With ``--against REV`` the same benchmark also runs as it was at git revision REV
(benchmarks/baseline.py) and the figures print side by side.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from eth_account import Account
from eth_utils import keccak, to_checksum_address

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as `python benchmarks/embedded.py`: make `benchmarks` importable
    sys.path.insert(0, str(REPO))

from benchmarks.baseline import print_side_by_side, run_at
from dacwallet.chain.embedded import FAUCET_PRIVATE_KEY, EmbeddedChain, open_embedded_chain

TOPIC = keccak(b"Ping(uint256)")
# LOG2(data=word0, topic0=TOPIC, topic1=word0) where word0 is the first calldata word.
_RUNTIME = bytes.fromhex("600035806000527f") + TOPIC + bytes.fromhex("60206000a200")
INITCODE = bytes.fromhex(f"61{len(_RUNTIME):04x}8061000d6000396000f3") + _RUNTIME
FAUCET = Account.from_key(FAUCET_PRIVATE_KEY)


def _signed(nonce: int, **tx: Any) -> bytes:
    tx.update(type=2, chainId=31338, nonce=nonce, maxFeePerGas=3 * 10**9, maxPriorityFeePerGas=10**9)
    return bytes(FAUCET.sign_transaction(tx).raw_transaction)


def _median_ms(action: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return round(statistics.median(times) * 1000, 2)


def transfers_per_second(folder: Path, count: int) -> dict[str, float]:
    with open_embedded_chain(folder) as chain:
        raws = [_signed(n, to=to_checksum_address(f"0x{n + 1:040x}"), value=1, gas=21_000) for n in range(count)]
        start = time.perf_counter()
        hashes = [chain.w3.eth.send_raw_transaction(raw) for raw in raws]
        sent = time.perf_counter() - start
        receipt_ms = _median_ms(lambda: chain.w3.eth.get_transaction_receipt(hashes[count // 2]))
        call_ms = _median_ms(
            lambda: chain.w3.eth.estimate_gas(
                {"from": FAUCET.address, "to": to_checksum_address(f"0x{1:040x}"), "value": 1}
            )
        )
    return {"transfers_per_s": round(count / sent, 1), "receipt_ms": receipt_ms, "estimate_gas_transfer_ms": call_ms}


def grow(chain: EmbeddedChain, target: int, ping: str) -> float:
    """Mine alternating transfers and log-emitting calls up to ``target``; returns blocks/s.

    Transactions are signed beforehand so the figure is the chain's, not the signer's.
    """
    w3 = chain.w3
    first = w3.eth.get_transaction_count(FAUCET.address, "pending")
    count = target - w3.eth.block_number
    raws = []
    for nonce in range(first, first + count):
        if nonce % 2:
            raws.append(_signed(nonce, to=ping, data=(nonce % 100).to_bytes(32, "big"), gas=40_000))
        else:
            to = to_checksum_address(f"0x{nonce % 50 + 1:040x}")
            raws.append(_signed(nonce, to=to, value=1, gas=21_000))
    start = time.perf_counter()
    for raw in raws:
        w3.eth.send_raw_transaction(raw)
    return count / (time.perf_counter() - start)


def log_queries(chain: EmbeddedChain, ping: str) -> dict[str, float]:
    w3 = chain.w3
    head = w3.eth.block_number
    selective = {"fromBlock": 0, "toBlock": "latest", "address": ping, "topics": [TOPIC, (7).to_bytes(32, "big")]}
    recent = {"fromBlock": max(0, head - 100), "toBlock": "latest", "address": ping}
    everything = {"fromBlock": 0, "toBlock": "latest", "address": ping}
    return {
        "get_logs_selective_ms": _median_ms(lambda: w3.eth.get_logs(selective)),
        "get_logs_selective_results": len(w3.eth.get_logs(selective)),
        "get_logs_last_100_blocks_ms": _median_ms(lambda: w3.eth.get_logs(recent)),
        "get_logs_all_ms": _median_ms(lambda: w3.eth.get_logs(everything), repeat=3),
        "get_logs_all_results": len(w3.eth.get_logs(everything)),
        # The same query without web3's result formatting: the index's own cost.
        "get_logs_all_provider_only_ms": _median_ms(
            lambda: w3.provider.make_request(
                "eth_getLogs", [{"fromBlock": "0x0", "toBlock": "latest", "address": ping}]
            )
        ),
    }


def reopen(folder: Path) -> dict[str, float]:
    start = time.perf_counter()
    with open_embedded_chain(folder) as chain:
        chain.w3.eth.get_balance(FAUCET.address)
        seconds = time.perf_counter() - start
    return {"open_ms": round(seconds * 1000, 1), "db_mb": round((folder / "chain.sqlite3").stat().st_size / 2**20, 1)}


def run(block_counts: list[int], transfers: int) -> dict[str, Any]:
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as scratch:
        results["throughput"] = transfers_per_second(Path(scratch) / "tps", transfers)
        folder = Path(scratch) / "grow"
        with open_embedded_chain(folder) as chain:
            receipt = chain.w3.eth.get_transaction_receipt(
                chain.w3.eth.send_raw_transaction(_signed(0, data=INITCODE, gas=200_000))
            )
            ping = receipt["contractAddress"]
        for target in sorted(block_counts):
            with open_embedded_chain(folder) as chain:
                rate = grow(chain, target, ping)
                figures = {"mixed_blocks_per_s": round(rate, 1), **log_queries(chain, ping)}
            results[f"{target}_blocks"] = {**figures, **reopen(folder)}
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blocks", default="1000,10000", help="chain lengths to measure at")
    parser.add_argument("--transfers", type=int, default=300)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--against", metavar="REV", help="also run this benchmark as it was at git revision REV")
    args = parser.parse_args()
    results = run([int(b) for b in args.blocks.split(",")], args.transfers)
    baseline = None
    if args.against:
        baseline = run_at(
            args.against, "benchmarks/embedded.py", ["--blocks", args.blocks, "--transfers", str(args.transfers)]
        )
    if args.json:
        print(
            json.dumps(
                results if baseline is None else {**results, "against": {"revision": args.against, **baseline}},
                indent=2,
            )
        )
        return
    print_side_by_side(rows(results), baseline and rows(baseline), args.against)


def rows(results: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (f"{section}: {name}", str(value)) for section, figures in results.items() for name, value in figures.items()
    ]


if __name__ == "__main__":
    main()
