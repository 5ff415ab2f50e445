"""The ledger's cached replay: N events then M more equal a full replay; a reorganisation, another
deployment or a replay that raised replays it all again; a mirror handed out never changes."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dacwallet.ml.catalog import load_bundle
from dacwallet.ml.mirrors import Batch, SparsePerceptronMirror
from dacwallet.store.db import open_database
from dacwallet.sync.indexer import Indexer
from dacwallet.sync.mirror import MirrorCache, rebuild_mirror
from dacwallet.sync.schema import ensure_schema
from tests.support.models import sparse_perceptron
from tests.support.trainer import TrainerClient
from tests.sync.support import CHAIN_KEY, deploy_small

TRAINER = "0x" + "11" * 20
BUNDLES = {name: load_bundle(name) for name in ("default", "imdb-naive-bayes")}
PROBES = Batch.from_lists(
    [sorted(np.random.default_rng(3).choice(2000, 20, replace=False).tolist()) for _ in range(200)]
)


def store_events(conn, rng, count: int, first_block: int, fork: int = 0) -> int:
    """``count`` random contributions, two per block from ``first_block``; returns the next block."""
    ensure_schema(conn)
    rows = []
    for i in range(count):
        block = first_block + i // 2
        data = sorted(int(x) for x in rng.choice(2000, 20, replace=False))
        rows.append(
            (
                CHAIN_KEY,
                TRAINER,
                block,
                i % 2,
                bytes([fork]) + block.to_bytes(31, "big"),
                b"\0" * 32,
                1000 + block,
                json.dumps(data),
                int(rng.integers(0, 2)),
                1000 + block,
                TRAINER,
                "1",
                rng.bytes(32),
            )
        )
    conn.executemany("INSERT INTO sync_contributions VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    conn.commit()
    return first_block + (count + 1) // 2


def same(a, b) -> bool:
    """Deep equality of mirror state: arrays element-wise (and dtype), objects by their attributes."""
    if type(a) is not type(b):
        return False
    if isinstance(a, np.ndarray):
        return a.dtype == b.dtype and np.array_equal(a, b)
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if hasattr(a, "__dict__"):
        return same(vars(a), vars(b))
    return a == b


def assert_same(got, want) -> None:
    """Same parameters (every array / value of the mirror), predictions and replay record."""
    assert same(got.mirror, want.mirror)
    assert np.array_equal(got.mirror.predict_batch(PROBES), want.mirror.predict_batch(PROBES))
    assert np.array_equal(got.timestamps, want.timestamps)
    assert np.array_equal(got.correct_before, want.correct_before) and got.reverted == want.reverted


@settings(max_examples=12, deadline=None)
@given(
    name=st.sampled_from(sorted(BUNDLES)),
    n=st.integers(0, 60),
    more=st.lists(st.integers(0, 40), max_size=3),
    seed=st.integers(0, 2**16),
)
def test_n_events_then_m_more_equal_a_full_replay(tmp_path_factory, name, n, more, seed) -> None:
    bundle, rng = BUNDLES[name], np.random.default_rng(seed)
    conn = open_database(tmp_path_factory.mktemp("store"))
    cache = MirrorCache()
    block = store_events(conn, rng, n, 10)
    first = cache.get(conn, CHAIN_KEY, TRAINER, bundle.new_mirror, model=bundle)
    handed_out = first.mirror.predict_batch(PROBES)
    for m in more:
        block = store_events(conn, rng, m, block)
        got = cache.get(conn, CHAIN_KEY, TRAINER, bundle.new_mirror, model=bundle)
        assert_same(got, rebuild_mirror(conn, CHAIN_KEY, TRAINER, bundle.new_mirror()))
    assert cache.full_rebuilds == 1 and cache.incremental_updates == sum(1 for m in more if m)
    assert np.array_equal(first.mirror.predict_batch(PROBES), handed_out)  # new events went into a copy


def test_nothing_new_returns_the_same_replay(tmp_path) -> None:
    bundle, conn, cache = BUNDLES["default"], open_database(tmp_path), MirrorCache()
    store_events(conn, np.random.default_rng(1), 30, 10)
    first = cache.get(conn, CHAIN_KEY, TRAINER, bundle.new_mirror, model=bundle)
    assert cache.get(conn, CHAIN_KEY, TRAINER, bundle.new_mirror, model=bundle) is first
    assert (cache.full_rebuilds, cache.incremental_updates) == (1, 0)


def test_rows_replaced_below_the_cursor_with_the_same_count_replay_it_all(tmp_path) -> None:
    """A rollback followed by as many new rows: the count matches, the last row's block hash does not."""
    bundle, conn, cache, rng = BUNDLES["default"], open_database(tmp_path), MirrorCache(), np.random.default_rng(2)
    store_events(conn, rng, 40, 10)
    cache.get(conn, CHAIN_KEY, TRAINER, bundle.new_mirror, model=bundle)
    conn.execute("DELETE FROM sync_contributions WHERE block_number >= 25")
    store_events(conn, rng, 10, 25, fork=1)
    got = cache.get(conn, CHAIN_KEY, TRAINER, bundle.new_mirror, model=bundle)
    assert cache.full_rebuilds == 2
    assert_same(got, rebuild_mirror(conn, CHAIN_KEY, TRAINER, bundle.new_mirror()))


def test_another_chain_or_model_and_a_replay_that_raised_replay_it_all(tmp_path) -> None:
    conn, cache = open_database(tmp_path), MirrorCache()
    store_events(conn, np.random.default_rng(4), 20, 10)
    default, bayes = BUNDLES["default"], BUNDLES["imdb-naive-bayes"]
    cache.get(conn, CHAIN_KEY, TRAINER, default.new_mirror, model=default)
    got = cache.get(conn, CHAIN_KEY, TRAINER, bayes.new_mirror, model=bayes)
    assert cache.full_rebuilds == 2
    assert_same(got, rebuild_mirror(conn, CHAIN_KEY, TRAINER, bayes.new_mirror()))
    assert len(cache.get(conn, "other-chain", TRAINER, bayes.new_mirror, model=bayes).timestamps) == 0

    def broken():
        raise RuntimeError("model file unreadable")

    store_events(conn, np.random.default_rng(5), 4, 30)
    with pytest.raises(RuntimeError):
        cache.get(conn, CHAIN_KEY, TRAINER, broken, model=bayes)
    got = cache.get(conn, CHAIN_KEY, TRAINER, bayes.new_mirror, model=bayes)  # nothing half-done was kept
    assert_same(got, rebuild_mirror(conn, CHAIN_KEY, TRAINER, bayes.new_mirror()))


@pytest.mark.anvil
def test_a_reorganisation_rolled_back_by_the_indexer_leads_to_a_correct_full_replay(anvil, tmp_path) -> None:
    chain, deployment = anvil, deploy_small(anvil)
    client = TrainerClient(chain, deployment)
    spec = sparse_perceptron()

    def fresh():
        return SparsePerceptronMirror(spec.weights, spec.intercept, spec.learning_rate)

    conn = open_database(tmp_path)
    indexer, cache = Indexer(chain.w3, conn, CHAIN_KEY, deployment), MirrorCache()
    client.add(1, [0, 2], 1)
    indexer.sync()
    cache.get(conn, CHAIN_KEY, deployment.trainer, fresh)
    chain.snapshot()
    client.add(1, [1], 1)
    client.add(2, [3, 4], 0)
    indexer.sync()
    cache.get(conn, CHAIN_KEY, deployment.trainer, fresh)  # the orphans, applied incrementally
    assert cache.incremental_updates == 1
    chain.revert()
    replacements = [client.add(3, [6], 0), client.add(3, [1], 0)]  # as many events: only the hashes differ
    assert indexer.sync().rolled_back_blocks > 0

    got = cache.get(conn, CHAIN_KEY, deployment.trainer, fresh)

    assert cache.full_rebuilds == 2
    assert_same(got, rebuild_mirror(conn, CHAIN_KEY, deployment.trainer, fresh()))
    probes = [[i] for i in range(10)] + [a.data for a in replacements]
    assert [got.mirror.predict(p) for p in probes] == [client.predict(p) for p in probes]
