"""The command-line face of dacwallet (the GUI and the simulator are the other two).

Exit codes: 0 done, 1 refused with a clear message, 2 usage. Secrets (passwords, keys,
mnemonics) are read from standard input or the OS keyring, never from the command line.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, is_dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from dacwallet import __version__
from dacwallet.errors import DacwalletError, InputError

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dacwallet", description="Wallet for collaborative-AI contracts. Run without a command to open the app."
    )
    parser.add_argument("--version", action="version", version=f"dacwallet {__version__}")
    parser.add_argument("--data-dir", type=Path, help="where keys, the store and the embedded chain live")
    parser.add_argument("--network", default="embedded", help="'embedded' (default) or a JSON-RPC URL")
    parser.add_argument("--chain-id", type=int, help="the chain id the network must have")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    from dacwallet import cli_commands

    cli_commands.register(commands)
    return parser


def global_options(argv: Sequence[str]) -> argparse.Namespace:
    return build_parser().parse_args(list(argv))


def wants_gui(argv: Sequence[str]) -> bool:
    """True when no command is given (only global options, or nothing)."""
    try:
        # Quietly: when this is not the GUI, main() parses again and prints any help or usage error once.
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            return global_options(argv).command is None
    except SystemExit:
        return False


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(sys.argv[1:] if argv is None else list(argv))
    except SystemExit as exc:
        return EXIT_OK if exc.code == 0 else EXIT_USAGE
    run: Callable[[argparse.Namespace], Any] | None = getattr(args, "run", None)
    if run is None:
        parser.print_usage(sys.stderr)
        return EXIT_USAGE
    unreadable = _not_text(args)
    if unreadable is not None:
        print(f"dacwallet: {unreadable}", file=sys.stderr)
        return EXIT_USAGE
    try:
        result = run(args)
    except DacwalletError as exc:
        print(f"dacwallet: {exc.user_message}", file=sys.stderr)
        return EXIT_REFUSED
    except Exception as exc:
        message = _trouble_message(exc, args)
        if message is None:
            raise
        print(f"dacwallet: {message}", file=sys.stderr)
        return EXIT_REFUSED
    except KeyboardInterrupt:
        print("dacwallet: interrupted; nothing half-done is lost (the journal resolves it next time).", file=sys.stderr)
        return EXIT_REFUSED
    if result is not None:
        show(result, as_json=getattr(args, "json", False))
    return EXIT_OK


# Arguments that are text a person typed (not file names, which may be any bytes on POSIX).
_TEXT_ARGUMENTS = {"text": "the review text", "label": "the label", "name": "the account name"}


def _not_text(args: argparse.Namespace) -> str | None:
    """Why a typed argument cannot be used: bytes that are not UTF-8 reach Python as lone surrogates."""
    for attribute, what in _TEXT_ARGUMENTS.items():
        value = getattr(args, attribute, None)
        if isinstance(value, str) and not _is_utf8(value):
            return (
                f"{what[:1].upper()}{what[1:]} is not valid UTF-8 text; type it again (or fix the file it came from)."
            )
    return None


def _is_utf8(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _trouble_message(exc: Exception, args: argparse.Namespace) -> str | None:
    """Words for a failure that is not the wallet's own: the node misbehaving, or the disk (full, damaged, not
    writable) under the data folder. None for anything else, which is a bug and must show as one."""
    import sqlite3

    from dacwallet.cli_commands import data_dir
    from dacwallet.contracts.calls import contract_failure_message
    from dacwallet.sync.faults import node_trouble_message

    message = node_trouble_message(exc) or contract_failure_message(exc)  # first: requests' errors are OSErrors
    if message is not None:
        return message
    # Disk-side failures only (full, I/O, damaged, locked); an IntegrityError or a misuse is a bug. The embedded
    # chain turns its own into ChainErrors, so this is the wallet database's.
    if isinstance(exc, sqlite3.OperationalError) or type(exc) is sqlite3.DatabaseError:
        from dacwallet.store.db import DB_NAME, store_error

        return store_error(exc, data_dir(args) / DB_NAME).user_message
    if isinstance(exc, OSError):
        from dacwallet.disk import disk_error

        named = isinstance(exc.filename, str)
        path = Path(exc.filename) if named else data_dir(args)
        return disk_error(exc, "a file of the wallet" if named else "the data folder", path).user_message
    return None


def show(result: Any, *, as_json: bool) -> None:
    """Prints a command's result: JSON, or readable lines."""
    plain = to_plain(result)
    if as_json:
        print(json.dumps(plain, indent=1))
    elif isinstance(plain, list):
        for item in plain:
            print(_line(item))
        if not plain:
            print("(none)")
    else:
        print(_line(plain))


def to_plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return to_plain(asdict(value))
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _line(item: Any) -> str:
    if isinstance(item, dict):
        return "  ".join(f"{k}={v}" for k, v in item.items() if not isinstance(v, (list, dict)))
    return str(item)


def read_secret_lines(count: int) -> list[str]:
    """Reads ``count`` lines from standard input (a password, a key, a phrase), without echo if a terminal."""
    if sys.stdin.isatty():
        import getpass

        return [getpass.getpass(f"secret {i + 1}/{count}: ") for i in range(count)]
    try:
        lines = sys.stdin.read().splitlines()
    except UnicodeDecodeError:
        raise InputError("Standard input is not valid UTF-8 text; give the secret as UTF-8 text.") from None
    if len(lines) < count:
        raise InputError(f"Expected {count} line(s) on standard input, got {len(lines)}.")
    return lines[:count]


def format_time(ts: int | None) -> str:
    """A chain time as the CLI prints it; one no date can hold (a clock moved absurdly far) stays a number."""
    if ts is None:
        return "-"
    try:
        return datetime.fromtimestamp(ts, tz=UTC).strftime("%Y-%m-%d %H:%M UTC")
    except (OverflowError, ValueError, OSError):
        return f"{ts} s after 1970 (beyond any date)"
