"""The user's own contributions with their status, and claiming refunds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from web3.types import TxReceipt

from dacwallet.chain.fees import FeeError, FeeOverride
from dacwallet.contracts.calls import read
from dacwallet.contracts.deployment import classifier_contract, trainer_contract
from dacwallet.errors import DacwalletError, InputError, KeyStoreError
from dacwallet.store import chains, contributions
from dacwallet.store.contributions import StoredContribution
from dacwallet.store.lifecycle import ContributionState, Stage, TxKind
from dacwallet.sync.keys import contribution_key
from dacwallet.usecases.context import WalletContext
from dacwallet.usecases.deposit import DepositOutcome, outcome
from dacwallet.usecases.fee_quote import FeeQuote, quote_fee
from dacwallet.usecases.ledger import LedgerView, refresh_ledger
from dacwallet.usecases.sending import UnlockedSigner, send_journaled


class Standing(StrEnum):
    """Where an added contribution stands on the chain (or why it is on none)."""

    WAITING = "waiting"
    REFUNDABLE = "refundable"
    AT_RISK = "at risk"
    REFUNDED = "refunded"
    TAKEN = "taken"
    OPEN_TO_ANYONE = "open to anyone"
    MISSING = "not on this chain"  # recorded as added, but the chain's history has no such contribution
    CHAIN_RESET = "chain reset"  # made on an earlier chain of this network, which was reset: kept for its text


WAITING, REFUNDABLE, AT_RISK, REFUNDED, TAKEN, OPEN_TO_ANYONE, MISSING, CHAIN_RESET = Standing


@dataclass(frozen=True)
class ContributionStatus:
    stored: StoredContribution
    status: Standing | ContributionState  # on the chain, or the local state of one not added
    claimable: int = 0
    model_agrees: bool | None = None
    refund_at: int | None = None
    anyone_may_take_at: int | None = None
    seconds_left: int | None = None  # until refund_at
    taken_by: tuple[tuple[str, int], ...] = ()  # (recipient, wei) of reports against it
    label_name: str | None = None  # the label's class name (from its own deployment), when known
    # Past the any-address wait the contract lets anyone take what is left, even when the model agrees:
    # a refundable contribution is then a race the author should not lose by waiting.
    anyone_may_take_now: bool = False
    deposit: DepositOutcome | None = None  # what the contract kept and what came back at once (once mined)

    @property
    def id(self) -> int:
        return self.stored.id


def own_contributions(
    ctx: WalletContext, author: str | None = None, view: LedgerView | None = None
) -> list[ContributionStatus]:
    """Every contribution of the local accounts (or of ``author``) on the current model, newest first,
    then those kept from earlier chains of this network that were reset."""
    deployment = ctx.require_deployment()
    stored = contributions.list_for(ctx.db, ctx.chain_key, deployment.trainer, author)
    if not stored:
        return reset_contributions(ctx, author)
    if view is None:
        view = refresh_ledger(ctx)  # once for all rows (it was asked again for every row)
    return [status_of(ctx, view, s) for s in stored] + reset_contributions(ctx, author)


def reset_contributions(ctx: WalletContext, author: str | None = None) -> list[ContributionStatus]:
    """Contributions kept from reset chains of this network: never pending, never refundable; no chain call."""
    names: dict[tuple[str, str], tuple[str, ...]] = {}
    result = []
    for stored in contributions.list_reset(ctx.db, ctx.connection.spec.url, author):
        key = (stored.chain_key, stored.trainer)
        if key not in names:  # the old deployment's classes, kept in the store for exactly this
            known = [k.deployment for k in chains.list_deployments(ctx.db, stored.chain_key)]
            names[key] = next((d.classifications for d in known if d.trainer == stored.trainer), ())
        classes = names[key]
        label = classes[stored.label] if 0 <= stored.label < len(classes) else None
        result.append(ContributionStatus(stored, CHAIN_RESET, label_name=label))
    return result


def status_of(ctx: WalletContext, view: LedgerView, stored: StoredContribution) -> ContributionStatus:
    if stored.state != ContributionState.ADDED or stored.added_time is None:
        return ContributionStatus(stored, stored.state)
    rules, now = view.rules, view.now
    entry = view.by_key.get(contribution_key(stored.data, stored.label, stored.added_time, stored.author))
    if entry is None:  # the index reaches the chain's head, so the chain has no such contribution
        return ContributionStatus(stored, MISSING)
    prediction = view.prediction_of(entry)
    if prediction is None:  # no local model for this deployment: ask the chain
        prediction = read(
            classifier_contract(ctx.w3, ctx.require_deployment().classifier).functions.predict(list(stored.data)),
            "The model's prediction",
        )
    refunded, is_open, claimable = entry.author_refunded, entry.open, entry.claimable
    agrees = prediction == stored.label
    taken_by = tuple(entry.takers)
    refund_at = stored.added_time + rules.refund_wait_s
    take_at = stored.added_time + rules.any_address_claim_wait_s
    if refunded:
        status = REFUNDED
    elif not is_open:
        status = TAKEN
    elif now < refund_at:
        status = WAITING
    elif now >= take_at and not agrees:
        status = OPEN_TO_ANYONE
    else:
        status = REFUNDABLE if agrees else AT_RISK
    return ContributionStatus(
        stored,
        status,
        claimable,
        agrees,
        refund_at,
        take_at,
        max(0, refund_at - now),
        taken_by,
        anyone_may_take_now=is_open and not refunded and now >= take_at,
        deposit=outcome(ctx, stored),
    )


def claim_refund(
    ctx: WalletContext,
    signer: UnlockedSigner,
    contribution_id: int,
    on_stage: Callable[[Stage], None] | None = None,
    fee: FeeOverride | None = None,
) -> TxReceipt:
    """Claims the refund of one own contribution; RevertError says why when the contract refuses."""
    fields = _refund_fields(ctx, signer.address, contribution_id)
    return send_journaled(ctx, signer, fields, kind=TxKind.REFUND, action="The refund", on_stage=on_stage, fee=fee)


def refund_fee(ctx: WalletContext, address: str, contribution_id: int) -> FeeQuote:
    """The network fee of claiming that refund now (RevertError when the contract would refuse it)."""
    return quote_fee(ctx, address, _refund_fields(ctx, address, contribution_id), "The refund")


def refund_all_fee(ctx: WalletContext, address: str) -> FeeQuote:
    """The network fee of claiming every refundable contribution of ``address`` (what refund_all sends):
    the sum of each claim's quote, one transaction each."""
    quotes = [refund_fee(ctx, address, s.id) for s in own_contributions(ctx, address) if s.status == REFUNDABLE]
    return FeeQuote(sum(q.gas for q in quotes), sum(q.max_fee_wei for q in quotes))


def _refund_fields(ctx: WalletContext, address: str, contribution_id: int) -> dict[str, object]:
    stored = contributions.get(ctx.db, contribution_id)
    if stored is None or stored.chain_key != ctx.chain_key or stored.reset_at is not None:
        raise InputError(f"There is no contribution {contribution_id} on this chain; see `dacwallet contributions`.")
    if stored.state != ContributionState.ADDED or stored.added_time is None:
        raise InputError(f"Contribution {contribution_id} is {stored.state}, not on the chain, so it has no refund.")
    if stored.author.lower() != address.lower():
        raise InputError(f"Contribution {contribution_id} belongs to {stored.author}; only its author can claim it.")
    trainer = trainer_contract(ctx.w3, stored.trainer)
    return {
        "to": stored.trainer,
        "data": trainer.encode_abi("refund", args=[list(stored.data), stored.label, stored.added_time]),
    }


@dataclass(frozen=True)
class ClaimResult:
    contribution_id: int
    amount: int
    error: str | None


def refund_all(
    ctx: WalletContext,
    signer: UnlockedSigner,
    *,
    on_progress: Callable[[int, int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    fee: FeeOverride | None = None,
) -> list[ClaimResult]:
    """Claims every refundable contribution of the signer's account; stops between claims when asked."""
    refundable = [s for s in own_contributions(ctx, signer.address) if s.status == REFUNDABLE]
    results = []
    for done, item in enumerate(refundable):
        if should_stop is not None and should_stop():
            break
        try:
            claim_refund(ctx, signer, item.id, fee=fee)
            results.append(ClaimResult(item.id, item.claimable, None))
        except (KeyStoreError, FeeError):
            raise  # a wrong password or a refused fee fails every claim alike: stop and say so once
        except DacwalletError as exc:
            results.append(ClaimResult(item.id, 0, exc.user_message))
        if on_progress is not None:
            on_progress(done + 1, len(refundable))
    return results
