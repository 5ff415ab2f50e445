"""The client-facing interface of REFERENCE.md, selector for selector, against the compiled ABIs."""

from __future__ import annotations

import pytest
from eth_utils import event_abi_to_log_topic, function_signature_to_4byte_selector, keccak

from dacwallet.contracts.artifacts import TRAINER_POINTS, TRAINER_STAKEABLE, load_artifact


def signature(entry: dict) -> str:
    return f"{entry['name']}({','.join(i['type'] for i in entry['inputs'])})"


def functions(contract: str) -> dict[str, dict]:
    return {signature(e): e for e in load_artifact(contract).abi if e["type"] == "function"}


def events(contract: str) -> dict[str, dict]:
    return {signature(e): e for e in load_artifact(contract).abi if e["type"] == "event"}


DATA_ARGS = "int64[],uint64,uint256,address"

# (contract, function signature, output types or None when REFERENCE.md does not fix them)
ENTRY_POINT = [
    ("name()", ["string"]),
    ("description()", ["string"]),
    ("encoder()", ["string"]),
    ("dataHandler()", ["address"]),
    ("incentiveMechanism()", ["address"]),
    ("classifier()", ["address"]),
    ("addData(int64[],uint64)", []),
    ("refund(int64[],uint64,uint256)", []),
    ("report(int64[],uint64,uint256,address)", []),
]
INCENTIVE = [
    ("getNextAddDataCost()", ["uint256"]),
    ("getNextAddDataCost(uint256)", ["uint256"]),
    ("refundWaitTimeS()", ["uint32"]),
    ("ownerClaimWaitTimeS()", ["uint32"]),
    ("anyAddressClaimWaitTimeS()", ["uint32"]),
    ("numValidForAddress(address)", ["uint128"]),
    ("totalGoodDataCount()", ["uint256"]),
    ("totalSubmitted()", ["uint256"]),
    ("addressStats(address)", ["uint128", "uint128"]),
]
DATA_HANDLER = [
    (f"getClaimableAmount({DATA_ARGS})", ["uint256"]),
    (f"getInitialDeposit({DATA_ARGS})", ["uint256"]),
    (f"getNumClaims({DATA_ARGS})", ["uint256"]),
    (f"hasClaimed({DATA_ARGS},address)", ["bool"]),
    ("addedData(bytes32)", ["uint64", "uint256", "address", "uint256", "uint256", "uint256"]),
]
CLASSIFIER = [
    ("predict(int64[])", ["uint64"]),
    ("classifications(uint256)", ["string"]),
    ("getNumClassifications()", ["uint256"]),
    ("toFloat()", ["uint32"]),
]
MODEL_SPECIFIC = {
    "SparsePerceptron": [("weights(uint64)", ["int80"]), ("intercept()", ["int80"]), ("learningRate()", ["uint32"])],
    "DensePerceptron": [("weights(uint256)", ["int80"]), ("intercept()", ["int80"]), ("learningRate()", ["uint32"])],
    "NaiveBayesClassifier": [
        ("getFeatureCount(uint256,uint32)", None),
        ("getNumSamples(uint256)", None),
        ("getClassTotalFeatureCount(uint256)", None),
        ("smoothingFactor()", None),
    ],
    "NearestCentroidClassifier": [],
    "SparseNearestCentroidClassifier": [],
}

TRAINERS = (TRAINER_STAKEABLE, TRAINER_POINTS)
CASES = (
    [(t, sig, out) for t in TRAINERS for sig, out in ENTRY_POINT + INCENTIVE + DATA_HANDLER]
    + [(TRAINER_STAKEABLE, "costWeight()", None), (TRAINER_STAKEABLE, "lastUpdateTimeS()", None)]
    + [(m, sig, out) for m, extra in MODEL_SPECIFIC.items() for sig, out in CLASSIFIER + extra]
)


@pytest.mark.parametrize(("contract", "sig", "outputs"), CASES, ids=[f"{c}.{s}" for c, s, _ in CASES])
def test_function_is_kept(contract: str, sig: str, outputs: list[str] | None) -> None:
    abi = functions(contract)
    assert sig in abi, f"{contract} lacks {sig}"
    if outputs is not None:
        assert [o["type"] for o in abi[sig]["outputs"]] == outputs


@pytest.mark.parametrize(
    ("sig", "selector"),
    [
        ("addData(int64[],uint64)", "b7754479"),
        ("refund(int64[],uint64,uint256)", "5484f311"),
        ("report(int64[],uint64,uint256,address)", "00337869"),
        ("predict(int64[])", "5f7066a2"),
        ("getNextAddDataCost()", "1bce9b4d"),
        ("getNextAddDataCost(uint256)", "722489f9"),
    ],
)
def test_published_selectors(sig: str, selector: str) -> None:
    assert function_signature_to_4byte_selector(sig).hex() == selector


def test_add_data_is_payable_and_claims_are_not() -> None:
    abi = functions(TRAINER_STAKEABLE)
    assert abi["addData(int64[],uint64)"]["stateMutability"] == "payable"
    assert abi["refund(int64[],uint64,uint256)"]["stateMutability"] == "nonpayable"
    assert functions("SparsePerceptron")["predict(int64[])"]["stateMutability"] == "view"


@pytest.mark.parametrize("trainer", TRAINERS)
def test_add_data_event_matches_the_published_topic(trainer: str) -> None:
    event = events(trainer)["AddData(int64[],uint64,uint256,address,uint256)"]
    assert event_abi_to_log_topic(event).hex() == "43990eb900dbf1bd132b1c5424d4a391a29eef2a51ae2771ad657340a8e55b91"
    assert [i["indexed"] for i in event["inputs"]] == [False, False, False, True, False]
    assert [i["name"] for i in event["inputs"]] == ["d", "c", "t", "sender", "cost"]


@pytest.mark.parametrize(
    ("trainer", "sig"),
    [
        (TRAINER_STAKEABLE, "Refund(address,uint256)"),
        (TRAINER_STAKEABLE, "Report(address,uint256)"),
        (TRAINER_POINTS, "Refund(address)"),
        (TRAINER_POINTS, "Report(address)"),
    ],
)
def test_claim_events_decode_like_the_reference(trainer: str, sig: str) -> None:
    """No indexed field, so a client built on the reference ABI decodes them unchanged."""
    event = events(trainer)[sig]
    assert event_abi_to_log_topic(event) == keccak(text=sig)
    assert not any(i["indexed"] for i in event["inputs"])
