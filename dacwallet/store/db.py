"""Opening the wallet's SQLite database with the settings every table relies on."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dacwallet.errors import DacwalletError

DB_NAME = "wallet.sqlite3"


class StoreError(DacwalletError):
    """The local database cannot be opened or written."""


def open_database(data_dir: Path) -> sqlite3.Connection:
    """The wallet database in ``data_dir``: WAL journal, full fsync, foreign keys on.

    WAL with synchronous=FULL means a committed transaction survives a crash or
    power cut; an interrupted one leaves no trace. The connection may be used from
    several threads (the GUI's background runner) but by one at a time.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / DB_NAME
    try:
        conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.row_factory = sqlite3.Row
    except sqlite3.DatabaseError as exc:
        raise StoreError(
            f"The wallet database {path} cannot be opened ({exc}). Move it aside to start a fresh one; "
            "your keys are in the keystore folder and are not affected."
        ) from exc
    return conn


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
