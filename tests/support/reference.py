"""Deploying the reference framework's own compiled contracts (../shared/data/reference), unchanged, the way its
migration script does: data handler, incentive mechanism, classifier (weights uploaded in chunks), entry point,
then every part handed to the entry point. Used by the tests and by benchmarks/gas.py --real."""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from web3.contract import Contract

from dacwallet.chain.transactions import TransactionSender
from tests.support.raw_contracts import transact
from tests.support.shared_data import REFERENCE_CONTRACTS, REFERENCE_MODEL

E9 = 10**9
CHUNK = 250  # weights per transaction, as the reference's deployment sends them


@functools.cache
def _compiled(path: Path = REFERENCE_CONTRACTS) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8"))["contracts"]


def reference_abi(name: str) -> list[dict[str, Any]]:
    return _compiled()[name]["abi"]


def scale(value: float) -> int:
    """A float times 1e9, rounded half up (JavaScript's Math.round), as the reference deploys numbers."""
    return math.floor(value * E9 + 0.5)


@dataclass(frozen=True)
class ReferenceStack:
    trainer: str
    data_handler: str
    incentive: str
    classifier: str
    gas_used: int
    transactions: int


@dataclass(frozen=True)
class ReferenceIncentive:
    kind: str = "stakeable"  # "stakeable" (Stakeable64) or "points" (Points64)
    refund_wait_s: int = 15
    owner_claim_wait_s: int = 20
    any_address_claim_wait_s: int = 20
    cost_weight: int = 10**15


def deploy_stack(
    sender: TransactionSender,
    classifier: str,
    args: list[Any],
    uploads: list[tuple[str, list[Any]]],
    encoder: str,
    incentive: ReferenceIncentive = ReferenceIncentive(),
    name: str = "IMDB Review Sentiment Classifier",
    description: str = "A simple IMDB sentiment analysis model.",
) -> ReferenceStack:
    """Deploys one reference stack; ``uploads`` are (function, args) calls on the classifier before the hand-over."""
    receipts: list[Any] = []

    def new(contract: str, constructor_args: list[Any]) -> Contract:
        c = _compiled()[contract]
        factory = sender.w3.eth.contract(abi=c["abi"], bytecode=c["bytecode"])
        receipt = sender.transact(
            {"data": factory.constructor(*constructor_args).data_in_transaction},
            action=f"Deploying the reference {contract}",
        )
        receipts.append(receipt)
        return sender.w3.eth.contract(address=receipt["contractAddress"], abi=c["abi"])

    def call(contract: Contract, function: str, call_args: list[Any]) -> None:
        receipts.append(transact(sender, contract, function, call_args, action=f"Reference {function}"))

    handler = new("DataHandler64", [])
    waits = [incentive.refund_wait_s, incentive.owner_claim_wait_s, incentive.any_address_claim_wait_s]
    if incentive.kind == "points":
        mechanism = new("Points64", waits)
    else:
        mechanism = new("Stakeable64", [*waits, incentive.cost_weight])
    model = new(classifier, args)
    for function, call_args in uploads:
        call(model, function, call_args)
    trainer = new(
        "CollaborativeTrainer64", [name, description, encoder, handler.address, mechanism.address, model.address]
    )
    for part in (handler, mechanism, model):
        call(part, "transferOwnership", [trainer.address])
    return ReferenceStack(
        trainer.address,
        handler.address,
        mechanism.address,
        model.address,
        sum(r["gasUsed"] for r in receipts),
        len(receipts),
    )


def imdb_model(path: Path = REFERENCE_MODEL) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def deploy_imdb_demo(
    sender: TransactionSender, incentive: ReferenceIncentive = ReferenceIncentive(), model_path: Path = REFERENCE_MODEL
) -> ReferenceStack:
    """The reference's IMDB demo: SparsePerceptron with the first 250 weights in its constructor, the rest
    uploaded 250 at a time, "IMDB vocab" encoder."""
    model = imdb_model(model_path)
    weights = [scale(w) for w in model["weights"]]
    args = [model["classifications"], weights[:CHUNK], scale(model["intercept"]), scale(model["learningRate"])]
    uploads = [
        ("initializeWeights", [start, weights[start : start + CHUNK]]) for start in range(CHUNK, len(weights), CHUNK)
    ]
    return deploy_stack(sender, "SparsePerceptron", args, uploads, "IMDB vocab", incentive)


def deploy_reference_model(
    sender: TransactionSender, raw: dict[str, Any], encoder: str, incentive: ReferenceIncentive = ReferenceIncentive()
) -> ReferenceStack:
    """A reference model JSON (dense perceptron, naive bayes, nearest centroid) deployed as the reference client's
    ModelDeployer does: the first chunk (and, for the count and centroid models, the first class) in the
    constructor, then the other classes, then the rest in chunks of its sizes."""
    kind = raw["type"]
    if kind in ("dense perceptron", "perceptron"):
        weights = [scale(w) for w in raw["weights"]]
        args = [raw["classifications"], weights[:300], scale(raw["intercept"]), scale(raw.get("learningRate") or 0.5)]
        uploads = [("initializeWeights", [weights[i : i + 300]]) for i in range(300, len(weights), 300)]
        indices = raw.get("featureIndices") or []
        uploads += [("addFeatureIndices", [indices[i : i + 300]]) for i in range(0, len(indices), 300)]
        return deploy_stack(sender, "DensePerceptron", args, uploads, encoder, incentive)
    if kind == "naive bayes":
        classes, counts, samples = raw["classifications"], raw["featureCounts"], raw["classCounts"]
        args = [classes[:1], samples[:1], [counts[0][:150]], raw["totalNumFeatures"], scale(raw["smoothingFactor"])]
        uploads = [("addClass", [samples[c], counts[c][:150], classes[c]]) for c in range(1, len(classes))]
        uploads += [
            ("initializeCounts", [counts[c][j : j + 350], c])
            for c in range(len(classes))
            for j in range(150, len(counts[c]), 350)
        ]
        return deploy_stack(sender, "NaiveBayesClassifier", args, uploads, encoder, incentive)
    names = list(raw["centroids"])
    counts = [raw["centroids"][k]["dataCount"] for k in names]
    if kind == "sparse nearest centroid classifier":  # [index, value] pairs, indices ascending
        centroids: list[Any] = [
            sorted([int(i), scale(v)] for i, v in raw["centroids"][k]["centroid"].items()) for k in names
        ]
        contract = "SparseNearestCentroidClassifier"
    else:
        centroids = [[scale(v) for v in raw["centroids"][k]["centroid"]] for k in names]
        contract = "NearestCentroidClassifier"
    args = [names[:1], [centroids[0][:200]], counts[:1]]
    uploads = [("addClass", [centroids[c][:200], names[c], counts[c]]) for c in range(1, len(names))]
    uploads += [
        ("extendCentroid", [centroids[c][j : j + 250], c])
        for c in range(len(names))
        for j in range(200, len(centroids[c]), 250)
    ]
    return deploy_stack(sender, contract, args, uploads, encoder, incentive)
