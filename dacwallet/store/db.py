"""Opening the wallet's SQLite database with the settings every table relies on."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dacwallet.disk import DiskError, disk_error, private_folder, private_sqlite_file

DB_NAME = "wallet.sqlite3"
WHAT = "the wallet database"


class StoreError(DiskError):
    """The local database cannot be opened or written."""


def open_database(data_dir: Path) -> sqlite3.Connection:
    """The wallet database in ``data_dir``: WAL journal, full fsync, foreign keys on.

    WAL with synchronous=FULL means a committed transaction survives a crash or
    power cut; an interrupted one leaves no trace. The connection may be used from
    several threads (the GUI's background runner) but by one at a time. The file is owner-only (0600) in an
    owner-only folder (0700): it holds every text the user wrote.
    """
    path = private_folder(data_dir) / DB_NAME
    private_sqlite_file(path)
    conn = None
    try:
        conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.row_factory = sqlite3.Row
        # A damaged file may open fine and fail at its first page read: read its schema now.
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as exc:
        if conn is not None:
            conn.close()
        raise store_error(exc, path) from exc
    return conn


def store_error(exc: sqlite3.Error, path: Path) -> StoreError:
    """What to tell the user when the wallet database fails (full disk, damaged, not writable)."""
    described = disk_error(exc, WHAT, path)
    return StoreError(
        f"{described.user_message} Your keys are in the keystore folder and are not affected.", detail=described.detail
    )


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
        conn.execute("COMMIT")  # a COMMIT refused (a full disk) leaves the transaction open: rolled back below
    except BaseException:
        if conn.in_transaction:  # SQLite has already rolled back after some errors (a full disk)
            conn.execute("ROLLBACK")
        raise
