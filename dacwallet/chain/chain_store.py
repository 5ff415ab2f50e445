"""One SQLite file that holds everything the embedded chain keeps on disk.

py-evm sees a plain key-value store (trie nodes, headers, blocks, receipts);
next to it sit the log index and a few settings. Writes are buffered in memory
and reach the file in one SQLite transaction per block, so a crash (even
``kill -9``) leaves the file at the last committed block and nothing half-done.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

from eth.db.backends.base import BaseDB

from dacwallet.errors import ChainError

DB_FILE_NAME = "chain.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS kv (k BLOB PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS logs (
    block INTEGER NOT NULL,
    log_index INTEGER NOT NULL,
    tx_index INTEGER NOT NULL,
    tx_hash BLOB NOT NULL,
    block_hash BLOB NOT NULL,
    address BLOB NOT NULL,
    topic0 BLOB, topic1 BLOB, topic2 BLOB, topic3 BLOB,
    data BLOB NOT NULL,
    PRIMARY KEY (block, log_index)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS logs_by_address ON logs (address, block);
CREATE INDEX IF NOT EXISTS logs_by_topic0 ON logs (topic0, block);
"""

# Marks a key deleted in the write buffer (py-evm rarely deletes, but may).
_DELETED = None


def _locked_error(data_dir: Path) -> ChainError:
    return ChainError(
        f"The embedded chain in {data_dir} is open in another dacwallet window. "
        "Close that window (or pick another data folder) and try again."
    )


def corrupt_error(data_dir: Path, detail: str) -> ChainError:
    return ChainError(
        f"The embedded chain in {data_dir} is damaged and cannot be opened. "
        f"Move or delete the file {DB_FILE_NAME} in that folder to start a fresh "
        "embedded chain (its test ether and contracts will be gone).",
        detail=detail,
    )


def translate_sqlite_error(data_dir: Path, error: sqlite3.Error) -> ChainError:
    """Turn a SQLite failure into the ChainError a user can act on."""
    text = str(error)
    if isinstance(error, sqlite3.OperationalError) and "locked" in text:
        return _locked_error(data_dir)
    return corrupt_error(data_dir, text)


class ChainStore(BaseDB):
    """py-evm key-value database over SQLite, buffered until ``commit``.

    The connection is opened in exclusive locking mode and holds its lock for
    its whole life: a second process (another dacwallet window) cannot open
    the same folder, and the lock vanishes with the process, even on a kill.
    """

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        data_dir.mkdir(parents=True, exist_ok=True)
        self._pending: dict[bytes, bytes | None] = {}
        self.closed = False
        try:
            # isolation_level=None: we issue BEGIN/COMMIT ourselves.
            self.conn = sqlite3.connect(
                data_dir / DB_FILE_NAME, isolation_level=None, check_same_thread=False, timeout=0
            )
            self.conn.execute("PRAGMA locking_mode=EXCLUSIVE")
            self.conn.execute("PRAGMA journal_mode=WAL")
            # NORMAL in WAL mode: a killed process loses nothing committed;
            # only a power cut may drop the last blocks (never corrupts).
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA cache_size=-65536")
            # Take the write lock now rather than at the first block.
            self.conn.execute("BEGIN EXCLUSIVE")
            self.conn.executescript(_SCHEMA)  # commits the BEGIN above
        except sqlite3.Error as error:
            raise translate_sqlite_error(data_dir, error) from error

    # --- py-evm's key-value interface -------------------------------------

    def __getitem__(self, key: bytes) -> bytes:
        if key in self._pending:
            value = self._pending[key]
            if value is _DELETED:
                raise KeyError(key)
            return value
        row = self.conn.execute("SELECT v FROM kv WHERE k = ?", (key,)).fetchone()
        if row is None:
            raise KeyError(key)
        return row[0]

    def __setitem__(self, key: bytes, value: bytes) -> None:
        self._pending[key] = value

    def __delitem__(self, key: bytes) -> None:
        if not self._exists(key):
            raise KeyError(key)
        self._pending[key] = _DELETED

    def _exists(self, key: bytes) -> bool:
        try:
            self[key]
        except KeyError:
            return False
        return True

    # --- settings -----------------------------------------------------------

    def get_meta(self, name: str) -> object | None:
        row = self.conn.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return None if row is None else row[0]

    # --- the one write path ------------------------------------------------

    def commit(
        self,
        log_rows: Iterable[tuple[object, ...]] = (),
        meta: dict[str, object] | None = None,
    ) -> None:
        """Write the buffered keys, new log rows and settings in one transaction."""
        writes = [(k, v) for k, v in self._pending.items() if v is not _DELETED]
        deletes = [(k,) for k, v in self._pending.items() if v is _DELETED]
        cur = self.conn.cursor()
        cur.execute("BEGIN")
        try:
            cur.executemany("INSERT OR REPLACE INTO kv (k, v) VALUES (?, ?)", writes)
            cur.executemany("DELETE FROM kv WHERE k = ?", deletes)
            cur.executemany("INSERT INTO logs VALUES (?,?,?,?,?,?,?,?,?,?,?)", log_rows)
            for name, value in (meta or {}).items():
                cur.execute("INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)", (name, value))
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        self._pending.clear()

    def discard(self) -> None:
        """Forget everything written since the last commit."""
        self._pending.clear()

    def close(self) -> None:
        self._pending.clear()
        self.conn.close()
        self.closed = True
