"""What the app reads again every few seconds, in one step: the chain's status, the wallet's own contributions
with their statuses now, and the accounts' names."""

from __future__ import annotations

from dataclasses import dataclass

from dacwallet.usecases.account_manage import account_names
from dacwallet.usecases.chainops import ChainStatus, status
from dacwallet.usecases.claims import ContributionStatus, own_contributions
from dacwallet.usecases.context import WalletContext


@dataclass(frozen=True)
class Snapshot:
    status: ChainStatus
    contributions: list[ContributionStatus]  # none while no model is known on this chain
    names: dict[str, str]  # address -> account name


def take_snapshot(ctx: WalletContext) -> Snapshot:
    mine = own_contributions(ctx) if ctx.deployment is not None else []
    return Snapshot(status(ctx), mine, account_names(ctx))
