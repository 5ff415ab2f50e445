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
