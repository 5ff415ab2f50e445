"""Every model contract, deployed by dacwallet.contracts.deploy and trained only through the entry point.

Each test compares the contract with a small Python mirror written here from the Solidity comments
(independent of dacwallet.ml): predictions, every parameter an update touches, the getters, and the
refusals (overflow, wrong length, ownership, second upload).
"""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

import pytest

from dacwallet.chain.transactions import REVERT_ERRORS
from dacwallet.contracts.deploy import IncentiveParams, deploy
from dacwallet.contracts.model_spec import ModelSpec
from dacwallet.errors import RevertError
from tests.support import models
from tests.support.raw_contracts import deploy_artifact, transact
from tests.support.trainer import TrainerClient

E9 = 10**9
U64 = 2**64
INT48_MAX = 2**47 - 1
INT48_MIN = -(2**47)
# Points: contributions are free, so a test never has to wait for the deposit to fall.
POINTS = IncentiveParams(kind="points")
NOT_OWNER = "Only the owner may change this model."


def client_for(chain, spec: ModelSpec) -> TrainerClient:
    return TrainerClient(chain, deploy(chain.sender(0), spec, POINTS))


@pytest.fixture(scope="module")
def deployments(module_chain):
    return {
        "sparse_perceptron": deploy(module_chain.sender(0), models.sparse_perceptron(), POINTS),
        "dense_perceptron": deploy(module_chain.sender(0), models.dense_perceptron(), POINTS),
        "naive_bayes": deploy(module_chain.sender(0), models.naive_bayes(), POINTS),
        "sparse_nearest_centroid": deploy(module_chain.sender(0), models.sparse_nearest_centroid(), POINTS),
        "nearest_centroid": deploy(module_chain.sender(0), models.nearest_centroid(), POINTS),
    }


@pytest.fixture
def clients(chain, deployments) -> dict[str, TrainerClient]:
    return {kind: TrainerClient(chain, d) for kind, d in deployments.items()}


def sparse_weight(client: TrainerClient, index: int) -> int:
    return client.model.get_function_by_signature("weights(uint64)")(index % U64).call()


def dense_weight(client: TrainerClient, index: int) -> int:
    return client.model.get_function_by_signature("weights(uint256)")(index).call()


# --------------------------------------------------------------------------- sparse perceptron


class SparsePerceptronMirror:
    """margin = intercept + sum of weights[uint64(i)]; class 1 when > 0; update only when wrong."""

    def __init__(self, spec: ModelSpec) -> None:
        self.weights = dict(enumerate(spec.weights))
        self.intercept = spec.intercept
        self.lr = spec.learning_rate

    def predict(self, data: list[int]) -> int:
        return int(self.intercept + sum(self.weights.get(i % U64, 0) for i in data) > 0)

    def update(self, data: list[int], label: int) -> None:
        if self.predict(data) == label:
            return
        for i in data:  # a duplicate index moves twice
            self.weights[i % U64] = self.weights.get(i % U64, 0) + (self.lr if label == 1 else -self.lr)


def test_sparse_perceptron_predicts_the_sign_of_the_margin(clients) -> None:
    client = clients["sparse_perceptron"]
    mirror = SparsePerceptronMirror(models.sparse_perceptron())
    getter = next(e for e in client.model.abi if e.get("name") == "weights" and e["inputs"][0]["type"] == "uint64")
    assert getter["outputs"][0]["type"] == "int80"
    for i, w in enumerate(models.sparse_perceptron().weights):
        assert sparse_weight(client, i) == w
    cases = [
        [0, 1, 2],
        [7, 8, 9],
        [],
        [0, 9],
        [4, 5],
        [4, 4, 5],
        [5, 5, 4],
        [1337],
        [1337, 0],
        [-1],
        [-(2**63)],
        [10, 11, 12, 2**63 - 1],
        list(range(10)),
        [0, 0, 0, 9, 9],
    ]
    rng = random.Random(7)
    cases += [[rng.randrange(-3, 14) for _ in range(rng.randrange(1, 8))] for _ in range(20)]
    for data in cases:
        assert client.predict(data) == mirror.predict(data), data
    assert client.predict([0, 9]) == 0  # margin exactly 0 is class 0
    assert client.predict([4, 4, 5]) == 1  # the duplicate counts twice: 1 + 1 - 1 > 0


def test_sparse_perceptron_learns_only_from_mistakes(clients) -> None:
    client = clients["sparse_perceptron"]
    spec = models.sparse_perceptron()
    mirror = SparsePerceptronMirror(spec)
    lr = spec.learning_rate
    steps = [
        ([0, 1, 2], 1),  # already right: nothing moves
        ([7, 8, 9], 0),  # already right
        ([0, 9], 1),  # margin 0 -> class 0, wrong: w0 and w9 += lr
        ([4, 4, 5], 0),  # margin +1 -> class 1, wrong: w4 -= 2 lr (duplicate), w5 -= lr
        ([1337, 5], 1),  # an index past num_features starts at 0 and learns
        ([-1], 1),  # a negative int64 index is the uint64 key 2^64 - 1
        ([-(2**63), 3], 0),  # key 2^63; margin 2e9 > 0 -> class 1, wrong
        ([1337], 1),  # now right (1337 has +lr): unchanged
    ]
    touched = {i % U64 for data, _ in steps for i in data} | set(range(10))
    for data, label in steps:
        client.add(1, data, label)
        mirror.update(data, label)
        for i in touched:
            assert sparse_weight(client, i) == mirror.weights.get(i, 0), (data, label, i)
        assert client.model.functions.intercept().call() == spec.intercept
    assert sparse_weight(client, 0) == 5 * E9 + lr
    assert sparse_weight(client, 4) == 1 * E9 - 2 * lr
    assert sparse_weight(client, 1337) == lr
    assert sparse_weight(client, -1) == lr and sparse_weight(client, 2**64 - 2) == 0
    assert sparse_weight(client, 2**63) == -lr
    assert client.predict([1337]) == 1 and client.predict([-1]) == 1
    assert client.predict([1337, 1338]) == 1 and sparse_weight(client, 1338) == 0


def test_sparse_perceptron_intercept_decides_an_empty_margin(chain) -> None:
    client = client_for(chain, models.sparse_perceptron(intercept=E9 // 10))
    assert client.model.functions.intercept().call() == E9 // 10
    assert client.predict([1337]) == 1  # only the intercept: +0.1
    assert client.predict([5]) == 0  # -1 + 0.1
    client.add(1, [5], 1)  # wrong: w5 moves, the intercept does not
    assert client.model.functions.intercept().call() == E9 // 10
    assert sparse_weight(client, 5) == -E9 + E9 // 2


def test_sparse_perceptron_int48_weights_stop_at_their_range(chain) -> None:
    lr = E9
    weights = [INT48_MAX - lr, INT48_MAX - lr + 1, INT48_MIN + lr, INT48_MIN + lr - 1, INT48_MIN, INT48_MAX]
    client = client_for(chain, models.sparse_perceptron(weights=weights, learning_rate=lr))
    for i, w in enumerate(weights):
        assert sparse_weight(client, i) == w
    # margin MAX - lr + 1 + MIN = -lr -> class 0; label 1 pushes w1 to MAX + 1.
    with pytest.raises(RevertError, match="A weight would overflow."):
        client.add(1, [1, 4], 1)
    # margin MIN + lr - 1 + MAX = lr - 2 -> class 1; label 0 pushes w3 to MIN - 1.
    with pytest.raises(RevertError, match="A weight would overflow."):
        client.add(1, [3, 5], 0)
    assert [sparse_weight(client, i) for i in range(6)] == weights  # the reverted updates left nothing
    client.add(1, [0, 4], 1)  # reaches exactly MAX
    client.add(1, [2, 5], 0)  # reaches exactly MIN
    assert [sparse_weight(client, i) for i in range(6)] == [
        INT48_MAX,
        INT48_MAX - lr + 1,
        INT48_MIN,
        INT48_MIN + lr - 1,
        INT48_MIN + lr,
        INT48_MAX - lr,
    ]
    with pytest.raises(RevertError, match="A weight would overflow."):
        client.add(1, [0, 4, 4, 4], 1)  # margin MAX + 3 (MIN + lr) < 0 -> class 0; w0 is at MAX already


# --------------------------------------------------------------------------- dense perceptron


class DensePerceptronMirror:
    """margin = intercept * 1e9 + sum w_j x_j (1e18 scale); update w_j += trunc(+-lr * x_j / 1e9)."""

    def __init__(self, spec: ModelSpec) -> None:
        self.weights = list(spec.weights)
        self.intercept = spec.intercept
        self.lr = spec.learning_rate

    def margin(self, data: list[int]) -> int:
        return self.intercept * E9 + sum(w * x for w, x in zip(self.weights, data, strict=True))

    def predict(self, data: list[int]) -> int:
        return int(self.margin(data) > 0)

    def update(self, data: list[int], label: int) -> None:
        if self.predict(data) == label:
            return
        rate = self.lr if label == 1 else -self.lr
        for j, x in enumerate(data):
            product = rate * x
            step = abs(product) // E9 * (1 if product >= 0 else -1)  # truncation toward zero
            self.weights[j] += step


def dense_spec(weights: list[int], intercept: int, learning_rate: int) -> ModelSpec:
    return ModelSpec.from_dict(
        {
            "type": "dense_perceptron",
            "name": "dense",
            "description": "",
            "encoder": "none",
            "classifications": ["Negative", "Positive"],
            "num_features": len(weights),
            "weights": weights,
            "intercept": intercept,
            "learning_rate": learning_rate,
        }
    )


def test_dense_perceptron_adds_the_intercept_at_the_product_scale(clients) -> None:
    client = clients["dense_perceptron"]  # weights (2, -1, 0.5), intercept -0.25
    mirror = DensePerceptronMirror(models.dense_perceptron())
    x = [500_000_000, 866_025_404, 0]  # unit norm; sum w x = 0.134 (1e18 scale), below 0.25
    assert 0 < sum(w * v for w, v in zip(mirror.weights, x, strict=True)) < E9 * E9 // 4
    # The reference added the intercept at 1e9 and so predicted 1 here; ours weighs it fully.
    assert mirror.intercept + sum(w * v for w, v in zip(mirror.weights, x, strict=True)) > 0
    assert client.predict(x) == 0
    assert client.predict([600_000_000, 800_000_000, 0]) == 1  # 0.4 - 0.25 > 0
    assert client.predict([0, 0, 0]) == 0  # only the intercept, negative
    rng = random.Random(3)
    for _ in range(25):
        data = [rng.randrange(-E9, E9) for _ in range(3)]
        assert client.predict(data) == mirror.predict(data), data


def test_dense_perceptron_positive_intercept_alone_decides(chain) -> None:
    client = client_for(chain, dense_spec([E9, E9], E9 // 4, E9))
    assert client.predict([0, 0]) == 1
    assert client.predict([-200_000_000, 0]) == 1  # -0.2 + 0.25
    assert client.predict([-300_000_000, 0]) == 0  # -0.3 + 0.25


def test_dense_perceptron_update_truncates_toward_zero(chain) -> None:
    spec = dense_spec([E9, E9, E9], 0, 333_333_333)
    client = client_for(chain, spec)
    mirror = DensePerceptronMirror(spec)
    steps = [
        ([600_000_001, 700_000_003, -387_298_335], 0),  # class 1, wrong: rate -lr, negative products
        ([600_000_001, 700_000_003, -387_298_335], 1),  # now class 0? (mirror decides) - either way checked
        ([-999_999_999, 1, 7], 1),
        ([123_456_789, -987_654_321, 5], 0),
        ([1, 1, 1], 1),
    ]
    for data, label in steps:
        client.add(1, data, label)
        mirror.update(data, label)
        assert [dense_weight(client, j) for j in range(3)] == mirror.weights, (data, label)
        assert client.model.functions.intercept().call() == 0
    # The first step by hand: -333333333 * 600000001 / 1e9 = -200000000.13..., truncated to -200000000
    # (flooring would give -200000001).
    fresh = DensePerceptronMirror(spec)
    fresh.update(*steps[0])
    assert fresh.weights[0] == E9 - 200_000_000


def test_dense_perceptron_refuses_the_wrong_length(clients) -> None:
    client = clients["dense_perceptron"]
    for data in ([1, 2], [1, 2, 3, 4], [5]):
        with pytest.raises(REVERT_ERRORS, match="wrong number of features"):
            client.predict(data)
        with pytest.raises(RevertError, match="wrong number of features"):
            client.add(1, data, 1)


# --------------------------------------------------------------------------- naive Bayes


class NaiveBayesMirror:
    """score[c] = numSamples[c] << 128; per index: score[c] = score[c] * (count*1e9 + s) // (total[c]*1e9 + s*nf),
    then all scores << 64 while the largest is non-zero and below 2^128; the largest score wins (lowest class
    on ties). ``exact`` is the documented probability without any rounding."""

    def __init__(self, spec: ModelSpec) -> None:
        self.n_classes = len(spec.classifications)
        self.counts = {(c, f): v for c, row in enumerate(spec.feature_counts) for f, v in enumerate(row) if v}
        self.num_samples = list(spec.num_samples)
        self.totals = [sum(row) for row in spec.feature_counts]
        self.s = spec.smoothing_factor
        self.nf = spec.num_features

    def count(self, c: int, f: int) -> int:
        return self.counts.get((c, f % U64), 0)

    def scores(self, data: list[int], *, rescale: bool = True) -> list[int]:
        score = [n << 128 for n in self.num_samples]
        denominator = [t * E9 + self.s * self.nf for t in self.totals]
        for i in data:
            score = [score[c] * (self.count(c, i) * E9 + self.s) // denominator[c] for c in range(self.n_classes)]
            if rescale and 0 != max(score) < 2**128:
                score = [v << 64 for v in score]
        return score

    def predict(self, data: list[int], *, rescale: bool = True) -> int:
        score = self.scores(data, rescale=rescale)
        return score.index(max(score))

    def exact(self, data: list[int]) -> list[Fraction]:
        out = []
        for c in range(self.n_classes):
            p = Fraction(self.num_samples[c])
            for i in data:
                p *= Fraction(self.count(c, i) * E9 + self.s, self.totals[c] * E9 + self.s * self.nf)
            out.append(p)
        return out

    def update(self, data: list[int], label: int) -> None:
        for i in data:
            self.counts[(label, i % U64)] = self.count(label, i) + 1
        self.num_samples[label] += 1
        self.totals[label] += len(data)


def clear_winner(values: list[Fraction], ratio: Fraction = Fraction(1001, 1000)) -> int | None:
    ranked = sorted(range(len(values)), key=lambda c: values[c], reverse=True)
    if values[ranked[0]] > 0 and values[ranked[0]] > values[ranked[1]] * ratio:
        return ranked[0]
    return None


def check_nb_getters(client: TrainerClient, mirror: NaiveBayesMirror, features: range) -> None:
    for c in range(mirror.n_classes):
        assert client.model.functions.getNumSamples(c).call() == mirror.num_samples[c]
        assert client.model.functions.getClassTotalFeatureCount(c).call() == mirror.totals[c]
        for f in features:
            assert client.model.functions.getFeatureCount(c, f).call() == mirror.count(c, f), (c, f)


def test_naive_bayes_predicts_as_its_integer_algorithm(clients) -> None:
    """The contract against a big-int mirror of its own loop (the code as written), through updates."""
    client = clients["naive_bayes"]
    mirror = NaiveBayesMirror(models.naive_bayes())
    assert client.model.functions.smoothingFactor().call() == E9
    check_nb_getters(client, mirror, range(8))
    rng = random.Random(11)
    for round_ in range(3):
        cases = [[rng.randrange(0, 8) for _ in range(rng.randrange(1, 12))] for _ in range(12)]
        cases += [[0], [1], [3], [5], [2], [6], [0, 1], [1, 0], [1337]]
        for data in cases:
            assert client.predict(data) == mirror.predict(data), data
        # Learn something through the entry point, then the same checks again.
        data = sorted({rng.randrange(0, 8) for _ in range(4)}) + ([1337] if round_ == 1 else [])
        label = rng.randrange(2)
        client.add(1, data, label)
        mirror.update(data, label)
        check_nb_getters(client, mirror, range(8))
    assert (
        client.model.functions.getFeatureCount(0, 1337).call() + client.model.functions.getFeatureCount(1, 1337).call()
        == 1
    )


def test_naive_bayes_single_features_pick_the_likelier_class(clients) -> None:
    client = clients["naive_bayes"]  # counts: class 0 [9, 1, 5, 0, 2, 3], class 1 [1, 9, 5, 4, 2, 0]
    assert [client.predict([f]) for f in (0, 1, 3, 5)] == [0, 1, 1, 0]


def test_naive_bayes_picks_the_most_probable_class(clients) -> None:
    """The documented probability, exactly (Fractions), wherever one class is clearly (0.1%) likelier."""
    client = clients["naive_bayes"]
    mirror = NaiveBayesMirror(models.naive_bayes())
    assert [float(p) for p in mirror.exact([1, 0])] == pytest.approx([0.29586, 0.27435], rel=1e-4)
    wrong = []
    for data in itertools.chain(itertools.product(range(6), repeat=2), itertools.product(range(6), repeat=3)):
        winner = clear_winner(mirror.exact(list(data)))
        # Only the integer mirror is consulted for speed; the test above pins the contract to it.
        if winner is not None and mirror.predict(list(data)) != winner:
            wrong.append(list(data))
    assert client.predict([1, 0]) == 0
    assert wrong == []


def nb_long_spec() -> ModelSpec:
    rng = random.Random(5)
    nf = 150
    negative = [rng.randrange(5, 30) for _ in range(nf)]
    # Odd features are more frequent among positive reviews, even ones among negative reviews.
    positive = [n + rng.randrange(1, 5) * (1 if f % 2 else -1) for f, n in enumerate(negative)]
    return ModelSpec.from_dict(
        {
            "type": "naive_bayes",
            "name": "long NB",
            "description": "",
            "encoder": "none",
            "classifications": ["Negative", "Positive"],
            "num_features": nf,
            "feature_counts": [negative, positive],
            "num_samples": [100, 100],
            "smoothing_factor": E9,
        }
    )


@pytest.fixture(scope="module")
def long_nb(module_chain):
    return deploy(module_chain.sender(0), nb_long_spec(), POINTS)


# 300 indices each: every feature that favours the class, four times (binary encoders send each once; the
# contract treats a repeat as another factor, which only makes the product smaller).
LONG_REVIEWS = {0: list(range(0, 150, 2)) * 4, 1: list(range(1, 150, 2)) * 4}


def test_naive_bayes_long_review_matches_its_integer_algorithm(chain, long_nb) -> None:
    client = TrainerClient(chain, long_nb)
    mirror = NaiveBayesMirror(nb_long_spec())
    rng = random.Random(8)
    for review in [*LONG_REVIEWS.values(), *([rng.randrange(150) for _ in range(300)] for _ in range(3))]:
        assert client.predict(review) == mirror.predict(review)


def test_naive_bayes_long_review_does_not_underflow(chain, long_nb) -> None:
    client = TrainerClient(chain, long_nb)
    mirror = NaiveBayesMirror(nb_long_spec())
    for label in (0, 1):
        review = LONG_REVIEWS[label]
        assert len(review) == 300
        assert clear_winner(mirror.exact(review)) == label
        # The reference's product (no rescaling) reaches 0 for both classes, so class 0 would win by default.
        assert mirror.scores(review, rescale=False) == [0, 0]
    assert [client.predict(LONG_REVIEWS[0]), client.predict(LONG_REVIEWS[1])] == [0, 1]


def test_naive_bayes_counts_upload_only_once(chain) -> None:
    sender = chain.sender(0)
    model = deploy_artifact(sender, "NaiveBayesClassifier", [["a", "b"], 4, [1, 1], E9])
    transact(sender, model, "initializeCounts", [0, [3 | (5 << 64)]])
    assert model.functions.getClassTotalFeatureCount(1).call() == 5
    with pytest.raises(RevertError, match="These counts were already uploaded."):
        transact(sender, model, "initializeCounts", [0, [7]])
    transact(sender, model, "initializeCounts", [2, [0, 11]])  # words 2 and 3 were empty: accepted
    with pytest.raises(RevertError, match="These counts were already uploaded."):
        transact(sender, model, "initializeCounts", [1, [1, 1, 1]])  # words 1 and 2 are empty, word 3 is not
    assert [model.functions.getFeatureCount(0, f).call() for f in range(4)] == [3, 0, 0, 11]
    assert model.functions.getClassTotalFeatureCount(0).call() == 14
    assert model.functions.getClassTotalFeatureCount(1).call() == 5


# --------------------------------------------------------------------------- gated naive Bayes (PackedNaiveBayes)


def test_gated_naive_bayes_learns_only_when_not_sure(chain) -> None:
    """PackedNaiveBayes predicts with the Naive Bayes loop above, and an update is skipped exactly when
    score[label] * 1000 > score[other] * 148413 (e^5 to six digits): the stream mixes both kinds."""
    spec = models.gated_naive_bayes()
    client = client_for(chain, spec)
    mirror = NaiveBayesMirror(spec)
    check_nb_getters(client, mirror, range(12))  # features 0-4 share a word, 5-9 the next
    rng = random.Random(17)
    stream = [([0, 0, 0, 0], 0), ([0, 0, 0, 0], 1), ([1, 1, 1, 1], 1), ([1, 1, 1, 1], 0), ([0, 0, 0, 0], 0)]
    stream += [([rng.randrange(0, 12) for _ in range(rng.randrange(1, 7))], rng.randrange(2)) for _ in range(10)]
    skipped = learned = 0
    for step, (data, label) in enumerate(stream):
        score = mirror.scores(data)
        sure = score[label] * 1000 > score[1 - label] * 148413
        client.add(1 + step % 3, data, label)
        if sure:
            skipped += 1
        else:
            mirror.update(data, label)
            learned += 1
        check_nb_getters(client, mirror, range(12))
        for probe in ([0], [1], [3], [0, 1], [5, 2], [9, 10, 11], data):
            assert client.predict(probe) == mirror.predict(probe), (step, probe)
    assert skipped >= 2 and learned >= 2


# --------------------------------------------------------------------------- nearest centroid (sparse)


class SparseCentroidMirror:
    """D_c * n_c^2 = n^2 |x| - 2 n sum_{i in x} count[c][i] + Q[c]; the smallest D wins, compared by
    cross-multiplying; classes with no samples are skipped; ties go to the lower class."""

    def __init__(self, spec: ModelSpec) -> None:
        self.n_classes = len(spec.classifications)
        self.counts = {(c, f): v for c, row in enumerate(spec.feature_counts) for f, v in enumerate(row) if v}
        self.num_samples = list(spec.num_samples)

    def count(self, c: int, f: int) -> int:
        return self.counts.get((c, f % U64), 0)

    def sum_of_squares(self, c: int) -> int:
        return sum(v * v for (cc, _), v in self.counts.items() if cc == c)

    def predict(self, data: list[int]) -> int:
        best, best_d, best_n = None, 0, 0
        for c in range(self.n_classes):
            n = self.num_samples[c]
            if n == 0:
                continue
            d = n * n * len(data) - 2 * n * sum(self.count(c, i) for i in data) + self.sum_of_squares(c)
            if best is None or d * best_n * best_n < best_d * n * n:
                best, best_d, best_n = c, d, n
        return best or 0

    def float_distances(self, data: list[int]) -> list[float]:
        x = {i % U64 for i in data}
        features = x | {f for (_, f) in self.counts}
        return [
            sum(((f in x) - self.count(c, f) / self.num_samples[c]) ** 2 for f in features)
            for c in range(self.n_classes)
        ]

    def update(self, data: list[int], label: int) -> None:
        for i in data:
            self.counts[(label, i % U64)] = self.count(label, i) + 1
        self.num_samples[label] += 1


def centroid_value(client: TrainerClient, c: int, f: int) -> int:
    return client.model.get_function_by_signature("getCentroidValue(uint256,uint64)")(c, f).call()


def check_sparse_centroids(client: TrainerClient, mirror: SparseCentroidMirror, features: list[int]) -> int:
    for c in range(mirror.n_classes):
        assert client.model.functions.getSumOfSquares(c).call() == mirror.sum_of_squares(c)
        assert client.model.functions.getNumSamples(c).call() == mirror.num_samples[c]
        for f in features:
            assert centroid_value(client, c, f) == mirror.count(c, f) * E9 // mirror.num_samples[c]
    clear = 0
    cases = [list(d) for size in range(3) for d in itertools.combinations(features, size)]
    cases += [[0, 2, 7], [3, 4, 2], [1, 2, 3], [0, 1, 4]]
    for data in cases:
        got = client.predict(data)
        assert got == mirror.predict(data), data
        distances = mirror.float_distances(data)
        ranked = sorted(distances)
        if ranked[1] - ranked[0] > 1e-9:
            clear += 1
            assert got == distances.index(ranked[0]), (data, distances)
    return clear


def test_sparse_nearest_centroid_matches_brute_force(clients) -> None:
    client = clients["sparse_nearest_centroid"]
    mirror = SparseCentroidMirror(models.sparse_nearest_centroid())
    features = [0, 1, 2, 3, 4, 7]
    clear = check_sparse_centroids(client, mirror, features)
    assert {client.predict([0]), client.predict([1]), client.predict([3, 4])} == {0, 1, 2}
    for data, label in (([0, 2], 1), ([3, 4, 7], 2), ([1, 1, 2], 1)):
        client.add(1, data, label)
        mirror.update(data, label)
        clear += check_sparse_centroids(client, mirror, features)
    assert clear > 60  # most cases are not ties, so the float comparison really ran


def test_sparse_nearest_centroid_sum_of_squares_is_kept(clients) -> None:
    client = clients["sparse_nearest_centroid"]
    spec = models.sparse_nearest_centroid()
    assert [client.model.functions.getSumOfSquares(c).call() for c in range(3)] == [17, 17, 18]
    client.add(2, [3, 3, 9], 2)  # counts 3 -> 5 for feature 3 (duplicate), 0 -> 1 for feature 9
    assert client.model.functions.getSumOfSquares(2).call() == 25 + 9 + 1
    assert centroid_value(client, 2, 3) == 5 * E9 // 4
    assert centroid_value(client, 2, 9) == E9 // 4
    assert centroid_value(client, 0, 0) == E9  # 4 / 4
    assert [client.model.functions.getSumOfSquares(c).call() for c in range(2)] == [17, 17]
    assert spec.num_samples == (4, 4, 3)


# --------------------------------------------------------------------------- nearest centroid (dense)


class DenseCentroidMirror:
    def __init__(self, spec: ModelSpec) -> None:
        self.sums = [list(row) for row in spec.centroid_sums]
        self.num_samples = list(spec.num_samples)

    def predict(self, data: list[int]) -> int:
        best, best_d, best_n = None, 0, 0
        for c, (row, n) in enumerate(zip(self.sums, self.num_samples, strict=True)):
            if n == 0:
                continue
            d = sum((n * x - s) ** 2 for x, s in zip(data, row, strict=True))
            if best is None or d * best_n * best_n < best_d * n * n:
                best, best_d, best_n = c, d, n
        return best or 0

    def update(self, data: list[int], label: int) -> None:
        self.sums[label] = [s + x for s, x in zip(self.sums[label], data, strict=True)]
        self.num_samples[label] += 1

    def centroid(self, c: int, j: int) -> int:
        s, n = self.sums[c][j], self.num_samples[c]
        return abs(s) // n * (1 if s >= 0 else -1)


def test_nearest_centroid_dense(clients) -> None:
    client = clients["nearest_centroid"]  # centroids (1, 0) and (0, 1)
    mirror = DenseCentroidMirror(models.nearest_centroid())
    grid = [[x * E9 // 2, y * E9 // 2] for x in range(-2, 3) for y in range(-2, 3)] + [[E9 // 3, 0], [0, -E9 // 7]]

    def check() -> None:
        for c in range(2):
            assert client.model.functions.getNumSamples(c).call() == mirror.num_samples[c]
            for j in range(2):
                got = client.model.get_function_by_signature("getCentroidValue(uint256,uint256)")(c, j).call()
                assert got == mirror.centroid(c, j)
        for data in grid:
            got = client.predict(data)
            assert got == mirror.predict(data), data
            centroids = [[s / n for s in row] for row, n in zip(mirror.sums, mirror.num_samples, strict=True)]
            d = [sum((x - m) ** 2 for x, m in zip(data, cen, strict=True)) for cen in centroids]
            if abs(d[0] - d[1]) > 1e-3 * max(d):
                assert got == d.index(min(d)), data

    check()
    assert client.predict([E9, 0]) == 0 and client.predict([0, E9]) == 1
    assert client.predict([E9 // 2, E9 // 2]) == 0  # a tie goes to the lower class
    for data, label in (([-E9, 1], 0), ([-333_333_333, -943_000_001], 1), ([707_106_781, 707_106_781], 0)):
        client.add(1, data, label)
        mirror.update(data, label)
        check()
    # Class 1's centroid: (3e9 - 943000001) / 4, and -333333333 / 4 truncated toward zero (not floored).
    assert mirror.centroid(1, 1) == (3 * E9 - 943_000_001) // 4
    assert mirror.sums[1][0] == -333_333_333
    assert client.model.get_function_by_signature("getCentroidValue(uint256,uint256)")(1, 0).call() == -83_333_333
    with pytest.raises(REVERT_ERRORS, match="wrong number of features"):
        client.predict([1, 2, 3])
    with pytest.raises(RevertError, match="wrong number of features"):
        client.add(1, [1], 0)


# --------------------------------------------------------------------------- ownership


UPLOADS = {
    "sparse_perceptron": "initializeWords",
    "dense_perceptron": "initializeWords",
    "naive_bayes": "initializeCounts",
    "sparse_nearest_centroid": "initializeCounts",
    "nearest_centroid": "initializeSums",
}
SAMPLE = {"dense_perceptron": [1, 2, 3], "nearest_centroid": [1, 2]}


@pytest.mark.parametrize("kind", list(UPLOADS))
def test_only_the_entry_point_changes_the_model(clients, kind: str) -> None:
    client = clients[kind]
    model = client.model
    assert model.functions.owner().call() == client.deployment.trainer
    data = SAMPLE.get(kind, [1, 2])
    for who in (0, 1):  # the deployer (the first owner) and a stranger
        with pytest.raises(RevertError, match=NOT_OWNER):
            transact(client.chain.sender(who), model, "update", [data, 1])
        with pytest.raises(RevertError, match=NOT_OWNER):
            transact(client.chain.sender(who), model, UPLOADS[kind], [50, [1]])
        with pytest.raises(RevertError, match=NOT_OWNER):
            transact(client.chain.sender(who), model, "transferOwnership", [client.chain.accounts[who].address])
    client.add(1, data, 1)  # the entry point still may
    assert model.functions.owner().call() == client.deployment.trainer
