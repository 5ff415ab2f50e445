"""What the CLI reads besides its arguments: secrets on standard input (or a terminal prompt), small text files."""

from __future__ import annotations

import sys
from pathlib import Path

from dacwallet.errors import InputError


def read_secrets(*what: str) -> list[str]:
    """One secret per name in ``what`` (a password, a key, a phrase): a line each from standard input, or, on a
    terminal, a prompt each by that name, without echo."""
    if sys.stdin.isatty():
        import getpass

        return [getpass.getpass(f"{name[:1].upper()}{name[1:]}: ") for name in what]
    try:
        lines = sys.stdin.read().splitlines()
    except UnicodeDecodeError:
        raise InputError("Standard input is not valid UTF-8 text; give the secret as UTF-8 text.") from None
    if len(lines) < len(what):
        wanted = ", then ".join(what)
        raise InputError(f"Standard input has {len(lines)} line(s); give {len(what)}: {wanted}, one per line.")
    return lines[: len(what)]


def confirmed(password: str) -> str:
    """A new password as read; on a terminal it is asked for again, as it was typed without echo and a typo would
    lock the account. An empty one (keep the old) is not."""
    if password and sys.stdin.isatty():
        import getpass

        if getpass.getpass("The same password again: ") != password:
            raise InputError("The two passwords typed differ; nothing was added. Type the same one twice.")
    return password


def read_text_file(path: str, what: str, limit: int) -> str:
    """A small text file the user named (at most ``limit`` bytes, a regular file), or a clear InputError."""
    from dacwallet.disk import read_bounded

    try:
        return read_bounded(Path(path), limit, what).decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"The {what} file {path} is not UTF-8 text.") from None
