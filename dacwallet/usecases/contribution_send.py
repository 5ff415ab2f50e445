"""A contribution from its preview to the chain, the same in the CLI and the app: what the user is shown before
signing, and the one check that refuses what would block sending."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dacwallet.chain.fees import FeeOverride
from dacwallet.errors import InputError
from dacwallet.store.contributions import StoredContribution
from dacwallet.store.lifecycle import Stage
from dacwallet.usecases.account_manage import is_remembered
from dacwallet.usecases.accounts import balance_of
from dacwallet.usecases.context import WalletContext
from dacwallet.usecases.contribute import contribute
from dacwallet.usecases.preview import ChainPreview, chain_preview
from dacwallet.usecases.sending import UnlockedSigner


@dataclass(frozen=True)
class PreparedContribution:
    """What the confirmation shows: the chain's preview, the account, and whether a password must be typed."""

    preview: ChainPreview
    address: str
    account_name: str
    remembered: bool
    balance_wei: int | None  # None: the node did not answer


def prepare(ctx: WalletContext, text: str, label: str | int, address: str) -> PreparedContribution:
    preview = chain_preview(ctx, text, label, address)
    return PreparedContribution(
        preview, address, ctx.keys.account(address).name, is_remembered(ctx.keys, address), balance_of(ctx, address)
    )


def require_sendable(preview: ChainPreview) -> None:
    """InputError saying what blocks sending (not enough ether, a refused estimate); nothing when nothing does."""
    if preview.blocking:
        raise InputError(" ".join(preview.blocking))


def send_previewed(
    ctx: WalletContext,
    signer: UnlockedSigner,
    text: str,
    preview: ChainPreview,
    *,
    on_stage: Callable[[Stage], None] | None = None,
    fee: FeeOverride | None = None,
    pending_ok: bool = False,
) -> StoredContribution:
    """Contributes ``text`` with the preview's label, unless the preview found something blocking, and never
    with a deposit above the one the preview quoted (the one the user saw)."""
    require_sendable(preview)
    return contribute(
        ctx,
        signer,
        text,
        preview.label,
        on_stage=on_stage,
        fee=fee,
        pending_ok=pending_ok,
        deposit_at_most=preview.deposit.send_wei,
    )
