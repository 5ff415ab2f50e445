"""The reference's main flow on the reference's own IMDB model, on the embedded revm chain and on a real anvil node:
predict, addData with a weight change, refund, report by another account, take after the any-address wait."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dacwallet.contracts.deploy import IncentiveParams, deploy
from dacwallet.contracts.model_spec import ModelSpec
from dacwallet.errors import RevertError
from tests.support.chains import embedded_dev_chain, run_anvil
from tests.support.shared_data import REFERENCE_MODEL
from tests.support.trainer import TrainerClient

DAY = 86_400
E9 = 10**9


def reference_spec() -> ModelSpec:
    """The reference demo model as its deployment scales it: weights x 1e9, rounded."""
    raw = json.loads(Path(REFERENCE_MODEL).read_text())
    return ModelSpec.from_dict(
        {
            "type": "sparse_perceptron",
            "name": "IMDB Movie Review Sentiment Classifier",
            "description": "The reference demo's perceptron.",
            "encoder": "IMDB vocab",
            "classifications": raw["classifications"],
            "num_features": len(raw["weights"]),
            "weights": [round(w * E9) for w in raw["weights"]],
            "intercept": round(raw["intercept"] * E9),
            "learning_rate": round(raw["learningRate"] * E9),
        }
    )


def reference_predict(spec: ModelSpec, data: list[int]) -> int:
    weights = dict(enumerate(spec.weights))
    return int(spec.intercept + sum(weights.get(i, 0) for i in data) > 0)


@pytest.fixture(scope="module", params=["embedded", pytest.param("anvil", marks=pytest.mark.anvil)])
def stack(request):
    with embedded_dev_chain() if request.param == "embedded" else run_anvil() as chain:
        yield chain, deploy(chain.sender(0), reference_spec(), IncentiveParams())


# Skipped without ../shared/data/reference on a developer machine, failed under CI (tests/support/shared_data.py).
needs_reference = pytest.mark.usefixtures("reference_model_path")


@needs_reference
def test_reference_model_predicts_as_the_reference(stack) -> None:
    chain, deployment = stack
    client = TrainerClient(chain, deployment)
    spec = reference_spec()
    by_weight = sorted(range(spec.num_features), key=lambda i: spec.weights[i])
    cases = [by_weight[:20], by_weight[-20:], by_weight[490:510], list(range(0, 1000, 50)), [1337, 1337, 3], [5]]
    for data in cases:
        assert client.predict(data) == reference_predict(spec, data)
    assert client.model.get_function_by_signature("weights(uint64)")(7).call() == spec.weights[7]


@needs_reference
def test_main_flow(stack) -> None:
    chain, deployment = stack
    client = TrainerClient(chain, deployment)
    spec = reference_spec()
    by_weight = sorted(range(spec.num_features), key=lambda i: spec.weights[i])
    negative_review = sorted(by_weight[:20])
    weight = client.model.get_function_by_signature("weights(uint64)")
    assert client.predict(negative_review) == 0

    # A wrong label on a clearly negative review moves all 20 weights up by the learning rate.
    before = [weight(i).call() for i in negative_review]
    chain.advance(DAY)
    mislabelled = client.add(1, negative_review, 1)
    assert [weight(i).call() for i in negative_review] == [b + spec.learning_rate for b in before]
    assert client.predict(negative_review) == 0  # one step is not enough to flip it

    # An honest contribution, refunded after the wait.
    honest = client.add(2, negative_review, 0)
    chain.advance(DAY)
    balance = client.balance(2)
    receipt = client.refund(2, honest)
    assert client.paid_to(receipt) == [(chain.accounts[2].address, honest.cost)]
    assert client.balance(2) == balance + honest.cost - receipt["gasUsed"] * receipt["effectiveGasPrice"]

    # The validated contributor reports the mislabelled one and takes it all (only validated contributor).
    receipt = client.report(2, mislabelled)
    assert client.paid_to(receipt, "Report") == [(chain.accounts[2].address, mislabelled.cost)]
    with pytest.raises(RevertError, match="Nothing is left|already claimed"):
        client.refund(1, mislabelled)

    # Someone who never contributed takes an abandoned deposit after the any-address wait.
    abandoned = client.add(3, negative_review, 1)
    chain.advance(9 * DAY)
    receipt = client.report(4, abandoned)
    assert client.paid_to(receipt, "Report") == [(chain.accounts[4].address, abandoned.cost)]
    assert chain.w3.eth.get_balance(deployment.trainer) == 0
