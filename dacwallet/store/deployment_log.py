"""Finished deployments by who signed them, with their transactions: the account's activity lists them.

A deployment's progress row is forgotten once it finishes, and its transactions never go through
the journal (they are resumed from the progress instead), so this is where they stay on record.
Rows belong to one chain: a reset chain's are dropped with its other caches.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass

from dacwallet.store.chains import register_per_chain_table
from dacwallet.store.db import transaction

SCHEMA = """
CREATE TABLE IF NOT EXISTS deployment_log (
    chain_key TEXT NOT NULL,
    trainer TEXT NOT NULL,
    deployer TEXT NOT NULL,
    name TEXT NOT NULL,
    transactions TEXT NOT NULL,
    finished_at REAL NOT NULL,
    PRIMARY KEY (chain_key, trainer)
);
"""

register_per_chain_table("deployment_log")


@dataclass(frozen=True)
class LoggedDeployment:
    trainer: str
    deployer: str
    name: str
    transactions: tuple[str, ...]
    finished_at: float


def ensure_schema(conn: sqlite3.Connection) -> None:
    conn.executescript(SCHEMA)


def record(
    conn: sqlite3.Connection, chain_key: str, trainer: str, deployer: str, name: str, transactions: list[str]
) -> None:
    ensure_schema(conn)
    with transaction(conn):
        conn.execute(
            "INSERT OR REPLACE INTO deployment_log (chain_key, trainer, deployer, name, transactions, "
            "finished_at) VALUES (?, ?, ?, ?, ?, ?)",
            (chain_key, trainer, deployer, name, json.dumps(transactions), time.time()),
        )


def by_deployer(conn: sqlite3.Connection, chain_key: str, deployer: str) -> list[LoggedDeployment]:
    ensure_schema(conn)
    rows = conn.execute(
        "SELECT * FROM deployment_log WHERE chain_key = ? AND lower(deployer) = lower(?) ORDER BY finished_at",
        (chain_key, deployer),
    ).fetchall()
    return [
        LoggedDeployment(r["trainer"], r["deployer"], r["name"], tuple(json.loads(r["transactions"])), r["finished_at"])
        for r in rows
    ]
