"""The user's own contributions: what they typed, how it was encoded, and where it stands locally.

The text and the encoded features are kept because a refund must resend the exact data.
Whether a contribution is refundable, at risk or taken is asked of the chain, not stored.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass

from dacwallet.store.chains import register_per_chain_table

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
    created_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS contributions_by_author ON contributions (chain_key, trainer, author);
"""
register_per_chain_table("contributions")

DRAFT, SENDING, ADDED, FAILED, DROPPED = "draft", "sending", "added", "failed", "dropped"
CANCELLED = "cancelled"  # the user cancelled it while pending (a 0-value transfer took its nonce); the text stays


@dataclass(frozen=True)
class StoredContribution:
    id: int
    chain_key: str
    trainer: str
    author: str
    text: str
    data: tuple[int, ...]
    label: int
    state: str
    tx_hash: str | None
    added_time: int | None
    cost: int | None
    block_number: int | None
    error: str | None
    created_at: float


def ensure_schema(conn: sqlite3.Connection) -> None:
    conn.executescript(SCHEMA)


def insert_draft(conn: sqlite3.Connection, chain_key: str, trainer: str, author: str, text: str,
                 data: list[int], label: int) -> int:
    """Saves what the user typed before anything is signed; returns its id."""
    cursor = conn.execute(
        "INSERT INTO contributions (chain_key, trainer, author, text, data, label, state, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (chain_key, trainer, author, text, json.dumps(list(data)), label, DRAFT, time.time()),
    )
    return int(cursor.lastrowid)


def mark_sending(conn: sqlite3.Connection, contribution_id: int, tx_hash: str) -> None:
    conn.execute("UPDATE contributions SET state = ?, tx_hash = ? WHERE id = ?", (SENDING, tx_hash, contribution_id))


def mark_added(conn: sqlite3.Connection, contribution_id: int, added_time: int, cost: int, block_number: int) -> None:
    conn.execute("UPDATE contributions SET state = ?, added_time = ?, cost = ?, block_number = ?, error = NULL "
                 "WHERE id = ?", (ADDED, added_time, str(cost), block_number, contribution_id))


def mark_failed(conn: sqlite3.Connection, contribution_id: int, state: str, error: str) -> None:
    conn.execute("UPDATE contributions SET state = ?, error = ? WHERE id = ?", (state, error, contribution_id))


def get(conn: sqlite3.Connection, contribution_id: int) -> StoredContribution | None:
    row = conn.execute("SELECT * FROM contributions WHERE id = ?", (contribution_id,)).fetchone()
    return _from_row(row) if row else None


def list_for(conn: sqlite3.Connection, chain_key: str, trainer: str, author: str | None = None) -> list[StoredContribution]:
    """Contributions on this deployment (of one author, or all local accounts), newest first."""
    query = "SELECT * FROM contributions WHERE chain_key = ? AND trainer = ?"
    args: list[object] = [chain_key, trainer]
    if author is not None:
        query += " AND author = ?"
        args.append(author)
    return [_from_row(r) for r in conn.execute(query + " ORDER BY id DESC", args).fetchall()]


def _from_row(row: sqlite3.Row) -> StoredContribution:
    return StoredContribution(
        id=row["id"], chain_key=row["chain_key"], trainer=row["trainer"], author=row["author"], text=row["text"],
        data=tuple(json.loads(row["data"])), label=row["label"], state=row["state"], tx_hash=row["tx_hash"],
        added_time=row["added_time"], cost=int(row["cost"]) if row["cost"] is not None else None,
        block_number=row["block_number"], error=row["error"], created_at=row["created_at"],
    )
