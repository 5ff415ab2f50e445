"""Reading the indexed events back, in chain order."""

from __future__ import annotations

import json
import sqlite3
from typing import NamedTuple

import numpy as np
from eth_utils import to_checksum_address

from dacwallet.ml.mirrors import Batch
from dacwallet.sync.schema import ensure_schema


class StoredEvent(NamedTuple):
    """One indexed event; ``kind`` is 'add', 'refund' or 'report'; ``party`` the sender or recipient."""

    block_number: int
    log_index: int
    timestamp: int
    kind: str
    party: str
    amount: int  # wei: the deposit for 'add', the payout for claims
    contribution_key: bytes | None
    author: str | None


_EVENTS_SQL = """
SELECT block_number, log_index, timestamp, 'add', sender, cost, contribution_key, sender
  FROM sync_contributions WHERE chain_key = ? AND trainer = ?
UNION ALL
SELECT block_number, log_index, timestamp, kind, recipient, amount, contribution_key, author
  FROM sync_claims WHERE chain_key = ? AND trainer = ?
ORDER BY 1, 2
"""


def read_events(conn: sqlite3.Connection, chain_key: str, trainer: str) -> list[StoredEvent]:
    """Every indexed contribution and claim of ``trainer`` on ``chain_key``, in chain order."""
    ensure_schema(conn)
    trainer = to_checksum_address(trainer)
    rows = conn.execute(_EVENTS_SQL, (chain_key, trainer, chain_key, trainer))
    return [
        StoredEvent(b, i, t, kind, party, int(amount), None if key is None else bytes(key), author)
        for b, i, t, kind, party, amount, key, author in rows
    ]


def read_contributions(
    conn: sqlite3.Connection, chain_key: str, trainer: str, after: tuple[int, int] = (-1, -1)
) -> tuple[Batch, np.ndarray]:
    """(data and labels of every contribution as a Batch, their block timestamps), in chain order;
    only those after ``after`` = (block, log index) when given."""
    ensure_schema(conn)
    trainer = to_checksum_address(trainer)
    rows = conn.execute(
        "SELECT data, label, timestamp FROM sync_contributions WHERE chain_key = ? AND trainer = ?"
        " AND (block_number, log_index) > (?, ?) ORDER BY block_number, log_index",
        (chain_key, trainer, *after),
    ).fetchall()
    # One json.loads over all rows is several times faster than one per row.
    data = json.loads("[" + ",".join(row[0] for row in rows) + "]")
    batch = Batch.from_lists(data, [row[1] for row in rows])
    return batch, np.array([row[2] for row in rows], dtype=np.int64)
