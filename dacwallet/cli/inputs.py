"""What the CLI reads besides its arguments: secrets on standard input (or a terminal prompt), small text files."""

from __future__ import annotations

import sys
from pathlib import Path

from dacwallet.errors import InputError


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


def read_text_file(path: str, what: str, limit: int) -> str:
    """A small text file the user named (at most ``limit`` bytes, a regular file), or a clear InputError."""
    from dacwallet.disk import read_bounded

    try:
        return read_bounded(Path(path), limit, what).decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"The {what} file {path} is not UTF-8 text.") from None
