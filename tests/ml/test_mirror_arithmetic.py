"""Hand-computed cases that pin the contracts' integer arithmetic."""

import pytest

from dacwallet.errors import InputError
from dacwallet.ml.mirrors import (
    DensePerceptronMirror,
    ModelRevert,
    NaiveBayesMirror,
    NearestCentroidMirror,
    SparseNearestCentroidMirror,
    SparsePerceptronMirror,
)
from dacwallet.ml.mirrors.dense_perceptron import div_toward_zero

E9 = 10**9


class TestSparsePerceptron:
    def test_margin_counts_duplicates_and_needs_strictly_positive(self):
        m = SparsePerceptronMirror([10, -5, 3], intercept=-10, learning_rate=4)
        assert m.predict([0]) == 0  # m == 0 is class 0
        assert m.predict([0, 2]) == 1
        assert m.predict([0, 1, 1, 2]) == 0  # 10 - 5 - 5 + 3 - 10 < 0

    def test_update_only_when_wrong_and_per_occurrence(self):
        m = SparsePerceptronMirror([10, -5, 3], intercept=-10, learning_rate=4)
        m.update([0, 2], 1)  # already right: nothing moves
        assert [m.weight(i) for i in range(3)] == [10, -5, 3]
        m.update([1, 1, 2], 1)
        assert [m.weight(i) for i in range(3)] == [10, 3, 7]
        assert m.intercept == -10

    def test_negative_and_out_of_range_indices_are_uint64_keys(self):
        m = SparsePerceptronMirror([0, 0], intercept=0, learning_rate=7)
        m.update([-1, 5000], 1)
        assert m.weight(-1) == m.weight(2**64 - 1) == 7
        assert m.weight(5000) == 7 and m.weight(-2) == 0
        assert m.predict([2**64 - 1 - 2**64]) == 1

    def test_overflow_reverts_the_whole_update(self):
        top = 2**47 - 1
        m = SparsePerceptronMirror([0, top - 5], intercept=-(2**60), learning_rate=5)
        m.update([1], 1)
        assert m.weight(1) == top
        with pytest.raises(ModelRevert):
            m.update([0, 1], 1)
        assert (m.weight(0), m.weight(1)) == (0, top)
        with pytest.raises(ModelRevert):
            SparsePerceptronMirror([2**47], 0, 1)

    def test_index_outside_int64_is_input_error(self):
        with pytest.raises(InputError):
            SparsePerceptronMirror([0], 0, 1).predict([2**63])


class TestDensePerceptron:
    def test_truncation_toward_zero(self):
        assert div_toward_zero(-15, 10) == -1 and div_toward_zero(15, 10) == 1 and div_toward_zero(-5, 10) == 0
        m = DensePerceptronMirror([0, 0], intercept=0, learning_rate=3 * 10**8)
        m.update([-5, 7], 1)  # -1.5 -> -1 (floor would give -2), 2.1 -> 2
        assert m.weights == [-1, 2]
        m.update([-5, 7], 0)  # margin 5 + 14 > 0 but label 0: subtract
        assert m.weights == [0, 0]

    def test_intercept_is_scaled_by_1e9(self):
        m = DensePerceptronMirror([1], intercept=-1, learning_rate=0)
        assert m.predict([E9]) == 0  # -1e9 + 1e9 = 0
        assert m.predict([E9 + 1]) == 1

    def test_int64_overflow_reverts(self):
        m = DensePerceptronMirror([2**63 - 1, 0], intercept=-(2**70), learning_rate=2**32 - 1)
        with pytest.raises(ModelRevert):
            m.update([E9, E9], 1)
        assert m.weights == [2**63 - 1, 0]


class TestNaiveBayes:
    def test_floor_then_rescale(self):
        m = NaiveBayesMirror([[3, 1], [1, 3]], [10, 10], smoothing_factor=E9)
        # den = 4e9 + 2e9; scores start at 10 << 128: p0 = X * 4e9 // 6e9, p1 = X * 2e9 // 6e9
        assert m.predict([0]) == 0 and m.predict([1]) == 1
        # both reach floor((20 * 2**128 - 2) / 9) after two steps: a tie goes to class 0
        assert m.predict([0, 1]) == 0

    def test_scores_start_128_bits_up(self):
        m = NaiveBayesMirror([[3, 1], [1, 3]], [10, 10], smoothing_factor=E9)
        x = 10 << 128
        assert m.predict([0, 1]) == 0
        p0 = (x * 4 * E9 // (6 * E9)) * 2 * E9 // (6 * E9)
        p1 = (x * 2 * E9 // (6 * E9)) * 4 * E9 // (6 * E9)
        assert p0 == p1

    def test_small_counts_do_not_floor_to_zero(self):
        m = NaiveBayesMirror([[2, 0], [0, 1]], [1, 1], smoothing_factor=E9)
        # exact: class 0 gets 1 * 1/4, class 1 gets 1 * 2/3 (a bare 1 * 1e9 // 4e9 would floor both to 0)
        assert m.predict([1]) == 1

    def test_update_always_and_duplicates_twice(self):
        m = NaiveBayesMirror([[0, 0], [0, 0]], [0, 0], smoothing_factor=E9)
        m.update([1, 1, -3], 1)
        assert m.num_samples == [0, 1] and m.total_feature_count == [0, 3]
        assert m.count(1, 1) == 2 and m.count(1, -3) == 1 and m.count(0, 1) == 0

    def test_count_overflow_reverts(self):
        m = NaiveBayesMirror([[2**64 - 1, 0], [0, 0]], [1, 1], smoothing_factor=E9)
        with pytest.raises(ModelRevert):
            m.update([1, 0], 0)
        assert m.count(0, 1) == 0 and m.num_samples == [1, 1]

    def test_no_data_and_no_smoothing_reverts_predict(self):
        with pytest.raises(ModelRevert):
            NaiveBayesMirror([[0], [0]], [0, 0], smoothing_factor=0).predict([0])


class TestCentroids:
    def test_sparse_distances_and_update(self):
        m = SparseNearestCentroidMirror([[2, 0], [0, 1]], [2, 1])
        # x=[0]: D0 = 4 - 8 + 4 = 0, D1 = 1 + 1 = 2 -> 0 ; x=[1]: D0 = 8, D1 = 1 - 2 + 1 = 0 -> 1
        assert m.predict([0]) == 0 and m.predict([1]) == 1
        m.update([1, 1], 1)  # Q1: 1 + 3 + 5 = 9 = 3**2
        assert m.squares == [4, 9] and m.count(1, 1) == 3 and m.num_samples == [2, 2]

    def test_sparse_ties_keep_lower_class_and_empty_classes_are_skipped(self):
        assert SparseNearestCentroidMirror([[1, 0], [0, 1]], [1, 1]).predict([]) == 0
        assert SparseNearestCentroidMirror([[5, 5], [0, 0]], [0, 3]).predict([0]) == 1
        assert SparseNearestCentroidMirror([[0], [0]], [0, 0]).predict([0]) == 0

    def test_dense_centroid(self):
        m = NearestCentroidMirror([[2 * E9, 0], [0, 3 * E9]], [2, 3])
        assert m.predict([E9, 0]) == 0 and m.predict([0, E9]) == 1
        m.update([0, E9], 0)
        assert m.sums[0] == [2 * E9, E9] and m.num_samples == [3, 3]
        with pytest.raises(ModelRevert):
            m.predict([E9])
