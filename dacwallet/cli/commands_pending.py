"""`dacwallet tx ...`: this wallet's transactions sent but not mined yet; speed one up or cancel it."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from dacwallet.cli.fields import wei
from dacwallet.cli.options import Subcommands, add_command, allow_high_fee
from dacwallet.cli.output import span
from dacwallet.cli.session import signer, wallet

if TYPE_CHECKING:
    from dacwallet.usecases.pending import DepositChange


def tx_list(args: argparse.Namespace) -> Any:
    from dacwallet.chain.fees import gwei
    from dacwallet.usecases.pending import pending_transactions

    with wallet(args) as ctx:
        sender = ctx.keys.account(args.account).address if args.account else None
        return [
            {
                "hash": p.tx_hash,
                "nonce": p.nonce,
                "account": p.sender,
                "action": p.action,
                "kind": p.kind,
                "contribution_id": p.contribution_id,
                "max_fee_gwei": gwei(p.max_fee_wei),
                "priority_fee_gwei": None if p.priority_fee_wei is None else gwei(p.priority_fee_wei),
                "max_cost_eth": p.max_cost_wei / 1e18,
                "age_s": span(round(p.age_s)),
                "known_to_node": p.known_to_node,
                "replaces": list(p.earlier),
            }
            for p in pending_transactions(ctx, sender)
        ]


def tx_replace(args: argparse.Namespace) -> Any:
    """`tx speed-up HASH` and `tx cancel HASH`: signed by the account that sent HASH (or --account)."""
    from dacwallet.chain.fees import gwei
    from dacwallet.usecases import pending

    with wallet(args) as ctx:
        sender = signer(ctx, args, pending.sender_of(ctx, args.hash))
        replace = pending.cancel if args.tx_command == "cancel" else pending.speed_up
        r = replace(ctx, sender, args.hash, allow_high_fee=args.allow_high_fee)
        return {
            "replaced": r.replaced,
            "tx": r.tx_hash,
            "nonce": r.nonce,
            "kind": r.kind,
            "max_fee_gwei": gwei(r.max_fee_wei),
            "priority_fee_gwei": None if r.priority_fee_wei is None else gwei(r.priority_fee_wei),
            "mined": r.mined,
            **_deposit_fields(r.deposit),
        }


def _deposit_fields(deposit: DepositChange | None) -> dict[str, Any]:
    """A sped-up contribution's deposit; the signed one too when the contract now asks for more."""
    if deposit is None:
        return {}
    fields = {"deposit_eth": deposit.carried_wei / 1e18, "deposit_wei": wei(deposit.carried_wei)}
    if deposit.rose:
        fields.update(
            deposit_raised_from_eth=deposit.signed_wei / 1e18, deposit_raised_from_wei=wei(deposit.signed_wei)
        )
    return fields


def register(commands: Subcommands) -> None:
    tx = commands.add_parser("tx", help="pending transactions: list, speed up, cancel")
    tx_actions = tx.add_subparsers(dest="tx_command", metavar="ACTION", required=True)
    p = add_command(tx_actions, "list", tx_list, "this wallet's transactions sent but not mined yet", data=True)
    p.add_argument("--account", help="only this account's")
    for action, help_text in (
        ("speed-up", "send pending transaction HASH again with higher fees"),
        ("cancel", "replace pending transaction HASH by a 0-value transfer to yourself (higher fees)"),
    ):
        p = add_command(tx_actions, action, tx_replace, help_text, data=True, signs=True)
        p.add_argument("hash")
        allow_high_fee(p, "the new transaction")
