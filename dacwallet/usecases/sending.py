"""Sending a transaction through the journal, and following it until the chain settles it.

Order of events: sign -> claim (``store.inflight``) and journal (the lifecycle's Journaled event: one
SQLite transaction with the caller's own record) -> broadcast -> wait. While it is in flight only this
process settles it; others see the claim and leave it. The wait follows the whole group: a speed-up or
cancel sent from another process (the pending list) that is mined ends it too, and says so. After a crash
at any point, ``settle.resolve_journal`` (the next run) finds the entry unclaimed and settles it by asking
the chain. A refused broadcast is looked up before anything is concluded: it may have been mined anyway.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from web3 import Web3
from web3.types import TxReceipt

from dacwallet.chain.fees import FeeOverride, FeeSuggestion
from dacwallet.chain.transactions import Signer, TransactionSender, WatchOnly
from dacwallet.errors import ChainError, DacwalletError, RevertError
from dacwallet.keys.signer import Signer as KeystoreSigner
from dacwallet.store.inflight import Claim
from dacwallet.store.journal import JournalEntry
from dacwallet.store.lifecycle import (
    IllegalTransition,
    Journaled,
    NonceInUse,
    Refused,
    Sent,
    TxKind,
    TxState,
    apply,
)
from dacwallet.store.lifecycle import Stage as Stage  # the GUI shows a send's stages from here
from dacwallet.sync.faults import node_trouble_message
from dacwallet.usecases.context import WalletContext
from dacwallet.usecases.settle import GroupState, Outcome, known_to_node, nonce_used, settle_group

ZERO_ADDRESS = "0x" + "00" * 20
POLL_FIRST_S, POLL_MAX_S = 0.05, 1.0  # a waiting sender looks for receipts at these intervals (growing)
FULL_LOOK_EVERY_S = 3.0  # and this often also asks whether the node still has it or its nonce was used
MAX_NONCE_TRIES = 8  # re-signing when another process of this wallet took the nonce a moment before
_receipt_wait_cap: ContextVar[float | None] = ContextVar("receipt_wait_cap", default=None)


class NotMinedYet(ChainError):
    """Sent and journaled, but no receipt came in time: it may still be mined; the pending list follows it."""


class NotSent(DacwalletError):
    """It was never mined and never will be: cancelled from the pending list, or its nonce used by another
    transaction. Nothing but a cancel's fee was spent; a contribution keeps its text to send again."""


@contextmanager
def receipt_wait_cap(seconds: float) -> Iterator[None]:
    """Within it, no ``send_journaled`` waits longer than ``seconds`` for a receipt.

    The GUI's dialogs use it (their one worker thread must not stay blocked for minutes, whatever
    action they run), and so do tests that leave a transaction pending on purpose.
    """
    token = _receipt_wait_cap.set(seconds)
    try:
        yield
    finally:
        _receipt_wait_cap.reset(token)


@dataclass
class UnlockedSigner:
    """A keystore signer plus the password for one operation; the key is decrypted per signature."""

    signer: KeystoreSigner
    password: str | None

    @property
    def address(self) -> str:
        return self.signer.address

    def sign_transaction(self, transaction_dict: dict[str, Any]) -> Any:
        return self.signer.sign_transaction(transaction_dict, self.password)

    def __repr__(self) -> str:  # never show the password
        return f"UnlockedSigner({self.address})"


def signer_for(ctx: WalletContext, account: str | None, password: str | None) -> UnlockedSigner:
    """The named account (default: the only or last used one); password None = the remembered one.

    Naming an account does not make it the default: the keystore signer marks it used only once a
    signature succeeds, so a wrong password (or an action refused before signing) leaves the default alone.
    """
    name = account if account is not None else ctx.keys.default_account().address
    return UnlockedSigner(KeystoreSigner(ctx.keys, name), password)


def suggest_fees(ctx: WalletContext) -> FeeSuggestion:
    """The fees the node suggests now (what a fee editor starts from)."""
    return TransactionSender(ctx.w3, WatchOnly(ZERO_ADDRESS)).suggest_fees()


def send_journaled(
    ctx: WalletContext,
    signer: Signer,
    fields: dict[str, Any],
    *,
    kind: TxKind,
    action: str,
    contribution_id: int | None = None,
    on_stage: Callable[[Stage], None] | None = None,
    fee: FeeOverride | None = None,
) -> TxReceipt:
    """Signs, journals, sends and waits until its group settles; returns the receipt of the attempt mined
    (this one, or a speed-up sent meanwhile from the pending list).

    ``fee`` replaces the node's suggested fees (checked first: InputError/HighFeeError before signing).
    Raises RevertError (refused at estimation, or mined and reverted), NotSent (a cancel or another
    transaction took its nonce), or NotMinedYet (a ChainError) when no receipt came in time (see
    ``receipt_wait_cap``): it stays journaled as sent, in the pending list, to wait for, speed up or cancel.
    """
    sender = TransactionSender(ctx.w3, signer)
    cap = _receipt_wait_cap.get()
    timeout_s = sender.receipt_timeout_s if cap is None else min(cap, sender.receipt_timeout_s)
    stage = on_stage or (lambda _s: None)
    stage(Stage.ESTIMATING)
    tx = sender.prepare(fields, action=action, fee=fee)
    with sending(ctx, sender, tx, kind=kind, contribution_id=contribution_id, stage=stage) as entry:
        stage(Stage.WAITING)
        return _receipt_or_raise(follow(ctx, entry, timeout_s, action=action), entry, action, timeout_s)


@contextmanager
def sending(
    ctx: WalletContext,
    sender: TransactionSender,
    tx: dict[str, Any],
    *,
    kind: TxKind,
    contribution_id: int | None,
    stage: Callable[[Stage], None],
    replaces: JournalEntry | None = None,
) -> Iterator[JournalEntry]:
    """signing -> claim and journal (committed before the node sees anything) -> broadcast; yields the entry
    while this process still owns it (its wait), and gives it up when the block ends.

    ``replaces``: the attempt a speed-up or cancel replaces (the same nonce, on purpose). An original gets
    a nonce no other entry of this wallet holds, so two processes never race for one.
    """
    entry, claim = _sign_and_journal(
        ctx, sender, tx, kind=kind, contribution_id=contribution_id, stage=stage, replaces=replaces
    )
    with claim:
        _broadcast(ctx, sender, entry, stage)
        yield entry


def _sign_and_journal(
    ctx: WalletContext,
    sender: TransactionSender,
    tx: dict[str, Any],
    *,
    kind: TxKind,
    contribution_id: int | None,
    stage: Callable[[Stage], None],
    replaces: JournalEntry | None,
) -> tuple[JournalEntry, Claim]:
    for _ in range(MAX_NONCE_TRIES):
        stage(Stage.SIGNING)
        raw, tx_hash = sender.sign(tx)
        entry = JournalEntry(
            tx_hash=Web3.to_hex(tx_hash),
            chain_key=ctx.chain_key,
            sender=sender.address,
            nonce=tx["nonce"],
            raw=raw,
            kind=kind,
            contribution_id=contribution_id,
            state=TxState.SIGNED,
            detail=None,
            origin=replaces.origin if replaces is not None else "",
        )
        claim = Claim(ctx.data_dir, entry.tx_hash)
        try:
            apply(ctx.db, Journaled(entry, node_nonce=None if replaces is not None else tx["nonce"]))
        except NonceInUse as exc:  # another send of this wallet signed that nonce a moment ago: take the next
            claim.release()
            tx = {**tx, "nonce": exc.next_free}
            continue
        except BaseException:
            claim.release()
            raise
        return entry, claim
    raise ChainError("Other transactions of this account kept taking the next nonce; try again in a moment.")


def _broadcast(
    ctx: WalletContext, sender: TransactionSender, entry: JournalEntry, stage: Callable[[Stage], None]
) -> None:
    """Sends the signed bytes. A refusal is looked up first: the node may have it, or it (or a rival for its
    nonce) may be mined already - then the wait says how it ended. Only a refusal that stands fails it."""
    stage(Stage.SENDING)
    try:
        sender.send_raw(entry.raw)
    except DacwalletError as exc:
        if known_to_node(ctx.w3, entry.tx_hash):
            apply(ctx.db, Sent(entry.tx_hash))
        elif not nonce_used(ctx, entry) and _refused(ctx, entry, exc.user_message):
            raise
        return  # its nonce is spent: the wait finds whether by this transaction or by another
    apply(ctx.db, Sent(entry.tx_hash))


def _refused(ctx: WalletContext, entry: JournalEntry, message: str) -> bool:
    """Records the refusal; False when a receipt settled the entry meanwhile (the wait then reports it)."""
    try:
        apply(ctx.db, Refused(entry.tx_hash, message))
    except IllegalTransition:
        return False
    return True


def follow(ctx: WalletContext, entry: JournalEntry, timeout_s: float, *, action: str = "The transaction") -> GroupState:
    """Waits up to ``timeout_s`` for ``entry``'s group to settle: a receipt of any attempt (a speed-up or
    cancel another process sent included), or its nonce used by another transaction. PENDING at the end
    means no receipt yet. Receipts are looked for often; the node's pool and nonce now and then."""
    start = time.monotonic()
    delay, last_full = POLL_FIRST_S, start
    while True:
        now = time.monotonic()
        full = now - last_full >= FULL_LOOK_EVERY_S
        try:
            state = settle_group(ctx, entry, owner=True, receipts_only=not full)
        except DacwalletError:
            raise  # already says what to do
        except Exception as exc:
            message = node_trouble_message(exc)
            if message is None:
                raise
            raise NotMinedYet(
                f"{action} was sent, but the node stopped answering while waiting for it. {message}",
                detail=entry.tx_hash,
            ) from exc
        if state.winner is not None or state.outcome not in (Outcome.PENDING, Outcome.REBROADCAST):
            return state
        if full:
            last_full = now
        if now - start >= timeout_s:
            return state
        time.sleep(min(delay, max(0.0, timeout_s - (now - start))))
        delay = min(delay * 1.5, POLL_MAX_S)


def _receipt_or_raise(state: GroupState, entry: JournalEntry, action: str, timeout_s: float) -> TxReceipt:
    winner = state.winner
    if winner is None and state.outcome == Outcome.DROPPED:
        raise NotSent(
            f"{action} was never mined: another transaction from this account used its nonce first. "
            "Nothing was spent on it." + _kept(entry),
            detail=entry.tx_hash,
        )
    # No receipt for a winner: the node has lost the block it was mined in (a reorganisation), so not mined yet.
    if winner is None or state.receipt is None:
        raise NotMinedYet(
            f"{action} was sent but not mined within {timeout_s:.0f} s; it may still be mined later. "
            "Wait, or speed it up or cancel it from the pending transactions.",
            detail=entry.tx_hash,
        )
    if state.receipt["status"] != 1:
        raise RevertError(state.reason or "no reason given", action=action)
    if winner.kind == TxKind.CANCEL and entry.kind != TxKind.CANCEL:
        block = state.receipt["blockNumber"]
        raise NotSent(
            f"{action} was cancelled before it was mined (from the pending transactions): a 0-value "
            f"transfer to yourself took its place in block {block}. Only that transfer's fee was spent." + _kept(entry),
            detail=winner.tx_hash,
        )
    return state.receipt


def _kept(entry: JournalEntry) -> str:
    return " The contribution keeps its text, to send again." if entry.contribution_id is not None else ""
