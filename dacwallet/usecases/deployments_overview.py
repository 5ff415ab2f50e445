"""The models of this chain as the Model page lists them, read in one step: every known deployment, the one whose
deployment stopped part-way (if any), and which of the wallet's accounts started it."""

from __future__ import annotations

from dataclasses import dataclass

from dacwallet.usecases.account_manage import account_names
from dacwallet.usecases.context import WalletContext
from dacwallet.usecases.deployments import KnownRow, Unfinished, known_deployments, unfinished


@dataclass(frozen=True)
class DeploymentsOverview:
    rows: list[KnownRow]
    unfinished: Unfinished | None
    deployer_name: str | None  # the wallet's account that started the unfinished deployment, if it is one


def deployments_overview(ctx: WalletContext) -> DeploymentsOverview:
    stopped = unfinished(ctx)
    deployer = stopped.progress.deployer if stopped is not None else None
    name = account_names(ctx).get(deployer) if deployer is not None else None
    return DeploymentsOverview(known_deployments(ctx), stopped, name)
