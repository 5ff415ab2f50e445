"""The argument parser: the global options and every command group."""

from __future__ import annotations

import argparse
from pathlib import Path

from dacwallet import __version__
from dacwallet.cli import (
    commands_accounts,
    commands_chain,
    commands_contributions,
    commands_deployments,
    commands_pending,
    commands_wallet,
)
from dacwallet.sim.cli import register_simulate


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dacwallet", description="Wallet for collaborative-AI contracts. Run without a command to open the app."
    )
    parser.add_argument("--version", action="version", version=f"dacwallet {__version__}")
    parser.add_argument("--data-dir", type=Path, help="where keys, the store and the embedded chain live")
    parser.add_argument("--network", default="embedded", help="'embedded' (default) or a JSON-RPC URL")
    parser.add_argument("--chain-id", type=int, help="the chain id the network must have")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in (
        commands_accounts,
        commands_contributions,
        commands_chain,
        commands_pending,
        commands_deployments,
        commands_wallet,
    ):
        group.register(commands)
    register_simulate(commands)
    return parser
