"""Checking a model file against a deployment before its mirror is trusted.

The file is replayed through every contribution the chain has seen; then the parameters the contract holds
(weights, counts, centroids, intercept, learning rate, ...) are spot-checked against that replay, and a few
inputs are predicted by both. A file the deployment was not made from is refused with what differs.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from web3.contract import Contract

from dacwallet.contracts.calls import read
from dacwallet.contracts.deployment import Deployment, classifier_contract
from dacwallet.errors import ContractError, InputError
from dacwallet.ml.mirrors import Batch, Mirror, ModelRevert, mirror_for
from dacwallet.ml.reference_model import REFERENCE_CONTRACTS, TO_FLOAT
from dacwallet.sync.events import read_contributions
from dacwallet.sync.indexer import Indexer

if TYPE_CHECKING:
    from dacwallet.usecases.context import WalletContext

SPOT_CHECKS = 24  # parameters compared with the contract: spread over the features, plus those contributions moved
PROBES = 4  # inputs predicted by both the contract and the mirror
REFUSED = "a refusal"
# Views of the reference classifiers that none of ours has (the encoder outputs a dense model keeps; the sparse
# nearest centroid's values, keyed by uint32, and squared magnitudes).
_REFERENCE_VIEWS_ABI = [
    {
        "type": "function",
        "name": name,
        "stateMutability": "view",
        "inputs": inputs,
        "outputs": [{"name": "", "type": output}],
    }
    for name, inputs, output in (
        ("getNumFeatureIndices", [], "uint256"),
        ("featureIndices", [{"name": "", "type": "uint256"}], "uint32"),
        ("getCentroidValue", [{"name": "", "type": "uint256"}, {"name": "", "type": "uint32"}], "uint64"),
        ("getSquaredMagnitude", [{"name": "", "type": "uint256"}], "uint256"),
    )
]

Check = tuple[str, Any, Any]  # (what, the contract's value, the file's value after the replay)


def check_against_chain(ctx: WalletContext, deployment: Deployment, model: dict[str, Any], where: str) -> None:
    """Refuses ``model`` unless, replayed through the chain's contributions, it holds what the contract holds."""
    if model["type"] != deployment.model_type:
        raise InputError(
            f"{where} is a {model['type'].replace('_', ' ')} model, but the deployment's model "
            f"contract is a {deployment.model_type.replace('_', ' ')}."
        )
    if tuple(model["classifications"]) != tuple(deployment.classifications):
        raise InputError(
            f"{where} has the classes {', '.join(model['classifications'])}; the deployment's are "
            f"{', '.join(deployment.classifications)}."
        )
    Indexer(ctx.w3, ctx.db, ctx.chain_key, deployment).sync()
    batch, _ = read_contributions(ctx.db, ctx.chain_key, deployment.trainer)
    mirror = mirror_for(model)
    mirror.replay(batch)
    contract = classifier_contract(ctx.w3, deployment.classifier)
    checks = [*_spot_checks(contract, mirror, model, batch), *_probes(contract, mirror, model, batch)]
    for what, on_chain, local in checks:
        if on_chain != local:
            raise InputError(
                f"{where} does not match the deployment: the contract holds {what} = {on_chain}, the "
                f"file (after the chain's {len(batch)} contributions) gives {local}. Choose the file "
                "it was deployed from."
            )


def _indices(count: int, touched: list[int]) -> list[int]:
    spread = sorted({round(k * (count - 1) / (SPOT_CHECKS - 1)) for k in range(SPOT_CHECKS)}) if count > 0 else []
    return sorted(set(spread) | set(touched[:SPOT_CHECKS]))


def _touched(batch: Batch, below: int) -> list[int]:
    """The feature indices the chain's contributions sent (those a sparse model's update moved)."""
    return sorted({int(i) for i in batch.data if 0 <= i < below})


def _spot_checks(contract: Contract, mirror: Any, model: dict[str, Any], batch: Batch) -> Iterator[Check]:
    """A sample of the parameters the contract holds, with the mirror's (``mirror`` is ``model``'s)."""
    kind, n = model["type"], int(model["num_features"])
    reference = model.get("contracts") == REFERENCE_CONTRACTS
    f = contract.functions
    if kind.endswith("perceptron"):
        yield "the intercept", read(f.intercept(), "The intercept"), mirror.intercept
        yield "the learning rate", read(f.learningRate(), "The learning rate"), mirror.learning_rate
        if kind == "sparse_perceptron":
            weight = contract.get_function_by_signature("weights(uint64)")
            for i in _indices(n, _touched(batch, 2**63)):
                yield f"weight {i}", read(weight(i), "A weight"), mirror.weight(i)
        else:
            weight = contract.get_function_by_signature("weights(uint256)")
            for i in _indices(n, []):
                yield f"weight {i}", read(weight(i), "A weight"), mirror.weights[i]
        if reference and kind == "dense_perceptron":
            yield from _feature_indices(contract, model.get("feature_indices", []))
        return
    for c in range(len(model["classifications"])):
        yield f"the sample count of class {c}", read(f.getNumSamples(c), "A sample count"), mirror.num_samples[c]
        if kind == "nearest_centroid" and reference:
            value = contract.get_function_by_signature("getCentroidValue(uint256,uint256)")  # not the sparse one's
            for j in _indices(n, []):
                yield f"centroid value {j} of class {c}", read(value(c, j), "A centroid value"), mirror.centroid(c, j)
        if kind == "sparse_nearest_centroid" and reference:
            views = _reference_views(contract)
            for i in _indices(n, _touched(batch, 2**32)):
                value = read(views.getCentroidValue(c, i), "A centroid value")
                yield f"centroid value {i} of class {c}", value, mirror.centroid(c, i)
            magnitude = read(views.getSquaredMagnitude(c), "A squared magnitude")
            yield f"the squared magnitude of class {c}", magnitude, mirror.squared_magnitude[c]
        elif kind in ("naive_bayes", "gated_naive_bayes", "sparse_nearest_centroid"):
            for i in _indices(n, _touched(batch, 2**32)):
                yield (
                    f"the count of feature {i} in class {c}",
                    read(f.getFeatureCount(c, i), "A count"),
                    mirror.count(c, i),
                )
        if kind == "naive_bayes" and reference:
            total = read(f.getClassTotalFeatureCount(c), "A class total")
            yield f"the feature total of class {c}", total, mirror.total_feature_count[c]
    if kind == "naive_bayes" and reference:
        yield "the smoothing factor", read(f.smoothingFactor(), "The smoothing factor"), mirror.smoothing_factor


def _feature_indices(contract: Contract, expected: list[int]) -> Iterator[Check]:
    """The encoder outputs a reference dense model keeps: how many, and a sample of them."""
    f = _reference_views(contract)
    yield "the number of feature indices", read(f.getNumFeatureIndices(), "The feature indices"), len(expected)
    for i in _indices(len(expected), []):
        yield f"feature index {i}", read(f.featureIndices(i), "A feature index"), expected[i]


def _reference_views(contract: Contract) -> Any:
    return contract.w3.eth.contract(address=contract.address, abi=_REFERENCE_VIEWS_ABI).functions


def _probes(contract: Contract, mirror: Mirror, model: dict[str, Any], batch: Batch) -> Iterator[Check]:
    """Predictions of a few inputs (the last contributions, or unit vectors for a dense model), by both."""
    n = int(model["num_features"])
    if model["type"] in ("dense_perceptron", "nearest_centroid"):
        inputs = [[TO_FLOAT if k == j else 0 for k in range(n)] for j in _indices(n, [])[:PROBES]]
    else:
        inputs = [[int(v) for v in batch.row(r)] for r in range(max(0, len(batch) - PROBES), len(batch))]
        inputs.append([i for i in _indices(n, []) if i < n])
    for data in inputs:
        try:
            local: Any = mirror.predict(data)
        except ModelRevert:
            local = REFUSED
        try:
            on_chain: Any = read(contract.functions.predict(data), "A prediction")
        except ContractError:
            on_chain = REFUSED
        shown = data if len(data) <= 8 else f"{data[:8]}... ({len(data)} values)"
        yield f"the prediction for {shown}", on_chain, local
