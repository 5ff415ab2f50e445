"""One SQLite file that holds everything the embedded chain keeps on disk.

Blocks (header, transactions, receipts), a transaction index, the current state
(accounts, code, storage) and its history (every account and slot value by the block
that wrote it, for reads at past blocks), the log index and a few settings. Each block
reaches the file in one SQLite transaction with the state changes it made, so a crash
(even ``kill -9``) leaves the file at the last committed block and nothing half-done:
the state in memory is only ever a copy of what the file holds.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dacwallet.chain.revm_state import Account, StateDiff
from dacwallet.disk import disk_error, private_folder, private_sqlite_file
from dacwallet.errors import ChainError

DB_FILE_NAME = "chain.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS blocks (
    number INTEGER PRIMARY KEY,
    hash BLOB NOT NULL UNIQUE,
    header BLOB NOT NULL,
    transactions BLOB NOT NULL,
    receipts BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS transactions (
    hash BLOB PRIMARY KEY, block INTEGER NOT NULL, tx_index INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS accounts (
    address BLOB PRIMARY KEY, balance BLOB NOT NULL, nonce INTEGER NOT NULL, code_hash BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS code (hash BLOB PRIMARY KEY, code BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS storage (
    address BLOB NOT NULL, slot BLOB NOT NULL, value BLOB NOT NULL, PRIMARY KEY (address, slot)
) WITHOUT ROWID;
-- History: the value each block wrote (a deleted account has a NULL balance).
CREATE TABLE IF NOT EXISTS account_history (
    address BLOB NOT NULL, block INTEGER NOT NULL, balance BLOB, nonce INTEGER, code_hash BLOB,
    PRIMARY KEY (address, block)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS storage_history (
    address BLOB NOT NULL, slot BLOB NOT NULL, block INTEGER NOT NULL, value BLOB NOT NULL,
    PRIMARY KEY (address, slot, block)
) WITHOUT ROWID;
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


def _word(value: int) -> bytes:
    return value.to_bytes(32, "big")


def _int(word: bytes) -> int:
    return int.from_bytes(word, "big")


def _locked_error(data_dir: Path) -> ChainError:
    return ChainError(
        f"The embedded chain in {data_dir} is open in another dacwallet window. "
        "Close that window (or pick another data folder) and try again."
    )


def corrupt_error(data_dir: Path, detail: str) -> ChainError:
    # Never "delete it": the wallet's store is elsewhere, but the chain holds the deposits refunds pay back.
    return ChainError(
        f"The embedded chain in {data_dir} is damaged and cannot be opened; nothing was changed. Restore "
        f"{DB_FILE_NAME} from a backup copy made while dacwallet was closed, or rescue it with "
        f"`sqlite3 {DB_FILE_NAME} .recover`. Your keys and the texts of your contributions are kept apart.",
        detail=detail,
    )


def translate_sqlite_error(data_dir: Path, error: sqlite3.Error) -> ChainError:
    """Turn a SQLite failure into the ChainError a user can act on."""
    text = str(error)
    if isinstance(error, sqlite3.OperationalError) and "locked" in text:
        return _locked_error(data_dir)
    if "malformed" in text or "not a database" in text:
        return corrupt_error(data_dir, text)
    described = disk_error(error, "the embedded chain's file", data_dir / DB_FILE_NAME)
    return ChainError(described.user_message, detail=described.detail)


@dataclass(frozen=True)
class StoredBlock:
    """A mined block in its stored form, with the rows that index it."""

    number: int
    hash: bytes
    header: bytes
    transactions: bytes
    receipts: bytes
    tx_hashes: tuple[bytes, ...]


_Row = tuple[Any, ...]


def _write_current(cur: sqlite3.Cursor, diff: StateDiff) -> tuple[list[_Row], list[_Row], list[_Row]]:
    """Bring the current-state tables to ``diff``; returns the rows the history records."""
    live = [(a, _word(s.balance), s.nonce, s.code_hash) for a, s in diff.accounts.items() if s is not None]
    gone = [(a,) for a, s in diff.accounts.items() if s is None]
    cur.executemany("INSERT OR REPLACE INTO accounts VALUES (?, ?, ?, ?)", live)
    cur.executemany("DELETE FROM accounts WHERE address = ?", gone)
    words = [(a, _word(slot), _word(value)) for a, slots in diff.storage.items() for slot, value in slots.items()]
    cur.executemany("INSERT OR REPLACE INTO storage VALUES (?, ?, ?)", [w for w in words if any(w[2])])
    cur.executemany("DELETE FROM storage WHERE address = ? AND slot = ?", [w[:2] for w in words if not any(w[2])])
    return live, gone, words


class ChainStore:
    """The embedded chain's SQLite file.

    The connection is opened in exclusive locking mode and holds its lock for
    its whole life: a second process (another dacwallet window) cannot open
    the same folder, and the lock vanishes with the process, even on a kill.
    """

    def __init__(self, data_dir: Path, *, durable: bool = True) -> None:
        """``durable=False`` is for a throw-away chain (a simulation's): nothing is synced to disk, so a
        crash of the machine may lose or damage it; a killed process still loses nothing committed."""
        self.data_dir = data_dir
        private_sqlite_file(private_folder(data_dir, "the embedded chain's folder") / DB_FILE_NAME)
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
            self.conn.execute(f"PRAGMA synchronous={'NORMAL' if durable else 'OFF'}")
            self.conn.execute("PRAGMA cache_size=-65536")
            # Take the write lock now rather than at the first block.
            self.conn.execute("BEGIN EXCLUSIVE")
            self.conn.executescript(_SCHEMA)  # commits the BEGIN above
        except sqlite3.Error as error:
            # Closed now, not when the traceback (which holds this half-made store) is collected: until then
            # the connection keeps its lock, and the next open in this process would read "in another window".
            if hasattr(self, "conn"):
                self.conn.close()
            raise translate_sqlite_error(data_dir, error) from error

    # --- settings ---------------------------------------------------------------------

    def get_meta(self, name: str) -> int | None:
        row = self.conn.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return None if row is None else row[0]

    # --- blocks -------------------------------------------------------------------------

    def head_number(self) -> int | None:
        number: int | None = self.conn.execute("SELECT MAX(number) FROM blocks").fetchone()[0]
        return number

    def block_row(self, number: int) -> tuple[bytes, bytes, bytes] | None:
        """(header, transactions, receipts) of a block, or None."""
        row: tuple[bytes, bytes, bytes] | None = self.conn.execute(
            "SELECT header, transactions, receipts FROM blocks WHERE number = ?", (number,)
        ).fetchone()
        return row

    def number_of(self, block_hash: bytes) -> int | None:
        row = self.conn.execute("SELECT number FROM blocks WHERE hash = ?", (block_hash,)).fetchone()
        return None if row is None else row[0]

    def transaction_location(self, tx_hash: bytes) -> tuple[int, int] | None:
        row: tuple[int, int] | None = self.conn.execute(
            "SELECT block, tx_index FROM transactions WHERE hash = ?", (tx_hash,)
        ).fetchone()
        return row

    # --- state ----------------------------------------------------------------------------

    def accounts(self) -> Iterator[tuple[bytes, Account]]:
        for address, balance, nonce, code_hash in self.conn.execute("SELECT * FROM accounts"):
            yield address, Account(_int(balance), nonce, code_hash)

    def code(self) -> Iterator[tuple[bytes, bytes]]:
        yield from self.conn.execute("SELECT hash, code FROM code")

    def storage(self) -> Iterator[tuple[bytes, int, int]]:
        for address, slot, value in self.conn.execute("SELECT * FROM storage"):
            yield address, _int(slot), _int(value)

    def accounts_at(self, number: int) -> Iterator[tuple[bytes, Account]]:
        """Every account as it was after block ``number``."""
        rows = self.conn.execute(
            "SELECT address, balance, nonce, code_hash, MAX(block) FROM account_history"
            " WHERE block <= ? GROUP BY address",
            (number,),
        )
        for address, balance, nonce, code_hash, _ in rows:
            if balance is not None:
                yield address, Account(_int(balance), nonce, code_hash)

    def storage_at(self, number: int) -> Iterator[tuple[bytes, int, int]]:
        """Every non-zero slot as it was after block ``number``."""
        rows = self.conn.execute(
            "SELECT address, slot, value, MAX(block) FROM storage_history WHERE block <= ? GROUP BY address, slot",
            (number,),
        )
        for address, slot, value, _ in rows:
            if any(value):
                yield address, _int(slot), _int(value)

    def account_at(self, address: bytes, number: int) -> Account | None:
        row = self.conn.execute(
            "SELECT balance, nonce, code_hash FROM account_history WHERE address = ? AND block <= ?"
            " ORDER BY block DESC LIMIT 1",
            (address, number),
        ).fetchone()
        return None if row is None or row[0] is None else Account(_int(row[0]), row[1], row[2])

    def slot_at(self, address: bytes, slot: int, number: int) -> int:
        row = self.conn.execute(
            "SELECT value FROM storage_history WHERE address = ? AND slot = ? AND block <= ?"
            " ORDER BY block DESC LIMIT 1",
            (address, _word(slot), number),
        ).fetchone()
        return 0 if row is None else _int(row[0])

    # --- the one write path ------------------------------------------------------------

    def commit(
        self,
        block: StoredBlock,
        diff: StateDiff,
        log_rows: Iterable[tuple[object, ...]] = (),
        meta: Mapping[str, int] | None = None,
    ) -> None:
        """Write a block, the state it changed, its logs and settings in one transaction."""
        number = block.number
        cur = self.conn.cursor()
        cur.execute("BEGIN")
        try:
            cur.execute(
                "INSERT INTO blocks VALUES (?, ?, ?, ?, ?)",
                (number, block.hash, block.header, block.transactions, block.receipts),
            )
            cur.executemany(
                "INSERT INTO transactions VALUES (?, ?, ?)", [(h, number, i) for i, h in enumerate(block.tx_hashes)]
            )
            cur.executemany("INSERT OR IGNORE INTO code VALUES (?, ?)", diff.code.items())
            live, gone, words = _write_current(cur, diff)
            cur.executemany(
                "INSERT INTO account_history VALUES (?, ?, ?, ?, ?)",
                [(a, number, b, n, c) for a, b, n, c in live] + [(a, number, None, None, None) for (a,) in gone],
            )
            cur.executemany("INSERT INTO storage_history VALUES (?, ?, ?, ?)", [(a, s, number, v) for a, s, v in words])
            cur.executemany("INSERT INTO logs VALUES (?,?,?,?,?,?,?,?,?,?,?)", log_rows)
            for name, value in (meta or {}).items():
                cur.execute("INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)", (name, value))
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise

    def rewind(self, number: int) -> StateDiff:
        """Forget every block after ``number``; returns the changes that restore its state."""
        undo = StateDiff()
        cur = self.conn.cursor()
        cur.execute("BEGIN")
        try:
            for (address,) in cur.execute(
                "SELECT DISTINCT address FROM account_history WHERE block > ?", (number,)
            ).fetchall():
                undo.accounts[address] = self.account_at(address, number)
            for address, slot in cur.execute(
                "SELECT DISTINCT address, slot FROM storage_history WHERE block > ?", (number,)
            ).fetchall():
                undo.storage.setdefault(address, {})[_int(slot)] = self.slot_at(address, _int(slot), number)
            for table, column in (
                ("blocks", "number"),
                ("transactions", "block"),
                ("logs", "block"),
                ("account_history", "block"),
                ("storage_history", "block"),
            ):
                cur.execute(f"DELETE FROM {table} WHERE {column} > ?", (number,))
            _write_current(cur, undo)
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        return undo

    def close(self) -> None:
        self.conn.close()
        self.closed = True
