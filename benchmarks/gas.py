"""Gas used by our contracts for the IMDB-sized case of REFERENCE.md, beside the reference's figures.

1000-feature model, Stakeable (costWeight 1e15, 1 day refund wait, 9 days before anyone takes),
a 20-index review. deploy = every transaction of a full deployment. Measured on the embedded
chain (revm) and on anvil, side by side: the two must agree to the unit. (The reference's figures
were measured on py-evm.)

    python benchmarks/gas.py [--chain both|embedded|anvil] [--json]
    python benchmarks/gas.py --shipped [--json]   # full deployment of each shipped model: gas and seconds
    python benchmarks/gas.py --real [--count 200] [--chain embedded|anvil] [--json]
        # gas per contribution of real reviews: the reference's IMDB demo stack against our default (the gated
        # Naive Bayes, its contributions split into gate-skipped and learned) and imdb-perceptron
        # (benchmarks/gas_real.py)

naive_bayes is NaiveBayesClassifier; nearest_centroid is SparseNearestCentroidClassifier (the sparse,
index-list model a text vocabulary uses), both with random counts over the same 1000 features.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as `python benchmarks/gas.py`: make `tests.support` importable
    sys.path.insert(0, str(ROOT))

from dacwallet.chain.transactions import TransactionSender
from dacwallet.contracts.deploy import IncentiveParams, deploy
from dacwallet.contracts.deployment import Deployment, classifier_contract, trainer_contract
from dacwallet.contracts.model_spec import ModelSpec
from tests.support.chains import DevChain, embedded_dev_chain, run_anvil

REFERENCE_MODEL = ROOT.parent / "shared" / "data" / "reference" / "imdb-sentiment-model.json"
FEATURES = 1000
REVIEW = 20
DAY = 86_400
E9 = 10**9
# REFERENCE.md: the reference contracts (solc 0.6.2) for the IMDB sparse perceptron.
REFERENCE = {
    "sparse_perceptron": {
        "deploy": 30_345_707,
        "add_data_no_update": 258_658,
        "add_data_update": 311_015,
        "refund": 220_967,
        "report": 185_895,
    }
}
TARGETS = {"deploy": 0.25, "add_data_no_update": 0.5, "add_data_update": 0.5, "refund": 0.5, "report": 0.5}
OPERATIONS = tuple(TARGETS)


SHIPPED = ("imdb-default", "imdb-naive-bayes", "imdb-perceptron")
CHAINS: dict[str, Callable[[int], AbstractContextManager[DevChain]]] = {
    "embedded": embedded_dev_chain,
    "anvil": lambda n: run_anvil(n_accounts=n),
}


def perceptron_weights(rng: random.Random) -> list[int]:
    """The reference demo's weights when shared/ is beside the checkout, else seeded ones like them."""
    if REFERENCE_MODEL.exists():
        return [round(w * E9) for w in json.loads(REFERENCE_MODEL.read_text())["weights"]]
    return [round(rng.uniform(-6, 6) * E9) for _ in range(FEATURES)]


def models(rng: random.Random) -> dict[str, ModelSpec]:
    common = {
        "description": "gas benchmark",
        "encoder": "IMDB vocab",
        "classifications": ["Negative", "Positive"],
        "num_features": FEATURES,
    }
    counts = [[rng.randint(1, 500) for _ in range(FEATURES)] for _ in range(2)]
    return {
        "sparse_perceptron": ModelSpec.from_dict(
            {
                **common,
                "type": "sparse_perceptron",
                "name": "perceptron",
                "weights": perceptron_weights(rng),
                "intercept": 5 * E9,
                "learning_rate": E9 // 2,
            }
        ),
        "naive_bayes": ModelSpec.from_dict(
            {
                **common,
                "type": "naive_bayes",
                "name": "naive bayes",
                "feature_counts": counts,
                "num_samples": [2000, 2000],
                "smoothing_factor": E9,
            }
        ),
        "nearest_centroid": ModelSpec.from_dict(
            {
                **common,
                "type": "sparse_nearest_centroid",
                "name": "centroid",
                "feature_counts": counts,
                "num_samples": [2000, 2000],
            }
        ),
    }


class Bench:
    """A fresh chain with the model deployed and helpers that return gas used."""

    def __init__(self, chain: DevChain, spec: ModelSpec, incentive: IncentiveParams) -> None:
        self.chain = chain
        self.w3 = chain.w3
        self.accounts = chain.accounts
        progress = []
        self.deployment: Deployment = deploy(
            self.sender(0), spec, incentive, on_progress=lambda p, *_: progress.append(p.gas_used)
        )
        self.deploy_gas = progress[-1]
        self.trainer = trainer_contract(self.w3, self.deployment.trainer)
        self.model = classifier_contract(self.w3, self.deployment.classifier)

    def sender(self, i: int) -> TransactionSender:
        return TransactionSender(self.w3, self.accounts[i])

    def advance(self, seconds: int) -> None:
        self.chain.advance(seconds)

    def predict(self, data: list[int]) -> int:
        return self.model.functions.predict(data).call()

    def add(self, who: int, data: list[int], label: int) -> tuple[int, int]:
        """(gas used, added time)."""
        value = self.trainer.functions.getNextAddDataCost().call()
        receipt = self.sender(who).transact(
            {
                "to": self.deployment.trainer,
                "value": value,
                "data": self.trainer.encode_abi("addData", args=[data, label]),
            },
            action="addData",
        )
        return receipt["gasUsed"], self.w3.eth.get_block(receipt["blockNumber"])["timestamp"]

    def claim(self, who: int, function: str, args: list) -> int:
        receipt = self.sender(who).transact(
            {"to": self.deployment.trainer, "data": self.trainer.encode_abi(function, args=args)}, action=function
        )
        return receipt["gasUsed"]


def measure(kind: str, spec: ModelSpec, rng: random.Random) -> dict[str, int]:
    with CHAINS[kind](4) as chain:
        return _measure(Bench(chain, spec, IncentiveParams(cost_weight=10**15)), rng)


def measure_all(kind: str, seed: int) -> dict[str, dict[str, int]]:
    """Every model on a chain of ``kind``; a seed gives the same models, reviews and labels on any chain."""
    rng = random.Random(seed)
    return {name: measure(kind, spec, rng) for name, spec in models(rng).items()}


def _measure(bench: Bench, rng: random.Random) -> dict[str, int]:
    reviews = [sorted(rng.sample(range(FEATURES), REVIEW)) for _ in range(60)]
    # Steady use: accounts 1-3 have each contributed once before, so their stats word exists.
    warm_up = {}
    for who in (1, 2, 3):
        bench.advance(DAY)
        label = bench.predict(reviews[who])
        warm_up[who] = (reviews[who], label, bench.add(who, reviews[who], label)[1])
    bench.advance(DAY)
    agree = reviews[10]
    agree_label = bench.predict(agree)
    no_update, agree_time = bench.add(1, agree, agree_label)
    # A wrong label; keep the first that the model still rejects after learning it, so it can be reported.
    update = 0
    for review in reviews[11:]:
        bench.advance(DAY)
        bad_label = 1 - bench.predict(review)
        gas, bad_time = bench.add(3, review, bad_label)
        update = update or gas
        if bench.predict(review) != bad_label:
            bad = review
            break
    else:
        raise RuntimeError("every mislabelled review flipped the model; use another seed")
    bench.advance(DAY + 1)
    if bench.predict(agree) != agree_label or bench.predict(warm_up[2][0]) != warm_up[2][1]:
        raise RuntimeError("the model changed its mind about a refund case; use another seed")
    refund = bench.claim(1, "refund", [agree, agree_label, agree_time])  # account 1's first refund
    bench.claim(2, "refund", list(warm_up[2]))  # account 2 now has one validated contribution
    report = bench.claim(2, "report", [bad, bad_label, bad_time, bench.accounts[3].address])
    return {
        "deploy": bench.deploy_gas,
        "add_data_no_update": no_update,
        "add_data_update": update,
        "refund": refund,
        "report": report,
    }


def measure_shipped() -> dict[str, dict[str, float]]:
    """Every transaction of a full deployment of each shipped model (what a first start or a user deploys)."""
    from dacwallet.ml.model_file import model_path

    specs = {name: ModelSpec.from_file(model_path(name)) for name in SHIPPED}
    figures = {}
    for name, spec in specs.items():
        with embedded_dev_chain(1) as chain:
            started = time.perf_counter()
            bench = Bench(chain, spec, IncentiveParams(cost_weight=10**15))
            figures[name] = {"deploy": bench.deploy_gas, "seconds": round(time.perf_counter() - started, 1)}
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--shipped", action="store_true", help="deploy the shipped models instead")
    parser.add_argument("--chain", choices=("both", *CHAINS), default="both")
    parser.add_argument(
        "--real",
        action="store_true",
        help="gas per contribution of real validation reviews, the reference's stack against ours",
    )
    parser.add_argument("--count", type=int, default=200, help="--real: how many reviews (half of each label)")
    args = parser.parse_args(argv)
    if args.real:
        from benchmarks.gas_real import measure_real, print_real

        with CHAINS["embedded" if args.chain == "both" else args.chain](4) as chain:
            real = measure_real(chain, args.count)
        if args.json:
            print(json.dumps(real))
        else:
            print_real(real)
        return 0
    if args.shipped:
        shipped = measure_shipped()
        if args.json:
            print(json.dumps(shipped))
            return 0
        for name, f in shipped.items():
            print(f"{name:<25} full deployment {f['deploy']:>12,} gas  {f['seconds']:>6.1f} s on the embedded chain")
        return 0
    kinds = tuple(CHAINS) if args.chain == "both" else (args.chain,)
    measured = {kind: measure_all(kind, args.seed) for kind in kinds}
    results = measured[kinds[0]]
    same = all(measured[kind] == results for kind in kinds)
    if args.json:
        # ratio = ours / reference, keyed like "reference" (only the models the reference measured).
        ratio = {
            model: {op: round(results[model][op] / ref, 3) for op, ref in figures.items()}
            for model, figures in REFERENCE.items()
        }
        print(
            json.dumps(
                {**results, "reference": REFERENCE, "ratio": ratio, "chains": measured, "same_gas_on_every_chain": same}
            )
        )
        return 0
    others = kinds[1:]
    print(
        f"{'model':<18} {'operation':<20} {kinds[0]:>12} "
        + "".join(f"{k:>12} " for k in others)
        + f"{'reference':>12} {'ratio':>7} {'target':>7}"
    )
    for model, figures in results.items():
        for op in OPERATIONS:
            ref = REFERENCE.get(model, {}).get(op)
            ratio = f"{figures[op] / ref:.3f}" if ref else "-"
            met = "" if not ref else ("ok" if figures[op] / ref <= TARGETS[op] else "MISSED")
            print(
                f"{model:<18} {op:<20} {figures[op]:>12,} "
                + "".join(f"{measured[k][model][op]:>12,} " for k in others)
                + f"{f'{ref:,}' if ref else '-':>12} {ratio:>7} {'≤' + str(TARGETS[op]) if ref else '':>7} {met}"
            )
    if others:
        print(f"same gas on {' and '.join(kinds)}: {'yes' if same else 'NO'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
