"""Each classifier type of the reference's compiled contracts, deployed small as a full reference stack (on the
embedded chain and on anvil): the client attaches to it, tells its model type and incentive apart, and predicts
through the same read path the wallet uses. The sparse perceptron's mirror and the chain agree on random data, before
and after learning from contributions (the other mirrored types: tests/usecases/test_reference_model_files.py)."""

from __future__ import annotations

import random

import pytest

from dacwallet.contracts.calls import read
from dacwallet.contracts.deployment import attach, classifier_contract, incentive_contract, trainer_contract
from dacwallet.ml.mirrors import mirror_for
from dacwallet.ml.reference_model import from_reference
from tests.support.chains import embedded_dev_chain, run_anvil
from tests.support.reference import ReferenceIncentive, deploy_stack, scale

pytestmark = pytest.mark.usefixtures("reference_contracts_path")

CLASSES = ["Negative", "Positive"]
E9 = 10**9
# type -> (reference contract, constructor arguments, the type attach() reports); 4 features, 2 classes.
SMALL = {
    "sparse_perceptron": (
        "SparsePerceptron",
        [CLASSES, [scale(w) for w in (1.5, -2.0, 0.25, -0.5)], scale(0.1), scale(0.5)],
    ),
    "dense_perceptron": (
        "DensePerceptron",
        [CLASSES, [scale(w) for w in (1.5, -2.0, 0.25, -0.5)], scale(0.1), scale(0.5)],
    ),
    "naive_bayes": ("NaiveBayesClassifier", [CLASSES, [3, 4], [[[0, 2], [1, 5]], [[2, 4], [3, 1]]], 4, E9]),
    "nearest_centroid": ("NearestCentroidClassifier", [CLASSES, [[E9, 0, 0, 0], [0, E9, 0, 0]], [2, 2]]),
    "sparse_nearest_centroid": (
        "SparseNearestCentroidClassifier",
        [CLASSES, [[[0, 3], [1, 1]], [[2, 3], [3, 1]]], [2, 2]],
    ),
}


@pytest.fixture(scope="module", params=["embedded", pytest.param("anvil", marks=pytest.mark.anvil)])
def node(request):
    with embedded_dev_chain() if request.param == "embedded" else run_anvil() as chain:
        yield chain


@pytest.mark.parametrize("model_type", list(SMALL))
def test_each_reference_model_is_attached_and_predicts(node, model_type: str) -> None:
    contract, args = SMALL[model_type]
    stack = deploy_stack(node.sender(0), contract, args, [], "none", ReferenceIncentive(kind="points"))
    found = attach(node.w3, stack.trainer)
    assert (found.model_type, found.incentive) == (model_type, "points")
    assert (found.classifier, found.incentive_mechanism, found.data_handler) == (
        stack.classifier,
        stack.incentive,
        stack.data_handler,
    )
    assert found.classifications == tuple(CLASSES)
    model = classifier_contract(node.w3, found.classifier).functions
    sample = [1, 1, 0, 0] if model_type in ("dense_perceptron", "nearest_centroid") else [0, 1]
    assert read(model.predict(sample), "A prediction") in (0, 1)


def test_the_sparse_perceptron_mirror_equals_the_reference_chain(node) -> None:
    contract, args = SMALL["sparse_perceptron"]
    stack = deploy_stack(
        node.sender(0),
        contract,
        args,
        [],
        "none",
        ReferenceIncentive(refund_wait_s=0, owner_claim_wait_s=0, any_address_claim_wait_s=0),
    )
    raw = {
        "type": "sparse perceptron",
        "classifications": CLASSES,
        "weights": [1.5, -2.0, 0.25, -0.5],
        "intercept": 0.1,
        "learningRate": 0.5,
    }
    mirror = mirror_for(from_reference(raw, name="small", description="", encoder="none"))
    model = classifier_contract(node.w3, stack.classifier).functions
    trainer = trainer_contract(node.w3, stack.trainer)
    rng = random.Random(13)
    for _ in range(12):  # duplicates and indices past the declared weights (like 1337) included
        data = [rng.choice([0, 1, 2, 3, 7, 1337]) for _ in range(rng.randint(1, 6))]
        label = rng.randint(0, 1)
        assert mirror.predict(data) == model.predict(data).call()
        cost = incentive_contract(node.w3, stack.incentive).functions.getNextAddDataCost().call()
        node.sender(1).transact(
            {"to": stack.trainer, "value": cost, "data": trainer.encode_abi("addData", args=[data, label])},
            action="addData",
        )
        mirror.update(data, label)
        node.advance(3600)
    for index in (0, 1, 2, 3, 7, 1337):
        assert mirror.weight(index) == model.weights(index).call()
