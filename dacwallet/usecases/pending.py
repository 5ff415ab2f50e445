"""This wallet's transactions sent but not mined yet, and the two ways out of a stuck one.

**Speed up** signs the same transaction again with the same nonce and higher fees; **cancel**
signs a 0-value transfer to oneself with that nonce and higher fees. A contribution's deposit is
re-read first: it may have risen since the first signature (see ``_deposit_for_replacement``).
Either is one more journal
entry of the transaction's group (same nonce and origin), written before it is sent, so after a crash
``resolve_journal`` finds the group and settles it: whichever attempt was mined is finished, the others
are marked replaced; a cancelled contribution is marked cancelled and keeps its text. A process still
waiting for the original (a ``contribute`` in another terminal) sees the replacement mined and says so.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dacwallet.chain.fees import max_cost, replacement_fees
from dacwallet.chain.transactions import TransactionSender, decode_signed
from dacwallet.errors import InputError
from dacwallet.store import contributions, journal
from dacwallet.store.lifecycle import Stage, TxKind
from dacwallet.usecases.context import WalletContext
from dacwallet.usecases.contribute import required_deposit
from dacwallet.usecases.sending import UnlockedSigner, sending
from dacwallet.usecases.settle import Outcome, known_to_node, resolve_journal

TRANSFER_GAS = 21_000
KIND_NAMES = {
    TxKind.CONTRIBUTE: "Contribution",
    TxKind.REFUND: "Refund",
    TxKind.REPORT: "Report",
    TxKind.SEND: "Transfer",
    TxKind.CANCEL: "Cancel",
    TxKind.CALL: "Transaction",
}


@dataclass(frozen=True)
class PendingTransaction:
    """One nonce still waiting: its newest attempt (what speed-up and cancel act on) and its history."""

    tx_hash: str  # the newest attempt
    sender: str
    nonce: int
    kind: TxKind  # what was first sent: contribute, refund, report (or cancel)
    action: str  # readable, e.g. "Contribution #3, cancelling"
    contribution_id: int | None
    max_fee_wei: int  # the gas price on a legacy chain
    priority_fee_wei: int | None  # None on a legacy chain
    max_cost_wei: int  # gas limit x max fee
    age_s: float  # since the first attempt was signed
    known_to_node: bool  # False: the node lost it (restart, eviction); the next start sends it again
    earlier: tuple[str, ...]  # hashes of the attempts it replaces


@dataclass(frozen=True)
class Replacement:
    replaced: str  # the attempt it replaces
    tx_hash: str
    nonce: int
    kind: TxKind  # the original's kind (speed-up) or cancel
    max_fee_wei: int
    priority_fee_wei: int | None
    mined: bool  # already mined when the call returned (chains that mine at once)
    deposit: DepositChange | None = None  # a sped-up contribution: the deposit it carries now


@dataclass(frozen=True)
class DepositChange:
    """A pending contribution's deposit: what it was signed with and what the contract asks for now."""

    signed_wei: int
    required_wei: int

    @property
    def rose(self) -> bool:
        return self.required_wei > self.signed_wei

    @property
    def carried_wei(self) -> int:
        """What a speed-up sends: never less than before, the current figure when it rose."""
        return max(self.signed_wei, self.required_wei)


def pending_transactions(
    ctx: WalletContext, sender: str | None = None, *, settle: bool = True
) -> list[PendingTransaction]:
    """Journaled transactions of this chain (of ``sender``, or every account) not mined yet, oldest first.

    ``settle`` first resolves the journal, so what was mined or replaced since is no longer listed.
    """
    if settle:
        resolve_journal(ctx)
    groups: dict[str, list[journal.JournalEntry]] = {}
    for entry in journal.open_entries(ctx.db, ctx.chain_key):
        if sender is None or entry.sender.lower() == sender.lower():
            groups.setdefault(entry.origin, []).append(entry)
    now = time.time()
    return [_describe(ctx, entries, now) for entries in groups.values()]


def _describe(ctx: WalletContext, entries: list[journal.JournalEntry], now: float) -> PendingTransaction:
    first, newest = entries[0], entries[-1]
    fields = decode_signed(newest.raw)
    fees = _fee_fields(fields)
    action = KIND_NAMES[first.kind]
    if first.contribution_id is not None:
        action += f" #{first.contribution_id}"
    if newest.kind == TxKind.CANCEL and first.kind != TxKind.CANCEL:
        action += ", cancelling"
    elif len(entries) > 1:
        action += f", sped up {len(entries) - 1}x"
    return PendingTransaction(
        tx_hash=newest.tx_hash,
        sender=newest.sender,
        nonce=newest.nonce,
        kind=first.kind,
        action=action,
        contribution_id=first.contribution_id,
        max_fee_wei=fees.get("maxFeePerGas", fees.get("gasPrice", 0)),
        priority_fee_wei=fees.get("maxPriorityFeePerGas"),
        max_cost_wei=max_cost(fields["gas"], fees),
        age_s=max(0.0, now - first.created_at),
        known_to_node=known_to_node(ctx.w3, newest.tx_hash),
        earlier=tuple(e.tx_hash for e in entries[:-1]),
    )


def speed_up(
    ctx: WalletContext,
    signer: UnlockedSigner,
    tx_hash: str,
    *,
    on_stage: Callable[[Stage], None] | None = None,
    allow_high_fee: bool = False,
) -> Replacement:
    """Sends the pending transaction again with the same nonce and fees raised enough to replace it
    (``allow_high_fee``: the user confirmed a node suggestion past its bounds)."""
    return _replace(ctx, signer, tx_hash, on_stage, cancel=False, allow_high_fee=allow_high_fee)


def cancel(
    ctx: WalletContext,
    signer: UnlockedSigner,
    tx_hash: str,
    *,
    on_stage: Callable[[Stage], None] | None = None,
    allow_high_fee: bool = False,
) -> Replacement:
    """Takes the pending transaction's nonce with a 0-value transfer to oneself at higher fees."""
    return _replace(ctx, signer, tx_hash, on_stage, cancel=True, allow_high_fee=allow_high_fee)


def _replace(
    ctx: WalletContext,
    signer: UnlockedSigner,
    tx_hash: str,
    on_stage: Callable[[Stage], None] | None,
    *,
    cancel: bool,
    allow_high_fee: bool,
) -> Replacement:
    stage = on_stage or (lambda _s: None)
    stage(Stage.CHECKING_PENDING)
    newest = _pending_attempt(ctx, tx_hash)
    if newest.sender.lower() != signer.address.lower():
        raise InputError(f"Transaction {tx_hash} was sent by {newest.sender}; only that account can replace it.")
    sender = TransactionSender(ctx.w3, signer)
    old = decode_signed(newest.raw)
    fees = replacement_fees(_fee_fields(old), sender.suggest_fees(), allow_high=allow_high_fee)
    if cancel:
        tx: dict[str, Any] = {
            "to": signer.address,
            "value": 0,
            "data": b"",
            "gas": TRANSFER_GAS,
            "nonce": old["nonce"],
            "chainId": old["chainId"],
        }
    else:
        tx = {k: v for k, v in old.items() if k not in ("maxFeePerGas", "maxPriorityFeePerGas", "gasPrice")}
    deposit = None if cancel else _deposit_for_replacement(ctx, newest, old)
    if deposit is not None:
        tx["value"] = deposit.carried_wei
    tx.update(fees)
    with sending(
        ctx,
        sender,
        tx,
        kind=TxKind.CANCEL if cancel else newest.kind,
        contribution_id=newest.contribution_id,
        stage=stage,
        replaces=newest,
    ) as entry:
        stage(Stage.SENT)
    # A chain that mines at once (the embedded one) has a receipt now: settle the group right away.
    mined = any(r.tx_hash == entry.tx_hash and r.outcome == Outcome.MINED for r in resolve_journal(ctx))
    return Replacement(
        newest.tx_hash,
        entry.tx_hash,
        entry.nonce,
        entry.kind,
        fees.get("maxFeePerGas", fees.get("gasPrice", 0)),
        fees.get("maxPriorityFeePerGas"),
        mined,
        deposit,
    )


def speed_up_deposit(ctx: WalletContext, tx_hash: str) -> DepositChange | None:
    """What a speed-up of ``tx_hash`` would deposit (None: not a contribution), to show before signing."""
    newest = _pending_attempt(ctx, tx_hash)
    return _deposit_for_replacement(ctx, newest, decode_signed(newest.raw))


def _deposit_for_replacement(
    ctx: WalletContext, newest: journal.JournalEntry, old: dict[str, Any]
) -> DepositChange | None:
    """For a contribution, the deposit signed and the one required now; None for anything else.

    The contract asks for more when someone contributed since the first signature (the deposit falls
    with the time since the last contribution), and a replacement with the old value would revert and
    fail the contribution. Speed-up raises it rather than refusing: the user asked for this contribution
    to go in, already agreed to stake a deposit for it, and cancel-then-resend would cost a second fee for
    the same result. The new amount is shown before signing (GUI) and in the result (CLI and GUI).
    """
    if newest.kind != TxKind.CONTRIBUTE or newest.contribution_id is None:
        return None
    stored = contributions.get(ctx.db, newest.contribution_id)
    if stored is None:
        return None
    return DepositChange(int(old.get("value", 0)), required_deposit(ctx, stored.trainer))


def _pending_attempt(ctx: WalletContext, tx_hash: str) -> journal.JournalEntry:
    """The newest open attempt of the nonce ``tx_hash`` belongs to; InputError when there is nothing to replace."""
    resolve_journal(ctx)  # it may have been mined (or replaced) a moment ago
    given = _journaled(ctx, tx_hash)
    group = [e for e in journal.group_of(ctx.db, given) if e.state in journal.OPEN_STATES]
    if not group:
        raise InputError(
            f"Transaction {tx_hash} is no longer pending ({given.state}"
            f"{': ' + given.detail if given.detail else ''}); there is nothing to replace."
        )
    return group[-1]


def sender_of(ctx: WalletContext, tx_hash: str) -> str:
    """The account that sent a journaled transaction (the one that must sign its replacement)."""
    return _journaled(ctx, tx_hash).sender


def _journaled(ctx: WalletContext, tx_hash: str) -> journal.JournalEntry:
    given = journal.get(ctx.db, _normal_hash(tx_hash))
    if given is None or given.chain_key != ctx.chain_key:
        raise InputError(f"No transaction {tx_hash} of this wallet is known on this chain; see `dacwallet tx list`.")
    return given


def _normal_hash(tx_hash: str) -> str:
    text = tx_hash.strip().lower()
    return text if text.startswith("0x") else "0x" + text


def _fee_fields(fields: dict[str, Any]) -> dict[str, int]:
    return {k: int(fields[k]) for k in ("maxFeePerGas", "maxPriorityFeePerGas", "gasPrice") if k in fields}
