"""The indexer's tables in the shared wallet database (all prefixed ``sync_``).

Amounts are wei as decimal TEXT: deposits are uint96 on our contracts and
uint256 on reference ones, both beyond SQLite's 64-bit integers.
"""

from __future__ import annotations

import sqlite3

_TABLES = """
CREATE TABLE IF NOT EXISTS sync_cursors (
    chain_key TEXT NOT NULL,
    trainer TEXT NOT NULL,
    last_block INTEGER NOT NULL,          -- every block up to this one is indexed
    PRIMARY KEY (chain_key, trainer)
);
CREATE TABLE IF NOT EXISTS sync_blocks (
    chain_key TEXT NOT NULL,
    trainer TEXT NOT NULL,
    number INTEGER NOT NULL,
    hash BLOB NOT NULL,
    PRIMARY KEY (chain_key, trainer, number)
);
CREATE TABLE IF NOT EXISTS sync_contributions (
    chain_key TEXT NOT NULL,
    trainer TEXT NOT NULL,
    block_number INTEGER NOT NULL,
    log_index INTEGER NOT NULL,
    block_hash BLOB NOT NULL,
    tx_hash BLOB NOT NULL,
    timestamp INTEGER NOT NULL,
    data TEXT NOT NULL,                   -- JSON array of ints, exactly as sent
    label INTEGER NOT NULL,
    added_time INTEGER NOT NULL,          -- the event's t (the contribution's key part)
    sender TEXT NOT NULL,
    cost TEXT NOT NULL,
    contribution_key BLOB NOT NULL,
    PRIMARY KEY (chain_key, trainer, block_number, log_index)
);
CREATE INDEX IF NOT EXISTS sync_contributions_sender
    ON sync_contributions (chain_key, trainer, sender, block_number);
CREATE INDEX IF NOT EXISTS sync_contributions_key
    ON sync_contributions (contribution_key);
CREATE TABLE IF NOT EXISTS sync_claims (
    chain_key TEXT NOT NULL,
    trainer TEXT NOT NULL,
    block_number INTEGER NOT NULL,
    log_index INTEGER NOT NULL,
    block_hash BLOB NOT NULL,
    tx_hash BLOB NOT NULL,
    timestamp INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('refund', 'report')),
    recipient TEXT NOT NULL,
    amount TEXT NOT NULL,                 -- '0' for Points events
    contribution_key BLOB,                -- NULL when the claim's input could not be decoded
    author TEXT,
    PRIMARY KEY (chain_key, trainer, block_number, log_index)
);
CREATE INDEX IF NOT EXISTS sync_claims_recipient
    ON sync_claims (chain_key, trainer, recipient, block_number);
CREATE INDEX IF NOT EXISTS sync_claims_key
    ON sync_claims (contribution_key);
"""


def ensure_schema(conn: sqlite3.Connection) -> None:
    """Creates the sync tables and indexes if they are missing (idempotent)."""
    conn.executescript(_TABLES)
