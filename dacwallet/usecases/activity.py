"""Every transaction of one account on this chain: contributions, refunds, reports, sends, cancels and
deployments, with their state, amount, network fee and hash — newest first.

The journal holds each signed transaction (so its amount and fee limits are read back from the signed
bytes); a mined one's receipt gives the fee actually paid and, for a refund or a report, the amount
the contract paid out (its Refund/Report event). Finished deployments come from the deployment log,
an unfinished one from its saved progress.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from eth_abi import decode
from eth_typing import HexStr
from web3 import Web3
from web3.exceptions import TransactionNotFound
from web3.types import TxReceipt

from dacwallet.chain.transactions import decode_signed
from dacwallet.contracts.deploy import DeploymentProgress
from dacwallet.store import chains, contributions, deploy_progress, deployment_log, journal
from dacwallet.store.lifecycle import TxState
from dacwallet.usecases.context import WalletContext
from dacwallet.usecases.payout import CLAIM_POINTS, NO_DEPOSIT, pays_points

# Journal kinds as the user reads them.
KIND_NAMES = {
    "contribute": "contribution",
    "refund": "refund",
    "report": "report",
    "send": "send",
    "cancel": "cancel",
    "deployment": "deployment",
}
PENDING_STATES = {TxState.SIGNED: "signed", TxState.SENT: "pending"}
WAITING = frozenset({*PENDING_STATES.values(), "unfinished"})
# What a refund or a report pays out, per incentive flavour (the points flavour pays nothing).
_PAYOUT_EVENTS = {bytes(Web3.keccak(text=f"{name}(address,uint256)")): name for name in ("Refund", "Report")}


class _Settled(NamedTuple):
    fee: int | None  # the fee paid; None without a receipt
    received: int  # wei the contract paid out to the account
    mined_at: int | None  # the block's timestamp: the chain's clock, which every other page shows


_NOT_SETTLED = _Settled(None, 0, None)
# (chain key, transaction hash) -> what its receipt says: see ``_settled``.
_SETTLED: dict[tuple[str, str], _Settled] = {}
_SETTLED_MAX = 200_000


@dataclass(frozen=True)
class ActivityRow:
    kind: str  # contribution, refund, report, send, cancel, deployment
    state: str  # signed, pending, mined, failed, dropped, replaced, unfinished
    amount_wei: int  # what the transaction carried out of the account (a deposit, a transfer)
    received_wei: int  # what the contract paid back to the account in it (a refund, a report's take)
    fee_wei: int | None  # the fee paid (mined or failed on chain), or None when nothing was paid (yet)
    tx_hash: str
    # When it was mined, by the chain's clock (as the other pages show times: on the embedded chain, moved
    # forward, a report once looked older than the contribution it took); until then, when it was signed here.
    time: float
    to: str | None
    detail: str  # what it was, in a few words (a contribution's number, why it failed)
    points: int | None = None  # a mined refund or report on a points model: the points it earned (no ether)


def account_activity(ctx: WalletContext, address: str) -> list[ActivityRow]:
    """The account's transactions on the open chain, newest first."""
    in_points = {
        k.deployment.trainer.lower()
        for k in chains.list_deployments(ctx.db, ctx.chain_key)
        if pays_points(k.deployment)
    }
    rows = [_from_journal(ctx, entry, in_points) for entry in journal.by_sender(ctx.db, ctx.chain_key, address)]
    rows += [_from_deployment(ctx, logged) for logged in deployment_log.by_deployer(ctx.db, ctx.chain_key, address)]
    unfinished = _unfinished_deployment(ctx, address)
    if unfinished is not None:
        rows.append(unfinished)
    # Still waiting first: their time is the computer's, which a moved chain clock may have left behind.
    return sorted(rows, key=lambda row: (row.state in WAITING, row.time), reverse=True)


def _from_journal(ctx: WalletContext, entry: journal.JournalEntry, in_points: set[str]) -> ActivityRow:
    """One journal entry; ``in_points``: the (lower-case) entry points of the points models known here."""
    fields = decode_signed(entry.raw)
    settled = (
        _settled(ctx, entry.tx_hash, entry.sender) if entry.state in (TxState.MINED, TxState.FAILED) else _NOT_SETTLED
    )
    state = PENDING_STATES.get(entry.state, entry.state)
    points_model = str(fields.get("to") or "").lower() in in_points
    earned = CLAIM_POINTS.get(entry.kind) if points_model and entry.state == TxState.MINED else None
    return ActivityRow(
        KIND_NAMES.get(entry.kind, entry.kind),
        state,
        int(fields.get("value", 0)),
        settled.received,
        settled.fee,
        entry.tx_hash,
        entry.created_at if settled.mined_at is None else settled.mined_at,
        fields.get("to"),
        _detail(ctx, entry, fields.get("to"), points_model),
        earned,
    )


def _detail(ctx: WalletContext, entry: journal.JournalEntry, to: str | None, points_model: bool = False) -> str:
    parts = [f"to {to}"] if entry.kind == "send" else []
    if entry.contribution_id is not None:
        stored = contributions.get(ctx.db, entry.contribution_id)
        what = f"contribution #{entry.contribution_id}"
        if (
            entry.kind == "contribute"
            and stored is not None
            and stored.cost is not None
            and stored.tx_hash == entry.tx_hash
        ):
            what += f", {NO_DEPOSIT}" if points_model else f", deposit kept {stored.cost / 10**18:g} ETH"
        parts.append(what)
    if entry.detail:
        parts.append(entry.detail)
    return "; ".join(parts)


def _from_deployment(ctx: WalletContext, logged: deployment_log.LoggedDeployment) -> ActivityRow:
    settled = [_settled(ctx, tx, logged.deployer) for tx in logged.transactions]
    fee = sum(s.fee or 0 for s in settled)
    last = logged.transactions[-1] if logged.transactions else ""
    mined_at = settled[-1].mined_at if settled else None
    return ActivityRow(
        "deployment",
        TxState.MINED,
        0,
        0,
        fee,
        last,
        logged.finished_at if mined_at is None else mined_at,
        logged.trainer,
        f"{logged.name}: {len(logged.transactions)} transactions, entry point {logged.trainer}",
    )


def _unfinished_deployment(ctx: WalletContext, address: str) -> ActivityRow | None:
    saved = deploy_progress.load(ctx.db, ctx.chain_key, deploy_progress.USER_SLOT)
    if saved is None:
        return None
    progress = DeploymentProgress.from_dict(saved.progress)
    if progress.deployer is None or progress.deployer.lower() != address.lower():
        return None
    fee = sum(_settled(ctx, tx, address).fee or 0 for tx in progress.transactions)
    last = progress.pending["tx"] if progress.pending else (progress.transactions or [""])[-1]
    return ActivityRow(
        "deployment",
        "unfinished",
        0,
        0,
        fee,
        last,
        saved.updated_at,
        progress.trainer,
        f"{saved.model.get('name', '?')}: {progress.describe()}",
    )


def _settled(ctx: WalletContext, tx_hash: str, account: str) -> _Settled:
    """The fee paid, the wei paid out to ``account`` and the block's time of a mined transaction; nothing
    known when the node has no receipt.

    A receipt never changes on its chain, so each is read once per run: the Activity page refreshes every
    few seconds while shown, and an account with a thousand transactions would otherwise read them all each time.
    """
    key = (ctx.chain_key, tx_hash)
    known = _SETTLED.get(key)
    if known is not None:
        return known
    receipt = _receipt(ctx, tx_hash)
    if receipt is None:
        return _NOT_SETTLED
    block = ctx.w3.eth.get_block(receipt["blockNumber"])
    facts = _Settled(_paid(receipt), paid_out(receipt, account), int(block["timestamp"]))
    if len(_SETTLED) < _SETTLED_MAX:
        _SETTLED[key] = facts
    return facts


def _receipt(ctx: WalletContext, tx_hash: str) -> TxReceipt | None:
    try:
        return ctx.w3.eth.get_transaction_receipt(HexStr(tx_hash))
    except TransactionNotFound:
        return None


def _paid(receipt: TxReceipt | None) -> int | None:
    if receipt is None:
        return None
    return int(receipt["gasUsed"]) * int(receipt.get("effectiveGasPrice", 0))


def paid_out(receipt: TxReceipt, account: str) -> int:
    """The wei a Refund or Report event in ``receipt`` paid to ``account``."""
    total = 0
    for log in receipt["logs"]:
        if log["topics"] and bytes(log["topics"][0]) in _PAYOUT_EVENTS:
            recipient, amount = decode(["address", "uint256"], bytes(log["data"]))
            if recipient.lower() == account.lower():
                total += amount
    return total
