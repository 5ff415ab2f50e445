"""The command-line face of dacwallet (the GUI and the simulator are the other two)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from dacwallet import __version__
from dacwallet.errors import DacwalletError

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dacwallet", description="Wallet for collaborative-AI contracts. "
                                     "Run without a command to open the app.")
    parser.add_argument("--version", action="version", version=f"dacwallet {__version__}")
    parser.add_argument("--data-dir", help="where keys, the store and the embedded chain live")
    parser.add_argument("--network", default="embedded", help="'embedded' (default) or a JSON-RPC URL")
    parser.add_subparsers(dest="command", metavar="COMMAND")
    return parser


def global_options(argv: Sequence[str]) -> argparse.Namespace:
    return build_parser().parse_args(list(argv))


def wants_gui(argv: Sequence[str]) -> bool:
    """True when no command is given (only global options, or nothing)."""
    try:
        return global_options(argv).command is None
    except SystemExit:
        return False


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(sys.argv[1:] if argv is None else list(argv))
    except SystemExit as exc:
        return EXIT_OK if exc.code == 0 else EXIT_USAGE
    try:
        return args.run(args) if hasattr(args, "run") else EXIT_USAGE
    except DacwalletError as exc:
        print(f"dacwallet: {exc.user_message}", file=sys.stderr)
        return EXIT_REFUSED
