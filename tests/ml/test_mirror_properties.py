"""Invariants of the mirrors over random contribution sequences."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dacwallet.ml.mirrors import (
    Batch,
    GatedNaiveBayesMirror,
    ModelRevert,
    NaiveBayesMirror,
    SparseNearestCentroidMirror,
    SparsePerceptronMirror,
)

N = 6
# Mostly in-range indices, some past the end and some negative (uint64 keys), duplicates allowed.
index = st.one_of(st.integers(0, N - 1), st.integers(N, N + 3), st.integers(-3, -1))
contribution = st.tuples(st.lists(index, max_size=8), st.integers(0, 1))
sequences = st.lists(contribution, max_size=25)
small = st.integers(0, 40)


def make_perceptron(data):
    weights, intercept, rate = data
    return lambda: SparsePerceptronMirror(weights, intercept, rate)


perceptrons = st.tuples(
    st.lists(st.integers(-50, 50), min_size=N, max_size=N), st.integers(-60, 60), st.integers(0, 30)
).map(make_perceptron)
bayes_params = st.tuples(
    st.lists(st.lists(small, min_size=N, max_size=N), min_size=2, max_size=2),
    st.lists(st.integers(0, 30), min_size=2, max_size=2),
    st.integers(1, 2 * 10**9),
)
bayes = bayes_params.map(lambda d: lambda: NaiveBayesMirror(d[0], d[1], d[2], N))
gated = bayes_params.map(lambda d: lambda: GatedNaiveBayesMirror(d[0], d[1], d[2], N))
centroids = st.tuples(
    st.lists(st.lists(small, min_size=N, max_size=N), min_size=2, max_size=2),
    st.lists(st.integers(0, 30), min_size=2, max_size=2),
).map(lambda d: lambda: SparseNearestCentroidMirror(d[0], d[1], N))
mirrors = st.one_of(perceptrons, bayes, gated, centroids)
probe = Batch.from_lists([[i] for i in range(-3, N + 4)] + [[0, 1, 2], [3, 3, -1], []])


@settings(max_examples=60, deadline=None)
@given(mirrors, sequences)
def test_replay_equals_sequential_updates(factory, seq):
    one, other = factory(), factory()
    expected_correct, expected_reverted = [], []
    for k, (data, label) in enumerate(seq):
        expected_correct.append(other.predict(data) == label)
        try:
            other.update(data, label)
        except ModelRevert:
            expected_reverted.append(k)
    result = one.replay(Batch.from_lists([d for d, _ in seq], [c for _, c in seq]))
    assert result.correct_before.tolist() == expected_correct
    assert result.reverted == expected_reverted
    assert one.predict_batch(probe).tolist() == other.predict_batch(probe).tolist()


@settings(max_examples=60, deadline=None)
@given(mirrors, sequences)
def test_batch_predict_equals_single_predicts(factory, seq):
    mirror = factory()
    for data, label in seq:
        mirror.update(data, label)
    rows = [d for d, _ in seq] + [probe.row(r).tolist() for r in range(len(probe))]
    assert mirror.predict_batch(Batch.from_lists(rows)).tolist() == [mirror.predict(r) for r in rows]


@settings(max_examples=60, deadline=None)
@given(bayes, sequences)
def test_naive_bayes_totals_stay_consistent(factory, seq):
    mirror = factory()
    samples, totals = list(mirror.num_samples), list(mirror.total_feature_count)
    for data, label in seq:
        mirror.update(data, label)
        samples[label] += 1
        totals[label] += len(data)
    assert mirror.num_samples == samples and mirror.total_feature_count == totals
    keys = range(-3, N + 4)
    for c in (0, 1):
        assert sum(mirror.count(c, k) for k in keys) == totals[c]


@settings(max_examples=60, deadline=None)
@given(bayes_params, sequences)
def test_gated_naive_bayes_counts_exactly_what_it_is_not_sure_of(params, seq):
    """The gated model equals a plain Naive Bayes fed only the contributions it was not sure of, and it is
    sure of a label only when it already predicts it."""
    gated, plain = GatedNaiveBayesMirror(*params, N), NaiveBayesMirror(*params, N)
    for data, label in seq:
        if gated.is_sure(data, label):
            assert gated.predict(data) == label
        else:
            plain.update(data, label)
        gated.update(data, label)
        assert (gated.num_samples, gated.total_feature_count) == (plain.num_samples, plain.total_feature_count)
        assert all(gated.count(c, k) == plain.count(c, k) for c in (0, 1) for k in range(-3, N + 4))
    assert gated.predict_batch(probe).tolist() == plain.predict_batch(probe).tolist()


@settings(max_examples=60, deadline=None)
@given(centroids, sequences)
def test_centroid_sum_of_squares_matches_counts(factory, seq):
    mirror = factory()
    for data, label in seq:
        mirror.update(data, label)
    for c in (0, 1):
        assert mirror.squares[c] == sum(mirror.count(c, k) ** 2 for k in range(-3, N + 4))


@given(perceptrons, contribution)
def test_perceptron_moves_only_when_wrong(factory, item):
    data, label = item
    mirror = factory()
    before = [mirror.weight(k) for k in range(-3, N + 4)]
    was_right = mirror.predict(data) == label
    mirror.update(data, label)
    after = [mirror.weight(k) for k in range(-3, N + 4)]
    assert (before == after) == (was_right or not data or mirror.learning_rate == 0)
    assert np.all(np.sign(np.subtract(after, before)) * (1 if label else -1) >= 0)
