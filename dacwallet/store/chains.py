"""Which chain each network was last seen as, and the deployments known on each chain.

A network (the embedded chain, or a URL) whose chain id or genesis hash changed was
reset (a restarted dev node, a new embedded folder): its cached state is dropped, but what
the user made there (their contributions, the journal) is kept and marked by the owning store.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

from dacwallet.contracts.deployment import Deployment
from dacwallet.store.db import transaction

SCHEMA = """
CREATE TABLE IF NOT EXISTS networks (
    network TEXT PRIMARY KEY,
    chain_key TEXT NOT NULL,
    seen_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS deployments (
    chain_key TEXT NOT NULL,
    trainer TEXT NOT NULL,
    info TEXT NOT NULL,
    model_file TEXT,
    is_default INTEGER NOT NULL DEFAULT 0,
    added_at REAL NOT NULL,
    PRIMARY KEY (chain_key, trainer)
);
"""

# Tables whose rows belong to one chain (column chain_key): dropped when that chain is reset.
# Deployments are not among them: they are a few rows, and the kept contributions of a reset
# chain name their labels from their deployment's classes.
_PER_CHAIN_TABLES: list[str] = []

# (connection, network, old chain key) -> None: marks the user's own rows of a reset chain, inside
# the same transaction as the reset, so a crash cannot leave them half-marked.
ResetHook = Callable[[sqlite3.Connection, str, str], None]
_ON_RESET: dict[str, ResetHook] = {}


def register_per_chain_table(name: str) -> None:
    """Other stores call this so a reset chain's rows in their tables are dropped too (caches only)."""
    if name not in _PER_CHAIN_TABLES:
        _PER_CHAIN_TABLES.append(name)


def register_kept_on_reset(table: str, hook: ResetHook) -> None:
    """Stores of the user's own data call this: their rows of a reset chain are kept and marked by ``hook``."""
    _ON_RESET[table] = hook


def _table_exists(conn: sqlite3.Connection, table: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (table,)).fetchone() is not None


def ensure_schema(conn: sqlite3.Connection) -> None:
    conn.executescript(SCHEMA)
    columns = {row[1] for row in conn.execute("PRAGMA table_info(deployments)")}
    if "vocab_file" not in columns:  # added for the reference's "IMDB vocab" vocabulary; older folders lack it
        try:
            conn.execute("ALTER TABLE deployments ADD COLUMN vocab_file TEXT")
        except sqlite3.OperationalError as exc:  # another process sharing the folder added it first
            if "duplicate column" not in str(exc):
                raise


@dataclass(frozen=True)
class KnownDeployment:
    deployment: Deployment
    model_file: str | None
    is_default: bool
    vocab_file: str | None = None  # the vocabulary file an encoder needs (the reference's "IMDB vocab")


def check_network(conn: sqlite3.Connection, network: str, chain_key: str) -> str | None:
    """Records that ``network`` is ``chain_key`` now; returns the old key if the chain was reset."""
    ensure_schema(conn)
    row = conn.execute("SELECT chain_key FROM networks WHERE network = ?", (network,)).fetchone()
    with transaction(conn):
        conn.execute(
            "INSERT OR REPLACE INTO networks (network, chain_key, seen_at) VALUES (?, ?, ?)",
            (network, chain_key, time.time()),
        )
        if row is None or row["chain_key"] == chain_key:
            return None
        for table in _PER_CHAIN_TABLES:
            if _table_exists(conn, table):
                conn.execute(f"DELETE FROM {table} WHERE chain_key = ?", (row["chain_key"],))
        for table, hook in _ON_RESET.items():
            if _table_exists(conn, table):
                hook(conn, network, row["chain_key"])
    return str(row["chain_key"])


def add_deployment(
    conn: sqlite3.Connection,
    chain_key: str,
    deployment: Deployment,
    *,
    model_file: str | None = None,
    is_default: bool = False,
    vocab_file: str | None = None,
) -> None:
    ensure_schema(conn)
    with transaction(conn):
        conn.execute(
            "INSERT OR REPLACE INTO deployments (chain_key, trainer, info, model_file, is_default, added_at, "
            "vocab_file) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                chain_key,
                deployment.trainer,
                json.dumps(asdict(deployment)),
                model_file,
                int(is_default),
                time.time(),
                vocab_file,
            ),
        )


def set_local_copy(
    conn: sqlite3.Connection, chain_key: str, trainer: str, model_file: str | None, vocab_file: str | None
) -> None:
    """Replaces the local files of a known deployment (its model file and the vocabulary its encoder needs)."""
    ensure_schema(conn)
    with transaction(conn):
        conn.execute(
            "UPDATE deployments SET model_file = ?, vocab_file = ? WHERE chain_key = ? AND trainer = ?",
            (model_file, vocab_file, chain_key, trainer),
        )


def remove_deployment(conn: sqlite3.Connection, chain_key: str, trainer: str) -> bool:
    ensure_schema(conn)
    with transaction(conn):
        cursor = conn.execute("DELETE FROM deployments WHERE chain_key = ? AND trainer = ?", (chain_key, trainer))
    return cursor.rowcount > 0


def list_deployments(conn: sqlite3.Connection, chain_key: str) -> list[KnownDeployment]:
    """Known deployments on this chain, the default first."""
    ensure_schema(conn)
    rows = conn.execute(
        "SELECT info, model_file, is_default, vocab_file FROM deployments WHERE chain_key = ? "
        "ORDER BY is_default DESC, added_at",
        (chain_key,),
    ).fetchall()
    return [
        KnownDeployment(_deployment(row["info"]), row["model_file"], bool(row["is_default"]), row["vocab_file"])
        for row in rows
    ]


def _deployment(info: str) -> Deployment:
    raw = json.loads(info)
    raw["classifications"] = tuple(raw["classifications"])
    return Deployment(**raw)
