"""Settling journaled transactions by asking the chain, never by guessing.

A group (an original and its speed-ups or cancel, see ``store.lifecycle``) is settled by looking its
attempts up by hash: one with a receipt is mined (its group mates end replaced, rival groups of the same
nonce end dropped). Without a receipt: a group a live process still owns (``store.inflight``) is left to
it; one the node has is pending; one whose nonce another transaction used is dropped; one the node lost
is broadcast again - the same bytes and nonce, so it can only ever be mined once. A node that refuses that
broadcast ("nonce too low", a fee now too low) does not make it failed: it is looked up again, and if still
nowhere it stays open for the next look (and for the user to speed up or cancel).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from eth_typing import HexStr
from web3 import Web3
from web3.exceptions import TransactionNotFound
from web3.types import TxReceipt

from dacwallet.chain.transactions import TransactionSender, WatchOnly, decode_signed
from dacwallet.contracts.codec import trainer_codec
from dacwallet.errors import DacwalletError
from dacwallet.store import contributions, inflight, journal
from dacwallet.store.journal import JournalEntry
from dacwallet.store.lifecycle import (
    Changes,
    ContributionState,
    Mined,
    NonceTaken,
    Orphaned,
    Sent,
    TxKind,
    TxState,
    apply,
    left_wrong,
)
from dacwallet.usecases.context import WalletContext


class Outcome(StrEnum):
    MINED = "mined"
    FAILED = "failed"  # mined, and reverted
    PENDING = "pending"
    REBROADCAST = "rebroadcast"
    DROPPED = "dropped"
    REPLACED = "replaced"


@dataclass(frozen=True)
class Resolution:
    tx_hash: str
    kind: TxKind
    outcome: Outcome


@dataclass(frozen=True)
class GroupState:
    """Where a group stands after one look: ``winner`` (with its receipt) once one attempt is mined."""

    outcome: Outcome  # MINED / FAILED (the winner's), DROPPED, PENDING or REBROADCAST (with a winner: mined at once)
    winner: JournalEntry | None = None
    receipt: TxReceipt | None = None
    changes: Changes = Changes()
    reason: str | None = None  # why the winner reverted


def resolve_journal(ctx: WalletContext) -> list[Resolution]:
    """Settles every open group of this chain (what a crash, another process or a late block left open)."""
    results: list[Resolution] = []
    done: set[str] = set()
    for entry in journal.open_entries(ctx.db, ctx.chain_key):
        if entry.origin in done:
            continue
        done.add(entry.origin)
        open_ = _open(journal.group_of(ctx.db, entry))
        state = settle_group(ctx, entry)
        results += _resolutions(open_, state)
    return results + _recheck_left_wrong(ctx)


def _recheck_left_wrong(ctx: WalletContext) -> list[Resolution]:
    """Rows an earlier version left wrong (see ``lifecycle.left_wrong``) are settled by looking their
    transactions up: a receipt corrects them to added, none drops a row that nothing would move."""
    results = []
    for cid in left_wrong(ctx.db, ctx.chain_key):
        entries = journal.for_contribution(ctx.db, cid)
        mined = find_mined(ctx, [e for e in entries if e.state != TxState.MINED])
        if mined is not None and mined.winner is not None:  # find_mined always names the attempt it found
            results.append(Resolution(mined.winner.tx_hash, mined.winner.kind, mined.outcome))
        elif contributions.get_known(ctx.db, cid).state == ContributionState.SENDING:
            apply(ctx.db, Orphaned(cid))
            results += [Resolution(e.tx_hash, e.kind, Outcome.DROPPED) for e in entries[-1:]]
    return results


def _resolutions(open_: list[JournalEntry], state: GroupState) -> list[Resolution]:
    if state.winner is not None:
        return [
            Resolution(e.tx_hash, e.kind, state.outcome if e.tx_hash == state.winner.tx_hash else Outcome.REPLACED)
            for e in open_
        ]
    if state.outcome == Outcome.REBROADCAST:
        return [Resolution(e.tx_hash, e.kind, Outcome.PENDING) for e in open_[:-1]] + [
            Resolution(open_[-1].tx_hash, open_[-1].kind, Outcome.REBROADCAST)
        ]
    return [Resolution(e.tx_hash, e.kind, state.outcome) for e in open_]


def settle_group(
    ctx: WalletContext, entry: JournalEntry, *, owner: bool = False, receipts_only: bool = False
) -> GroupState:
    """One look at ``entry``'s group. ``owner``: the caller is the process that sent it (it may act while
    its claim is held); ``receipts_only``: only look for a receipt (a waiting sender's quick poll)."""
    group = journal.group_of(ctx.db, entry)
    mined = find_mined(ctx, group)
    if mined is not None:
        return mined
    open_ = _open(group)
    if not open_:  # settled by another process: dropped (or refused, for a lone attempt)
        return GroupState(Outcome.DROPPED)
    if receipts_only or (not owner and any(inflight.is_claimed(ctx.data_dir, e.tx_hash) for e in open_)):
        return GroupState(Outcome.PENDING)
    newest = open_[-1]  # the highest fees: what the user asked for last
    if known_to_node(ctx.w3, newest.tx_hash):
        return GroupState(Outcome.PENDING)
    if nonce_used(ctx, newest):
        return _nonce_taken(ctx, newest)
    # The node does not have the newest attempt (never sent, or lost): send it again. If an older one is
    # still in the node's pool, this replaces it there (the user asked for the newest last).
    try:
        TransactionSender(ctx.w3, WatchOnly(newest.sender)).send_raw(newest.raw)
    except DacwalletError:
        if nonce_used(ctx, newest):  # e.g. "nonce too low": mined meanwhile, by this group or another
            return _nonce_taken(ctx, newest)
        return GroupState(Outcome.PENDING)  # still nowhere (a fee below the base fee now...): look again later
    changes = apply(ctx.db, Sent(newest.tx_hash)) if newest.state == TxState.SIGNED else Changes()
    mined = find_mined(ctx, group)  # a chain that mines at once (the embedded one) has its receipt now
    if mined is None:
        return GroupState(Outcome.REBROADCAST, changes=changes)
    rebroadcast_won = mined.winner is not None and mined.winner.tx_hash == newest.tx_hash
    return replace(mined, outcome=Outcome.REBROADCAST) if rebroadcast_won else mined


def find_mined(ctx: WalletContext, group: list[JournalEntry]) -> GroupState | None:
    """The group's mined attempt, recorded (a receipt found now is applied); None while none is."""
    for e in group:
        if e.state == TxState.MINED:
            return GroupState(Outcome.MINED, e, _receipt(ctx.w3, e.tx_hash))
    for e in group:  # open ones, and final verdicts a receipt may still correct (see store.lifecycle)
        receipt = _receipt(ctx.w3, e.tx_hash)
        if receipt is not None:
            event = _mined_event(ctx, e, receipt)
            changes = apply(ctx.db, event)
            return GroupState(Outcome.MINED if event.ok else Outcome.FAILED, e, receipt, changes, event.error)
    return None


def _nonce_taken(ctx: WalletContext, entry: JournalEntry) -> GroupState:
    """The nonce is spent. By this group (mined between two questions), or by another transaction."""
    group = journal.group_of(ctx.db, entry)
    mined = find_mined(ctx, group)
    if mined is not None:
        return mined
    return GroupState(Outcome.DROPPED, changes=apply(ctx.db, NonceTaken(entry.tx_hash)))


def _mined_event(ctx: WalletContext, entry: JournalEntry, receipt: TxReceipt) -> Mined:
    ok = receipt["status"] == 1
    block = int(receipt["blockNumber"])
    if not ok:
        return Mined(entry.tx_hash, False, block, error=reason_of_revert(ctx, entry, receipt))
    if entry.kind == TxKind.CONTRIBUTE and entry.contribution_id is not None:
        args = trainer_codec().added.in_receipt(receipt, None)[0]  # decoded as web3 would, without its ABI search
        return Mined(entry.tx_hash, True, block, added_time=int(args["t"]), cost=int(args["cost"]))
    return Mined(entry.tx_hash, True, block)


def reason_of_revert(ctx: WalletContext, entry: JournalEntry, receipt: TxReceipt) -> str:
    """Why a mined attempt reverted (replayed as a call in its block)."""
    fields = decode_signed(entry.raw)
    fields["from"] = entry.sender
    return TransactionSender(ctx.w3, WatchOnly(entry.sender)).reason_of_failed(fields, receipt)


def nonce_used(ctx: WalletContext, entry: JournalEntry) -> bool:
    return ctx.w3.eth.get_transaction_count(Web3.to_checksum_address(entry.sender), "latest") > entry.nonce


def _open(group: list[JournalEntry]) -> list[JournalEntry]:
    return [e for e in group if e.state in journal.OPEN_STATES]


def _receipt(w3: Web3, tx_hash: str) -> TxReceipt | None:
    try:
        return w3.eth.get_transaction_receipt(HexStr(tx_hash))
    except TransactionNotFound:
        return None


def known_to_node(w3: Web3, tx_hash: str) -> bool:
    """Whether the node has the transaction (pending or mined); False once it dropped or replaced it."""
    try:
        w3.eth.get_transaction(HexStr(tx_hash))
    except TransactionNotFound:
        return False
    return True
