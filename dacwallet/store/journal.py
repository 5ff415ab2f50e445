"""The journal of signed transactions: written before a transaction is sent, resolved after.

A signed transaction is stored (it holds no secret) so that after a crash it can be
looked up by hash and, if the node never saw it, broadcast again - the same bytes with
the same nonce, so it can never be mined twice. A speed-up or cancel is another entry with
the same sender, nonce and ``origin`` (the first attempt's hash): at most one entry of such a
group is ever mined, the others end "replaced". Entries are only moved by ``store.lifecycle``.

When the chain an entry was signed for is reset, its open entries end "dropped" (``store.lifecycle`` does it):
they can never be mined there, and they must never be broadcast to the new chain (rows are kept, for the record).
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass

from dacwallet.store.states import OPEN_TX_STATES, TxKind, TxState

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
    updated_at REAL NOT NULL,
    origin TEXT
);
CREATE INDEX IF NOT EXISTS journal_open ON journal (chain_key, state);
"""
OPEN_STATES = OPEN_TX_STATES


@dataclass(frozen=True)
class JournalEntry:
    tx_hash: str
    chain_key: str
    sender: str
    nonce: int
    raw: bytes
    kind: TxKind
    contribution_id: int | None
    state: TxState
    detail: str | None
    created_at: float = 0.0  # set by the store; 0 for an entry not yet recorded
    origin: str = ""  # the first attempt of its group; "" = itself (an original)

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", TxKind.of(self.kind))
        object.__setattr__(self, "state", TxState(self.state))
        if not self.origin:
            object.__setattr__(self, "origin", self.tx_hash)


def ensure_schema(conn: sqlite3.Connection) -> None:
    conn.executescript(SCHEMA)
    if "origin" not in {row[1] for row in conn.execute("PRAGMA table_info(journal)")}:
        # A journal from before groups: every entry of one sender and nonce was one group (then it was the
        # only notion), so each gets the first entry of its nonce as its origin.
        conn.execute("ALTER TABLE journal ADD COLUMN origin TEXT")
        conn.execute(
            "UPDATE journal SET origin = (SELECT j2.tx_hash FROM journal j2 WHERE j2.chain_key = journal.chain_key "
            "AND j2.sender = journal.sender AND j2.nonce = journal.nonce ORDER BY j2.created_at LIMIT 1)"
        )


def insert(conn: sqlite3.Connection, entry: JournalEntry) -> None:
    """Inside the lifecycle's transaction: a new entry, as signed."""
    now = time.time()
    # The same signed bytes can come back on a reset chain (same sender, nonce 0 again, same chain id and
    # contract address): the old chain's entry, final since the reset, gives way to the live one.
    conn.execute("DELETE FROM journal WHERE tx_hash = ? AND chain_key != ?", (entry.tx_hash, entry.chain_key))
    conn.execute(
        "INSERT INTO journal (tx_hash, chain_key, sender, nonce, raw, kind, contribution_id, state, detail, "
        "created_at, updated_at, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            entry.tx_hash,
            entry.chain_key,
            entry.sender,
            entry.nonce,
            entry.raw,
            str(entry.kind),
            entry.contribution_id,
            str(entry.state),
            entry.detail,
            now,
            now,
            entry.origin,
        ),
    )


def set_state(conn: sqlite3.Connection, tx_hash: str, state: TxState, detail: str | None = None) -> None:
    """Inside the lifecycle's transaction, after it checked the move."""
    conn.execute(
        "UPDATE journal SET state = ?, detail = ?, updated_at = ? WHERE tx_hash = ?",
        (str(state), detail, time.time(), tx_hash),
    )


def next_nonce(conn: sqlite3.Connection, chain_key: str, sender: str) -> int:
    """The lowest nonce above every entry of ``sender`` that holds one (signed, sent or mined), 0 for none.

    Two processes that read the same pending count from the node would otherwise sign the same nonce; the
    journal knows the entries signed a moment ago that the node has not seen yet.
    """
    row = conn.execute(
        "SELECT MAX(nonce) FROM journal WHERE chain_key = ? AND sender = ? AND state IN (?, ?, ?)",
        (chain_key, sender, *OPEN_STATES, str(TxState.MINED)),
    ).fetchone()
    return 0 if row[0] is None else int(row[0]) + 1


def open_entries(conn: sqlite3.Connection, chain_key: str) -> list[JournalEntry]:
    """Transactions signed or sent but not yet known to be final, oldest first."""
    rows = conn.execute(
        "SELECT * FROM journal WHERE chain_key = ? AND state IN (?, ?) ORDER BY created_at", (chain_key, *OPEN_STATES)
    ).fetchall()
    return [_from_row(r) for r in rows]


def same_nonce(conn: sqlite3.Connection, chain_key: str, sender: str, nonce: int) -> list[JournalEntry]:
    """Every entry (open or final, of any group) for one nonce, oldest first."""
    rows = conn.execute(
        "SELECT * FROM journal WHERE chain_key = ? AND sender = ? AND nonce = ? ORDER BY created_at",
        (chain_key, sender, nonce),
    ).fetchall()
    return [_from_row(r) for r in rows]


def group_of(conn: sqlite3.Connection, entry: JournalEntry) -> list[JournalEntry]:
    """The entry's group: its original and every speed-up or cancel of it, oldest first."""
    return [e for e in same_nonce(conn, entry.chain_key, entry.sender, entry.nonce) if e.origin == entry.origin]


def get(conn: sqlite3.Connection, tx_hash: str) -> JournalEntry | None:
    row = conn.execute("SELECT * FROM journal WHERE tx_hash = ?", (tx_hash,)).fetchone()
    return _from_row(row) if row else None


def for_contribution(conn: sqlite3.Connection, contribution_id: int) -> list[JournalEntry]:
    """Every entry sent for one contribution (its attempts and cancels), oldest first."""
    rows = conn.execute(
        "SELECT * FROM journal WHERE contribution_id = ? ORDER BY created_at", (contribution_id,)
    ).fetchall()
    return [_from_row(r) for r in rows]


def _from_row(row: sqlite3.Row) -> JournalEntry:
    return JournalEntry(
        tx_hash=row["tx_hash"],
        chain_key=row["chain_key"],
        sender=row["sender"],
        nonce=row["nonce"],
        raw=bytes(row["raw"]),
        kind=TxKind.of(row["kind"]),
        contribution_id=row["contribution_id"],
        state=TxState(row["state"]),
        detail=row["detail"],
        created_at=row["created_at"],
        origin=row["origin"] or row["tx_hash"],
    )


def by_sender(conn: sqlite3.Connection, chain_key: str, sender: str) -> list[JournalEntry]:
    """Every entry (open or final) one account signed on this chain, oldest first: its activity."""
    rows = conn.execute(
        "SELECT * FROM journal WHERE chain_key = ? AND lower(sender) = lower(?) ORDER BY created_at",
        (chain_key, sender),
    ).fetchall()
    return [_from_row(r) for r in rows]
