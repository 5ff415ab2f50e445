"""What an operation moved (contributions, transactions, accounts, deployments), for the GUI to refresh
only that: every state write goes through ``store.lifecycle.apply``, which records what it moved."""

from __future__ import annotations

from dacwallet.store.lifecycle import EVERYTHING, NOTHING, Changes, drain
from dacwallet.usecases.context import WalletContext

__all__ = ["Changes", "EVERYTHING", "NOTHING", "drain_changes"]


def drain_changes(ctx: WalletContext) -> Changes:
    """What moved in ``ctx``'s store since the last call (NOTHING when nothing did)."""
    return drain(ctx.db)
