"""The user's own contributions: what they typed, how it was encoded, and where it stands locally.

The text and the encoded features are kept because a refund must resend the exact data.
Whether a contribution is refundable, at risk or taken is asked of the chain, not stored.
When the chain a contribution was made on is reset (a restarted dev node), the row is kept with
``reset_at`` set: the text, label and tx hash stay for the user, but it is on no chain any more.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass

from dacwallet.store.states import ContributionState

SCHEMA = """
CREATE TABLE IF NOT EXISTS contributions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    chain_key TEXT NOT NULL,
    trainer TEXT NOT NULL,
    author TEXT NOT NULL,
    text TEXT NOT NULL,
    data TEXT NOT NULL,
    label INTEGER NOT NULL,
    state TEXT NOT NULL,
    tx_hash TEXT,
    added_time INTEGER,
    cost TEXT,
    block_number INTEGER,
    error TEXT,
    created_at REAL NOT NULL,
    reset_at REAL,
    reset_network TEXT
);
CREATE INDEX IF NOT EXISTS contributions_by_author ON contributions (chain_key, trainer, author);
"""
# Columns added after the first release: (name, SQL type); added to older databases on open.
_ADDED_COLUMNS = (("reset_at", "REAL"), ("reset_network", "TEXT"))


@dataclass(frozen=True)
class StoredContribution:
    id: int
    chain_key: str
    trainer: str
    author: str
    text: str
    data: tuple[int, ...]
    label: int
    state: ContributionState
    tx_hash: str | None
    added_time: int | None
    cost: int | None
    block_number: int | None
    error: str | None
    created_at: float
    reset_at: float | None = None  # when its chain was found reset; None while the chain is this one
    reset_network: str | None = None  # the network (URL or embedded) that was reset


def ensure_schema(conn: sqlite3.Connection) -> None:
    conn.executescript(SCHEMA)
    _add_columns(conn)


def _add_columns(conn: sqlite3.Connection) -> None:
    have = {row[1] for row in conn.execute("PRAGMA table_info(contributions)")}
    for name, sql_type in _ADDED_COLUMNS:
        if name not in have:  # a database from before the column: nullable, so old rows stay valid
            conn.execute(f"ALTER TABLE contributions ADD COLUMN {name} {sql_type}")


def keep_on_reset(conn: sqlite3.Connection, network: str, old_chain_key: str) -> list[int]:
    """The chain ``old_chain_key`` of ``network`` was reset: its contributions are kept and marked, never deleted.
    Called by the lifecycle's reset event (inside the reset's transaction); returns the ids it marked."""
    _add_columns(conn)  # not ensure_schema: executescript would commit the reset's transaction half-done
    ids = [
        int(r[0])
        for r in conn.execute("SELECT id FROM contributions WHERE chain_key = ? AND reset_at IS NULL", (old_chain_key,))
    ]
    conn.execute(
        "UPDATE contributions SET reset_at = ?, reset_network = ? WHERE chain_key = ? AND reset_at IS NULL",
        (time.time(), network, old_chain_key),
    )
    return ids


def insert_draft(
    conn: sqlite3.Connection, chain_key: str, trainer: str, author: str, text: str, data: list[int], label: int
) -> int:
    """Inside the lifecycle's transaction: what the user typed, before anything is signed; returns its id."""
    cursor = conn.execute(
        "INSERT INTO contributions (chain_key, trainer, author, text, data, label, state, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (chain_key, trainer, author, text, json.dumps(list(data)), label, str(ContributionState.DRAFT), time.time()),
    )
    assert cursor.lastrowid is not None  # set by every INSERT
    return cursor.lastrowid


def set_state(
    conn: sqlite3.Connection,
    contribution_id: int,
    state: ContributionState,
    *,
    error: str | None = None,
    tx_hash: str | None = None,
    added_time: int | None = None,
    cost: int | None = None,
    block_number: int | None = None,
) -> None:
    """Inside the lifecycle's transaction, after it checked the move; None keeps a column (error: clears it)."""
    conn.execute(
        "UPDATE contributions SET state = ?, error = ?, tx_hash = COALESCE(?, tx_hash), "
        "added_time = COALESCE(?, added_time), cost = COALESCE(?, cost), "
        "block_number = COALESCE(?, block_number) WHERE id = ?",
        (str(state), error, tx_hash, added_time, None if cost is None else str(cost), block_number, contribution_id),
    )


def get(conn: sqlite3.Connection, contribution_id: int) -> StoredContribution | None:
    row = conn.execute("SELECT * FROM contributions WHERE id = ?", (contribution_id,)).fetchone()
    return _from_row(row) if row else None


def get_known(conn: sqlite3.Connection, contribution_id: int) -> StoredContribution:
    """``get`` of an id that one of our own rows refers to (the journal, the lifecycle): it is stored."""
    stored = get(conn, contribution_id)
    if stored is None:
        raise LookupError(f"contribution {contribution_id} is referred to but not stored")
    return stored


def list_for(
    conn: sqlite3.Connection, chain_key: str, trainer: str, author: str | None = None
) -> list[StoredContribution]:
    """Contributions on this deployment (of one author, or all local accounts), newest first."""
    query = "SELECT * FROM contributions WHERE chain_key = ? AND trainer = ? AND reset_at IS NULL"
    args: list[object] = [chain_key, trainer]
    if author is not None:
        query += " AND author = ?"
        args.append(author)
    return [_from_row(r) for r in conn.execute(query + " ORDER BY id DESC", args).fetchall()]


def list_reset(conn: sqlite3.Connection, network: str, author: str | None = None) -> list[StoredContribution]:
    """Contributions kept from earlier chains of ``network`` that were reset, newest first."""
    query = "SELECT * FROM contributions WHERE reset_at IS NOT NULL AND reset_network = ?"
    args: list[object] = [network]
    if author is not None:
        query += " AND author = ?"
        args.append(author)
    return [_from_row(r) for r in conn.execute(query + " ORDER BY id DESC", args).fetchall()]


def count_reset(conn: sqlite3.Connection, network: str, chain_key: str) -> int:
    """How many contributions were kept when ``chain_key`` (a chain of ``network``) was reset."""
    row = conn.execute(
        "SELECT COUNT(*) FROM contributions WHERE reset_at IS NOT NULL AND reset_network = ? AND chain_key = ?",
        (network, chain_key),
    ).fetchone()
    return int(row[0])


def _from_row(row: sqlite3.Row) -> StoredContribution:
    return StoredContribution(
        id=row["id"],
        chain_key=row["chain_key"],
        trainer=row["trainer"],
        author=row["author"],
        text=row["text"],
        data=tuple(json.loads(row["data"])),
        label=row["label"],
        state=ContributionState(row["state"]),
        tx_hash=row["tx_hash"],
        added_time=row["added_time"],
        cost=int(row["cost"]) if row["cost"] is not None else None,
        block_number=row["block_number"],
        error=row["error"],
        created_at=row["created_at"],
        reset_at=row["reset_at"],
        reset_network=row["reset_network"],
    )
