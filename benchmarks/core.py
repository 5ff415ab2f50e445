"""Benchmark of the wallet core: contributions per second, predict latency, time to open a wallet.

    python benchmarks/core.py [--contributions 100] [--calls 200] [--no-anvil] [--against REV] [--json]

(a) contributions/s on the embedded chain through the real use-case (``contribute``: encode, save the
    draft, estimate, sign with a low-cost keystore, journal, send, receipt, record), and the raw rate of
    pre-signed addData transactions sent straight to the embedded chain's web3;
(b) ``predict`` latency (p50/p95) of a 20-index review as an eth_call on the embedded chain and on
    anvil, and the local mirror's predict for comparison;
(c) the time to open an existing wallet (the model and the contributions of (a) already in it).
With ``--against REV`` the same benchmark also runs as it was at git revision REV (benchmarks/baseline.py)
and the figures print side by side. Figures only: nothing here is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as `python benchmarks/core.py`: make `tests.support` importable
    sys.path.insert(0, str(REPO))

os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
from dacwallet.usecases.context import TEST_SCRYPT_ENV

os.environ.setdefault(TEST_SCRYPT_ENV, str(2**4))  # a low-cost keystore: signing cost is not scrypt's

from eth_account import Account

from benchmarks.baseline import print_side_by_side, run_at
from dacwallet.chain.embedded import FAUCET_PRIVATE_KEY
from dacwallet.contracts.deploy import IncentiveParams, deploy
from dacwallet.contracts.deployment import classifier_contract, trainer_contract
from dacwallet.contracts.model_spec import ModelSpec
from dacwallet.ml.model_file import model_path
from dacwallet.paths import resources_dir
from dacwallet.usecases.accounts import give_test_ether
from dacwallet.usecases.context import open_wallet
from dacwallet.usecases.contribute import contribute
from dacwallet.usecases.sending import signer_for

PASSWORD = "benchmark-pw"
REVIEW = (
    "A wonderful film: brilliant acting, a moving story and a great score, although the middle drags and "
    "the dialogue is sometimes clumsy. The photography is beautiful, the cast superb, the ending touching; "
    "one of the best this year despite a weak script and some boring scenes."
)


def percentiles_ms(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {"p50_ms": round(statistics.median(ordered) * 1000, 3), "p95_ms": round(p95 * 1000, 3)}


def timed(action: Callable[[], object], repeat: int) -> list[float]:
    action()  # warm-up (caches, lazy imports)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


def distinct_texts(count: int) -> list[str]:
    """Short reviews that differ by one vocabulary word (identical ones could collide in a block)."""
    words = [
        w.strip()
        for w in (resources_dir() / "models" / "imdb-words.vocab.txt").read_text().splitlines()
        if w.strip().isalpha()
    ]
    return [f"{words[i % len(words)]} {words[(i // len(words) + 7) % len(words)]} a great film" for i in range(count)]


def twenty_indices(bundle: Any) -> list[int]:
    data = bundle.encoder.encode(REVIEW)
    if len(data) < 20:  # pad with the most common words' indices the review does not have
        data = sorted(set(data) | set(range(40)))
    return list(data[:20])


def usecase_rate(folder: Path, count: int) -> dict[str, Any]:
    """(a) through ``contribute``; leaves ``folder`` with the model and ``count`` contributions."""
    start = time.perf_counter()
    ctx = open_wallet(folder)
    first_open = time.perf_counter() - start
    try:
        account = ctx.keys.create("bench", PASSWORD)
        give_test_ether(ctx, account.address, 10**6 * 10**18)  # deposits are up to 3.6 ether each
        signer = signer_for(ctx, "bench", PASSWORD)
        texts = distinct_texts(count)
        start, cpu = time.perf_counter(), time.process_time()
        states = [contribute(ctx, signer, text, "Positive").state for text in texts]
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    finally:
        ctx.close()
    return {
        "first_open_with_deploy_s": round(first_open, 2),
        "contributions": count,
        "added": states.count("added"),
        "usecase_per_s": round(count / elapsed, 1),
        "usecase_ms_each": round(elapsed / count * 1000, 1),
        # This process's CPU time: on a shared machine the wall time also counts other jobs and slow fsyncs.
        "usecase_cpu_ms_each": round(cpu / count * 1000, 1),
        "load_average_1min": round(os.getloadavg()[0], 1),
    }


def raw_rate(folder: Path, count: int) -> dict[str, Any]:
    """(a) pre-signed addData transactions from the faucet, sent straight to the embedded chain's w3."""
    ctx = open_wallet(folder)
    try:
        w3 = ctx.w3
        deployment = ctx.require_deployment()
        trainer = trainer_contract(w3, deployment.trainer)
        faucet = Account.from_key(FAUCET_PRIVATE_KEY)
        nonce = w3.eth.get_transaction_count(faucet.address, "pending")
        base_fee = w3.eth.get_block("latest")["baseFeePerGas"]
        value = 3600 * 10**15  # the highest deposit the default rules ask (no time since the last one)
        sample = [[1, 2, 3], 1]
        gas = 2 * w3.eth.estimate_gas(
            {
                "from": faucet.address,
                "to": deployment.trainer,
                "value": value,
                "data": trainer.encode_abi("addData", args=sample),
            }
        )
        raws = []
        for i in range(count):
            data = sorted({(i * 7) % 2000, (i * 13 + 1) % 2000, (i * 31 + 2) % 2000, 1999 - i % 1000})
            tx = {
                "type": 2,
                "chainId": ctx.connection.chain_id,
                "nonce": nonce + i,
                "to": deployment.trainer,
                "value": value,
                "gas": gas,
                "maxFeePerGas": 4 * base_fee + 10**9,
                "maxPriorityFeePerGas": 10**9,
                "data": trainer.encode_abi("addData", args=[data, i % 2]),
            }
            raws.append(bytes(faucet.sign_transaction(tx).raw_transaction))
        start = time.perf_counter()
        hashes = [w3.eth.send_raw_transaction(raw) for raw in raws]
        elapsed = time.perf_counter() - start
        ok = sum(w3.eth.get_transaction_receipt(h)["status"] for h in hashes)
    finally:
        ctx.close()
    return {
        "raw_per_s": round(count / elapsed, 1),
        "raw_ms_each": round(elapsed / count * 1000, 1),
        "raw_succeeded": ok,
    }


def predict_latency(folder: Path, calls: int, with_anvil: bool) -> dict[str, Any]:
    """(b) eth_call predict on the embedded chain and on anvil, and the mirror's predict."""
    ctx = open_wallet(folder)
    try:
        bundle = ctx.bundle
        data = twenty_indices(bundle)
        model = classifier_contract(ctx.w3, ctx.require_deployment().classifier)
        embedded = timed(lambda: model.functions.predict(data).call(), calls)
        on_chain = model.functions.predict(data).call()
        # The mirror as the preview uses it: rebuilt from the chain's AddData events, then asked.
        mirror = bundle.new_mirror()
        events = trainer_contract(ctx.w3, ctx.require_deployment().trainer).events.AddData()
        for log in events.get_logs(from_block=0):
            try:
                mirror.update(list(log["args"]["d"]), log["args"]["c"])
            except Exception:
                pass
        mirrored = timed(lambda: mirror.predict(data), calls * 10)
        agrees = mirror.predict(data) == on_chain
    finally:
        ctx.close()
    result: dict[str, Any] = {
        "indices": len(data),
        "calls": calls,
        "embedded": percentiles_ms(embedded),
        "mirror": percentiles_ms(mirrored),
        "mirror_agrees_with_chain": agrees,
    }
    if with_anvil:
        from tests.support.chains import run_anvil

        try:
            with run_anvil() as node:
                deployment = deploy(node.sender(0), ModelSpec.from_file(model_path("default")), IncentiveParams())
                anvil_model = classifier_contract(node.w3, deployment.classifier)
                result["anvil"] = percentiles_ms(timed(lambda: anvil_model.functions.predict(data).call(), calls))
        except RuntimeError as exc:  # anvil not installed
            result["anvil"] = {"error": str(exc)}
    return result


def open_time(folder: Path, repeat: int) -> dict[str, Any]:
    """(c) open_wallet on a folder that already has the model and the contributions."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        ctx = open_wallet(folder)
        times.append(time.perf_counter() - start)
        ctx.close()
    return {
        "repeat": repeat,
        "median_ms": round(statistics.median(times) * 1000, 1),
        "max_ms": round(max(times) * 1000, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contributions", type=int, default=100)
    parser.add_argument("--calls", type=int, default=200, help="eth_calls per latency figure")
    parser.add_argument("--no-anvil", action="store_true", help="skip the anvil latency")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--against", metavar="REV", help="also run this benchmark as it was at git revision REV")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="dacwallet-bench-") as tmp:
        folder = Path(tmp) / "wallet"
        results: dict[str, Any] = {"contribute": usecase_rate(folder, args.contributions)}
        results["open_existing_wallet"] = open_time(folder, 5)  # model + N contributions, before the raw ones
        results["predict"] = predict_latency(folder, args.calls, not args.no_anvil)
        results["contribute"].update(raw_rate(folder, args.contributions))
    baseline = None
    if args.against:
        flags = ["--contributions", str(args.contributions), "--calls", str(args.calls)]
        baseline = run_at(args.against, "benchmarks/core.py", flags + (["--no-anvil"] if args.no_anvil else []))

    if args.json:
        print(
            json.dumps(results if baseline is None else {**results, "against": {"revision": args.against, **baseline}})
        )
        return 0
    print_side_by_side(rows(results), baseline and rows(baseline), args.against)
    return 0


def rows(results: dict[str, Any]) -> list[tuple[str, str]]:
    """The printed figures: (what, value)."""
    c, p, o = results["contribute"], results["predict"], results["open_existing_wallet"]
    out = [
        ("first open (deploys the default model)", f"{c['first_open_with_deploy_s']} s"),
        (
            f"contribute() x{c['contributions']} (use-case path)",
            f"{c['usecase_per_s']}/s  ({c['usecase_ms_each']} ms each, {c.get('usecase_cpu_ms_each', '?')} ms of CPU, "
            f"{c['added']} added; load average {c.get('load_average_1min', '?')})",  # '?': a revision without them
        ),
        (
            f"raw addData x{c['contributions']} (pre-signed)",
            f"{c['raw_per_s']}/s  ({c['raw_ms_each']} ms each, {c['raw_succeeded']} succeeded)",
        ),
        (
            f"predict, {p['indices']} indices, embedded eth_call",
            f"p50 {p['embedded']['p50_ms']} ms, p95 {p['embedded']['p95_ms']} ms",
        ),
    ]
    if "anvil" in p:
        anvil = p["anvil"]
        out.append(
            (
                f"predict, {p['indices']} indices, anvil eth_call",
                f"p50 {anvil['p50_ms']} ms, p95 {anvil['p95_ms']} ms" if "p50_ms" in anvil else anvil["error"],
            )
        )
    out += [
        (
            f"predict, {p['indices']} indices, mirror",
            f"p50 {p['mirror']['p50_ms']} ms, p95 {p['mirror']['p95_ms']} ms (agrees: {p['mirror_agrees_with_chain']})",
        ),
        (
            f"open existing wallet ({c['contributions']} contributions)",
            f"median {o['median_ms']} ms, max {o['max_ms']} ms",
        ),
    ]
    return out


if __name__ == "__main__":
    sys.exit(main())
