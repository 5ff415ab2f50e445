"""The float64 shortcut of the Naive Bayes batch prediction gives exactly the integer answers."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dacwallet.ml.catalog import load_bundle
from dacwallet.ml.evaluate import encode_reviews
from dacwallet.ml.mirrors import Batch, ModelRevert, NaiveBayesMirror
from dacwallet.ml.mirrors.base import as_keys, take_rows
from dacwallet.ml.mirrors.naive_bayes_fast import UNDECIDED, log_space_classes

E9 = 10**9


def shortcut(mirror: NaiveBayesMirror, batch: Batch) -> np.ndarray:
    slots = mirror._map(as_keys(batch.data))
    return log_space_classes(
        mirror._counts, slots, batch.offsets, mirror.num_samples, mirror._denominators(), mirror.smoothing_factor
    )


def test_shipped_model_batch_equals_exact_path(validation_reviews):
    bundle = load_bundle("imdb-naive-bayes")
    batch = encode_reviews(bundle.encoder, validation_reviews[:1500]).batch
    mirror = bundle.new_mirror()
    assert mirror.predict_batch(batch).tolist() == mirror._exact_batch(batch).tolist()
    # The shortcut must actually decide nearly everything, or it is no shortcut.
    assert (shortcut(mirror, batch) != UNDECIDED).mean() > 0.99


def test_exact_ties_and_floor_decided_rows_are_left_to_the_integers():
    m = NaiveBayesMirror([[3, 1], [1, 3]], [10, 10], smoothing_factor=E9)
    batch = Batch.from_lists([[0, 1], [1, 0], [], [0], [1]])
    # Equal real scores: only the floors (a tie here, class 0) can decide; the shortcut must abstain.
    assert shortcut(m, batch).tolist() == [UNDECIDED, UNDECIDED, UNDECIDED, 0, 1]
    assert m.predict_batch(batch).tolist() == [m.predict(batch.row(r)) for r in range(len(batch))]


def test_shortcut_abstains_outside_its_proof():
    no_smoothing = NaiveBayesMirror([[3, 1], [1, 3]], [10, 10], smoothing_factor=0)
    empty_class = NaiveBayesMirror([[3, 1], [0, 0]], [10, 0], smoothing_factor=E9)
    batch = Batch.from_lists([[0], [1]])
    for mirror in (no_smoothing, empty_class):
        assert (shortcut(mirror, batch) == UNDECIDED).all()
        assert mirror.predict_batch(batch).tolist() == [mirror.predict(batch.row(r)) for r in range(2)]


def test_take_rows_keeps_data_and_labels():
    batch = Batch.from_lists([[1, 2], [], [3], [4, 5, 6]], [0, 1, 0, 1])
    part = take_rows(batch, np.array([0, 1, 3]))
    assert [part.row(r).tolist() for r in range(3)] == [[1, 2], [], [4, 5, 6]]
    assert part.labels.tolist() == [0, 1, 1]


N = 8
rows = st.lists(st.lists(st.integers(-2, N + 2), max_size=12), min_size=1, max_size=30)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 10**6), min_size=N, max_size=N), min_size=2, max_size=3),
    st.lists(st.integers(1, 10**30), min_size=3, max_size=3),
    st.integers(1, 10**12),
    rows,
)
def test_batch_equals_single_exact_predicts(counts, samples, smoothing, data):
    mirror = NaiveBayesMirror(counts, samples[: len(counts)], smoothing, N)
    batch = Batch.from_lists(data)
    try:
        expected = [mirror.predict(r) for r in data]
    except ModelRevert:  # huge sample counts overflow uint256: the batch must revert as well
        with pytest.raises(ModelRevert):
            mirror.predict_batch(batch)
        return
    assert mirror.predict_batch(batch).tolist() == expected
