"""Chart series against hand-computed values, and the mirror rebuilt from the store against the chain."""

from __future__ import annotations

import json

import numpy as np
import pytest
from eth_utils import to_checksum_address

from dacwallet.ml.mirrors import Batch, SparsePerceptronMirror
from dacwallet.store.db import open_database
from dacwallet.sync.events import StoredEvent
from dacwallet.sync.indexer import Indexer
from dacwallet.sync.mirror import rebuild_mirror
from dacwallet.sync.series import chart_series, pending_refunds
from tests.support.models import sparse_perceptron
from tests.support.trainer import TrainerClient
from tests.sync.support import CHAIN_KEY, deploy_small

ETH = 10**18


def block_time(chain, receipt) -> int:
    return chain.w3.eth.get_block(receipt["blockNumber"])["timestamp"]


def test_series_match_the_hand_computed_story(chain, tmp_path) -> None:
    deployment = deploy_small(chain)
    client = TrainerClient(chain, deployment)
    chain.advance(3_600)
    a = client.add(1, [0, 1], 1)
    b = client.add(2, [8, 9], 1)
    chain.advance(700)
    refund_time = block_time(chain, client.refund(1, a))
    report_time = block_time(chain, client.report(1, b))
    conn = open_database(tmp_path)
    Indexer(chain.w3, conn, CHAIN_KEY, deployment).sync()
    me, other = chain.accounts[1].address, chain.accounts[2].address

    charts = chart_series(conn, CHAIN_KEY, deployment.trainer, me)

    times = [a.time, b.time, refund_time, report_time]
    assert charts.pool_balance.times.tolist() == times
    np.testing.assert_allclose(charts.pool_balance.values, [a.cost / ETH, (a.cost + b.cost) / ETH, b.cost / ETH, 0])
    np.testing.assert_allclose(charts.deposit_costs.values, [a.cost / ETH, b.cost / ETH])
    assert charts.contributions.values.tolist() == [1, 2] and charts.contributions.times.tolist() == times[:2]
    assert charts.reputation.times.tolist() == [refund_time]
    assert (charts.reputation.num_valid.tolist(), charts.reputation.score.tolist()) == ([1], [1.0])
    assert charts.pending_refunds.times.tolist() == [a.time, refund_time]
    assert charts.pending_refunds.count.tolist() == [1, 0]
    np.testing.assert_allclose(charts.pending_refunds.ether, [a.cost / ETH, 0])
    others = chart_series(conn, CHAIN_KEY, deployment.trainer, other)
    assert others.reputation.num_valid.tolist() == [0] and others.reputation.score.tolist() == [0.0]
    assert others.pending_refunds.count.tolist() == [1, 0]  # the report took all of b
    assert charts.prequential_accuracy is None


def test_a_partial_report_leaves_a_contribution_pending() -> None:
    key = b"k" * 32
    me = to_checksum_address("0x" + "11" * 20)
    events = [
        StoredEvent(1, 0, 10, "add", me, 3 * ETH, key, me),
        StoredEvent(2, 0, 20, "report", "0x" + "22" * 20, ETH, key, me),
        StoredEvent(3, 0, 30, "report", "0x" + "33" * 20, 2 * ETH, None, None),  # unknown claim: ignored
        StoredEvent(4, 0, 40, "report", "0x" + "33" * 20, 2 * ETH, key, me),
    ]
    pending = pending_refunds(events, me)
    assert pending.times.tolist() == [10, 20, 40]
    assert pending.count.tolist() == [1, 1, 0]
    np.testing.assert_allclose(pending.ether, [3, 2, 0])


@pytest.mark.parametrize("with_evaluation", [False, True])
def test_the_rebuilt_mirror_predicts_what_the_chain_predicts(chain, tmp_path, with_evaluation) -> None:
    deployment = deploy_small(chain)
    client = TrainerClient(chain, deployment)
    rng = np.random.default_rng(7)
    for i in range(12):
        data = sorted({int(x) for x in rng.integers(0, 12, size=3)})  # 10, 11 are unknown features
        client.add(1 + i % 4, data, int(rng.integers(0, 2)))
    conn = open_database(tmp_path)
    Indexer(chain.w3, conn, CHAIN_KEY, deployment).sync()
    spec = sparse_perceptron()
    fresh = SparsePerceptronMirror(spec.weights, spec.intercept, spec.learning_rate)
    sample = [[i] for i in range(12)] + [sorted({int(x) for x in rng.integers(0, 12, size=4)}) for _ in range(20)]
    evaluation = Batch.from_lists(sample, [client.predict(s) for s in sample]) if with_evaluation else None

    rebuilt = rebuild_mirror(conn, CHAIN_KEY, deployment.trainer, fresh, evaluation=evaluation, every=5)

    assert [rebuilt.mirror.predict(s) for s in sample] == [client.predict(s) for s in sample]
    assert len(rebuilt.correct_before) == 12 and rebuilt.reverted == []
    plain = SparsePerceptronMirror(spec.weights, spec.intercept, spec.learning_rate)
    rows = conn.execute("SELECT data, label FROM sync_contributions ORDER BY block_number, log_index").fetchall()
    stored = Batch.from_lists([json.loads(r[0]) for r in rows], [r[1] for r in rows])
    assert rebuilt.correct_before.tolist() == plain.replay(stored).correct_before.tolist()
    charts = chart_series(conn, CHAIN_KEY, deployment.trainer, chain.accounts[1].address, rebuilt)
    assert len(charts.prequential_accuracy) == 12
    if with_evaluation:
        assert charts.evaluation_accuracy.values[-1] == 1.0  # the labels are the chain's own predictions
        assert charts.evaluation_accuracy.times.tolist() == rebuilt.timestamps[[0, 4, 9, 11]].tolist()
