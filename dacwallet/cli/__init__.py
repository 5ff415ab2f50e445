"""The command-line face of dacwallet (the GUI and the simulator are the other two).

Exit codes: 0 done, 1 refused with a clear message, 2 usage. Secrets (passwords, keys,
mnemonics) are read from standard input or the OS keyring, never from the command line.

Inside the package, imports go one way: this entry point -> ``parser`` -> ``commands_*`` -> the shared helpers
(``options``, ``session``, ``fields``, ``output``, ``inputs``) -> the use-cases.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
from collections.abc import Sequence

from dacwallet.cli.failures import not_text, trouble_message
from dacwallet.cli.options import Run
from dacwallet.cli.output import show
from dacwallet.cli.parser import build_parser
from dacwallet.errors import DacwalletError

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2


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
    run: Run | None = getattr(args, "run", None)
    if run is None:
        parser.print_usage(sys.stderr)
        return EXIT_USAGE
    unreadable = not_text(args)
    if unreadable is not None:
        print(f"dacwallet: {unreadable}", file=sys.stderr)
        return EXIT_USAGE
    try:
        result = run(args)
        if result is not None:
            show(result, as_json=getattr(args, "json", False))
    except BrokenPipeError:  # the program reading the output stopped early (`| head`): nothing left to say
        _drop_output()
        return EXIT_REFUSED
    except DacwalletError as exc:
        print(f"dacwallet: {exc.user_message}", file=sys.stderr)
        return EXIT_REFUSED
    except Exception as exc:
        message = trouble_message(exc, args)
        if message is None:
            raise
        print(f"dacwallet: {message}", file=sys.stderr)
        return EXIT_REFUSED
    except KeyboardInterrupt:
        print("dacwallet: interrupted; nothing half-done is lost (the journal resolves it next time).", file=sys.stderr)
        return EXIT_REFUSED
    return EXIT_OK


def _drop_output() -> None:
    """Sends what is still buffered for standard output nowhere, so flushing it at exit fails no more."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
