"""Gas per contribution of real reviews (benchmarks/gas.py --real): the reference's IMDB demo stack (its compiled
contracts, its "IMDB vocab" encoder: every whitespace token, duplicates and unknown words as 1337) against ours
(the shipped default: Naive Bayes counts on the gated PackedNaiveBayes, and its encoder), both deployed on the same
chain in one run, ours' contributions also split by whether the gate skipped the update (the model already sure of
the label) or learned the counts; beside them "perceptron", imdb-perceptron (the default before issue 17, same
encoder).

Reviews: the first ``count`` of the validation split (dacwallet.ml.dataset.split of imdb_train), half positive and
half negative, alternating; each is contributed with its true label to both stacks, an hour apart (deposits stay
small; a model that disagrees learns, as it would in use). Needs ../shared/data (reviews, the reference's files).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Any

from dacwallet.contracts.deploy import IncentiveParams, deploy
from dacwallet.contracts.deployment import Deployment, attach, incentive_contract, trainer_contract
from dacwallet.contracts.model_spec import ModelSpec
from dacwallet.errors import InputError
from dacwallet.ml.catalog import load_bundle
from dacwallet.ml.dataset import Review, load_reviews, split
from dacwallet.ml.encoders import Encoder, ImdbVocabEncoder
from dacwallet.ml.mirrors import GatedNaiveBayesMirror
from dacwallet.ml.model_file import model_path
from tests.support.chains import DevChain
from tests.support.reference import deploy_imdb_demo
from tests.support.shared_data import IMDB_TRAIN, REFERENCE_VOCAB

HOUR = 3600


@dataclass(frozen=True)
class Stack:
    name: str
    deployment: Deployment
    encoder: Encoder
    account: int


def balanced(reviews: list[Review], count: int) -> list[Review]:
    """The first ``count // 2`` positive and negative reviews, alternating."""
    positive = [r for r in reviews if r.label == 1][: count // 2]
    negative = [r for r in reviews if r.label == 0][: count // 2]
    return [r for pair in zip(positive, negative, strict=False) for r in pair]  # the shorter list ends it


def contribute(chain: DevChain, stack: Stack, indices: list[int], label: int) -> int:
    """Gas used by one addData carrying the deposit the incentive mechanism asks now."""
    trainer = trainer_contract(chain.w3, stack.deployment.trainer)
    incentive = incentive_contract(chain.w3, stack.deployment.incentive_mechanism)
    deposit = incentive.functions.getNextAddDataCost().call()
    data = trainer.encode_abi("addData", args=[indices, label])
    receipt = chain.sender(stack.account).transact(
        {"to": stack.deployment.trainer, "value": deposit, "data": data}, action=f"addData to {stack.name}"
    )
    return int(receipt["gasUsed"])


def summary(gas: list[int], sizes: list[int]) -> dict[str, Any]:
    ordered = sorted(gas)
    return {
        "reviews": len(gas),
        "median_gas": int(statistics.median(gas)),
        "p90_gas": ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))],
        "mean_gas": round(statistics.fmean(gas)),
        "median_indices": statistics.median(sizes),
    }


def measure_real(chain: DevChain, count: int) -> dict[str, Any]:
    """Every stack on ``chain``; median and p90 gas per contribution and the indices sent, per stack."""
    reviews = balanced(split(load_reviews(IMDB_TRAIN))[1], count)
    reference = deploy_imdb_demo(chain.sender(0))
    ours = deploy(chain.sender(0), ModelSpec.from_file(model_path("default")), IncentiveParams())
    perceptron = deploy(chain.sender(0), ModelSpec.from_file(model_path("imdb-perceptron")), IncentiveParams())
    gate = load_bundle("default").new_mirror()
    assert isinstance(gate, GatedNaiveBayesMirror)
    encoder = load_bundle("default").encoder
    stacks = [
        Stack("reference", attach(chain.w3, reference.trainer), ImdbVocabEncoder.from_file(REFERENCE_VOCAB), 1),
        Stack("ours", ours, encoder, 2),
        Stack("perceptron", perceptron, encoder, 3),
    ]
    gas: dict[str, list[int]] = {s.name: [] for s in stacks}
    sizes: dict[str, list[int]] = {s.name: [] for s in stacks}
    by_gate: dict[str, list[tuple[int, int]]] = {"ours skipped": [], "ours learned": []}
    skipped = 0
    for review in reviews:
        try:
            encoded = [s.encoder.encode(review.text) for s in stacks]
        except InputError:  # a review one of the encoders cannot encode is left out of every stack
            skipped += 1
            continue
        for stack, indices in zip(stacks, encoded, strict=True):
            chain.advance(HOUR)
            used = contribute(chain, stack, indices, review.label)
            gas[stack.name].append(used)
            sizes[stack.name].append(len(indices))
            if stack.name == "ours":
                sure = gate.is_sure(indices, review.label)
                gate.update(indices, review.label)
                by_gate["ours skipped" if sure else "ours learned"].append((used, len(indices)))
    result = {
        "chain": chain.kind,
        "reviews_asked": count,
        "skipped": skipped,
        **{name: summary(gas[name], sizes[name]) for name in gas},
    }
    for name, pairs in by_gate.items():
        if pairs:
            result[name] = summary([g for g, _ in pairs], [n for _, n in pairs])
    return result


def print_real(result: dict[str, Any]) -> None:
    print(
        f"{result['reviews_asked']} balanced validation reviews, every stack on one {result['chain']} chain "
        f"({result['skipped']} left out: an encoder found no known word)"
    )
    print(f"{'stack':<14} {'reviews':>8} {'median gas':>12} {'p90 gas':>12} {'mean gas':>12} {'median indices':>15}")
    for name in ("reference", "ours", "ours skipped", "ours learned", "perceptron"):
        if name not in result:
            continue
        f = result[name]
        print(
            f"{name:<14} {f['reviews']:>8} {f['median_gas']:>12,} {f['p90_gas']:>12,} {f['mean_gas']:>12,} "
            f"{f['median_indices']:>15}"
        )
    print(f"ours / reference, median: {result['ours']['median_gas'] / result['reference']['median_gas']:.3f}")
