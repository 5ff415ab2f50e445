"""eth_getLogs served from an SQLite index instead of a scan of every block.

Rows are written with the block they belong to (same transaction, see
ChainStore.commit); queries use the (address, block) or (topic0, block) index,
so their cost follows the number of matching logs, not the chain length.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from dacwallet.chain.rpc_format import hex_int
from dacwallet.chain.wire import Receipt, Transaction

TOPIC_COLUMNS = ("topic0", "topic1", "topic2", "topic3")
# block, log_index, tx_index, tx_hash, block_hash, address, topic0..topic3 (NULL when absent), data
LogRow = tuple[int, int, int, bytes, bytes, bytes, bytes | None, bytes | None, bytes | None, bytes | None, bytes]


@dataclass(frozen=True)
class LogFilter:
    """A decoded eth_getLogs filter; empty tuples mean "anything"."""

    from_block: int
    to_block: int
    addresses: tuple[bytes, ...] = ()
    # One entry per topic position: the accepted values (empty = wildcard).
    topics: tuple[tuple[bytes, ...], ...] = ()


def log_rows(
    block_number: int,
    block_hash: bytes,
    transactions: Sequence[Transaction],
    receipts: Sequence[Receipt],
) -> Iterator[tuple[object, ...]]:
    """The logs table rows of one block, in block-wide log order."""
    log_index = 0
    for tx_index, (tx, receipt) in enumerate(zip(transactions, receipts, strict=True)):
        for log in receipt.logs:
            topics: list[bytes | None] = [*log.topics, *[None] * (4 - len(log.topics))]
            yield (block_number, log_index, tx_index, tx.hash, block_hash, log.address, *topics, log.data)
            log_index += 1


def query_logs(conn: sqlite3.Connection, log_filter: LogFilter) -> list[dict[str, object]]:
    """The matching logs as JSON-RPC log objects, in chain order."""
    if len(log_filter.topics) > 4:
        return []
    where = ["block BETWEEN ? AND ?"]
    args: list[object] = [log_filter.from_block, log_filter.to_block]
    if log_filter.addresses:
        where.append(f"address IN ({','.join('?' * len(log_filter.addresses))})")
        args.extend(log_filter.addresses)
    for column, accepted in zip(TOPIC_COLUMNS, log_filter.topics, strict=False):
        if accepted:
            where.append(f"{column} IN ({','.join('?' * len(accepted))})")
            args.extend(accepted)
    sql = (
        "SELECT block, log_index, tx_index, tx_hash, block_hash, address,"
        " topic0, topic1, topic2, topic3, data FROM logs"
        f" WHERE {' AND '.join(where)} ORDER BY block, log_index"
    )
    return [_as_rpc(row) for row in conn.execute(sql, args)]


def _as_rpc(row: LogRow) -> dict[str, object]:
    block, log_index, tx_index, tx_hash, block_hash, address, *topics, data = row
    return {
        "address": "0x" + address.hex(),
        "topics": ["0x" + topic.hex() for topic in topics if topic is not None],
        "data": "0x" + data.hex(),
        "blockNumber": hex_int(block),
        "blockHash": "0x" + block_hash.hex(),
        "transactionHash": "0x" + tx_hash.hex(),
        "transactionIndex": hex_int(tx_index),
        "logIndex": hex_int(log_index),
        "removed": False,
    }
