"""The contracts' refusals that the flows never meet: each test checks the decoded revert reason, word for word.

Reached through the entry point where they can be (a hostile contributor contract for two contributions in one
block and for refusing Ether; hand-encoded calldata for a value that is not an int64; models uploaded at the edge
of their ranges), and by deploying the contracts by hand for the constructors' checks.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from eth_abi import encode

from dacwallet.contracts.deploy import IncentiveParams, deploy
from dacwallet.contracts.model_spec import ModelSpec
from dacwallet.errors import RevertError
from tests.support import models
from tests.support.raw_contracts import deploy_artifact, deploy_raw, load_test_artifact, transact
from tests.support.trainer import Added, TrainerClient

DAY = 86_400
E9 = 10**9
COST_WEIGHT = 10**15
STAKEABLE = IncentiveParams(
    refund_wait_s=DAY, owner_claim_wait_s=5 * DAY, any_address_claim_wait_s=9 * DAY, cost_weight=COST_WEIGHT
)
POINTS = IncentiveParams(kind="points")
POSITIVE = [0, 1, 2]  # the test perceptron says Positive
U64_MAX = 2**64 - 1
REFUSE = 4  # ReentrantContributor.REFUSE
NONE = 0


@contextmanager
def refused(reason: str):
    """The block must revert with exactly ``reason``."""
    with pytest.raises(RevertError) as caught:
        yield
    assert caught.value.reason == reason


@pytest.fixture(scope="module")
def deployments(module_chain):
    return {
        kind: deploy(module_chain.sender(0), models.sparse_perceptron(), incentive)
        for kind, incentive in (("stakeable", STAKEABLE), ("points", POINTS))
    }


@pytest.fixture
def client(chain, deployments) -> TrainerClient:
    return TrainerClient(chain, deployments["stakeable"])


def contributor_contract(client: TrainerClient):
    abi, bytecode = load_test_artifact("ReentrantContributor")
    return deploy_raw(client.chain.sender(1), abi, bytecode, [client.deployment.trainer])


# --------------------------------------------------------------------------- the entry point


@pytest.mark.parametrize(
    "words",
    [[2**63], [0, 1, 2**64 + 1], [2**256 - 2**63 - 1], [2**255]],
    ids=["int64-max-plus-1", "dirty-high-bits", "int64-min-minus-1", "top-bit-only"],
)
def test_add_data_refuses_a_value_that_is_not_an_int64(client: TrainerClient, words: list[int]) -> None:
    """Calldata only a hand-made encoder sends: a 32-byte word that is not a sign-extended int64."""
    selector = client.trainer.encode_abi("addData", args=[[0], 1])[:10]
    data = selector + encode(["uint256[]", "uint64"], [words, 1]).hex()
    with refused("Every data value must be a 64-bit signed integer."):
        client.chain.sender(1).transact(
            {"to": client.deployment.trainer, "data": data, "value": client.cost()}, action="Contributing"
        )
    assert client.trainer.functions.totalSubmitted().call() == 0


@pytest.mark.parametrize("words", [[2**63], [0, 1, 2**64 + 1], [2**256 - 2**63 - 1]])
def test_gated_naive_bayes_predict_refuses_a_value_that_is_not_an_int64(chain, words: list[int]) -> None:
    """PackedNaiveBayes reads the indices in assembly; it still refuses what Solidity's decoder would."""
    spec = models.gated_naive_bayes()
    model = deploy_artifact(chain.sender(0), "PackedNaiveBayes", [spec.classifications, 12, [3, 3], E9])
    selector = model.encode_abi("predict", args=[[0]])[:10]
    assert chain.w3.eth.call({"to": model.address, "data": selector + encode(["int64[]"], [[0, 1, -1]]).hex()})
    with pytest.raises(Exception, match="revert"):
        chain.w3.eth.call({"to": model.address, "data": selector + encode(["uint256[]"], [words]).hex()})


def test_a_dirty_encoding_of_real_data_finds_no_contribution(client: TrainerClient) -> None:
    added = client.add(1, [1], 1)
    client.chain.advance(DAY)
    selector = client.trainer.encode_abi("refund", args=[[1], 1, 0])[:10]
    dirty = selector + encode(["uint256[]", "uint64", "uint256"], [[1 + 2**64], 1, added.time]).hex()
    with refused("No such contribution: check the data, label, time and author."):
        client.chain.sender(1).transact({"to": client.deployment.trainer, "data": dirty}, action="Claiming")
    assert client.claimable(added) == added.cost


@pytest.mark.parametrize("kind", ["stakeable", "points"])
def test_the_same_contribution_twice_in_one_block_is_refused(chain, deployments, kind: str) -> None:
    client = TrainerClient(chain, deployments[kind])
    contract = contributor_contract(client)
    first = client.cost()  # the next block is later, so this is enough
    # In the same block the second deposit is the full costWeight * 3600 (no time has passed).
    second = COST_WEIGHT * 3600 if kind == "stakeable" else 0
    with refused("This exact contribution was already added in this block."):
        transact(chain.sender(1), contract, "contributeTwice", [POSITIVE, 1, first], value=first + second)
    assert client.trainer.functions.totalSubmitted().call() == 0
    # One at a time the same data is two contributions (their times, so their keys, differ).
    transact(chain.sender(1), contract, "contribute", [POSITIVE, 1], value=client.cost())
    transact(chain.sender(1), contract, "contribute", [POSITIVE, 1], value=client.cost())
    assert client.trainer.functions.totalSubmitted().call() == 2


def test_a_payment_the_recipient_refuses_reverts_the_whole_call(client: TrainerClient) -> None:
    contract = contributor_contract(client)
    receipt = transact(client.chain.sender(1), contract, "contribute", [POSITIVE, 1], value=client.cost())
    event = client.events.AddData().process_receipt(receipt)[0]["args"]
    mine = Added(POSITIVE, 1, event["t"], contract.address, event["cost"], receipt["gasUsed"])
    transact(client.chain.sender(1), contract, "arm", [REFUSE, [], 0, 0, client.chain.accounts[0].address])
    # The overpayment cannot be returned, so the contribution is not taken either.
    with refused("Sending Ether failed."):
        transact(client.chain.sender(1), contract, "contribute", [[3, 4], 1], value=client.cost() * 2)
    assert client.trainer.functions.totalSubmitted().call() == 1
    client.chain.advance(DAY)
    with refused("Sending Ether failed."):
        transact(client.chain.sender(1), contract, "claimRefund", [mine.data, 1, mine.time])
    assert client.claimable(mine) == mine.cost  # still owed, not lost
    assert client.trainer.functions.numValidForAddress(contract.address).call() == 0
    transact(client.chain.sender(1), contract, "arm", [NONE, [], 0, 0, client.chain.accounts[0].address])
    before = client.balance(contract.address)
    receipt = transact(client.chain.sender(1), contract, "claimRefund", [mine.data, 1, mine.time])
    assert client.paid_to(receipt) == [(contract.address, mine.cost)]
    assert client.balance(contract.address) == before + mine.cost


@pytest.mark.parametrize("trainer", ["CollaborativeTrainer64", "CollaborativeTrainerPoints64"])
@pytest.mark.parametrize(
    ("waits", "reason"),
    [
        ((DAY + 1, DAY, 9 * DAY), "The refund wait must not exceed the owner's claim wait."),
        ((DAY, 9 * DAY + 1, 9 * DAY), "The owner's claim wait must not exceed the any-address wait."),
        ((2, 1, 0), "The refund wait must not exceed the owner's claim wait."),  # the first check comes first
        ((DAY, DAY, DAY), None),  # equal waits are in order
    ],
    ids=["refund-after-owner", "owner-after-anyone", "both", "equal"],
)
def test_trainer_constructor_requires_the_waits_in_order(chain, deployments, trainer: str, waits, reason) -> None:
    """Checked by the contract itself, not only by IncentiveParams.validate()."""
    model = deployments["points"].classifier
    stakeable = trainer == "CollaborativeTrainer64"
    args = ["name", "description", "none", model, *waits] + ([COST_WEIGHT] if stakeable else [])
    if reason is None:
        contract = deploy_artifact(chain.sender(0), trainer, args)
        assert contract.functions.anyAddressClaimWaitTimeS().call() == DAY
        return
    with refused(reason):
        deploy_artifact(chain.sender(0), trainer, args)


# --------------------------------------------------------------------------- models


CLASSES_2 = ["A", "B"]


@pytest.mark.parametrize(
    ("contract", "args", "reason"),
    [
        ("SparsePerceptron", [["A"], 0, E9], "A classifier needs at least two classes."),
        ("NaiveBayesClassifier", [[], 3, [], E9], "A classifier needs at least two classes."),
        (
            "SparseNearestCentroidClassifier",
            [[f"c{i}" for i in range(257)], 3, [1] * 257],
            "At most 256 classes are supported.",
        ),
        ("SparsePerceptron", [["A", "B", "C"], 0, E9], "A perceptron has exactly two classes."),
        ("DensePerceptron", [["A", "B", "C"], 0, E9, 3], "A perceptron has exactly two classes."),
        ("DensePerceptron", [CLASSES_2, 0, E9, 0], "A model needs at least one feature."),
        ("NaiveBayesClassifier", [CLASSES_2, 0, [1, 1], E9], "A model needs at least one feature."),
        ("NearestCentroidClassifier", [CLASSES_2, 0, [1, 1]], "A model needs at least one feature."),
        ("NaiveBayesClassifier", [CLASSES_2, 3, [1], E9], "Give one sample count per class."),
        ("SparseNearestCentroidClassifier", [CLASSES_2, 3, [1, 1, 1]], "Give one sample count per class."),
        ("NearestCentroidClassifier", [CLASSES_2, 3, [1]], "Give one sample count per class."),
        ("NaiveBayesClassifier", [CLASSES_2, 3, [1, 1], 0], "The smoothing factor must be positive."),
        ("PackedNaiveBayes", [["A", "B", "C"], 3, [1, 1, 1], E9], "This Naive Bayes has exactly two classes."),
        ("PackedNaiveBayes", [CLASSES_2, 0, [1, 1], E9], "A model needs at least one feature."),
        ("PackedNaiveBayes", [CLASSES_2, 3, [1, 1], 0], "The smoothing factor must be positive."),
        ("PackedNaiveBayes", [CLASSES_2, 3, [1, 1], 2**63], "The smoothing factor is too large."),
        ("PackedNaiveBayes", [CLASSES_2, 3, [1, 2**63], E9], "A sample count is too large."),
    ],
    ids=[
        "one-class",
        "no-class",
        "257-classes",
        "sparse-perceptron-3-classes",
        "dense-perceptron-3-classes",
        "dense-no-feature",
        "nb-no-feature",
        "centroid-no-feature",
        "nb-counts",
        "snc-counts",
        "centroid-counts",
        "nb-smoothing",
        "gated-nb-3-classes",
        "gated-nb-no-feature",
        "gated-nb-smoothing",
        "gated-nb-smoothing-too-large",
        "gated-nb-samples-too-large",
    ],
)
def test_model_constructor_refusals(chain, contract: str, args: list, reason: str) -> None:
    with refused(reason):
        deploy_artifact(chain.sender(0), contract, args)


def test_a_model_cannot_be_handed_to_the_zero_address(chain) -> None:
    model = deploy_artifact(chain.sender(0), "SparsePerceptron", [CLASSES_2, 0, E9])
    with refused("The new owner cannot be the zero address."):
        transact(chain.sender(0), model, "transferOwnership", ["0x" + "00" * 20])
    assert model.functions.owner().call() == chain.accounts[0].address


@pytest.mark.parametrize("model_type", ["naive_bayes", "sparse_nearest_centroid"])
def test_a_feature_count_at_its_limit_refuses_one_more(chain, model_type: str) -> None:
    counts = [[3, 1, 2], [U64_MAX, 2, 0]]  # class B has seen feature 0 2^64 - 1 times
    spec = ModelSpec.from_dict(
        {
            "type": model_type,
            "name": "edge",
            "description": "",
            "encoder": "none",
            "classifications": CLASSES_2,
            "num_features": 3,
            "feature_counts": counts,
            "num_samples": [3, 3],
            **({"smoothing_factor": E9} if model_type == "naive_bayes" else {}),
        }
    )
    client = TrainerClient(chain, deploy(chain.sender(0), spec, POINTS))
    with refused("A feature count would overflow."):
        client.add(1, [1, 0], 1)
    assert client.model.functions.getFeatureCount(1, 1).call() == 2  # nothing of the refused update stayed
    client.add(1, [0], 0)  # the neighbouring lane (class A, same word) still counts
    assert [client.model.functions.getFeatureCount(c, 0).call() for c in (0, 1)] == [4, U64_MAX]


def test_an_upload_whose_class_total_passes_128_bits_is_refused(chain) -> None:
    """The sparse nearest centroid keeps each class's sum of squared counts in 128 bits: one count of
    2^64 - 1 fits, two do not, and the upload says so instead of truncating the total."""
    model = deploy_artifact(chain.sender(0), "SparseNearestCentroidClassifier", [CLASSES_2, 3, [1, 1]])
    with refused("A class total would overflow."):
        transact(chain.sender(0), model, "initializeCounts", [0, [U64_MAX, U64_MAX]])
    transact(chain.sender(0), model, "initializeCounts", [0, [U64_MAX]])  # class A, feature 0: (2^64 - 1)^2 fits
    assert model.functions.getFeatureCount(0, 0).call() == U64_MAX
    with refused("A class total would overflow."):
        transact(chain.sender(0), model, "initializeCounts", [1, [U64_MAX]])  # a second one in a later chunk


@pytest.mark.parametrize(("start", "step"), [(2**127 - 1, 1), (-(2**127), -1)], ids=["above", "below"])
def test_a_centroid_sum_at_its_limit_refuses_to_pass_it(chain, start: int, step: int) -> None:
    spec = ModelSpec.from_dict(
        {
            "type": "nearest_centroid",
            "name": "edge",
            "description": "",
            "encoder": "none",
            "classifications": CLASSES_2,
            "num_features": 2,
            "centroid_sums": [[start, 0], [0, 3 * E9]],
            "num_samples": [2, 3],
        }
    )
    client = TrainerClient(chain, deploy(chain.sender(0), spec, POINTS))
    with refused("A centroid sum would overflow."):
        client.add(1, [step, 5], 0)
    client.add(1, [-step, 5], 0)  # back toward zero is fine
    assert client.model.functions.getNumSamples(0).call() == 3
    centroid = client.model.get_function_by_signature("getCentroidValue(uint256,uint256)")
    assert centroid(0, 1).call() == 5 // 3
