"""Deployments in progress, and which known deployment is the active one, per chain.

A deployment's progress (see ``dacwallet.contracts.deploy.DeploymentProgress``) is written here
before each of its transactions is broadcast and after it is mined, so a run that stops for any
reason (an error, a node gone, a kill) can be resumed or abandoned later. Each chain has at most
one deployment in progress per slot: ``default`` (the embedded chain's first-start deploy) and
``new`` (one the user started). Both tables belong to one chain: a reset chain's rows are dropped.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass
from typing import Any

from dacwallet.store.chains import register_per_chain_table
from dacwallet.store.db import transaction

DEFAULT_SLOT = "default"
USER_SLOT = "new"

SCHEMA = """
CREATE TABLE IF NOT EXISTS deployment_progress (
    chain_key TEXT NOT NULL,
    slot TEXT NOT NULL,
    model_file TEXT NOT NULL,
    model TEXT NOT NULL,
    progress TEXT NOT NULL,
    started_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    PRIMARY KEY (chain_key, slot)
);
CREATE TABLE IF NOT EXISTS active_deployment (
    chain_key TEXT PRIMARY KEY,
    trainer TEXT NOT NULL,
    chosen_at REAL NOT NULL
);
"""

register_per_chain_table("deployment_progress")
register_per_chain_table("active_deployment")


def ensure_schema(conn: sqlite3.Connection) -> None:
    conn.executescript(SCHEMA)


@dataclass(frozen=True)
class SavedProgress:
    chain_key: str
    slot: str
    model_file: str  # as the user named it (a shipped model name or a path), for the local mirror
    model: dict[str, Any]  # the model description itself, so a resume deploys exactly what was started
    progress: dict[str, Any]  # DeploymentProgress.to_dict()
    started_at: float
    updated_at: float


def start(
    conn: sqlite3.Connection,
    chain_key: str,
    slot: str,
    model_file: str,
    model: dict[str, Any],
    progress: dict[str, Any],
) -> None:
    """Records a deployment about to send its first transaction; refuses if one is already in that slot."""
    ensure_schema(conn)
    now = time.time()
    with transaction(conn):
        conn.execute(
            "INSERT INTO deployment_progress (chain_key, slot, model_file, model, progress, started_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (chain_key, slot, model_file, json.dumps(model), json.dumps(progress), now, now),
        )


def update(conn: sqlite3.Connection, chain_key: str, slot: str, progress: dict[str, Any]) -> None:
    with transaction(conn):
        conn.execute(
            "UPDATE deployment_progress SET progress = ?, updated_at = ? WHERE chain_key = ? AND slot = ?",
            (json.dumps(progress), time.time(), chain_key, slot),
        )


def load(conn: sqlite3.Connection, chain_key: str, slot: str) -> SavedProgress | None:
    ensure_schema(conn)
    row = conn.execute(
        "SELECT * FROM deployment_progress WHERE chain_key = ? AND slot = ?", (chain_key, slot)
    ).fetchone()
    if row is None:
        return None
    return SavedProgress(
        row["chain_key"],
        row["slot"],
        row["model_file"],
        json.loads(row["model"]),
        json.loads(row["progress"]),
        row["started_at"],
        row["updated_at"],
    )


def forget(conn: sqlite3.Connection, chain_key: str, slot: str) -> bool:
    ensure_schema(conn)
    with transaction(conn):
        cursor = conn.execute("DELETE FROM deployment_progress WHERE chain_key = ? AND slot = ?", (chain_key, slot))
    return cursor.rowcount > 0


def set_active(conn: sqlite3.Connection, chain_key: str, trainer: str) -> None:
    ensure_schema(conn)
    with transaction(conn):
        conn.execute(
            "INSERT OR REPLACE INTO active_deployment (chain_key, trainer, chosen_at) VALUES (?, ?, ?)",
            (chain_key, trainer, time.time()),
        )


def active(conn: sqlite3.Connection, chain_key: str) -> str | None:
    """The entry point the user chose on this chain (``set_active``), if any."""
    ensure_schema(conn)
    row = conn.execute("SELECT trainer FROM active_deployment WHERE chain_key = ?", (chain_key,)).fetchone()
    return None if row is None else row["trainer"]
