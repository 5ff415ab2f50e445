"""The indexer against a real anvil node: the whole flow, a reorganisation, a hostile contract's logs."""

from __future__ import annotations

import dataclasses

import pytest

from dacwallet.store.db import open_database
from dacwallet.sync.indexer import Indexer
from dacwallet.sync.keys import contribution_key
from tests.support.trainer import TrainerClient
from tests.sync.support import ADD_DATA_TOPIC, CHAIN_KEY, HOSTILE_RUNTIME, deploy_small

pytestmark = pytest.mark.anvil


@pytest.fixture(scope="module")
def stack(anvil):
    return anvil, deploy_small(anvil)


def keys_of(conn, table):
    return [
        bytes(r[0]) if r[0] is not None else None
        for r in conn.execute(f"SELECT contribution_key FROM {table} ORDER BY block_number, log_index")
    ]


def test_contributions_refunds_and_reports(stack, tmp_path) -> None:
    chain, deployment = stack
    client = TrainerClient(chain, deployment)
    agreed = client.add(1, [0, 2], 1)
    disputed = client.add(2, [7, 8], 1)
    chain.advance(700)
    client.refund(1, agreed)
    client.report(1, disputed)
    conn = open_database(tmp_path)
    report = Indexer(chain.w3, conn, CHAIN_KEY, deployment).sync()
    expected = [contribution_key(a.data, a.label, a.time, a.author) for a in (agreed, disputed)]
    assert keys_of(conn, "sync_contributions")[-2:] == expected
    assert keys_of(conn, "sync_claims")[-2:] == expected
    # anvil puts blockTimestamp in its logs: the stored times are the blocks' own.
    stored = conn.execute("SELECT timestamp, added_time FROM sync_contributions").fetchall()
    assert all(t == added for t, added in stored)
    assert report.skipped == 0


def test_a_reorganisation_drops_orphaned_events_and_indexes_the_new_ones(stack, tmp_path) -> None:
    chain, deployment = stack
    client = TrainerClient(chain, deployment)
    conn = open_database(tmp_path)
    indexer = Indexer(chain.w3, conn, CHAIN_KEY, deployment)
    indexer.sync()
    fork_point = chain.w3.eth.block_number
    chain.snapshot()
    orphans = [client.add(1, [1], 1), client.add(2, [3, 4], 0)]
    chain.advance(5)
    indexer.sync()
    chain.revert()
    replacements = [client.add(3, [6], 0), client.add(3, [0], 1), client.add(4, [9], 0)]  # a longer fork

    report = indexer.sync()

    assert report.rolled_back_blocks == 3 and indexer.cursor == chain.w3.eth.block_number
    keys = keys_of(conn, "sync_contributions")
    assert not {contribution_key(a.data, a.label, a.time, a.author) for a in orphans} & set(keys)
    assert keys[-3:] == [contribution_key(a.data, a.label, a.time, a.author) for a in replacements]
    assert (
        conn.execute(
            "SELECT MIN(block_number) FROM sync_contributions WHERE block_number > ?", (fork_point,)
        ).fetchone()[0]
        == fork_point + 1
    )
    hashes = dict(conn.execute("SELECT number, hash FROM sync_blocks"))
    assert all(bytes(h) == bytes(chain.w3.eth.get_block(n)["hash"]) for n, h in hashes.items())


def test_garbage_under_the_add_data_topic_is_skipped(stack, tmp_path) -> None:
    chain, deployment = stack
    hostile = chain.w3.to_checksum_address("0x" + "ba" * 20)
    chain.w3.provider.make_request("anvil_setCode", [hostile, "0x" + HOSTILE_RUNTIME.hex()])
    sender = chain.sender(5)
    empty = b"".join(n.to_bytes(32, "big") for n in (128, 0, 1, 0, 0))  # well-formed, no data
    for junk in (b"\xff" * 7, empty, b"\x01" * 321):
        sender.transact(
            {"to": hostile, "data": "0x" + (ADD_DATA_TOPIC + junk).hex(), "gas": 100_000}, action="Emitting junk"
        )
    client = TrainerClient(chain, deployment)
    client.add(5, [4], 1)
    # Index the hostile address as if it were the entry point, beside the real one's events.
    conn = open_database(tmp_path)
    first = chain.w3.eth.block_number - 3
    fake = dataclasses.replace(deployment, trainer=hostile)
    report = Indexer(chain.w3, conn, CHAIN_KEY, fake, start_block=first).sync()
    # The empty contribution is well-formed; the other two payloads are junk. The real AddData
    # comes from an address that is now the "incentive mechanism", which does not emit AddData.
    assert (report.contributions, report.skipped) == (1, 3)
