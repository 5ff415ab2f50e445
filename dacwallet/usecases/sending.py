"""Sending a transaction through the journal, and resolving what a crash left in it.

Order of events: sign -> journal (one SQLite transaction with the caller's own record) ->
broadcast -> receipt. After a crash at any point, ``resolve_journal`` looks each open
entry up by hash: mined (finish it), still pending (leave it), never seen (broadcast the
same bytes again: same nonce, so it can only ever be mined once) or superseded (its nonce
was used by another transaction: dropped, and the user's data is kept to send again).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from web3 import Web3
from web3.exceptions import TransactionNotFound
from web3.types import TxReceipt

from dacwallet.chain.transactions import Signer, TransactionSender
from dacwallet.contracts.deployment import trainer_contract
from dacwallet.errors import DacwalletError, RevertError
from dacwallet.keys.signer import Signer as KeystoreSigner
from dacwallet.store import contributions, journal
from dacwallet.store.db import transaction
from dacwallet.usecases.context import WalletContext


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
    """The named account (default: the only or last used one); password None = the remembered one."""
    name = account if account is not None else ctx.keys.default_account().address
    signer = KeystoreSigner(ctx.keys, name)
    ctx.keys.mark_used(signer.address)
    return UnlockedSigner(signer, password)


def send_journaled(ctx: WalletContext, signer: Signer, fields: dict[str, Any], *, kind: str, action: str,
                   contribution_id: int | None = None,
                   on_stage: Callable[[str], None] | None = None) -> TxReceipt:
    """Signs, journals, sends and waits; raises RevertError/ChainError with the journal kept consistent."""
    sender = TransactionSender(ctx.w3, signer)
    stage = on_stage or (lambda _s: None)
    stage("estimating")
    tx = sender.prepare(fields, action=action)
    stage("signing")
    raw, tx_hash = sender.sign(tx)
    hash_hex = Web3.to_hex(tx_hash)
    with transaction(ctx.db):
        journal.record_signed(ctx.db, journal.JournalEntry(
            tx_hash=hash_hex, chain_key=ctx.chain_key, sender=signer.address, nonce=tx["nonce"], raw=raw, kind=kind,
            contribution_id=contribution_id, state=journal.SIGNED, detail=None))
        if contribution_id is not None:
            contributions.mark_sending(ctx.db, contribution_id, hash_hex)
    stage("sending")
    try:
        sender.send_raw(raw)
    except DacwalletError as exc:
        _close_failed(ctx, hash_hex, contribution_id, exc.user_message)
        raise
    with transaction(ctx.db):
        journal.set_state(ctx.db, hash_hex, journal.SENT)
    stage("waiting for the receipt")
    try:
        receipt = sender.wait(tx_hash, tx, action=action)
    except RevertError as exc:
        _close_failed(ctx, hash_hex, contribution_id, exc.user_message)
        raise
    _finish(ctx, hash_hex, contribution_id, receipt)
    return receipt


def _close_failed(ctx: WalletContext, tx_hash: str, contribution_id: int | None, message: str) -> None:
    with transaction(ctx.db):
        journal.set_state(ctx.db, tx_hash, journal.FAILED, message)
        if contribution_id is not None:
            contributions.mark_failed(ctx.db, contribution_id, contributions.FAILED, message)


def _finish(ctx: WalletContext, tx_hash: str, contribution_id: int | None, receipt: TxReceipt) -> None:
    """Marks a mined transaction; a contribution gets its on-chain time and deposit from AddData."""
    with transaction(ctx.db):
        if receipt["status"] != 1:
            journal.set_state(ctx.db, tx_hash, journal.FAILED, "reverted")
            if contribution_id is not None:
                contributions.mark_failed(ctx.db, contribution_id, contributions.FAILED, "the transaction reverted")
            return
        journal.set_state(ctx.db, tx_hash, journal.MINED)
        if contribution_id is not None:
            stored = contributions.get(ctx.db, contribution_id)
            events = trainer_contract(ctx.w3, stored.trainer).events.AddData().process_receipt(receipt)
            args = events[0]["args"]
            contributions.mark_added(ctx.db, contribution_id, args["t"], args["cost"], receipt["blockNumber"])


@dataclass(frozen=True)
class Resolution:
    tx_hash: str
    kind: str
    outcome: str  # "mined", "failed", "pending", "rebroadcast", "dropped"


def resolve_journal(ctx: WalletContext) -> list[Resolution]:
    """Settles every journal entry a previous run left open (see the module doc)."""
    results = []
    for entry in journal.open_entries(ctx.db, ctx.chain_key):
        receipt = _receipt(ctx.w3, entry.tx_hash)
        if receipt is not None:
            _finish(ctx, entry.tx_hash, entry.contribution_id, receipt)
            results.append(Resolution(entry.tx_hash, entry.kind, "mined" if receipt["status"] == 1 else "failed"))
            continue
        if _known_to_node(ctx.w3, entry.tx_hash):
            results.append(Resolution(entry.tx_hash, entry.kind, "pending"))
            continue
        if ctx.w3.eth.get_transaction_count(entry.sender, "latest") > entry.nonce:
            with transaction(ctx.db):
                journal.set_state(ctx.db, entry.tx_hash, journal.DROPPED, "another transaction used its nonce")
                if entry.contribution_id is not None:
                    contributions.mark_failed(ctx.db, entry.contribution_id, contributions.DROPPED,
                                              "never mined: another transaction took its place; send it again")
            results.append(Resolution(entry.tx_hash, entry.kind, "dropped"))
            continue
        ctx.w3.eth.send_raw_transaction(entry.raw)
        with transaction(ctx.db):
            journal.set_state(ctx.db, entry.tx_hash, journal.SENT)
        receipt = _receipt(ctx.w3, entry.tx_hash)
        if receipt is not None:
            _finish(ctx, entry.tx_hash, entry.contribution_id, receipt)
        results.append(Resolution(entry.tx_hash, entry.kind, "rebroadcast"))
    return results


def _receipt(w3: Web3, tx_hash: str) -> TxReceipt | None:
    try:
        return w3.eth.get_transaction_receipt(tx_hash)
    except TransactionNotFound:
        return None


def _known_to_node(w3: Web3, tx_hash: str) -> bool:
    try:
        w3.eth.get_transaction(tx_hash)
    except TransactionNotFound:
        return False
    return True
