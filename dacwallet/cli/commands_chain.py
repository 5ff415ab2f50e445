"""The network: `status` (block, model, deposit) and `chain advance` (the embedded chain's clock)."""

from __future__ import annotations

import argparse
from typing import Any

from dacwallet.cli.fields import quote_fields
from dacwallet.cli.options import Subcommands, add_command
from dacwallet.cli.output import format_time, moment, span
from dacwallet.cli.session import wallet


def status(args: argparse.Namespace) -> Any:
    from dataclasses import asdict

    from dacwallet.usecases.chainops import status as chain_status

    with wallet(args) as ctx:
        fields = asdict(chain_status(ctx))
        fields["time"] = moment(fields["time"])  # the latest block's
        fields.update(quote_fields(ctx.deployment, fields.pop("deposit_wei"), None))
        return {**fields, "reset_kept_contributions": ctx.reset_kept}


def chain_advance(args: argparse.Namespace) -> Any:
    from dacwallet.usecases.chainops import advance_clock, parse_duration

    seconds = parse_duration(args.duration)
    with wallet(args) as ctx:
        now = advance_clock(ctx, seconds)
        return {"advanced_s": span(seconds), "chain_time": format_time(now)}


def register(commands: Subcommands) -> None:
    add_command(commands, "status", status, "network, block, model and deposit", data=True)
    chain = commands.add_parser("chain", help="the embedded chain")
    chain_actions = chain.add_subparsers(dest="chain_command", metavar="ACTION", required=True)
    p = add_command(
        chain_actions, "advance", chain_advance, "move the embedded chain's clock, e.g. 1d or 12h", data=True
    )
    p.add_argument("duration")
