"""Issue 3: the local mirror and the deployed contract agree exactly, step by step.

For every model type a small model (and the shipped IMDB files for the two sparse IMDB models) is
deployed once per module on the embedded revm chain; hypothesis then generates random contribution sequences
(duplicates, out-of-range and negative indices for sparse models, random vectors for dense ones,
random labels including a bad one) and applies each through the trainer and to ``mirror_for(model)``.
After every contribution the on-chain ``predict`` of a probe set equals the mirror's; at the end every
parameter the contract exposes equals the mirror's. A transaction the chain refuses must be a
``ModelRevert`` in the mirror, and neither side may change. Each example runs in a chain snapshot.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from dacwallet.chain.transactions import REVERT_ERRORS
from dacwallet.contracts.deploy import IncentiveParams, deploy
from dacwallet.contracts.model_spec import ModelSpec
from dacwallet.errors import RevertError
from dacwallet.ml.mirrors import Mirror, ModelRevert, mirror_for
from dacwallet.ml.mirrors.dense_perceptron import div_toward_zero
from dacwallet.ml.model_file import model_path
from tests.support import models
from tests.support.chains import DevChain
from tests.support.trainer import TrainerClient

E9 = 10**9
U64 = 2**64
POINTS = IncentiveParams(kind="points")  # free contributions: no deposit arithmetic in the way
SETTINGS = settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # no shrinking: each step is eth_calls
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


def spec_dict(spec: ModelSpec) -> dict[str, Any]:
    """The model-file dict ``mirror_for`` takes, from a ModelSpec."""
    return {
        "type": spec.type,
        "num_features": spec.num_features,
        "classifications": list(spec.classifications),
        "weights": list(spec.weights),
        "intercept": spec.intercept,
        "learning_rate": spec.learning_rate,
        "feature_counts": [list(r) for r in spec.feature_counts],
        "num_samples": list(spec.num_samples),
        "smoothing_factor": spec.smoothing_factor,
        "centroid_sums": [list(r) for r in spec.centroid_sums],
    }


def file_model(name: str) -> tuple[ModelSpec, dict[str, Any]]:
    path = model_path(name)
    return ModelSpec.from_file(path), json.loads(path.read_text(encoding="utf-8"))


def imdb_slice(name: str, features: int, model_type: str | None = None) -> tuple[ModelSpec, dict[str, Any]]:
    """The first ``features`` features of a shipped count model (its real counts, a fraction of the upload),
    as another model type of the same parameters when ``model_type`` is given."""
    _, model = file_model(name)
    model = {
        **model,
        "type": model_type or model["type"],
        "num_features": features,
        "name": f"{model['name']} (first {features})",
        "feature_counts": [row[:features] for row in model["feature_counts"]],
    }
    return ModelSpec.from_dict(model), model


def small(spec: ModelSpec) -> tuple[ModelSpec, dict[str, Any]]:
    return spec, spec_dict(spec)


# Weights two learning steps from the int48 edge: a few same-direction updates overflow.
EDGE_SPARSE = models.sparse_perceptron(
    weights=[2**47 - 3 * 2**31, 2**47 - 5 * 2**31, 3 * E9, 0, -E9, -(2**47) + 3 * 2**31, -(2**47) + 5 * 2**31, 0],
    learning_rate=2**31,
)
EDGE_DENSE = ModelSpec.from_dict(
    {
        "type": "dense_perceptron",
        "name": "edge dense",
        "description": "",
        "encoder": "none",
        "classifications": ["Negative", "Positive"],
        "num_features": 3,
        "weights": [2**63 - 3 * 2**31, -(2**63) + 3 * 2**31, E9],
        "intercept": 0,
        "learning_rate": 2**31,
    }
)
# One count a step below the uint64 lane's maximum: the second update of feature 0 in class 0 overflows.
EDGE_COUNTS = {
    "naive_bayes": ModelSpec.from_dict(
        {
            "type": "naive_bayes",
            "name": "edge NB",
            "description": "",
            "encoder": "none",
            "classifications": ["A", "B"],
            "num_features": 4,
            "feature_counts": [[U64 - 3, 1, 0, 2], [0, 3, 1, 1]],
            "num_samples": [U64 - 3, 4],
            "smoothing_factor": E9,
        }
    ),
    "sparse_nearest_centroid": ModelSpec.from_dict(
        {
            "type": "sparse_nearest_centroid",
            "name": "edge SNC",
            "description": "",
            "encoder": "none",
            "classifications": ["A", "B", "C"],
            "num_features": 4,
            "feature_counts": [[U64 - 3, 1, 0, 2], [0, 3, 1, 1], [1, 1, 1, 1]],
            "num_samples": [U64 - 3, 4, 2],
        }
    ),
}
# Both classes hold feature 0 a few steps below the uint24 lane's maximum, so the model is never sure of
# [0] and the gate lets the updates through until one overflows.
EDGE_GATED = ModelSpec.from_dict(
    {
        "type": "gated_naive_bayes",
        "name": "edge gated NB",
        "description": "",
        "encoder": "none",
        "classifications": ["A", "B"],
        "num_features": 4,
        "feature_counts": [[2**24 - 3, 1, 0, 2], [2**24 - 3, 3, 1, 1]],
        "num_samples": [4, 4],
        "smoothing_factor": E9,
    }
)
EDGE_CENTROID = ModelSpec.from_dict(
    {
        "type": "nearest_centroid",
        "name": "edge centroid",
        "description": "",
        "encoder": "none",
        "classifications": ["A", "B"],
        "num_features": 2,
        "centroid_sums": [[2**127 - 2**64, 0], [0, -(2**127) + 2**64]],
        "num_samples": [1, 1],
    }
)

CASES: dict[str, tuple[ModelSpec, dict[str, Any]]] = {
    "sparse_perceptron": small(models.sparse_perceptron()),
    "sparse_perceptron_edge": small(EDGE_SPARSE),
    "sparse_perceptron_imdb": file_model("imdb-default"),
    "naive_bayes": small(models.naive_bayes()),
    "naive_bayes_edge": small(EDGE_COUNTS["naive_bayes"]),
    "naive_bayes_imdb_slice": imdb_slice("imdb-naive-bayes", 200),
    "gated_naive_bayes": small(models.gated_naive_bayes()),
    "gated_naive_bayes_edge": small(EDGE_GATED),
    "gated_naive_bayes_imdb_slice": imdb_slice("imdb-naive-bayes", 200, "gated_naive_bayes"),
    "sparse_nearest_centroid": small(models.sparse_nearest_centroid()),
    "sparse_nearest_centroid_edge": small(EDGE_COUNTS["sparse_nearest_centroid"]),
    "dense_perceptron": small(models.dense_perceptron()),
    "dense_perceptron_edge": small(EDGE_DENSE),
    "nearest_centroid": small(models.nearest_centroid()),
    "nearest_centroid_edge": small(EDGE_CENTROID),
}
# The whole shipped Naive Bayes file (3,000 features): its upload is the slow part, so one fixed test.
BIG: dict[str, tuple[ModelSpec, dict[str, Any]]] = {"naive_bayes_imdb": file_model("imdb-naive-bayes")}
SPARSE = ("sparse_perceptron", "naive_bayes", "gated_naive_bayes", "sparse_nearest_centroid")


def is_sparse(spec: ModelSpec) -> bool:
    return spec.type in SPARSE


def sparse_keys(spec: ModelSpec) -> list[int]:
    """The indices a sequence draws from and the parameters are compared on."""
    n = spec.num_features
    if n > 50:  # IMDB-sized: a handful of words so contributions interact, plus the edges
        return [0, 1, 2, 7, 100, 555, n - 2, n - 1, n, n + 1, n + 1000, -1, -2, -(2**40)]
    return list(range(n)) + [n, n + 1, n + 3, -1, -2, -3]


def probes(spec: ModelSpec) -> list[list[int]]:
    if is_sparse(spec):
        keys = sparse_keys(spec)
        rows = [[k] for k in keys] + [keys[:3], keys[::2], [keys[0]] * 3, keys[-4:], keys]
        return rows
    n = spec.num_features
    rows = [[0] * n, [E9] * n, [-E9] * n, [3 * E9 * (-1) ** j for j in range(n)], [(j + 1) * E9 // 2 for j in range(n)]]
    return rows + [[2**62 if j == 0 else -(2**61) for j in range(n)]]


def contributions(spec: ModelSpec) -> st.SearchStrategy[list[tuple[list[int], int]]]:
    classes = len(spec.classifications)
    # Mostly valid labels, now and then the first label past the end (the trainer refuses it).
    label = st.sampled_from(list(range(classes)) * 4 + [classes])
    if is_sparse(spec):
        data = st.lists(st.sampled_from(sparse_keys(spec)), min_size=1, max_size=8)
    else:
        n = spec.num_features
        value = st.one_of(st.integers(-5 * E9, 5 * E9), st.integers(-(2**63), 2**63 - 1))
        data = st.one_of(
            st.lists(value, min_size=n, max_size=n),  # mostly the right length,
            st.lists(value, min_size=n, max_size=n),
            st.lists(value, min_size=n, max_size=n),
            st.lists(value, min_size=1, max_size=n + 1),
        )  # sometimes not
    return st.lists(st.tuples(data, label), min_size=1, max_size=6)


@dataclass
class Deployed:
    spec: ModelSpec
    model: dict[str, Any]
    client: TrainerClient


def deploy_all(chain: DevChain, cases: dict[str, tuple[ModelSpec, dict[str, Any]]]) -> dict[str, Deployed]:
    deployed = {
        name: Deployed(spec, model, TrainerClient(chain, deploy(chain.sender(0), spec, POINTS)))
        for name, (spec, model) in cases.items()
    }
    for name, d in deployed.items():
        assert chain_params(d) == mirror_params(d.spec, mirror_for(d.model)), f"{name}: deployed != its file"
    return deployed


@pytest.fixture(scope="module")
def deployed(module_chain: DevChain) -> dict[str, Deployed]:
    return deploy_all(module_chain, CASES)


@pytest.fixture(scope="module")
def deployed_big(module_chain: DevChain) -> dict[str, Deployed]:
    return deploy_all(module_chain, BIG)


def chain_predict(client: TrainerClient, data: list[int]) -> int | str:
    try:
        return client.predict(data)
    except REVERT_ERRORS:
        return "revert"


def mirror_predict(mirror: Mirror, data: list[int]) -> int | str:
    try:
        return mirror.predict(data)
    except ModelRevert:
        return "revert"


def chain_params(d: Deployed) -> dict[str, Any]:
    """Every parameter the contract exposes, on the probe keys."""
    spec, model = d.spec, d.client.model
    classes = range(len(spec.classifications))
    if spec.type == "sparse_perceptron":
        get = model.get_function_by_signature("weights(uint64)")
        return {"weights": [get(k % U64).call() for k in sparse_keys(spec)]}
    if spec.type == "dense_perceptron":
        get = model.get_function_by_signature("weights(uint256)")
        return {"weights": [get(j).call() for j in range(spec.num_features)]}
    samples = [model.functions.getNumSamples(c).call() for c in classes]
    if spec.type == "nearest_centroid":
        get = model.get_function_by_signature("getCentroidValue(uint256,uint256)")
        return {
            "samples": samples,
            "centroids": [[get(c, j).call() for j in range(spec.num_features)] for c in classes],
        }
    in_uint32 = [k for k in sparse_keys(spec) if 0 <= k < 2**32]
    params = {
        "samples": samples,
        "counts": [[model.functions.getFeatureCount(c, k).call() for k in in_uint32] for c in classes],
    }
    if spec.type.endswith("naive_bayes"):
        params["totals"] = [model.functions.getClassTotalFeatureCount(c).call() for c in classes]
    else:
        params["squares"] = [model.functions.getSumOfSquares(c).call() for c in classes]
        get = model.get_function_by_signature("getCentroidValue(uint256,uint64)")
        params["centroids"] = [[get(c, k % U64).call() for k in sparse_keys(spec)] for c in classes]
    return params


def mirror_params(spec: ModelSpec, mirror: Any) -> dict[str, Any]:
    """The same parameters computed from the mirror."""
    classes = range(len(spec.classifications))
    if spec.type == "sparse_perceptron":
        return {"weights": [mirror.weight(k) for k in sparse_keys(spec)]}
    if spec.type == "dense_perceptron":
        return {"weights": list(mirror.weights)}
    samples = list(mirror.num_samples)
    if spec.type == "nearest_centroid":
        return {
            "samples": samples,
            "centroids": [
                [0 if n == 0 else div_toward_zero(s, n) for s in row]
                for row, n in zip(mirror.sums, samples, strict=True)
            ],
        }
    in_uint32 = [k for k in sparse_keys(spec) if 0 <= k < 2**32]
    params = {"samples": samples, "counts": [[mirror.count(c, k) for k in in_uint32] for c in classes]}
    if spec.type.endswith("naive_bayes"):
        params["totals"] = list(mirror.total_feature_count)
    else:
        params["squares"] = list(mirror.squares)
        params["centroids"] = [
            [0 if samples[c] == 0 else mirror.count(c, k) * E9 // samples[c] for k in sparse_keys(spec)]
            for c in classes
        ]
    return params


def check_sequence(chain: DevChain, d: Deployed, sequence: list[tuple[list[int], int]]) -> dict[str, int]:
    """Applies ``sequence`` to chain and mirror, comparing after every step; returns what happened."""
    mirror = mirror_for(d.model)
    probe = probes(d.spec)
    step_probe = probe[:: max(1, len(probe) // 6)]  # a sixth of the probes after each step, all at the end
    outcome = {"added": 0, "reverted": 0}
    chain.snapshot()
    try:
        for step, (data, label) in enumerate(sequence):
            who = 1 + step % 5
            try:
                d.client.add(who, data, label)
                chain_reverted = None
            except RevertError as exc:
                chain_reverted = exc
            before = mirror_params(d.spec, mirror) if chain_reverted else None
            try:
                mirror.update(data, label)
                mirror_reverted = None
            except ModelRevert as exc:
                mirror_reverted = exc
            assert (chain_reverted is None) == (mirror_reverted is None), (
                f"step {step}: addData({data}, {label}) chain: {chain_reverted!r}, mirror: {mirror_reverted!r}"
            )
            if chain_reverted is not None:
                outcome["reverted"] += 1
                assert mirror_params(d.spec, mirror) == before, "a refused update changed the mirror"
            else:
                outcome["added"] += 1
            on_chain = [chain_predict(d.client, row) for row in step_probe]
            local = [mirror_predict(mirror, row) for row in step_probe]
            assert on_chain == local, f"step {step}: predictions differ after addData({data}, {label})"
        assert [chain_predict(d.client, row) for row in probe] == [mirror_predict(mirror, row) for row in probe]
        assert chain_params(d) == mirror_params(d.spec, mirror)
    finally:
        chain.revert()
    return outcome


def make_test(name: str):
    spec = CASES[name][0]

    @SETTINGS
    @given(sequence=contributions(spec))
    def test(chain: DevChain, deployed: dict[str, Deployed], sequence) -> None:
        check_sequence(chain, deployed[name], sequence)

    test.__name__ = f"test_mirror_equals_chain_{name}"
    return test


for _name in CASES:
    globals()[f"test_mirror_equals_chain_{_name}"] = make_test(_name)


# Deterministic sequences that must hit the interesting paths whatever hypothesis draws.
FIXED: dict[str, list[tuple[list[int], int]]] = {
    "sparse_perceptron_edge": [
        ([0, 0], 0),
        ([0], 1),
        ([0], 1),
        ([0], 1),
        ([5, 5, 6], 1),
        ([5], 0),
        ([5], 0),
        ([-1, 9, 9], 1),
        ([0], 2),
    ],
    "dense_perceptron_edge": [
        ([2**63 - 1, 0, 0], 0),
        ([-(2**63), 0, 0], 1),
        ([E9, E9, E9], 0),
        ([1, 2], 1),
        ([-(2**62), 2**62, 0], 0),
        ([E9, 0, 0], 2),
    ],
    "naive_bayes_edge": [([0], 0), ([0, 1], 0), ([0], 0), ([4, -1, 1], 1), ([2], 2)],
    "gated_naive_bayes_edge": [([0], 0), ([0, 1], 0), ([0], 0), ([4, -1, 1], 1), ([2], 2)],
    "sparse_nearest_centroid_edge": [([0], 0), ([0, 0], 0), ([0], 0), ([4, -1, 1, 1], 2), ([3], 3)],
    "nearest_centroid_edge": [
        ([2**63 - 1, 0], 0),
        ([2**63 - 1, 0], 0),
        ([0, -(2**63)], 1),
        ([5, 5], 1),
        ([1], 0),
        ([0, 0], 2),
    ],
    # 3000 is one past the shipped vocabulary, 2999 its last feature.
    "sparse_perceptron_imdb": [([0, 1, 2, 3000, -1], 0), ([0, 1, 2, 3000, -1], 1), ([2999, 2999], 0)],
    "naive_bayes_imdb_slice": [([0, 1, 2, 200, -1], 0), ([0, 1, 2, 200, -1], 1), ([199, 199], 0)],
}


@pytest.mark.parametrize("name", sorted(FIXED))
def test_fixed_sequences_agree(chain: DevChain, deployed: dict[str, Deployed], name: str) -> None:
    outcome = check_sequence(chain, deployed[name], FIXED[name])
    assert outcome["added"] >= 1
    if name.endswith("_edge"):
        assert outcome["reverted"] >= 1  # the sequence was built to overflow (and to use a bad label)


@pytest.mark.slow
def test_shipped_naive_bayes_file_agrees(chain: DevChain, deployed_big: dict[str, Deployed]) -> None:
    sequence = [([0, 1, 2, 3000, -1], 0), ([0, 1, 2, 3000, -1], 1), ([2999, 2999, 5], 0), ([7, 100, 555], 1), ([3], 2)]
    outcome = check_sequence(chain, deployed_big["naive_bayes_imdb"], sequence)
    assert outcome == {"added": 4, "reverted": 1}


def test_gated_naive_bayes_learns_only_what_it_is_unsure_of(chain: DevChain, deployed: dict[str, Deployed]) -> None:
    """Four times feature 0 is over e^5 times likelier in class 0: labelled 0 the model is sure and keeps its
    counts, labelled 1 it learns them; the mirror agrees through a stream of both kinds."""
    d = deployed["gated_naive_bayes"]
    model = d.client.model
    assert (model.functions.GATE_NUMERATOR().call(), model.functions.GATE_DENOMINATOR().call()) == (148413, 1000)
    sure, unsure = ([0, 0, 0, 0], 0), ([0, 0, 0, 0], 1)
    stream = [sure, unsure, ([1, 1, 1, 1], 1), ([1, 3], 0), sure, ([5, 5, 0], 0), unsure, sure]
    mirror = mirror_for(d.model)
    skipped = []
    for data, label in stream:
        skipped.append(mirror.is_sure(data, label))
        mirror.update(data, label)
    assert skipped[0] and not skipped[1] and False in skipped[2:] and True in skipped[2:]
    chain.snapshot()
    try:
        d.client.add(1, *sure)
        assert [model.functions.getNumSamples(0).call(), model.functions.getFeatureCount(0, 0).call()] == [10, 9]
        d.client.add(2, *unsure)
        assert [model.functions.getNumSamples(1).call(), model.functions.getFeatureCount(1, 0).call()] == [11, 5]
    finally:
        chain.revert()
    check_sequence(chain, d, stream)
