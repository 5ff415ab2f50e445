"""The local mirror of the deployed model, brought up to date from the chain's AddData events."""

from __future__ import annotations

from dacwallet.ml.mirrors import Batch, Mirror
from dacwallet.usecases.community import added_contributions
from dacwallet.usecases.context import WalletContext


def current_mirror(ctx: WalletContext) -> Mirror | None:
    """The model file's initial state replayed through every contribution; None without a model file."""
    if ctx.bundle is None or ctx.deployment is None:
        return None
    mirror = ctx.bundle.new_mirror()
    added = added_contributions(ctx.w3, ctx.deployment)
    if added:
        mirror.replay(Batch.from_lists([list(c.data) for c in added], [c.label for c in added]))
    return mirror
