"""Deploying a full model stack from a model description, resumably.

Steps: deploy the model contract, upload its parameters in chunks sized from gas
estimates and the block gas limit, deploy the entry point, hand the model over to
it, then verify the result with :func:`attach`. Progress is a plain, JSON-ready
record: a deployment that stops part-way raises DeploymentError carrying it, and
passing it back as ``resume`` continues where it stopped.

``save`` (when given) is called with the progress whenever it changes on disk-worthy
terms: before each transaction is broadcast (``pending`` holds its hash, nonce and signed
bytes) and after it is mined (its result recorded, ``pending`` cleared). A process killed
in between leaves ``pending`` set; resuming looks that transaction up first (mined: its
result is taken; unknown: the same bytes are broadcast again, so it is mined at most once;
its nonce taken by another transaction: the step is redone), so no step is done twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from eth_typing import HexStr
from web3 import Web3
from web3.exceptions import TransactionNotFound
from web3.types import TxReceipt

from dacwallet.chain.fees import FeeOverride
from dacwallet.chain.transactions import TransactionSender, decode_signed
from dacwallet.contracts.artifacts import TRAINER_POINTS, TRAINER_STAKEABLE, load_artifact
from dacwallet.contracts.deployment import Deployment, attach
from dacwallet.contracts.model_spec import ModelSpec
from dacwallet.contracts.packing import upload_runs
from dacwallet.errors import ChainError, DacwalletError, DeploymentError, InputError, RevertError

DAY_S = 86_400
# Upload chunks use at most this share of the block gas limit, so they fit beside other traffic.
BLOCK_SHARE = 0.4
MAX_CHUNK_WORDS = 2_000
RESUME_HINT = "Resume it with the saved progress, or abandon it."


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
    deployer: str | None = None  # the account that signs every step (it owns the model until the hand-over)
    pending: dict[str, Any] | None = None  # the step broadcast but not seen mined: step, tx, nonce, raw

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
        if self.pending is not None:
            parts.append(f"a transaction ({self.pending['step']}) was sent but not seen mined: {self.pending['tx']}")
        return "; ".join(parts)

    @property
    def finished(self) -> bool:
        return self.handed_over and self.pending is None


SaveCallback = Callable[[DeploymentProgress], None]


ProgressCallback = Callable[[DeploymentProgress, str, int, int], None]


def deploy(
    sender: TransactionSender,
    model: ModelSpec,
    incentive: IncentiveParams = IncentiveParams(),
    *,
    on_progress: ProgressCallback | None = None,
    resume: DeploymentProgress | None = None,
    save: SaveCallback | None = None,
    next_steps: str = RESUME_HINT,
    fee: FeeOverride | None = None,
) -> Deployment:
    """Deploys (or finishes deploying) ``model`` with ``incentive`` and returns the verified stack.

    ``resume`` is updated in place as the steps are mined, and handed to ``save`` (see the module doc).
    ``next_steps`` ends the message of the DeploymentError raised when it stops part-way. ``fee`` applies to
    every step's transaction (e.g. the user's confirmation of a node suggestion past its bounds).
    """
    incentive.validate()
    progress = resume or new_progress(model, incentive)
    if resume is not None and (resume.model_digest != model.digest() or resume.incentive != asdict(incentive)):
        raise InputError("This saved deployment was for a different model or incentive settings; start a new one.")
    if progress.deployer is not None and progress.deployer.lower() != sender.address.lower():
        raise InputError(
            f"This deployment was started by {progress.deployer}: only that account can finish it "
            "(it owns the model contract until the hand-over)."
        )
    progress.deployer = sender.address
    w3 = sender.w3
    words = model.upload_words()
    store = save or (lambda _p: None)

    def report(step: str, done: int, total: int) -> None:
        store(progress)
        if on_progress is not None:
            on_progress(progress, step, done, total)

    if progress.pending is not None:
        try:
            _settle_pending(sender, progress)
        except DacwalletError as exc:
            raise stopped(progress, exc.user_message, next_steps) from exc
        store(progress)
    _check_parts_exist(w3, progress)
    try:
        if progress.classifier is None:
            progress.classifier = _deploy_contract(
                sender,
                progress,
                model.contract_name,
                model.constructor_args(),
                store,
                action=f"Deploying the {model.type.replace('_', ' ')} model",
                fee=fee,
            )
        abi = load_artifact(model.contract_name).abi
        classifier = w3.eth.contract(address=Web3.to_checksum_address(progress.classifier), abi=abi)

        def upload(first: int, chunk: list[int]) -> str:
            data: str = classifier.encode_abi(model.upload_function, args=[first, chunk])
            return data

        if progress.chunk_words == 0:
            progress.chunk_words = _chunk_words(sender, progress.classifier, upload, words)
        runs = upload_runs(words, max_words=progress.chunk_words)
        total = len(runs) + 3
        report("model contract deployed", 1, total)
        for index in range(progress.chunks_done, len(runs)):
            first, chunk = runs[index]
            _send(
                sender,
                progress,
                upload(first, chunk),
                progress.classifier,
                store,
                step=f"chunk:{index}",
                action=f"Uploading parameters {index + 1}/{len(runs)}",
                fee=fee,
            )
            progress.chunks_done = index + 1
            report(f"uploaded parameter chunk {index + 1} of {len(runs)}", 1 + progress.chunks_done, total)
        if progress.trainer is None:
            progress.trainer = _deploy_contract(
                sender,
                progress,
                *_trainer_args(model, incentive, progress.classifier),
                store,
                action="Deploying the entry point",
                step="trainer",
                fee=fee,
            )
        report("entry point deployed", total - 1, total)
        if not progress.handed_over:
            data = classifier.encode_abi("transferOwnership", args=[progress.trainer])
            _send(
                sender,
                progress,
                data,
                progress.classifier,
                store,
                step="handover",
                action="Handing the model to the entry point",
                fee=fee,
            )
            progress.handed_over = True
        report("model handed over", total, total)
    except DacwalletError as exc:
        raise stopped(progress, exc.user_message, next_steps) from exc
    return attach(w3, progress.trainer)


def new_progress(model: ModelSpec, incentive: IncentiveParams) -> DeploymentProgress:
    """The record of a deployment not started yet (what ``deploy`` makes when not resuming)."""
    return DeploymentProgress(model_digest=model.digest(), incentive=asdict(incentive))


def stopped(progress: DeploymentProgress, reason: str, next_steps: str = RESUME_HINT) -> DeploymentError:
    """The error of a deployment that stopped part-way: why, what exists on the chain so far, what to do."""
    return DeploymentError(
        f"The deployment stopped: {reason} What exists so far: {progress.describe()}. {next_steps}", progress=progress
    )


def missing_parts(w3: Web3, progress: DeploymentProgress) -> list[str]:
    """The parts ``progress`` says were deployed that this chain has no code for (e.g. it was reset)."""
    return [
        f"{label} {address}"
        for label, address in (("model contract", progress.classifier), ("entry point", progress.trainer))
        if address is not None and not w3.eth.get_code(Web3.to_checksum_address(address))
    ]


def _check_parts_exist(w3: Web3, progress: DeploymentProgress) -> None:
    missing = missing_parts(w3, progress)
    if missing:
        raise InputError(
            f"The saved deployment's {' and '.join(missing)} is not on this chain (was the chain "
            "reset?); abandon it and start a new one."
        )


def _trainer_args(model: ModelSpec, incentive: IncentiveParams, classifier: str) -> tuple[str, list[Any]]:
    common = [
        model.name,
        model.description,
        model.encoder,
        classifier,
        incentive.refund_wait_s,
        incentive.owner_claim_wait_s,
        incentive.any_address_claim_wait_s,
    ]
    if incentive.kind == "points":
        return TRAINER_POINTS, common
    return TRAINER_STAKEABLE, [*common, incentive.cost_weight]


def _deploy_contract(
    sender: TransactionSender,
    progress: DeploymentProgress,
    name: str,
    args: list[Any],
    save: SaveCallback,
    *,
    action: str,
    step: str = "classifier",
    fee: FeeOverride | None = None,
) -> str:
    artifact = load_artifact(name)
    factory = sender.w3.eth.contract(abi=artifact.abi, bytecode=artifact.bytecode)
    data = factory.constructor(*args).data_in_transaction
    receipt = _send(sender, progress, data, None, save, step=step, action=action, fee=fee)
    address = receipt["contractAddress"]
    assert address is not None  # a creation's receipt names the contract it made
    return address


def _send(
    sender: TransactionSender,
    progress: DeploymentProgress,
    data: str,
    to: str | None,
    save: SaveCallback,
    *,
    step: str,
    action: str,
    fee: FeeOverride | None = None,
) -> TxReceipt:
    """One step's transaction: signed, saved as pending, broadcast, mined; the caller records its result."""
    fields: dict[str, Any] = {"data": data}
    if to is not None:
        fields["to"] = to
    tx = sender.prepare(fields, action=action, fee=fee)
    raw, tx_hash = sender.sign(tx)
    progress.pending = {"step": step, "tx": Web3.to_hex(tx_hash), "nonce": tx["nonce"], "raw": Web3.to_hex(raw)}
    save(progress)
    try:
        sender.send_raw(raw)
        receipt = sender.wait(tx_hash, tx, action=action)
    except DacwalletError:
        if not _may_be_mined(sender, progress.pending):
            progress.pending = None  # refused or reverted: nothing to settle, the step is simply redone
        raise
    _record(progress, receipt)
    return receipt


def _record(progress: DeploymentProgress, receipt: Any) -> None:
    progress.pending = None
    progress.gas_used += receipt["gasUsed"]
    progress.transactions.append(Web3.to_hex(receipt["transactionHash"]))


def _receipt(w3: Web3, tx_hash: str) -> TxReceipt | None:
    try:
        return w3.eth.get_transaction_receipt(HexStr(tx_hash))
    except TransactionNotFound:
        return None


def _may_be_mined(sender: TransactionSender, pending: dict[str, Any]) -> bool:
    """False when the pending transaction is known never to be mined successfully (refused, or reverted)."""
    try:
        receipt = _receipt(sender.w3, pending["tx"])
        if receipt is not None:
            return receipt["status"] == 1
        sender.w3.eth.get_transaction(HexStr(pending["tx"]))
    except TransactionNotFound:
        return False
    except Exception:
        return True
    return True


def _settle_pending(sender: TransactionSender, progress: DeploymentProgress) -> None:
    """Finds out what became of the transaction a stopped run sent last, and records its result."""
    pending = progress.pending
    assert pending is not None
    w3 = sender.w3
    receipt = _receipt(w3, pending["tx"])
    if receipt is None and w3.eth.get_transaction_count(sender.address, "latest") <= pending["nonce"]:
        raw = bytes.fromhex(pending["raw"][2:])  # not mined and its nonce still free: the same bytes again
        try:
            sender.send_raw(raw)
            receipt = sender.wait(
                bytes.fromhex(pending["tx"][2:]),
                {**decode_signed(raw), "from": sender.address},
                action="The interrupted step",
            )
        except RevertError:
            receipt = None  # mined but failed: redone below
        except ChainError:
            if _may_be_mined(sender, pending):
                raise  # still pending (a slow network): resume again later
            receipt = None  # refused today (e.g. its fees are too low now): redone with fresh fees
    if receipt is None or receipt["status"] != 1:  # its nonce went to another transaction, or it failed: redo
        progress.pending = None
        return
    step = pending["step"]
    _record(progress, receipt)
    if step == "classifier":
        progress.classifier = receipt["contractAddress"]
    elif step == "trainer":
        progress.trainer = receipt["contractAddress"]
    elif step == "handover":
        progress.handed_over = True
    elif step.startswith("chunk:"):
        progress.chunks_done = max(progress.chunks_done, int(step.split(":", 1)[1]) + 1)


def _chunk_words(
    sender: TransactionSender, target: str, upload: Callable[[int, list[int]], str], words: list[int]
) -> int:
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
