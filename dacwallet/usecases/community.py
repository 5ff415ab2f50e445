"""Others' contributions: which this account may report now, for how much, and reporting one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from eth_utils import to_checksum_address
from web3 import Web3
from web3.types import TxReceipt

from dacwallet.chain.fees import FeeOverride
from dacwallet.contracts.calls import read
from dacwallet.contracts.deployment import classifier_contract, trainer_contract
from dacwallet.errors import InputError
from dacwallet.store.lifecycle import TxKind
from dacwallet.usecases.context import WalletContext
from dacwallet.usecases.fee_quote import FeeQuote, quote_fee
from dacwallet.usecases.ledger import LedgerEntry, LedgerView, refresh_ledger
from dacwallet.usecases.rules import Rules
from dacwallet.usecases.sending import UnlockedSigner, send_journaled


@dataclass(frozen=True)
class OnChainContribution:
    key: str
    data: tuple[int, ...]
    label: int
    added_time: int
    author: str
    cost: int
    block_number: int


@dataclass(frozen=True)
class Reportable:
    contribution: OnChainContribution
    reward_wei: int
    reason: str  # why this account may take it now
    prediction: int  # what the model says of its data now (beside the author's label)
    words: tuple[str, ...] = ()  # its features decoded back through the encoder: the chain holds indices only

    @property
    def id(self) -> str:
        return self.contribution.key


def reportable(ctx: WalletContext, reporter: str, view: LedgerView | None = None) -> list[Reportable]:
    """Others' contributions this account may report or take right now, with the reward the rules give."""
    view = view or refresh_ledger(ctx)
    rules, now = view.rules, view.now
    num_valid = view.num_valid.get(to_checksum_address(reporter), 0)
    found = []
    for entry in view.entries:
        elapsed = now - entry.added_time
        if (
            entry.author.lower() == reporter.lower()
            or elapsed < rules.refund_wait_s
            or not entry.open
            or any(to.lower() == reporter.lower() for to, _ in entry.takers)
        ):
            continue
        prediction = view.prediction_of(entry)
        if prediction is None:  # no local model: ask the chain
            prediction = read(
                classifier_contract(ctx.w3, ctx.require_deployment().classifier).functions.predict(list(entry.data)),
                "The model's prediction",
            )
        reward, reason = _reward(
            rules, entry.claimable, entry.cost, prediction != entry.label, elapsed, reporter, num_valid, view.total_good
        )
        if reason:
            found.append(
                Reportable(
                    _on_chain(entry),
                    reward,
                    reason,
                    prediction,
                    feature_words(ctx.bundle.encoder if ctx.bundle else None, entry.data),
                )
            )
    return found


def feature_words(encoder: object | None, indices: tuple[int, ...]) -> tuple[str, ...]:
    """The words and word pairs an encoding stands for; '#index' where the encoder has no word list."""
    names = getattr(encoder, "vocabulary", None)
    return tuple(names[i] if names is not None and 0 <= i < len(names) else f"#{i}" for i in indices)


def _on_chain(entry: LedgerEntry) -> OnChainContribution:
    return OnChainContribution(
        Web3.to_hex(entry.key), entry.data, entry.label, entry.added_time, entry.author, entry.cost, entry.block_number
    )


def _reward(
    rules: Rules,
    claimable: int,
    deposit: int,
    model_disagrees: bool,
    elapsed: int,
    reporter: str,
    num_valid: int,
    total_good: int,
) -> tuple[int, str]:
    """What the contract would pay (mirrors Stakeable64._takeAmount); reason '' when it would refuse."""
    if not rules.stakeable:
        return (0, "the model disagrees with its label") if model_disagrees else (0, "")
    if elapsed >= rules.any_address_claim_wait_s:
        return claimable, "abandoned: anyone may take what is left"
    if elapsed >= rules.owner_claim_wait_s and rules.owner and reporter.lower() == rules.owner.lower():
        return claimable, "the model's owner may take what is left"
    if not model_disagrees or num_valid == 0:
        return 0, ""
    share = deposit * num_valid // total_good
    return (claimable if share == 0 or share > claimable else share), "the model disagrees with its label"


def find_reportable(ctx: WalletContext, reporter: str, ref: str) -> Reportable:
    """The reportable contribution whose key starts with ``ref`` (at least 8 hex digits)."""
    ref = ref.lower().removeprefix("0x")
    if len(ref) < 8:
        raise InputError("Give at least the first 8 hex digits of the contribution's key (see `dacwallet reportable`).")
    matches = [r for r in reportable(ctx, reporter) if r.id.lower().removeprefix("0x").startswith(ref)]
    if not matches:
        raise InputError(f"No contribution {ref} can be reported by {reporter} now; see `dacwallet reportable`.")
    if len(matches) > 1:
        raise InputError(f"{ref} matches {len(matches)} contributions; give more digits of the key.")
    return matches[0]


def report(
    ctx: WalletContext,
    signer: UnlockedSigner,
    ref: str,
    on_stage: Callable[[str], None] | None = None,
    fee: FeeOverride | None = None,
) -> tuple[Reportable, TxReceipt]:
    target = find_reportable(ctx, signer.address, ref)
    return target, send_journaled(
        ctx, signer, _report_fields(ctx, target), kind=TxKind.REPORT, action="The report", on_stage=on_stage, fee=fee
    )


def report_fee(ctx: WalletContext, reporter: str, ref: str) -> FeeQuote:
    """The network fee of reporting that contribution now (RevertError when the contract would refuse it)."""
    return quote_fee(ctx, reporter, _report_fields(ctx, find_reportable(ctx, reporter, ref)), "The report")


def _report_fields(ctx: WalletContext, target: Reportable) -> dict[str, object]:
    c = target.contribution
    trainer = trainer_contract(ctx.w3, ctx.require_deployment().trainer)
    return {
        "to": trainer.address,
        "data": trainer.encode_abi("report", args=[list(c.data), c.label, c.added_time, c.author]),
    }
