"""Deploying a full model stack from a model description, resumably.

Steps: deploy the model contract, upload its parameters in chunks sized from gas
estimates and the block gas limit, deploy the entry point, hand the model over to
it, then verify the result with :func:`attach`. Progress is a plain, JSON-ready
record: a deployment that stops part-way raises DeploymentError carrying it, and
passing it back as ``resume`` continues where it stopped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from web3 import Web3

from dacwallet.chain.transactions import TransactionSender
from dacwallet.contracts.artifacts import TRAINER_POINTS, TRAINER_STAKEABLE, load_artifact
from dacwallet.contracts.deployment import Deployment, attach
from dacwallet.contracts.model_spec import ModelSpec
from dacwallet.contracts.packing import upload_runs
from dacwallet.errors import DacwalletError, DeploymentError, InputError

DAY_S = 86_400
# Upload chunks use at most this share of the block gas limit, so they fit beside other traffic.
BLOCK_SHARE = 0.4
MAX_CHUNK_WORDS = 2_000


@dataclass(frozen=True)
class IncentiveParams:
    kind: str = "stakeable"  # or "points"
    refund_wait_s: int = DAY_S
    owner_claim_wait_s: int = 9 * DAY_S
    any_address_claim_wait_s: int = 9 * DAY_S
    cost_weight: int = 10**15

    def validate(self) -> None:
        if self.kind not in ("stakeable", "points"):
            raise InputError(f"Unknown incentive mechanism {self.kind!r}: use 'stakeable' or 'points'.")
        waits = (self.refund_wait_s, self.owner_claim_wait_s, self.any_address_claim_wait_s)
        if any(not 0 <= w < 2**32 for w in waits):
            raise InputError("Waiting periods must be between 0 and 2^32 - 1 seconds.")
        if not waits[0] <= waits[1] <= waits[2]:
            raise InputError("Waits must satisfy refund <= owner claim <= any-address claim.")
        if not 0 <= self.cost_weight < 2**80:
            raise InputError("The cost weight must fit in 80 bits (wei).")


@dataclass
class DeploymentProgress:
    """What exists so far; saved by the caller after every step so a deployment can resume."""

    model_digest: str
    incentive: dict[str, Any]
    chunk_words: int = 0
    classifier: str | None = None
    chunks_done: int = 0
    trainer: str | None = None
    handed_over: bool = False
    gas_used: int = 0
    transactions: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> DeploymentProgress:
        return cls(**raw)

    def describe(self) -> str:
        parts = [f"model contract: {self.classifier or 'not deployed'}"]
        if self.classifier:
            parts.append(f"parameter chunks uploaded: {self.chunks_done}")
        parts.append(f"entry point: {self.trainer or 'not deployed'}")
        parts.append("model handed over to the entry point" if self.handed_over else "model not yet handed over")
        return "; ".join(parts)


ProgressCallback = Callable[[DeploymentProgress, str, int, int], None]


def deploy(
    sender: TransactionSender,
    model: ModelSpec,
    incentive: IncentiveParams = IncentiveParams(),
    *,
    on_progress: ProgressCallback | None = None,
    resume: DeploymentProgress | None = None,
) -> Deployment:
    """Deploys (or finishes deploying) ``model`` with ``incentive`` and returns the verified stack."""
    incentive.validate()
    progress = resume or DeploymentProgress(model_digest=model.digest(), incentive=asdict(incentive))
    if resume is not None and (resume.model_digest != model.digest() or resume.incentive != asdict(incentive)):
        raise InputError("This saved deployment was for a different model or incentive settings; start a new one.")
    w3 = sender.w3
    words = model.upload_words()

    def report(step: str, done: int, total: int) -> None:
        if on_progress is not None:
            on_progress(progress, step, done, total)

    try:
        if progress.classifier is None:
            progress.classifier = _deploy_contract(sender, progress, model.contract_name, model.constructor_args(),
                                                   action=f"Deploying the {model.type.replace('_', ' ')} model")
        classifier = w3.eth.contract(address=progress.classifier, abi=load_artifact(model.contract_name).abi)
        def upload(first: int, chunk: list[int]) -> str:
            return classifier.encode_abi(model.upload_function, args=[first, chunk])

        if progress.chunk_words == 0:
            progress.chunk_words = _chunk_words(sender, progress.classifier, upload, words)
        runs = upload_runs(words, max_words=progress.chunk_words)
        total = len(runs) + 3
        report("model contract deployed", 1, total)
        for index in range(progress.chunks_done, len(runs)):
            first, chunk = runs[index]
            _send(sender, progress, upload(first, chunk), progress.classifier,
                  action=f"Uploading parameters {index + 1}/{len(runs)}")
            progress.chunks_done = index + 1
            report(f"uploaded parameter chunk {index + 1} of {len(runs)}", 1 + progress.chunks_done, total)
        if progress.trainer is None:
            progress.trainer = _deploy_contract(sender, progress, *_trainer_args(model, incentive, progress.classifier),
                                                action="Deploying the entry point")
        report("entry point deployed", total - 1, total)
        if not progress.handed_over:
            data = classifier.encode_abi("transferOwnership", args=[progress.trainer])
            _send(sender, progress, data, progress.classifier, action="Handing the model to the entry point")
            progress.handed_over = True
        report("model handed over", total, total)
    except DacwalletError as exc:
        raise DeploymentError(
            f"The deployment stopped: {exc.user_message} What exists so far: {progress.describe()}. "
            "Resume it with the saved progress, or abandon it.",
            progress=progress,
        ) from exc
    return attach(w3, progress.trainer)


def _trainer_args(model: ModelSpec, incentive: IncentiveParams, classifier: str) -> tuple[str, list[Any]]:
    common = [model.name, model.description, model.encoder, classifier,
              incentive.refund_wait_s, incentive.owner_claim_wait_s, incentive.any_address_claim_wait_s]
    if incentive.kind == "points":
        return TRAINER_POINTS, common
    return TRAINER_STAKEABLE, [*common, incentive.cost_weight]


def _deploy_contract(sender: TransactionSender, progress: DeploymentProgress, name: str, args: list[Any],
                     *, action: str) -> str:
    artifact = load_artifact(name)
    factory = sender.w3.eth.contract(abi=artifact.abi, bytecode=artifact.bytecode)
    data = factory.constructor(*args).data_in_transaction
    receipt = _send(sender, progress, data, None, action=action)
    return receipt["contractAddress"]


def _send(sender: TransactionSender, progress: DeploymentProgress, data: str, to: str | None, *, action: str):
    fields: dict[str, Any] = {"data": data}
    if to is not None:
        fields["to"] = to
    receipt = sender.transact(fields, action=action)
    progress.gas_used += receipt["gasUsed"]
    progress.transactions.append(Web3.to_hex(receipt["transactionHash"]))
    return receipt


def _chunk_words(sender: TransactionSender, target: str, upload: Callable[[int, list[int]], str], words: list[int]) -> int:
    """Words per upload transaction: a linear gas fit from two estimates, kept under the block share."""
    nonzero = [w for w in words if w] or [1]
    small, large = min(4, len(nonzero)), min(32, len(nonzero))
    budget = int(sender.w3.eth.get_block("latest")["gasLimit"] * BLOCK_SHARE)

    def estimate(n: int) -> int:
        tx = {"from": sender.address, "to": target, "data": upload(0, nonzero[:n])}
        return sender.estimate_gas(tx, action="Sizing upload chunks")

    low = estimate(small)
    if large == small:
        return max(1, min(MAX_CHUNK_WORDS, len(words)))
    per_word = max(1, (estimate(large) - low) / (large - small))
    fixed = low - per_word * small
    return max(1, min(MAX_CHUNK_WORDS, int((budget - fixed) // per_word)))
