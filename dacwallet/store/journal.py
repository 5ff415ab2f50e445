"""The journal of signed transactions: written before a transaction is sent, resolved after.

A signed transaction is stored (it holds no secret) so that after a crash it can be
looked up by hash and, if the node never saw it, broadcast again - the same bytes with
the same nonce, so it can never be mined twice. A speed-up or cancel is another entry with
the same sender and nonce: at most one entry of such a group is ever mined, the others end
"replaced".

When the chain an entry was signed for is reset, its open entries end "dropped": they can never
be mined there, and they must never be broadcast to the new chain (rows are kept, for the record).
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass

from dacwallet.store.chains import register_kept_on_reset

SCHEMA = """
CREATE TABLE IF NOT EXISTS journal (
    tx_hash TEXT PRIMARY KEY,
    chain_key TEXT NOT NULL,
    sender TEXT NOT NULL,
    nonce INTEGER NOT NULL,
    raw BLOB NOT NULL,
    kind TEXT NOT NULL,
    contribution_id INTEGER,
    state TEXT NOT NULL,
    detail TEXT,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS journal_open ON journal (chain_key, state);
"""
SIGNED, SENT, MINED, FAILED, DROPPED, REPLACED = "signed", "sent", "mined", "failed", "dropped", "replaced"
OPEN_STATES = (SIGNED, SENT)
CHAIN_RESET_DETAIL = "the chain was reset; this transaction is on no chain"


def close_on_reset(conn: sqlite3.Connection, _network: str, old_chain_key: str) -> None:
    """The chain ``old_chain_key`` was reset: its open entries are final (dropped), not pending."""
    conn.execute("UPDATE journal SET state = ?, detail = ?, updated_at = ? WHERE chain_key = ? AND state IN (?, ?)",
                 (DROPPED, CHAIN_RESET_DETAIL, time.time(), old_chain_key, *OPEN_STATES))


register_kept_on_reset("journal", close_on_reset)


@dataclass(frozen=True)
class JournalEntry:
    tx_hash: str
    chain_key: str
    sender: str
    nonce: int
    raw: bytes
    kind: str
    contribution_id: int | None
    state: str
    detail: str | None
    created_at: float = 0.0  # set by the store; 0 for an entry not yet recorded


def ensure_schema(conn: sqlite3.Connection) -> None:
    conn.executescript(SCHEMA)


def record_signed(conn: sqlite3.Connection, entry: JournalEntry) -> None:
    now = time.time()
    # The same signed bytes can come back on a reset chain (same sender, nonce 0 again, same chain id and
    # contract address): the old chain's entry, final since the reset, gives way to the live one.
    conn.execute("DELETE FROM journal WHERE tx_hash = ? AND chain_key != ?", (entry.tx_hash, entry.chain_key))
    conn.execute(
        "INSERT INTO journal (tx_hash, chain_key, sender, nonce, raw, kind, contribution_id, state, detail, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (entry.tx_hash, entry.chain_key, entry.sender, entry.nonce, entry.raw, entry.kind, entry.contribution_id,
         entry.state, entry.detail, now, now),
    )


def set_state(conn: sqlite3.Connection, tx_hash: str, state: str, detail: str | None = None) -> None:
    conn.execute("UPDATE journal SET state = ?, detail = ?, updated_at = ? WHERE tx_hash = ?",
                 (state, detail, time.time(), tx_hash))


def open_entries(conn: sqlite3.Connection, chain_key: str) -> list[JournalEntry]:
    """Transactions signed or sent but not yet known to be final, oldest first."""
    rows = conn.execute("SELECT * FROM journal WHERE chain_key = ? AND state IN (?, ?) ORDER BY created_at",
                        (chain_key, *OPEN_STATES)).fetchall()
    return [_from_row(r) for r in rows]


def same_nonce(conn: sqlite3.Connection, chain_key: str, sender: str, nonce: int) -> list[JournalEntry]:
    """Every entry (open or final) competing for one nonce: an original and its replacements, oldest first."""
    rows = conn.execute("SELECT * FROM journal WHERE chain_key = ? AND sender = ? AND nonce = ? ORDER BY created_at",
                        (chain_key, sender, nonce)).fetchall()
    return [_from_row(r) for r in rows]


def get(conn: sqlite3.Connection, tx_hash: str) -> JournalEntry | None:
    row = conn.execute("SELECT * FROM journal WHERE tx_hash = ?", (tx_hash,)).fetchone()
    return _from_row(row) if row else None


def _from_row(row: sqlite3.Row) -> JournalEntry:
    return JournalEntry(tx_hash=row["tx_hash"], chain_key=row["chain_key"], sender=row["sender"], nonce=row["nonce"],
                        raw=bytes(row["raw"]), kind=row["kind"], contribution_id=row["contribution_id"],
                        state=row["state"], detail=row["detail"], created_at=row["created_at"])


def by_sender(conn: sqlite3.Connection, chain_key: str, sender: str) -> list[JournalEntry]:
    """Every entry (open or final) one account signed on this chain, oldest first: its activity."""
    rows = conn.execute("SELECT * FROM journal WHERE chain_key = ? AND lower(sender) = lower(?) ORDER BY created_at",
                        (chain_key, sender)).fetchall()
    return [_from_row(r) for r in rows]
