"""The Qt-free step that prepares a contribution's confirmation (the GUI runs it in the runner)."""

from __future__ import annotations

from dataclasses import dataclass

from dacwallet.usecases.context import WalletContext
from dacwallet.usecases.preview import ChainPreview, chain_preview


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
    except Exception:
        balance = None
    return PreparedContribution(preview, address, ctx.keys.account(address).name, remembered, balance)
