"""Gas per contribution of real reviews (benchmarks/gas.py --real): the reference's IMDB demo stack (its compiled
contracts, its "IMDB vocab" encoder: every whitespace token, duplicates and unknown words as 1337) against ours
(the shipped default model and encoder), both deployed on the same chain in one run; beside them "gated", the
shipped Naive Bayes counts on PackedNaiveBayes (same encoder as ours), whose contributions are split by whether
its gate skipped the update (the model already sure of the label) or learned the counts.

Reviews: the first ``count`` of the validation split (dacwallet.ml.dataset.split of imdb_train), half positive and
half negative, alternating; each is contributed with its true label to both stacks, an hour apart (deposits stay
small; a model that disagrees learns, as it would in use). Needs ../shared/data (reviews, the reference's files).
"""

from __future__ import annotations

import json
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
from dacwallet.ml.mirrors import GatedNaiveBayesMirror, mirror_for
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


def gated_model() -> dict[str, Any]:
    """The shipped Naive Bayes file's counts as a gated_naive_bayes model file dict."""
    model = json.loads(model_path("imdb-naive-bayes").read_text(encoding="utf-8"))
    return {**model, "type": "gated_naive_bayes", "name": f"{model['name']} (gated)"}


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
    """Both stacks on ``chain``; median and p90 gas per contribution and the indices sent, per stack."""
    reviews = balanced(split(load_reviews(IMDB_TRAIN))[1], count)
    reference = deploy_imdb_demo(chain.sender(0))
    ours_spec = ModelSpec.from_file(model_path("default"))
    ours = deploy(chain.sender(0), ours_spec, IncentiveParams())
    gated = deploy(chain.sender(0), ModelSpec.from_dict(gated_model()), IncentiveParams())
    gate = mirror_for(gated_model())
    assert isinstance(gate, GatedNaiveBayesMirror)
    encoder = load_bundle("default").encoder
    stacks = [
        Stack("reference", attach(chain.w3, reference.trainer), ImdbVocabEncoder.from_file(REFERENCE_VOCAB), 1),
        Stack("ours", ours, encoder, 2),
        Stack("gated", gated, encoder, 3),
    ]
    gas: dict[str, list[int]] = {s.name: [] for s in stacks}
    sizes: dict[str, list[int]] = {s.name: [] for s in stacks}
    by_gate: dict[str, list[int]] = {"gated skipped": [], "gated learned": []}
    skipped = 0
    for review in reviews:
        try:
            encoded = [s.encoder.encode(review.text) for s in stacks]
        except InputError:  # a review one of the encoders cannot encode is left out of both
            skipped += 1
            continue
        for stack, indices in zip(stacks, encoded, strict=True):
            chain.advance(HOUR)
            if stack.name == "gated":
                sure = gate.is_sure(indices, review.label)
                gate.update(indices, review.label)
            gas[stack.name].append(contribute(chain, stack, indices, review.label))
            sizes[stack.name].append(len(indices))
            if stack.name == "gated":
                by_gate["gated skipped" if sure else "gated learned"].append((gas["gated"][-1], len(indices)))
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
        f"{result['reviews_asked']} balanced validation reviews, both stacks on one {result['chain']} chain "
        f"({result['skipped']} left out: an encoder found no known word)"
    )
    print(f"{'stack':<14} {'reviews':>8} {'median gas':>12} {'p90 gas':>12} {'mean gas':>12} {'median indices':>15}")
    for name in ("reference", "ours", "gated", "gated skipped", "gated learned"):
        if name not in result:
            continue
        f = result[name]
        print(
            f"{name:<14} {f['reviews']:>8} {f['median_gas']:>12,} {f['p90_gas']:>12,} {f['mean_gas']:>12,} "
            f"{f['median_indices']:>15}"
        )
    print(f"ours / reference, median: {result['ours']['median_gas'] / result['reference']['median_gas']:.3f}")
