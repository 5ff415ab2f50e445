"""Claim transactions read in JSON-RPC batches (real anvil over HTTP): the same rows as one request
each, and a batch answered in part, out of order or with an error is retried, never stored."""

from __future__ import annotations

import pytest

from dacwallet.errors import ChainError
from dacwallet.store.db import open_database
from dacwallet.sync import batch as batch_module
from dacwallet.sync.indexer import Indexer
from tests.support.trainer import TrainerClient
from tests.sync.support import CHAIN_KEY, RecordingSleep, deploy_small, dump

pytestmark = pytest.mark.anvil
CLAIMS = 7


@pytest.fixture(scope="module")
def claimed(anvil):
    """Six refunds and a report on anvil (read only)."""
    deployment = deploy_small(anvil)
    client = TrainerClient(anvil, deployment)
    added = []
    for i in range(CLAIMS - 1):
        added.append(client.add(1 + i % 3, [0, 2], 1))
        anvil.advance(1)  # the same data twice in one second would be refused
    disputed = client.add(2, [7, 8], 1)
    anvil.advance(700)
    for i, a in enumerate(added):
        client.refund(1 + i % 3, a)
    client.report(1, disputed)
    return anvil, deployment


class BatchTamper:
    """Wraps the HTTP provider's make_batch_request; ``mangle(n, responses)`` rewrites the n-th answer."""

    def __init__(self, provider, mangle) -> None:
        self.provider, self.mangle, self.sizes = provider, mangle, []
        self._real = provider.make_batch_request
        provider.make_batch_request = self
        provider._batch_request_func_cache = (None, None)  # web3 caches the function it first saw

    def __call__(self, requests):
        self.sizes.append(len(requests))
        return self.mangle(len(self.sizes) - 1, self._real(requests))

    def remove(self) -> None:
        self.provider.make_batch_request = self._real
        self.provider._batch_request_func_cache = (None, None)


def index(chain, deployment, path, **kwargs):
    indexer = Indexer(chain.w3, open_database(path), CHAIN_KEY, deployment, initial_range=10_000, **kwargs)
    return indexer, indexer.sync()


def one_by_one(chain, deployment, path, monkeypatch):
    with monkeypatch.context() as m:
        m.setattr(batch_module, "supports_batches", lambda w3: False)
        indexer, _ = index(chain, deployment, path)
    return dump(indexer.conn)


def test_claims_read_in_batches_give_the_same_rows_as_one_request_each(claimed, tmp_path, monkeypatch) -> None:
    chain, deployment = claimed
    monkeypatch.setattr(batch_module, "BATCH_SIZE", 3)
    tamper = BatchTamper(chain.w3.provider, lambda n, responses: responses)
    try:
        indexer, report = index(chain, deployment, tmp_path / "a")
    finally:
        tamper.remove()
    assert report.claims == CLAIMS and tamper.sizes == [3, 3]  # and the last one alone
    rows = dump(indexer.conn)
    assert all(row[-2] is not None for row in rows["sync_claims"])  # every claim's contribution key found
    assert rows == one_by_one(chain, deployment, tmp_path / "b", monkeypatch)


def test_a_batch_answered_in_part_out_of_order_or_with_an_error_is_retried(claimed, tmp_path, monkeypatch) -> None:
    chain, deployment = claimed

    def swap(responses):
        first, second = dict(responses[0]), dict(responses[1])
        first["result"], second["result"] = responses[1]["result"], responses[0]["result"]
        return [first, second, *responses[2:]]

    def fail_one(responses):
        broken = {"jsonrpc": "2.0", "id": responses[0]["id"], "error": {"code": -32000, "message": "busy"}}
        return [broken, *responses[1:]]

    faults = {0: lambda r: r[:-1], 1: swap, 2: fail_one}
    tamper = BatchTamper(chain.w3.provider, lambda n, responses: faults.get(n, lambda r: r)(responses))
    sleep = RecordingSleep()
    try:
        indexer, report = index(chain, deployment, tmp_path / "a", retry=sleep.policy())
    finally:
        tamper.remove()
    assert len(tamper.sizes) == 4 and report.retries == 3 and sleep.calls == [0.25, 0.5, 1.0]
    assert dump(indexer.conn) == one_by_one(chain, deployment, tmp_path / "b", monkeypatch)


def test_a_batch_that_stays_incomplete_fails_cleanly_and_stores_nothing_of_its_page(
    claimed, tmp_path, monkeypatch
) -> None:
    chain, deployment = claimed
    tamper = BatchTamper(chain.w3.provider, lambda n, responses: responses[:-1])
    sleep = RecordingSleep()
    try:
        with pytest.raises(ChainError, match="claim transactions"):
            index(chain, deployment, tmp_path, retry=sleep.policy(attempts=3))
    finally:
        tamper.remove()
    conn = open_database(tmp_path)
    assert conn.execute("SELECT COUNT(*) FROM sync_claims").fetchone()[0] == 0
    assert len(sleep.calls) == 2
    Indexer(chain.w3, conn, CHAIN_KEY, deployment).sync()  # the next healthy sync resumes and completes
    assert dump(conn) == one_by_one(chain, deployment, tmp_path / "b", monkeypatch)
