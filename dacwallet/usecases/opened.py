"""What a face keeps about an open wallet: plain values read once from the context and its model in use, so a
GUI thread never touches the context itself (its sqlite connection and chain belong to one worker)."""

from __future__ import annotations

from dataclasses import dataclass

from dacwallet.ml.catalog import ModelBundle
from dacwallet.ml.mirrors import Mirror
from dacwallet.usecases.context import WalletContext
from dacwallet.usecases.local_copy import missing_note
from dacwallet.usecases.payout import pays_points
from dacwallet.usecases.sync_mirror import current_mirror


@dataclass(frozen=True)
class Opened:
    network: str
    chain_id: int
    embedded: bool
    bundle: ModelBundle | None
    classifications: tuple[str, ...]
    model_name: str | None
    mirror: Mirror | None
    reset_from: str | None
    journal_notes: int
    local_copy_note: str | None = None  # why the model in use has no local copy here (no model file, no vocabulary)
    pays_points: bool = False  # a points model: no deposit, claims earn points (never "0 ETH")


def read_opened(ctx: WalletContext, reset_from: str | None, journal_notes: int) -> Opened:
    """The plain values about ``ctx`` and its active model (read where the context lives, off the GUI thread)."""
    deployment = ctx.deployment
    return Opened(
        ctx.connection.spec.url,
        ctx.connection.chain_id,
        ctx.connection.spec.is_embedded,
        ctx.bundle,
        tuple(deployment.classifications) if deployment else (),
        deployment.name if deployment else None,
        current_mirror(ctx),
        reset_from,
        journal_notes,
        missing_note(ctx),
        pays_points(deployment),
    )
