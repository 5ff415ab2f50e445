"""The model in use as the Model page shows it: its deployment, the chain's status and its rules, and the words
of its vocabulary that weigh most in the local mirror."""

from __future__ import annotations

from dataclasses import dataclass

from dacwallet.contracts.deployment import Deployment
from dacwallet.ml.catalog import ModelBundle
from dacwallet.ml.mirrors import Mirror
from dacwallet.usecases.chainops import ChainStatus, status
from dacwallet.usecases.context import WalletContext
from dacwallet.usecases.preview import feature_evidence
from dacwallet.usecases.rules import Rules


@dataclass(frozen=True)
class ModelInfo:
    deployment: Deployment
    status: ChainStatus
    rules: Rules


def model_info(ctx: WalletContext) -> ModelInfo:
    """ContractError when no model is known on this chain."""
    deployment = ctx.require_deployment()
    return ModelInfo(deployment, status(ctx), Rules.read(ctx.w3, deployment))


def strongest_words(
    bundle: ModelBundle, mirror: Mirror, count: int = 12
) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
    """(most positive, most negative) vocabulary entries by how much each pushes the mirror toward class 1
    (binary models; every weight is 0 otherwise, and both lists are empty)."""
    vocabulary = getattr(bundle.encoder, "vocabulary", None) or ()
    features = int(bundle.model.get("num_features", 0))
    named = [(vocabulary[i] if i < len(vocabulary) else str(i), feature_evidence(mirror, i)) for i in range(features)]
    ranked = sorted(named, key=lambda item: item[1])
    positive = [item for item in reversed(ranked[-count:]) if item[1] > 0]
    negative = [item for item in ranked[:count] if item[1] < 0]
    return positive, negative
