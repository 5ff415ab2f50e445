"""Qt-free steps of a contribution that the GUI runs in the runner."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dacwallet.keys.errors import WrongPasswordError
from dacwallet.store.contributions import StoredContribution
from dacwallet.usecases.context import WalletContext
from dacwallet.usecases.contribute import contribute
from dacwallet.usecases.preview import ChainPreview, chain_preview
from dacwallet.usecases.sending import signer_for


@dataclass(frozen=True)
class PreparedContribution:
    """What the confirmation dialog needs: the chain's preview and whether a password must be typed."""

    preview: ChainPreview
    address: str
    account_name: str
    remembered: bool
    balance_wei: int | None


def prepare(ctx: WalletContext, text: str, label: int, address: str) -> PreparedContribution:
    preview = chain_preview(ctx, text, label, address)
    remembered = ctx.keys.memory.recall(address) is not None
    try:
        balance: int | None = ctx.w3.eth.get_balance(address)
    except Exception:  # noqa: BLE001 - unknown, never zero
        balance = None
    return PreparedContribution(preview, address, ctx.keys.account(address).name, remembered, balance)


def send_contribution(ctx: WalletContext, address: str, password: str | None, text: str, label: int,
                      on_stage: Callable[[str], None]) -> StoredContribution:
    """Checks a typed password first (a wrong one changes nothing), then contributes."""
    signer = signer_for(ctx, address, password)
    if password is not None:
        on_stage("checking the password")
        if not signer.signer.unlock(password):
            raise WrongPasswordError(f"account '{ctx.keys.account(address).name}'")
    return contribute(ctx, signer, text, label, on_stage=on_stage)
