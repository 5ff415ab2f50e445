"""A deployed model stack, and attaching to one by address (with validation)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from eth_abi import encode as abi_encode
from eth_utils import function_signature_to_4byte_selector
from web3 import Web3
from web3.contract import Contract
from web3.contract.contract import ContractFunction
from web3.exceptions import BadFunctionCallOutput, Web3Exception

from dacwallet.chain.transactions import REVERT_ERRORS
from dacwallet.contracts.artifacts import TRAINER_POINTS, TRAINER_STAKEABLE, combined_abi
from dacwallet.errors import ContractError

MODEL_CONTRACTS = (
    "SparsePerceptron",
    "DensePerceptron",
    "NaiveBayesClassifier",
    "PackedNaiveBayes",
    "SparseNearestCentroidClassifier",
    "NearestCentroidClassifier",
)

# Functions whose presence tells the model type apart, tried in order (selectors differ).
_MODEL_PROBES = (
    ("gated_naive_bayes", "GATE_NUMERATOR()", ()),  # before naive_bayes: it has smoothingFactor() too
    ("naive_bayes", "smoothingFactor()", ()),
    ("sparse_nearest_centroid", "getSumOfSquares(uint256)", (0,)),
    ("sparse_nearest_centroid", "getSquaredMagnitude(uint256)", (0,)),  # the reference's name for it
    ("nearest_centroid", "getCentroidValue(uint256,uint256)", (0, 0)),
    ("sparse_perceptron", "weights(uint64)", (0,)),
    ("dense_perceptron", "weights(uint256)", (0,)),
)


@dataclass(frozen=True)
class Deployment:
    """Addresses and identity of one collaborative model (ours or a reference deployment)."""

    trainer: str
    data_handler: str
    incentive_mechanism: str
    classifier: str
    name: str
    description: str
    encoder: str
    classifications: tuple[str, ...]
    model_type: str
    incentive: str  # "stakeable" or "points"


def trainer_contract(w3: Web3, address: str) -> Contract:
    """The entry point with an ABI covering both incentive flavours."""
    return _per_connection(w3, address, "trainer", lambda: combined_abi(TRAINER_STAKEABLE, TRAINER_POINTS))


def incentive_contract(w3: Web3, address: str) -> Contract:
    return trainer_contract(w3, address)


def data_handler_contract(w3: Web3, address: str) -> Contract:
    return trainer_contract(w3, address)


def classifier_contract(w3: Web3, address: str) -> Contract:
    """A model contract with every model's functions (calls that a type lacks revert)."""
    return _per_connection(w3, address, "model", lambda: combined_abi(*MODEL_CONTRACTS))


def _per_connection(w3: Web3, address: str, abi_name: str, abi: Callable[[], list[dict[str, Any]]]) -> Contract:
    """The contract object for ``address``, made once per connection and kept on its ``Web3``: making one
    validates the whole ABI and builds an object per function and event (milliseconds for these combined
    ABIs), and one action (a contribution) asked for the same contract five times. It holds no chain data."""
    checksum = Web3.to_checksum_address(address)
    made: dict[tuple[str, str], Contract] = w3.__dict__.setdefault("_dacwallet_contracts", {})
    contract = made.get((abi_name, checksum))
    if contract is None:
        contract = made[(abi_name, checksum)] = w3.eth.contract(address=checksum, abi=abi())
    return contract


def attach(w3: Web3, address: str) -> Deployment:
    """Reads and validates the deployment at ``address``.

    Raises ContractError when there is no contract, it does not answer the
    collaborative-trainer interface, or its parts are not owned by the entry point.
    """
    try:
        checksum = Web3.to_checksum_address(address)
    except (ValueError, TypeError) as exc:
        raise ContractError(f"{address!r} is not an Ethereum address.") from exc
    if not w3.eth.get_code(checksum):
        raise ContractError(f"There is no contract at {checksum} on this chain; check the address and the network.")
    trainer = trainer_contract(w3, checksum)
    try:
        name = trainer.functions.name().call()
        description = trainer.functions.description().call()
        encoder = trainer.functions.encoder().call()
        classifier_address = trainer.functions.classifier().call()
        data_handler = trainer.functions.dataHandler().call()
        incentive_address = trainer.functions.incentiveMechanism().call()
        classifier = classifier_contract(w3, classifier_address)
        n_classes = classifier.functions.getNumClassifications().call()
        classifications = tuple(classifier.functions.classifications(i).call() for i in range(n_classes))
        incentive = incentive_contract(w3, incentive_address)
        incentive.functions.getNextAddDataCost().call()
        incentive.functions.refundWaitTimeS().call()
    except (*REVERT_ERRORS, BadFunctionCallOutput, Web3Exception, ValueError, OverflowError) as exc:
        raise ContractError(
            f"The contract at {checksum} does not answer the collaborative-trainer interface; "
            "is this the entry point (CollaborativeTrainer64) of a model?",
            detail=str(exc),
        ) from exc
    _check_owned(w3, checksum, classifier_address, "model")
    for part, label in ((data_handler, "data handler"), (incentive_address, "incentive mechanism")):
        if part != checksum:
            _check_owned(w3, checksum, part, label)
    return Deployment(
        trainer=checksum,
        data_handler=data_handler,
        incentive_mechanism=incentive_address,
        classifier=classifier_address,
        name=name,
        description=description,
        encoder=encoder,
        classifications=classifications,
        model_type=_model_type(classifier),
        incentive=_incentive_kind(incentive),
    )


def _check_owned(w3: Web3, trainer: str, part: str, label: str) -> None:
    owner_abi = [
        {
            "type": "function",
            "name": "owner",
            "stateMutability": "view",
            "inputs": [],
            "outputs": [{"name": "", "type": "address"}],
        }
    ]
    try:
        owner = w3.eth.contract(address=Web3.to_checksum_address(part), abi=owner_abi).functions.owner().call()
    except (*REVERT_ERRORS, BadFunctionCallOutput, Web3Exception, ValueError) as exc:
        raise ContractError(f"The {label} at {part} does not say who owns it, so it cannot be trusted.") from exc
    if owner != trainer:
        raise ContractError(
            f"The {label} at {part} is owned by {owner}, not by the entry point {trainer}: "
            "the deployment is unfinished or someone else controls the model."
        )


def _answers(call: ContractFunction) -> bool:
    try:
        call.call()
    except (*REVERT_ERRORS, BadFunctionCallOutput, Web3Exception, ValueError):
        return False
    return True


def _model_type(classifier: Contract) -> str:
    for model_type, signature, args in _MODEL_PROBES:
        if _answers_raw(classifier, signature, args):
            return model_type
    return "unknown"


def _answers_raw(contract: Contract, signature: str, args: tuple[int, ...]) -> bool:
    """True when ``contract`` answers ``signature`` (which need not be in its ABI: the reference names some
    functions differently) with at least one word."""
    types = signature[signature.index("(") + 1 : -1].split(",") if args else []
    data = function_signature_to_4byte_selector(signature) + abi_encode(types, list(args))
    try:
        return len(contract.w3.eth.call({"to": contract.address, "data": data})) >= 32
    except (*REVERT_ERRORS, Web3Exception, ValueError):
        return False


def _incentive_kind(incentive: Contract) -> str:
    return "stakeable" if _answers(incentive.functions.costWeight()) else "points"
