"""Words for what a command cannot use or do that is not the wallet's own refusal: a typed argument that is not
text, the node misbehaving, the disk under the data folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from dacwallet.cli.session import data_dir

# Arguments that are text a person typed (not file names, which may be any bytes on POSIX).
_TEXT_ARGUMENTS = {"text": "the review text", "label": "the label", "name": "the account name"}


def not_text(args: argparse.Namespace) -> str | None:
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


def trouble_message(exc: Exception, args: argparse.Namespace) -> str | None:
    """Words for a failure that is not the wallet's own: the node misbehaving, or the disk (full, damaged, not
    writable) under the data folder. None for anything else, which is a bug and must show as one."""
    import sqlite3

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
