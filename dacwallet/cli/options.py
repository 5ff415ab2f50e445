"""Adding a command to the parser with the options commands share (--json, the signing and the fee options)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any, TypeAlias

# argparse's subparsers are generic only to type checkers.
Subcommands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
Run: TypeAlias = Callable[[argparse.Namespace], Any]


def add_command(
    parent: Subcommands,
    name: str,
    run: Run,
    help_text: str,
    *,
    data: bool = False,
    signs: bool = False,
    fees: bool = False,
) -> argparse.ArgumentParser:
    """A command ``name`` that runs ``run``; ``data``: it has --json; ``signs``: --account and --password-stdin;
    ``fees``: the fee options."""
    p = parent.add_parser(name, help=help_text, description=help_text)
    p.set_defaults(run=run)
    if data:
        p.add_argument("--json", action="store_true", help="print JSON")
    if signs:
        p.add_argument("--account", help="account name (default: the only or the last used one)")
        p.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the password from standard input (default: the OS keyring)",
        )
    if fees:
        p.add_argument(
            "--max-fee-gwei",
            help="max fee per gas (the gas price on a legacy network); default: the node's suggestion",
        )
        p.add_argument("--priority-fee-gwei", help="priority fee (tip) per gas; default: the node's suggestion")
        p.add_argument(
            "--allow-high-fee",
            action="store_true",
            help="confirm a fee past its bounds: more than 10x the node's suggestion, or a "
            "suggestion far above what recent blocks paid (refused otherwise); the total cost must "
            "still fit the balance",
        )
    return p


def secrets_from_stdin(p: argparse.ArgumentParser, what: str) -> None:
    """--password-stdin for a command that always reads its secrets from standard input (a prompt without echo on
    a terminal): accepted like on every command that reads a secret, so scripts can pass it everywhere."""
    p.add_argument(
        "--password-stdin",
        action="store_true",
        help=f"read {what} from standard input (what this command does anyway; a prompt on a terminal)",
    )


def allow_high_fee(p: argparse.ArgumentParser, what: str) -> None:
    """--allow-high-fee for a command without the other fee options: confirms the node's suggestion for ``what``."""
    p.add_argument(
        "--allow-high-fee",
        action="store_true",
        help=f"confirm a node fee suggestion far above what recent blocks paid, for {what} (refused otherwise)",
    )
