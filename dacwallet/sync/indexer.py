"""The indexer: copies a deployment's AddData / Refund / Report events into SQLite.

It resumes from a cursor per (chain, entry point), pages eth_getLogs with a block
range that halves when the node refuses and grows back after successes, and
rolls back when the chain reorganised under what it had indexed. Each page is
written in one SQLite transaction together with its cursor move.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar, cast

from eth_typing import Hash32
from eth_utils import to_checksum_address
from web3 import Web3
from web3.exceptions import BlockNotFound

from dacwallet.contracts.deployment import Deployment
from dacwallet.errors import ChainError
from dacwallet.gil import share_gil
from dacwallet.store.db import transaction
from dacwallet.sync.batch import read_many
from dacwallet.sync.decode import EVENT_TOPICS, Claim, Contribution, MalformedLog, claimed_contribution, decode_log
from dacwallet.sync.retry import RangeTooLarge, RetryingCaller, RetryPolicy
from dacwallet.sync.schema import ensure_schema

ProgressCallback = Callable[[int, int], None]
# Start at one block and let the range grow (at once while pages are nearly empty, so a sparse public chain
# reaches MAX_RANGE in about 17 pages): a dense chain (a dev node with hundreds of our events a block) must
# not answer with one huge response, whose JSON parse holds the GIL and stalls the GUI.
INITIAL_RANGE = 1
# A page with more events than this halves the range; growth stops at half of it.
PAGE_EVENTS_TARGET = 500
MAX_RANGE = 100_000
GROW_AFTER = 2  # successful pages in a row before the range doubles again
MAX_REORG_RETRIES = 10

T = TypeVar("T")


class _Reorged(Exception):
    """The chain changed while a page was read; read it again."""


@dataclass
class SyncReport:
    """What one ``sync`` did. ``last_block`` is the cursor afterwards (every block up to it is indexed)."""

    first_block: int
    last_block: int
    head: int
    pages: int = 0
    contributions: int = 0
    claims: int = 0
    skipped: int = 0  # logs with an event topic that did not decode
    rolled_back_blocks: int = 0
    retries: int = 0
    range_shrinks: int = 0
    stopped: bool = False
    seconds: float = 0.0


@dataclass
class _Page:
    last: int
    last_hash: bytes
    contributions: list[tuple[Any, ...]] = field(default_factory=list)
    claims: list[tuple[Any, ...]] = field(default_factory=list)
    blocks: dict[int, bytes] = field(default_factory=dict)
    skipped: int = 0


class Indexer:
    """Indexes one deployment on one chain into ``conn`` (a connection from ``open_database``).

    ``chain_key`` names the chain (chain id + genesis hash); ``start_block`` is where the
    deployment's history begins (0 when unknown); ``confirmations`` keeps that many recent
    blocks out of the index on chains that reorganise often.
    """

    def __init__(
        self,
        w3: Web3,
        conn: sqlite3.Connection,
        chain_key: str,
        deployment: Deployment,
        *,
        start_block: int = 0,
        confirmations: int = 0,
        initial_range: int = INITIAL_RANGE,
        max_range: int = MAX_RANGE,
        page_events_target: int = PAGE_EVENTS_TARGET,
        retry: RetryPolicy | None = None,
    ) -> None:
        ensure_schema(conn)
        self.w3 = w3
        self.conn = conn
        self.chain_key = chain_key
        self.trainer = to_checksum_address(deployment.trainer)
        self.incentive = to_checksum_address(deployment.incentive_mechanism)
        self.start_block = start_block
        self.confirmations = confirmations
        self.block_range = max(1, initial_range)
        self.max_range = max(self.block_range, max_range)
        self.page_events_target = page_events_target
        self._caller = RetryingCaller(retry or RetryPolicy())
        self._scope = (chain_key, self.trainer)
        self._addresses = sorted({self.trainer, self.incentive})
        self._topics = [Hash32(topic) for topic in EVENT_TOPICS]

    @property
    def cursor(self) -> int:
        """The last indexed block (``start_block - 1`` before the first page)."""
        row = self.conn.execute(
            "SELECT last_block FROM sync_cursors WHERE chain_key = ? AND trainer = ?", self._scope
        ).fetchone()
        return self.start_block - 1 if row is None else row[0]

    def sync(
        self,
        to_block: int | None = None,
        on_progress: ProgressCallback | None = None,
        should_stop: Callable[[], bool] | None = None,
    ) -> SyncReport:
        """Indexes up to ``to_block`` (default: the head minus ``confirmations``).

        ``on_progress(blocks_done, blocks_total)`` follows every page; ``should_stop()`` is asked
        before each page and ends the run early (the report says ``stopped``). Raises ChainError
        when the node keeps failing; the pages written so far stay, so the next sync resumes.
        """
        started = time.monotonic()
        retries_before = self._caller.retries
        latest = self._call("asking the node for its latest block", lambda: self.w3.eth.block_number)
        head = latest - self.confirmations if to_block is None else min(to_block, latest)
        origin = self.cursor
        report = SyncReport(first_block=origin + 1, last_block=origin, head=head)
        grown_after, reorged = 0, 0
        try:
            while True:
                report.rolled_back_blocks += self._rewind_if_reorged()
                cursor = self.cursor
                if cursor >= head:
                    break
                if should_stop is not None and should_stop():
                    report.stopped = True
                    break
                last = min(head, cursor + self.block_range)
                try:
                    page = self._fetch(cursor + 1, last)
                except RangeTooLarge:
                    self.block_range = max(1, (last - cursor) // 2)
                    report.range_shrinks += 1
                    grown_after = 0
                    continue
                except _Reorged:
                    reorged += 1
                    if reorged > MAX_REORG_RETRIES:
                        raise ChainError("The chain keeps reorganising under the indexer; try again later.") from None
                    continue
                self._write(page)
                report.pages += 1
                report.contributions += len(page.contributions)
                report.claims += len(page.claims)
                report.skipped += page.skipped
                events = len(page.contributions) + len(page.claims) + page.skipped
                if events > self.page_events_target:
                    self.block_range = max(1, (last - cursor) // 2)
                    grown_after = 0
                elif events <= self.page_events_target // 8:  # nearly empty: double at once
                    self.block_range = min(self.max_range, self.block_range * 2)
                    grown_after = 0
                elif events <= self.page_events_target // 2:
                    grown_after += 1
                    if grown_after >= GROW_AFTER:
                        self.block_range = min(self.max_range, self.block_range * 2)
                        grown_after = 0
                if on_progress is not None:
                    on_progress(max(0, last - origin), max(0, head - origin))
        finally:
            report.last_block = self.cursor
            report.retries = self._caller.retries - retries_before
            report.seconds = time.monotonic() - started
        return report

    # -- reading a page -------------------------------------------------------------------------

    def _fetch(self, first: int, last: int) -> _Page:
        last_hash = self._hash_of(last)
        if last_hash is None:
            raise _Reorged
        logs = self._caller.call(
            f"reading the events of blocks {first}-{last}",
            lambda: self.w3.eth.get_logs(
                {
                    "fromBlock": first,
                    "toBlock": last,
                    "address": self._addresses,
                    "topics": [self._topics],
                }
            ),
            splittable=last > first,
        )
        page = _Page(last, last_hash)
        times: dict[int, int] = {}
        found: list[tuple[tuple[Any, ...], Contribution | Claim]] = []
        for log in logs:
            share_gil()
            number, block_hash = int(log["blockNumber"]), bytes(log["blockHash"])
            if page.blocks.setdefault(number, block_hash) != block_hash or (number == last and block_hash != last_hash):
                raise _Reorged
            try:
                event = decode_log(log, self.trainer, self.incentive)
            except MalformedLog:
                page.skipped += 1
                continue
            # Newer nodes stamp each log with its block's time; web3's LogReceipt does not know the field yet.
            stamp = cast(Mapping[str, Any], log).get("blockTimestamp")
            if stamp is not None:
                times[number] = _as_int(stamp)
            found.append(((number, int(log["logIndex"]), block_hash, bytes(log["transactionHash"])), event))
        for number in {meta[0] for meta, _ in found} - times.keys():
            times[number] = self._timestamp(number, page.blocks[number])
        claimed = self._claimed_contributions([meta[3] for meta, event in found if isinstance(event, Claim)])
        for meta, event in found:
            share_gil()
            number, log_index, block_hash, tx_hash = meta
            head = (*self._scope, number, log_index, block_hash, tx_hash, times[number])
            if isinstance(event, Contribution):
                page.contributions.append(
                    (
                        *head,
                        json.dumps(event.data, separators=(",", ":")),
                        event.label,
                        event.added_time,
                        event.sender,
                        str(event.cost),
                        event.key,
                    )
                )
            else:
                author, key = claimed[tx_hash] or (None, None)
                page.claims.append((*head, event.kind, event.recipient, str(event.amount), key, author))
        if self._hash_of(last) != last_hash:
            raise _Reorged
        return page

    def _claimed_contributions(self, tx_hashes: list[bytes]) -> dict[bytes, tuple[str, bytes] | None]:
        """(author, key) claimed by each transaction: thousands of refunds cost a few batched round trips."""
        unique = list(dict.fromkeys(tx_hashes))
        txs = read_many(
            self._caller,
            self.w3,
            "reading the claim transactions",
            [partial(self.w3.eth.get_transaction, Hash32(h)) for h in unique],
            matches=lambda i, tx: bytes(tx["hash"]) == unique[i],
        )
        return {h: claimed_contribution(tx, self.trainer) for h, tx in zip(unique, txs, strict=True)}

    def _timestamp(self, number: int, expected_hash: bytes) -> int:
        block = self._call(f"reading block {number}", lambda: self.w3.eth.get_block(number))
        if bytes(block["hash"]) != expected_hash:
            raise _Reorged
        return int(block["timestamp"])

    def _hash_of(self, number: int) -> bytes | None:
        def read() -> bytes | None:
            try:
                return bytes(self.w3.eth.get_block(number)["hash"])
            except BlockNotFound:
                return None

        return self._call(f"reading block {number}", read)

    def _call(self, what: str, fn: Callable[[], T]) -> T:
        return self._caller.call(what, fn)

    # -- writing ----------------------------------------------------------------------------------

    def _write(self, page: _Page) -> None:
        blocks = {**page.blocks, page.last: page.last_hash}
        with transaction(self.conn) as conn:
            conn.executemany("INSERT INTO sync_contributions VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", page.contributions)
            conn.executemany("INSERT INTO sync_claims VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", page.claims)
            conn.executemany(
                "INSERT OR REPLACE INTO sync_blocks VALUES (?,?,?,?)",
                [(*self._scope, number, block_hash) for number, block_hash in blocks.items()],
            )
            self._move_cursor(conn, page.last)

    def _move_cursor(self, conn: sqlite3.Connection, last_block: int) -> None:
        conn.execute(
            "INSERT INTO sync_cursors VALUES (?,?,?) ON CONFLICT (chain_key, trainer)"
            " DO UPDATE SET last_block = excluded.last_block",
            (*self._scope, last_block),
        )

    # -- reorganisations --------------------------------------------------------------------------

    def _rewind_if_reorged(self) -> int:
        """Blocks rolled back (0 when the last indexed block is still on the chain)."""
        cursor = self.cursor
        row = self.conn.execute(
            "SELECT hash FROM sync_blocks WHERE chain_key = ? AND trainer = ? AND number = ?", (*self._scope, cursor)
        ).fetchone()
        if row is None or self._hash_of(cursor) == bytes(row[0]):
            return 0
        stored = self.conn.execute(
            "SELECT number, hash FROM sync_blocks WHERE chain_key = ? AND trainer = ? AND number < ? ORDER BY number",
            (*self._scope, cursor),
        ).fetchall()
        ancestor = self._last_matching([(number, bytes(h)) for number, h in stored])
        with transaction(self.conn) as conn:
            for table, column in (
                ("sync_contributions", "block_number"),
                ("sync_claims", "block_number"),
                ("sync_blocks", "number"),
            ):
                conn.execute(
                    f"DELETE FROM {table} WHERE chain_key = ? AND trainer = ? AND {column} > ?",
                    (*self._scope, ancestor),
                )
            self._move_cursor(conn, ancestor)
        return cursor - ancestor

    def _last_matching(self, stored: list[tuple[int, bytes]]) -> int:
        """The highest stored block still on the chain: gallop down from the top, then bisect.

        Hashes match below the fork and differ above it, so the first match bounds the search.
        """

        def matches(i: int) -> bool:
            return self._hash_of(stored[i][0]) == stored[i][1]

        good, bad, step = -1, len(stored), 1
        while bad - step >= 0:
            if matches(bad - step):
                good = bad - step
                break
            bad -= step
            step *= 2
        while bad - good > 1:
            middle = (good + bad) // 2
            if matches(middle):
                good = middle
            else:
                bad = middle
        return stored[good][0] if good >= 0 else self.start_block - 1


def _as_int(value: Any) -> int:
    return int(value, 16) if isinstance(value, str) else int(value)
