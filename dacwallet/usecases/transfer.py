"""Sending ether to an address: checked before anything is signed, then through the journal like every
other transaction (signed and recorded before the node sees it), so a crash never sends twice.

Refused before signing, with the reason: an address that is not 0x + 40 hex digits or whose mixed-case
checksum is wrong (a typo), an amount that is not a positive number of ETH, and an amount that with
the most the network fee can cost is more than the balance.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from web3 import Web3

from dacwallet.chain.fees import FeeOverride, apply_override, max_cost
from dacwallet.chain.transactions import TransactionSender, WatchOnly
from dacwallet.errors import InputError
from dacwallet.store.lifecycle import TxKind
from dacwallet.usecases.context import WalletContext
from dacwallet.usecases.sending import UnlockedSigner, send_journaled

ACTION = "The transfer"
WEI_PER_ETH = 10**18
_ADDRESS = re.compile(r"0x[0-9a-fA-F]{40}")
ZERO_ADDRESS = "0x" + "0" * 40


@dataclass(frozen=True)
class SendPreview:
    """What a transfer will cost, before signing: the amount, the network fee at most, and their total."""

    sender: str
    to: str
    amount_wei: int
    gas: int
    fees: dict[str, int]  # maxFeePerGas + maxPriorityFeePerGas, or gasPrice
    balance_wei: int

    @property
    def max_fee_wei(self) -> int:
        return max_cost(self.gas, self.fees)

    @property
    def total_wei(self) -> int:
        """What leaves the account at most: the amount plus the largest possible fee."""
        return self.amount_wei + self.max_fee_wei


@dataclass(frozen=True)
class SendResult:
    tx_hash: str
    to: str
    amount_wei: int
    fee_wei: int  # the fee actually paid (gas used x effective price)
    block: int


def parse_address(text: str) -> str:
    """A recipient as typed: 0x + 40 hex digits; mixed case must carry a valid EIP-55 checksum."""
    candidate = text.strip()
    if not _ADDRESS.fullmatch(candidate):
        raise InputError(
            f"'{candidate[:50]}' is not an Ethereum address: it must be 0x followed by 40 hexadecimal "
            "characters. Copy the whole address again."
        )
    digits = candidate[2:]
    mixed = digits != digits.lower() and digits != digits.upper()
    if mixed and not Web3.is_checksum_address(candidate):
        raise InputError(
            "The address's capital letters do not match its checksum, so a character is probably "
            "wrong. Copy the address again from its source."
        )
    if candidate.lower() == ZERO_ADDRESS:
        raise InputError("That is the zero address: ether sent there is lost for good. Check the recipient.")
    return Web3.to_checksum_address(candidate)


def parse_amount(text: str) -> int:
    """ETH as typed ("0.5", "2") in wei; refuses what is not a positive number with at most 18 decimals."""
    cleaned = text.strip()
    if "," in cleaned:  # "1,5" is 1.5 in much of the world and 15 with the comma dropped: never guess
        raise InputError("Write the amount with a dot for decimals and no thousands separators, e.g. 1.5.")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise InputError(f"The amount must be a number of ETH, e.g. 0.5 (got '{text.strip()[:30]}').") from None
    if not amount.is_finite() or amount <= 0:
        raise InputError("The amount must be more than 0 ETH.")
    wei = amount * WEI_PER_ETH
    if wei != wei.to_integral_value():
        raise InputError("The amount has more than 18 decimals; 1 wei (0.000000000000000001 ETH) is the smallest unit.")
    return int(wei)


def preview_send(
    ctx: WalletContext, sender: str, to: str, amount_wei: int, fee: FeeOverride | None = None
) -> SendPreview:
    """The checked transfer with its gas and fee; InputError (with the reason) when it cannot be sent."""
    to = parse_address(to)
    if amount_wei <= 0:
        raise InputError("The amount must be more than 0 ETH.")
    if to.lower() == sender.lower():
        raise InputError("That is this account's own address; choose another recipient.")
    estimator = TransactionSender(ctx.w3, WatchOnly(sender))
    fields = {"from": sender, "to": to, "value": amount_wei}
    balance = ctx.w3.eth.get_balance(Web3.to_checksum_address(sender))
    if amount_wei > balance:
        raise InputError(f"You cannot send {format_eth(amount_wei)} ETH: the account holds {format_eth(balance)} ETH.")
    gas = estimator.estimate_gas(fields, action=ACTION)
    fees = apply_override(estimator.suggest_fees(), fee)
    preview = SendPreview(sender, to, amount_wei, gas, fees, balance)
    if preview.total_wei > balance:
        raise InputError(
            f"{format_eth(amount_wei)} ETH plus a network fee of up to {format_eth(preview.max_fee_wei)} ETH is "
            f"{format_eth(preview.total_wei)} ETH, more than the account's {format_eth(balance)} ETH. "
            f"Send at most {format_eth(max(0, balance - preview.max_fee_wei))} ETH."
        )
    return preview


def send_ether(
    ctx: WalletContext,
    signer: UnlockedSigner,
    to: str,
    amount_wei: int,
    *,
    on_stage: Callable[[str], None] | None = None,
    fee: FeeOverride | None = None,
) -> SendResult:
    """Checks again (the balance may have moved since the preview), then signs, journals, sends and waits."""
    preview = preview_send(ctx, signer.address, to, amount_wei, fee)
    receipt = send_journaled(
        ctx,
        signer,
        {"to": preview.to, "value": amount_wei},
        kind=TxKind.SEND,
        action=ACTION,
        on_stage=on_stage,
        fee=fee,
    )
    paid = receipt["gasUsed"] * receipt.get("effectiveGasPrice", 0)
    return SendResult(Web3.to_hex(receipt["transactionHash"]), preview.to, amount_wei, paid, receipt["blockNumber"])


def format_eth(wei: int) -> str:
    """Exact ETH without trailing zeros ("0.5", "1.000021"): the figures a refusal quotes must add up."""
    text = f"{Decimal(wei) / WEI_PER_ETH:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
