"""The indexer on the embedded revm chain: what it stores, resuming, progress and stop, hostile logs."""

from __future__ import annotations

import dataclasses
import json

import pytest
from eth_utils import keccak

from dacwallet.store.db import open_database
from dacwallet.sync.indexer import Indexer
from dacwallet.sync.keys import contribution_key
from tests.support.raw_contracts import deploy_raw, load_test_artifact, transact
from tests.support.trainer import TrainerClient
from tests.sync.support import ADD_DATA_TOPIC, CHAIN_KEY, HOSTILE_INIT, WAITS, deploy_small, dump


@pytest.fixture
def store(tmp_path):
    conn = open_database(tmp_path)
    yield conn
    conn.close()


def test_contributions_refunds_and_reports_are_stored_with_the_contracts_keys(chain, store) -> None:
    deployment = deploy_small(chain)
    client = TrainerClient(chain, deployment)
    chain.advance(3_600)
    agreed = client.add(1, [0, 1], 1)
    disputed = client.add(2, [8, 9], 1)  # the model says 0, and one update does not change its mind
    abi, bytecode = load_test_artifact("ReentrantContributor")
    proxy = deploy_raw(chain.sender(3), abi, bytecode, [deployment.trainer])
    transact(chain.sender(3), proxy, "contribute", [[2, 3], 1], value=client.cost())
    via_proxy = client.events.AddData().get_logs(from_block=0)[-1]["args"]
    chain.advance(700)
    client.refund(1, agreed)
    client.report(1, disputed)
    transact(chain.sender(3), proxy, "claimRefund", [[2, 3], 1, via_proxy["t"]])

    report = Indexer(chain.w3, store, CHAIN_KEY, deployment).sync()

    assert (report.contributions, report.claims, report.skipped) == (3, 3, 0)
    rows = store.execute(
        "SELECT data, label, added_time, sender, cost, contribution_key FROM sync_contributions"
        " ORDER BY block_number, log_index"
    ).fetchall()
    assert [(r[0], r[1], r[3], int(r[4])) for r in rows] == [
        ("[0,1]", 1, agreed.author, agreed.cost),
        ("[8,9]", 1, disputed.author, disputed.cost),
        ("[2,3]", 1, proxy.address, via_proxy["cost"]),
    ]
    for data, label, added_time, sender, cost, key in rows:
        assert key == contribution_key(json.loads(data), label, added_time, sender)
        # The contract finds its record under the same key.
        assert client.trainer.functions.addedData(key).call()[3] == int(cost)
    claims = store.execute(
        "SELECT kind, recipient, amount, contribution_key, author FROM sync_claims ORDER BY block_number, log_index"
    ).fetchall()
    assert [tuple(c) for c in claims] == [
        ("refund", agreed.author, str(agreed.cost), rows[0][5], agreed.author),
        ("report", agreed.author, str(disputed.cost), rows[1][5], disputed.author),
        ("refund", proxy.address, str(via_proxy["cost"]), None, None),  # claimed through a contract
    ]


def test_points_events_are_stored_with_no_amount(chain, store) -> None:
    deployment = deploy_small(chain, dataclasses.replace(WAITS, kind="points"))
    client = TrainerClient(chain, deployment)
    added = client.add(1, [0], 1, value=0)
    chain.advance(700)
    client.refund(1, added)
    Indexer(chain.w3, store, CHAIN_KEY, deployment).sync()
    assert [tuple(r) for r in store.execute("SELECT kind, amount, author FROM sync_claims")] == [
        ("refund", "0", added.author)
    ]
    assert store.execute("SELECT cost FROM sync_contributions").fetchone()[0] == "0"


def test_resumes_from_its_cursor_after_the_database_is_reopened(chain, tmp_path) -> None:
    deployment = deploy_small(chain)
    client = TrainerClient(chain, deployment)
    first = client.add(1, [0, 1], 1)
    conn = open_database(tmp_path / "a")
    report = Indexer(chain.w3, conn, CHAIN_KEY, deployment).sync()
    assert report.contributions == 1
    conn.close()
    client.add(2, [3], 0)
    chain.advance(700)
    client.refund(1, first)

    conn = open_database(tmp_path / "a")
    again = Indexer(chain.w3, conn, CHAIN_KEY, deployment).sync()
    assert (again.first_block, again.contributions, again.claims) == (report.last_block + 1, 1, 1)
    assert Indexer(chain.w3, conn, CHAIN_KEY, deployment).sync().pages == 0
    clean = open_database(tmp_path / "b")
    Indexer(chain.w3, clean, CHAIN_KEY, deployment, initial_range=1).sync()
    assert dump(conn)["sync_contributions"] == dump(clean)["sync_contributions"]
    assert dump(conn)["sync_claims"] == dump(clean)["sync_claims"]


def test_reports_progress_and_stops_when_asked(chain, store) -> None:
    deployment = deploy_small(chain)
    client = TrainerClient(chain, deployment)
    for i in range(4):
        client.add(1, [i], 1)
    head = chain.w3.eth.block_number
    progress: list[tuple[int, int]] = []
    indexer = Indexer(chain.w3, store, CHAIN_KEY, deployment, initial_range=2, max_range=2)
    report = indexer.sync(
        on_progress=lambda done, total: progress.append((done, total)), should_stop=lambda: len(progress) == 3
    )
    assert report.stopped and report.pages == 3 and indexer.cursor == 5
    assert progress == [(2, head + 1), (4, head + 1), (6, head + 1)]
    rest = indexer.sync()
    assert not rest.stopped and rest.last_block == head
    assert store.execute("SELECT COUNT(*) FROM sync_contributions").fetchone()[0] == 4


def test_malformed_logs_from_a_hostile_contract_are_skipped_and_counted(chain, store) -> None:
    sender = chain.sender(1)
    hostile = sender.transact({"data": "0x" + HOSTILE_INIT.hex()}, action="Deploying")["contractAddress"]
    word = lambda n: n.to_bytes(32, "big")  # noqa: E731
    valid = word(128) + word(1) + word(7) + word(5) + word(1) + (-3).to_bytes(32, "big", signed=True)
    payloads = [
        b"",  # no data at all
        valid[:100],  # cut short
        word(96) + valid[32:],  # wrong offset
        valid + word(0),  # trailing bytes
        valid[:160] + b"\x01" + valid[161:],  # element not a sign-extended int64
        word(128) + word(2**63) + valid[64:],  # label beyond int64
        word(128) + word(1) + word(7) + word(5) + word(2**200),  # absurd length
        valid,
    ]
    for payload in payloads:
        sender.transact(
            {"to": hostile, "data": "0x" + (ADD_DATA_TOPIC + payload).hex(), "gas": 100_000}, action="Emitting"
        )
    refund_topic = keccak(text="Refund(address,uint256)")
    sender.transact(
        {"to": hostile, "data": "0x" + (refund_topic + word(1)).hex(), "gas": 100_000}, action="Emitting"
    )  # one word short (and the caller sits in topic1: still decodes)
    sender.transact(
        {"to": hostile, "data": "0x" + (refund_topic + word(2**255) + word(1)).hex(), "gas": 100_000}, action="Emitting"
    )
    deployment = dataclasses.replace(deploy_small(chain), trainer=hostile, incentive_mechanism=hostile)

    report = Indexer(chain.w3, store, CHAIN_KEY, deployment).sync()

    assert (report.contributions, report.claims, report.skipped) == (
        1,
        1,
        len(payloads) - 1 + 1,
    )  # bad AddData payloads + the long Refund
    assert tuple(store.execute("SELECT data, label, added_time, cost FROM sync_contributions").fetchone()) == (
        "[-3]",
        1,
        7,
        "5",
    )
    assert tuple(store.execute("SELECT recipient, amount FROM sync_claims").fetchone()) == (sender.address, "1")


def test_a_dense_page_halves_the_range_so_no_response_grows_huge(chain, tmp_path) -> None:
    """Many events per page shrink the range (a huge getLogs answer is parsed holding the GIL: GUI stalls)."""
    deployment = deploy_small(chain)
    client = TrainerClient(chain, deployment)
    for i in range(12):
        client.add(1 + i % 3, [i % 10], 1)
    dense = open_database(tmp_path / "dense")
    indexer = Indexer(chain.w3, dense, CHAIN_KEY, deployment, page_events_target=4)
    report = indexer.sync()
    assert report.contributions == 12 and report.pages >= 12 // 8
    assert indexer.block_range <= 8  # never grew into pages of more than twice the target
    clean = open_database(tmp_path / "clean")
    Indexer(chain.w3, clean, CHAIN_KEY, deployment, initial_range=1).sync()
    assert dump(dense)["sync_contributions"] == dump(clean)["sync_contributions"]
