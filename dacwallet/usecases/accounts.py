"""Accounts as the faces show them: keystore operations plus balances and test ether."""

from __future__ import annotations

from dataclasses import dataclass

from web3 import Web3

from dacwallet.errors import ChainError
from dacwallet.keys.store import AccountInfo
from dacwallet.usecases.context import WalletContext

TEST_ETHER_WEI = 100 * 10**18


@dataclass(frozen=True)
class AccountView:
    name: str
    address: str
    balance_wei: int | None  # None: the node did not answer (never shown as zero)


def list_accounts(ctx: WalletContext) -> list[AccountView]:
    return [AccountView(info.name, info.address, balance_of(ctx, info.address)) for info in ctx.keys.accounts()]


def balance_of(ctx: WalletContext, address: str) -> int | None:
    """The address's balance in wei; None when the node does not answer (never shown as zero)."""
    try:
        return ctx.w3.eth.get_balance(Web3.to_checksum_address(address))
    except Exception:  # any node failure means "unknown", never zero
        return None


def give_test_ether(ctx: WalletContext, address: str, wei: int = TEST_ETHER_WEI) -> None:
    """Funds ``address`` from the embedded chain's faucet; other chains have no faucet."""
    if ctx.connection.embedded is None:
        raise ChainError("Test ether comes from the embedded chain's faucet; on this network use its own faucet.")
    ctx.connection.embedded.fund(Web3.to_checksum_address(address), wei)


def fund_new_account(ctx: WalletContext, info: AccountInfo) -> None:
    """A new or imported account gets test ether on the embedded chain, so it can contribute at once."""
    if ctx.connection.embedded is not None:
        give_test_ether(ctx, info.address)
