"""A node that refuses big ranges, rate-limits, times out and goes away: the store still ends up
exactly as a clean sync makes it, the range shrinks and grows back, and the waits are backoffs."""

from __future__ import annotations

import dataclasses

import pytest

from dacwallet.errors import ChainError
from dacwallet.store.db import open_database
from dacwallet.sync.indexer import Indexer
from tests.support.trainer import TrainerClient
from tests.sync.support import CHAIN_KEY, FaultInjector, RecordingSleep, deploy_small, dump, log_range


@pytest.fixture(scope="module")
def busy(module_chain):
    """A deployment with contributions spread over ~20 blocks, a refund and a report (read only)."""
    chain = module_chain
    deployment = deploy_small(chain)
    client = TrainerClient(chain, deployment)
    added = [client.add(1 + i % 3, [i % 10], 1) for i in range(12)]
    chain.advance(700)
    client.refund(1, added[0])
    client.report(1, added[5])  # feature 5 pushes negative: the model disagrees with label 1
    return chain, deployment


def clean_dump(chain, deployment, path):
    conn = open_database(path)
    Indexer(chain.w3, conn, CHAIN_KEY, deployment).sync()
    return dump(conn)


def test_range_errors_shrink_the_page_and_success_grows_it_back(busy, tmp_path) -> None:
    chain, deployment = busy
    asked: list[int] = []

    def rule(method, params, n):
        if method != "eth_getLogs":
            return None
        asked.append(log_range(params))
        return ("range" if n % 2 else "results") if asked[-1] > 3 else None

    injector = FaultInjector(chain.w3.provider, rule)
    sleep = RecordingSleep()
    try:
        indexer = Indexer(
            chain.w3, open_database(tmp_path / "a"), CHAIN_KEY, deployment, initial_range=64, retry=sleep.policy()
        )
        report = indexer.sync()
    finally:
        injector.remove()
    assert report.range_shrinks >= 4 and injector.faults["range"] and injector.faults["results"]
    assert asked[:6] == [20, 10, 5, 2, 4, 2]  # halves to what the node takes, then tries more again
    assert sleep.calls == []  # asking for less needs no waiting
    assert dump(indexer.conn) == clean_dump(chain, deployment, tmp_path / "b")


def test_rate_limits_and_timeouts_back_off_exponentially(busy, tmp_path) -> None:
    chain, deployment = busy
    faults = {
        ("eth_getBlockByNumber", 0): "429",
        ("eth_getBlockByNumber", 1): "429",
        ("eth_getBlockByNumber", 2): "429",
        ("eth_getLogs", 0): "timeout",
        ("eth_getTransactionByHash", 0): "timeout",
        ("eth_blockNumber", 0): "down",
    }
    injector = FaultInjector(chain.w3.provider, lambda method, params, n: faults.get((method, n)))
    sleep = RecordingSleep()
    try:
        indexer = Indexer(
            chain.w3, open_database(tmp_path / "a"), CHAIN_KEY, deployment, initial_range=64, retry=sleep.policy()
        )
        report = indexer.sync()
    finally:
        injector.remove()
    # The first getLogs timeout shrinks the range instead of waiting; everything else waits 0.25 * 2^k s.
    assert report.range_shrinks == 1
    assert sleep.calls == [0.25, 0.25, 0.5, 1.0, 0.25]
    assert report.retries == len(sleep.calls)
    assert dump(indexer.conn) == clean_dump(chain, deployment, tmp_path / "b")


def test_backoff_is_capped(busy, tmp_path) -> None:
    chain, deployment = busy
    injector = FaultInjector(chain.w3.provider, lambda method, params, n: "429" if n < 9 else None)
    sleep = RecordingSleep()
    try:
        Indexer(
            chain.w3,
            open_database(tmp_path),
            CHAIN_KEY,
            deployment,
            retry=dataclasses.replace(sleep.policy(attempts=12), max_delay_s=4.0),
        ).sync()
    finally:
        injector.remove()
    assert sleep.calls[:9] == [0.25, 0.5, 1.0, 2.0, 4.0, 4.0, 4.0, 4.0, 4.0]


def test_a_node_that_stays_down_gives_a_clear_error_and_the_next_sync_resumes(busy, tmp_path) -> None:
    chain, deployment = busy
    pages_before_outage = 2
    state = {"logs": 0}

    def rule(method, params, n):
        if method == "eth_getLogs":
            state["logs"] += 1
        return "down" if state["logs"] > pages_before_outage else None

    injector = FaultInjector(chain.w3.provider, rule)
    sleep = RecordingSleep()
    conn = open_database(tmp_path / "a")
    indexer = Indexer(chain.w3, conn, CHAIN_KEY, deployment, initial_range=4, max_range=4, retry=sleep.policy(5))
    try:
        with pytest.raises(ChainError) as caught:
            indexer.sync()
    finally:
        injector.remove()
    assert "cannot be reached" in caught.value.user_message and "sync again" in caught.value.user_message
    assert len(sleep.calls) == 4 and indexer.cursor == 4 * pages_before_outage - 1
    report = indexer.sync()  # the node is back
    assert report.first_block == 4 * pages_before_outage
    assert dump(conn) == clean_dump(chain, deployment, tmp_path / "b")
