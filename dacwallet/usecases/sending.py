"""Sending a transaction through the journal, and resolving what a crash left in it.

Order of events: sign -> journal (one SQLite transaction with the caller's own record) ->
broadcast -> receipt. After a crash at any point, ``resolve_journal`` looks each open
entry up by hash: mined (finish it), still pending (leave it), never seen (broadcast the
same bytes again: same nonce, so it can only ever be mined once) or superseded (its nonce
was used by another transaction: dropped, and the user's data is kept to send again).
Entries sharing a nonce (an original and its speed-ups or cancel, see ``pending``) are
settled together: the mined one is finished, the others are marked replaced.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from web3 import Web3
from web3.exceptions import TransactionNotFound
from web3.types import TxReceipt

from dacwallet.chain.fees import FeeOverride, FeeSuggestion
from dacwallet.chain.transactions import Signer, TransactionSender, WatchOnly
from dacwallet.contracts.deployment import trainer_contract
from dacwallet.errors import ChainError, DacwalletError, RevertError
from dacwallet.keys.signer import Signer as KeystoreSigner
from dacwallet.store import contributions, journal
from dacwallet.store.db import transaction
from dacwallet.usecases.context import WalletContext

ZERO_ADDRESS = "0x" + "00" * 20
CANCEL = "cancel"  # the journal kind of a 0-value transfer to self that takes a pending transaction's nonce
_receipt_wait_cap: ContextVar[float | None] = ContextVar("receipt_wait_cap", default=None)


class NotMinedYet(ChainError):
    """Sent and journaled, but no receipt came in time: it may still be mined; the pending list follows it."""


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


def send_journaled(ctx: WalletContext, signer: Signer, fields: dict[str, Any], *, kind: str, action: str,
                   contribution_id: int | None = None,
                   on_stage: Callable[[str], None] | None = None, fee: FeeOverride | None = None) -> TxReceipt:
    """Signs, journals, sends and waits; raises RevertError/ChainError with the journal kept consistent.

    ``fee`` replaces the node's suggested fees (checked first: InputError/HighFeeError before signing).
    When the receipt does not come in time (see ``receipt_wait_cap``), NotMinedYet
    (a ChainError) leaves the transaction journaled as sent: it shows in the pending list, to wait for,
    speed up or cancel.
    """
    sender = TransactionSender(ctx.w3, signer)
    cap = _receipt_wait_cap.get()
    if cap is not None:
        sender.receipt_timeout_s = min(cap, sender.receipt_timeout_s)
    stage = on_stage or (lambda _s: None)
    stage("estimating")
    tx = sender.prepare(fields, action=action, fee=fee)
    entry = sign_and_send(ctx, sender, tx, kind=kind, contribution_id=contribution_id, stage=stage)
    stage("waiting for the receipt")
    try:
        receipt = sender.wait(bytes.fromhex(entry.tx_hash[2:]), tx, action=action)
    except RevertError as exc:
        _close_failed(ctx, entry, exc.user_message)
        raise
    except ChainError as exc:  # no receipt (late, or the node went away): the journal keeps it as sent
        raise NotMinedYet(exc.user_message, detail=entry.tx_hash) from exc
    _finish(ctx, entry, receipt)
    return receipt


def sign_and_send(ctx: WalletContext, sender: TransactionSender, tx: dict[str, Any], *, kind: str,
                  contribution_id: int | None, stage: Callable[[str], None]) -> journal.JournalEntry:
    """signing -> journal (committed before the node sees anything) -> sending; returns the journal entry.

    A replacement (same nonce as an open entry) goes through here too: the resolution then settles the group.
    """
    stage("signing")
    raw, tx_hash = sender.sign(tx)
    entry = journal.JournalEntry(
        tx_hash=Web3.to_hex(tx_hash), chain_key=ctx.chain_key, sender=sender.address, nonce=tx["nonce"], raw=raw,
        kind=kind, contribution_id=contribution_id, state=journal.SIGNED, detail=None)
    with transaction(ctx.db):
        journal.record_signed(ctx.db, entry)
        if contribution_id is not None and kind != CANCEL:
            contributions.mark_sending(ctx.db, contribution_id, entry.tx_hash)
    stage("sending")
    try:
        sender.send_raw(raw)
    except DacwalletError as exc:
        _close_failed(ctx, entry, exc.user_message)
        raise
    with transaction(ctx.db):
        journal.set_state(ctx.db, entry.tx_hash, journal.SENT)
    return entry


def _open_siblings(ctx: WalletContext, entry: journal.JournalEntry) -> list[journal.JournalEntry]:
    """The other open entries for the same nonce (an original and its replacements)."""
    return [e for e in journal.same_nonce(ctx.db, ctx.chain_key, entry.sender, entry.nonce)
            if e.tx_hash != entry.tx_hash and e.state in journal.OPEN_STATES]


def _close_failed(ctx: WalletContext, entry: journal.JournalEntry, message: str) -> None:
    with transaction(ctx.db):
        journal.set_state(ctx.db, entry.tx_hash, journal.FAILED, message)
        # A refused replacement leaves the original pending: only a lone attempt fails its contribution.
        if entry.contribution_id is not None and entry.kind != CANCEL and not _open_siblings(ctx, entry):
            contributions.mark_failed(ctx.db, entry.contribution_id, contributions.FAILED, message)


def _finish(ctx: WalletContext, entry: journal.JournalEntry, receipt: TxReceipt) -> None:
    """Marks a mined transaction and its same-nonce rivals (replaced); a contribution gets its on-chain time
    and deposit from AddData, or is marked cancelled when a cancel took its nonce."""
    with transaction(ctx.db):
        _mark_rivals_replaced(ctx, entry)
        cid = entry.contribution_id
        if entry.kind == CANCEL:  # whatever its status, the nonce is spent: the contribution will never be added
            journal.set_state(ctx.db, entry.tx_hash, journal.MINED if receipt["status"] == 1 else journal.FAILED)
            if cid is not None:
                contributions.mark_failed(ctx.db, cid, contributions.CANCELLED,
                                          "cancelled before it was mined; the text is kept to send again")
            return
        if receipt["status"] != 1:
            journal.set_state(ctx.db, entry.tx_hash, journal.FAILED, "reverted")
            if cid is not None:
                contributions.mark_failed(ctx.db, cid, contributions.FAILED, "the transaction reverted")
            return
        journal.set_state(ctx.db, entry.tx_hash, journal.MINED)
        if cid is not None:
            stored = contributions.get(ctx.db, cid)
            events = trainer_contract(ctx.w3, stored.trainer).events.AddData().process_receipt(receipt)
            args = events[0]["args"]
            contributions.mark_sending(ctx.db, cid, entry.tx_hash)  # the hash that was mined (maybe a speed-up)
            contributions.mark_added(ctx.db, cid, args["t"], args["cost"], receipt["blockNumber"])


@dataclass(frozen=True)
class Resolution:
    tx_hash: str
    kind: str
    outcome: str  # "mined", "failed", "pending", "rebroadcast", "dropped", "replaced"


def resolve_journal(ctx: WalletContext) -> list[Resolution]:
    """Settles every journal entry a previous run left open (see the module doc), one nonce at a time."""
    results: list[Resolution] = []
    done: set[tuple[str, int]] = set()
    for entry in journal.open_entries(ctx.db, ctx.chain_key):
        if (entry.sender, entry.nonce) not in done:
            done.add((entry.sender, entry.nonce))
            results += _resolve_nonce(ctx, entry)
    return results


def _resolve_nonce(ctx: WalletContext, first: journal.JournalEntry) -> list[Resolution]:
    """One nonce's entries: at most one can be mined; the rest end replaced (or dropped, or wait)."""
    group = journal.same_nonce(ctx.db, ctx.chain_key, first.sender, first.nonce)
    open_ = [e for e in group if e.state in journal.OPEN_STATES]
    mined_before = [e for e in group if e.state == journal.MINED]
    if mined_before:  # settled in an earlier run that stopped before closing its rivals
        with transaction(ctx.db):
            _mark_rivals_replaced(ctx, mined_before[0])
        return [Resolution(e.tx_hash, e.kind, "replaced") for e in open_]
    settled = _settle_mined(ctx, open_)
    if settled is not None:
        return settled
    newest = open_[-1]  # the highest fees: what the user asked for last
    if known_to_node(ctx.w3, newest.tx_hash):
        return [Resolution(e.tx_hash, e.kind, "pending") for e in open_]
    if ctx.w3.eth.get_transaction_count(first.sender, "latest") > first.nonce:
        settled = _settle_mined(ctx, open_)  # mined between the two questions?
        if settled is not None:
            return settled
        with transaction(ctx.db):
            for entry in open_:
                journal.set_state(ctx.db, entry.tx_hash, journal.DROPPED, "another transaction used its nonce")
                if entry.contribution_id is not None and entry.kind != CANCEL:
                    contributions.mark_failed(ctx.db, entry.contribution_id, contributions.DROPPED,
                                              "never mined: another transaction took its place; send it again")
        return [Resolution(e.tx_hash, e.kind, "dropped") for e in open_]
    # The node does not have the newest attempt (never sent, or lost): send it again. Same nonce, so at
    # most one attempt is ever mined; if an older one is still in the node's pool, this replaces it there.
    try:
        TransactionSender(ctx.w3, WatchOnly(newest.sender)).send_raw(newest.raw)
    except DacwalletError as exc:
        _close_failed(ctx, newest, exc.user_message)
        return [Resolution(newest.tx_hash, newest.kind, "failed")]
    with transaction(ctx.db):
        journal.set_state(ctx.db, newest.tx_hash, journal.SENT)
    receipt = _receipt(ctx.w3, newest.tx_hash)
    if receipt is not None:
        _finish(ctx, newest, receipt)
    return [Resolution(e.tx_hash, e.kind, "pending") for e in open_[:-1]] + [
        Resolution(newest.tx_hash, newest.kind, "rebroadcast")]


def _settle_mined(ctx: WalletContext, open_: list[journal.JournalEntry]) -> list[Resolution] | None:
    """Finishes the attempt that was mined, if any (its rivals end replaced); None when none was."""
    for entry in open_:
        receipt = _receipt(ctx.w3, entry.tx_hash)
        if receipt is not None:
            _finish(ctx, entry, receipt)
            return [Resolution(entry.tx_hash, entry.kind, "mined" if receipt["status"] == 1 else "failed")] + [
                Resolution(e.tx_hash, e.kind, "replaced") for e in open_ if e is not entry]
    return None


def _mark_rivals_replaced(ctx: WalletContext, winner: journal.JournalEntry) -> None:
    """Inside the caller's transaction: every other open entry of the winner's nonce can never be mined now."""
    for rival in _open_siblings(ctx, winner):
        journal.set_state(ctx.db, rival.tx_hash, journal.REPLACED, f"replaced by {winner.tx_hash}")


def _receipt(w3: Web3, tx_hash: str) -> TxReceipt | None:
    try:
        return w3.eth.get_transaction_receipt(tx_hash)
    except TransactionNotFound:
        return None


def known_to_node(w3: Web3, tx_hash: str) -> bool:
    """Whether the node has the transaction (pending or mined); False once it dropped or replaced it."""
    try:
        w3.eth.get_transaction(tx_hash)
    except TransactionNotFound:
        return False
    return True
