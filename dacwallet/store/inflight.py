"""Which process owns a transaction while it is in flight, so no other one settles it meanwhile.

Between journaling a transaction and the end of its wait for a receipt, the sending process holds a
lock on a small file of its own (``inflight/<hash>.claim`` in the data folder, an SQLite database held in
an exclusive transaction). Another process (a CLI command, the app's pending panel) that finds the lock
held leaves the entry to its owner: it does not broadcast it again, drop or fail it. The operating system
releases the lock when the owner dies, however it dies, so a crashed send is settled by the next run.
SQLite is used for the lock because it locks files the same way on every platform Python runs on, and
two connections of one process exclude each other too (the GUI sends and polls from one process).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

FOLDER = "inflight"


def _path(data_dir: Path, tx_hash: str) -> Path:
    return data_dir / FOLDER / f"{tx_hash.lower()}.claim"


class Claim:
    """Held by the sending process; ``release()`` (or the process's end) gives the transaction up."""

    def __init__(self, data_dir: Path, tx_hash: str) -> None:
        self.path = _path(data_dir, tx_hash)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn: sqlite3.Connection | None = sqlite3.connect(
            self.path, timeout=5, isolation_level=None, check_same_thread=False
        )
        self._conn.execute("BEGIN EXCLUSIVE")

    def release(self) -> None:
        if self._conn is None:
            return
        self._conn.execute("ROLLBACK")
        self._conn.close()
        self._conn = None
        try:
            self.path.unlink(missing_ok=True)
        except OSError:  # another process is looking at it (Windows): it finds the lock free and ignores it
            pass

    def __enter__(self) -> Claim:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def is_claimed(data_dir: Path, tx_hash: str) -> bool:
    """Whether a live process holds ``tx_hash`` in flight."""
    path = _path(data_dir, tx_hash)
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=rw", uri=True, timeout=0, isolation_level=None)
    except sqlite3.OperationalError:  # no such file: nobody claims it
        return False
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:  # "database is locked": its owner is alive
        return True
    finally:
        conn.close()
