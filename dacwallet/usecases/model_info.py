"""The model in use as the Model page shows it: its deployment, the chain's status and its rules, and how much
each word of the vocabulary weighs in the local mirror."""

from __future__ import annotations

from dataclasses import dataclass

from dacwallet.contracts.deployment import Deployment
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


def feature_weights(mirror: Mirror, count: int) -> list[float]:
    """How much each of the first ``count`` features pushes toward class 1 (binary models; 0 otherwise)."""
    return [feature_evidence(mirror, i) for i in range(count)]
