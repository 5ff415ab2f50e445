"""The local mirror of the deployed model, brought up to date from the indexed AddData events."""

from __future__ import annotations

from dacwallet.ml.mirrors import Mirror
from dacwallet.usecases.context import WalletContext
from dacwallet.usecases.ledger import refresh_ledger


def current_mirror(ctx: WalletContext) -> Mirror | None:
    """The model as it is now; None when no model file is known for the deployment."""
    if ctx.bundle is None or ctx.deployment is None:
        return None
    return refresh_ledger(ctx).mirror
