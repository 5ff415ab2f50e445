"""The wallet basics: `send` ether to an address, and `activity` (every transaction of an account)."""

from __future__ import annotations

import argparse
from typing import Any

from dacwallet.cli.fields import wei
from dacwallet.cli.options import Subcommands, add_command
from dacwallet.cli.output import format_time
from dacwallet.cli.session import fee, signer, wallet


def send(args: argparse.Namespace) -> Any:
    from dacwallet.usecases.transfer import format_eth, parse_address, parse_amount, send_ether

    to, amount = parse_address(args.to), parse_amount(args.amount_eth)  # refused before the wallet opens
    with wallet(args) as ctx:
        sender = signer(ctx, args)
        result = send_ether(ctx, sender, to, amount, fee=fee(args))
        return {
            "from": sender.address,
            "to": result.to,
            "amount_eth": format_eth(result.amount_wei),
            "fee_eth": format_eth(result.fee_wei),
            "total_eth": format_eth(result.amount_wei + result.fee_wei),
            "amount_wei": wei(result.amount_wei),
            "fee_wei": wei(result.fee_wei),
            "tx": result.tx_hash,
            "block": result.block,
        }


def activity(args: argparse.Namespace) -> Any:
    from dacwallet.usecases.activity import account_activity
    from dacwallet.usecases.transfer import format_eth

    with wallet(args) as ctx:
        account = ctx.keys.account(args.account) if args.account else ctx.keys.default_account()
        return [
            {
                "kind": row.kind,
                "state": row.state,
                "amount_eth": format_eth(row.amount_wei),
                # A refund or report on a points model pays points, not ether (usecases.payout).
                **(
                    {"received_points": row.points}
                    if row.points is not None
                    else {"received_eth": format_eth(row.received_wei), "received_wei": wei(row.received_wei)}
                ),
                "fee_eth": None if row.fee_wei is None else format_eth(row.fee_wei),
                "amount_wei": wei(row.amount_wei),
                "fee_wei": wei(row.fee_wei),
                "tx": row.tx_hash,
                "to": row.to,
                "time": format_time(int(row.time)),
                "detail": row.detail,
            }
            for row in account_activity(ctx, account.address)
        ]


def register(commands: Subcommands) -> None:
    p = add_command(
        commands,
        "send",
        send,
        "send AMOUNT_ETH ether to address TO (checked: a 0x address, with its "
        "checksum when mixed-case; the amount plus the fee within the balance)",
        data=True,
        signs=True,
        fees=True,
    )
    p.add_argument("to", metavar="TO", help="the recipient's 0x address")
    p.add_argument("amount_eth", metavar="AMOUNT_ETH", help="how much ether, e.g. 0.5")
    p = add_command(
        commands,
        "activity",
        activity,
        "every transaction of an account: contributions, refunds, "
        "reports, sends, deployments, with state, amount, fee and hash (newest first)",
        data=True,
    )
    p.add_argument("--account", help="account name or address (default: the only or the last used one)")
