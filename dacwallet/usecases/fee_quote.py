"""The network fee of a transaction before it is signed: its gas (estimated at the pending block, with the
margin the wallet signs) times the most a unit of gas can cost (the fee the wallet would sign now)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dacwallet.chain.transactions import TransactionSender, WatchOnly
from dacwallet.usecases.context import WalletContext


@dataclass(frozen=True)
class FeeQuote:
    gas: int
    max_fee_wei: int  # gas x max fee per gas: the most the network fee can be


def quote_fee(ctx: WalletContext, address: str, fields: dict[str, Any], action: str) -> FeeQuote:
    """RevertError (with the contract's reason) when the transaction would be refused."""
    sender = TransactionSender(ctx.w3, WatchOnly(address))
    gas = sender.estimate_gas({**fields, "from": address}, action=action)
    fees = sender.fee_fields()
    return FeeQuote(gas, gas * fees.get("maxFeePerGas", fees.get("gasPrice", 0)))
