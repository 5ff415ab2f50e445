"""What the model thinks of a review, before anything is signed.

``local_preview`` is instant (the local mirror; for every keystroke). ``chain_preview``
asks the chain: its own prediction (an eth_call), the deposit, gas and fee, and when
the deposit can be claimed back - and separates what blocks sending from what is advice.
Every figure is taken at the time the transaction would be mined (the pending block), not at the
latest block, whose clock stands still between transactions on an automining node.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from web3 import Web3

from dacwallet.contracts.calls import read
from dacwallet.contracts.deployment import classifier_contract, incentive_contract, trainer_contract
from dacwallet.errors import DacwalletError
from dacwallet.ml.catalog import ModelBundle
from dacwallet.ml.mirrors import Mirror
from dacwallet.ml.mirrors.naive_bayes import NaiveBayesMirror
from dacwallet.ml.mirrors.reference_naive_bayes import ReferenceNaiveBayesMirror
from dacwallet.ml.mirrors.sparse_perceptron import SparsePerceptronMirror
from dacwallet.usecases.context import WalletContext
from dacwallet.usecases.deposit import DepositQuote, quote
from dacwallet.usecases.fee_quote import quote_fee
from dacwallet.usecases.labels import parse_label
from dacwallet.usecases.local_copy import require_encoder


@dataclass(frozen=True)
class LocalPreview:
    indices: tuple[int, ...]
    prediction: int
    class_name: str
    # (feature, evidence): positive pushes toward class 1, negative toward class 0 (binary models only).
    evidence: tuple[tuple[str, float], ...]


@dataclass
class ChainPreview:
    local: LocalPreview | None
    label: int
    label_name: str
    chain_prediction: int
    chain_class_name: str
    mirror_agrees: bool | None
    deposit: DepositQuote
    gas: int | None
    max_fee_wei: int | None
    refund_at: int
    anyone_may_take_at: int
    blocking: list[str] = field(default_factory=list)
    advice: list[str] = field(default_factory=list)

    @property
    def model_agrees(self) -> bool:
        return self.chain_prediction == self.label

    def refund_from(self, added_time: int | None) -> int:
        """When the refund opens for the contribution mined at ``added_time``: the preview's refund time moved
        by how much later it was mined (the confirmation may stay open for minutes)."""
        return self.refund_at if added_time is None else added_time + self.refund_at - self.deposit.at

    @property
    def deposit_wei(self) -> int:
        """The deposit now (what the contract would keep if it were mined at the expected time)."""
        return self.deposit.now_wei


def local_preview(bundle: ModelBundle, mirror: Mirror, text: str) -> LocalPreview:
    """Encodes ``text`` and predicts with the mirror; InputError for text the encoder refuses."""
    indices = bundle.encoder.encode(text)
    prediction = mirror.predict(indices)
    names = getattr(bundle.encoder, "vocabulary", None)
    evidence = tuple(
        (names[i] if names is not None and 0 <= i < len(names) else str(i), feature_evidence(mirror, i))
        for i in indices
    )
    return LocalPreview(tuple(indices), prediction, bundle.model["classifications"][prediction], evidence)


def feature_evidence(mirror: Mirror, index: int) -> float:
    """How much one feature pushes toward class 1, in the model's own units."""
    if isinstance(mirror, SparsePerceptronMirror):
        return mirror.weight(index) / 1e9
    if isinstance(mirror, (NaiveBayesMirror, ReferenceNaiveBayesMirror)) and mirror.num_classes == 2:
        s, v = mirror.smoothing_factor, mirror.num_features
        ratios = [(mirror.count(c, index) * 1e9 + s) / (mirror.total_feature_count[c] * 1e9 + s * v) for c in (0, 1)]
        return math.log(ratios[1] / ratios[0])
    return 0.0


def chain_preview(
    ctx: WalletContext, text: str, label: str | int, account_address: str | None, mirror: Mirror | None = None
) -> ChainPreview:
    """The full picture before signing; raises InputError for bad text or label."""
    deployment = ctx.require_deployment()
    label_index = parse_label(label, deployment.classifications)
    encoder_owner = require_encoder(ctx)
    local = local_preview(encoder_owner, mirror, text) if mirror is not None else None
    indices = list(local.indices) if local else encoder_owner.encoder.encode(text)
    # The waits live on the incentive mechanism (ours answers with the entry point's address).
    incentive = incentive_contract(ctx.w3, deployment.incentive_mechanism).functions
    chain_prediction = read(
        classifier_contract(ctx.w3, deployment.classifier).functions.predict(indices), "The model's prediction"
    )
    deposit = quote(ctx, deployment.trainer)
    now = deposit.at
    refund_at = now + read(incentive.refundWaitTimeS(), "The refund wait")
    take_at = now + read(incentive.anyAddressClaimWaitTimeS(), "The wait before anyone may take a deposit")
    preview = ChainPreview(
        local=local,
        label=label_index,
        label_name=deployment.classifications[label_index],
        chain_prediction=chain_prediction,
        chain_class_name=deployment.classifications[chain_prediction],
        mirror_agrees=None if local is None else local.prediction == chain_prediction,
        deposit=deposit,
        gas=None,
        max_fee_wei=None,
        refund_at=refund_at,
        anyone_may_take_at=take_at,
    )
    if preview.mirror_agrees is False:
        preview.advice.append(
            "The local copy of the model disagrees with the chain; trusting the chain and rebuilding the local copy."
        )
    if not preview.model_agrees:
        preview.advice.append(
            f"Right now the model says {preview.chain_class_name}: unless it changes its mind, others may take "
            "your deposit after the refund wait."
        )
    if account_address is not None:
        _estimate(ctx, preview, indices, account_address)
    return preview


def _estimate(ctx: WalletContext, preview: ChainPreview, indices: list[int], address: str) -> None:
    deployment = ctx.require_deployment()
    trainer = trainer_contract(ctx.w3, deployment.trainer)
    send = preview.deposit.send_wei
    # One wei over the quote: the estimate then covers the contract sending the excess back, which is
    # what happens when the block comes later than expected (the deposit has fallen by then).
    fields = {
        "to": deployment.trainer,
        "value": send + 1 if send else 0,
        "data": trainer.encode_abi("addData", args=[indices, preview.label]),
    }
    balance = ctx.w3.eth.get_balance(Web3.to_checksum_address(address))
    if balance < send + 1:  # the node refuses to estimate a call whose value the sender lacks
        preview.blocking.append(_not_enough("the deposit needs", send, balance))
        return
    try:
        fee = quote_fee(ctx, address, fields, "This contribution")
    except DacwalletError as exc:
        preview.blocking.append(exc.user_message)
        return
    preview.gas, preview.max_fee_wei = fee.gas, fee.max_fee_wei
    if balance < send + fee.max_fee_wei:
        preview.blocking.append(_not_enough("the deposit sent and the fee need", send + fee.max_fee_wei, balance))


def _not_enough(what: str, needed_wei: int, balance_wei: int) -> str:
    return f"Not enough ether: {what} {needed_wei / 1e18:.6f} ETH, the account has {balance_wei / 1e18:.6f} ETH."
