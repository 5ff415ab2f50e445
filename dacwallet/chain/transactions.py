"""Building, signing and sending transactions: nonce, gas, fees, receipt, revert reason."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, cast

from eth_account._utils.legacy_transactions import Transaction as LegacyTransaction
from eth_account.typed_transactions import TypedTransaction
from eth_typing import ChecksumAddress, Hash32
from hexbytes import HexBytes
from web3 import Web3
from web3.exceptions import (
    ContractCustomError,
    ContractLogicError,
    ContractPanicError,
    TimeExhausted,
    Web3RPCError,
    Web3ValidationError,
)
from web3.types import RPCEndpoint, TxParams, TxReceipt

from dacwallet.chain.fees import HISTORY_BLOCKS, FeeBounds, FeeOverride, FeeSuggestion, apply_override
from dacwallet.chain.guard import check_before_signing, pinned_chain_id
from dacwallet.chain.mining_time import PENDING
from dacwallet.chain.quantity import LatestBlock, ask_quantity, latest_block, quantity
from dacwallet.errors import ChainError, RevertError

GAS_MARGIN = 1.25
# What a revert looks like through web3.
REVERT_ERRORS = (ContractLogicError, ContractCustomError, ContractPanicError)
RECEIPT_TIMEOUT_S = 120.0


class Signer(Protocol):
    """Anything that signs for one address: an eth-account LocalAccount, or the keystore signer."""

    @property
    def address(self) -> str: ...

    def sign_transaction(self, transaction_dict: dict[str, Any]) -> Any: ...


class WatchOnly:
    """An address without a key: enough to estimate gas or build a transaction, never to sign."""

    def __init__(self, address: str) -> None:
        self.address = address

    def sign_transaction(self, transaction_dict: dict[str, Any]) -> Any:
        raise ChainError("This account is watch-only here; it cannot sign.")


def revert_reason(exc: Exception) -> str:
    """The readable part of a revert error from web3 ("execution reverted: X" -> "X")."""
    if isinstance(exc, ContractPanicError):
        return f"the contract hit an arithmetic or array error ({exc})"
    if isinstance(exc, ContractCustomError):
        return f"custom error {exc.data}"
    message = getattr(exc, "message", None) or str(exc)
    if message in ("execution reverted: b''", "b''"):
        return "no reason given"
    for prefix in ("execution reverted: ", "execution reverted:", "execution reverted"):
        if message.startswith(prefix):
            message = message[len(prefix) :]
            break
    return _unwrapped(message.strip()) or "no reason given"


# Hardhat Network (and ganache) wrap the reason in their own words; the person wants the contract's.
_WRAPPED_REASON = re.compile(
    r"^(?:Error: )?VM Exception while processing transaction: "
    r"(?:reverted with reason string '(?P<quoted>.*)'|revert ?(?P<bare>.*))$",
    re.DOTALL,
)
_NO_REASON = re.compile(r"^(?:Error: )?Transaction reverted without a reason(?: string)?$")


def _unwrapped(message: str) -> str:
    if _NO_REASON.match(message):
        return ""
    match = _WRAPPED_REASON.match(message)
    if match is None:
        return message
    return (match.group("quoted") if match.group("quoted") is not None else match.group("bare")).strip()


@dataclass
class TransactionSender:
    """Signs and sends transactions for one account, waiting for their receipts.

    Nonces come from the node's pending count on every send, never from a cache.
    """

    w3: Web3
    signer: Signer
    gas_margin: float = GAS_MARGIN
    receipt_timeout_s: float = RECEIPT_TIMEOUT_S
    # The fee bounds of the latest block seen (by hash): its history does not change, and a long-lived
    # sender (the simulation's agents) asks for fees several times per block.
    _bounds_of: tuple[bytes, FeeBounds] | None = field(default=None, init=False, repr=False)

    @property
    def address(self) -> ChecksumAddress:
        # web3 refuses any other form, so a signer's address is always the checksummed one.
        return cast(ChecksumAddress, self.signer.address)

    def prepare(self, fields: dict[str, Any], *, action: str, fee: FeeOverride | None = None) -> dict[str, Any]:
        """Fills chain id, nonce, gas (estimate x margin) and fees (the node's, or ``fee`` checked against them);
        a revert shows here first, a fee the user must fix raises InputError before anything is signed."""
        tx = dict(fields)
        tx["from"] = self.address
        tx.setdefault("value", 0)
        tx["chainId"] = pinned_chain_id(self.w3)  # the one fixed at connect; sign() checks the node still agrees
        latest = latest_block(self.w3)
        if "gas" not in tx:
            tx["gas"] = self.estimate_gas(tx, action=action, gas_limit=latest.gas_limit)
        tx.update(apply_override(self.suggest_fees(latest), fee))
        tx["nonce"] = ask_quantity(
            self.w3,
            "eth_getTransactionCount",
            [self.address, "pending"],
            "The node's transaction count for this account is not a number, so nothing can be signed.",
        )
        return tx

    def estimate_gas(self, tx: dict[str, Any], *, action: str, gas_limit: int | None = None) -> int:
        """At the pending block: the checks run at the time the transaction will be mined (see mining_time).
        Capped at ``gas_limit``, the latest block's unless given."""
        try:
            # Without chainId: web3 would compare it with the node's and raise its own error; sign() checks it.
            params = cast(TxParams, {k: v for k, v in tx.items() if k not in ("gas", "chainId")})
            estimate = self.w3.eth.estimate_gas(params, PENDING)
        except REVERT_ERRORS as exc:
            raise RevertError(revert_reason(exc), action=action) from exc
        if gas_limit is None:
            gas_limit = latest_block(self.w3).gas_limit
        return min(math.ceil(estimate * self.gas_margin), gas_limit)

    def fee_fields(self) -> dict[str, int]:
        """EIP-1559 fees where the chain has a base fee, a legacy gas price otherwise."""
        return self.suggest_fees().fields()

    def suggest_fees(self, latest: LatestBlock | None = None) -> FeeSuggestion:
        """The node's suggestion now (``latest``: the latest block, when the caller has just read it): max fee =
        2 x base fee + tip, so it survives a few fuller blocks; with the bounds recent blocks set on it (see
        ``fee_bounds``)."""
        if latest is None:
            latest = latest_block(self.w3)
        base_fee = latest.base_fee
        block_hash = latest.hash
        if self._bounds_of is not None and block_hash and self._bounds_of[0] == block_hash:
            bounds = self._bounds_of[1]
        else:
            bounds = self.fee_bounds()
            self._bounds_of = (block_hash, bounds)
        if base_fee is None:
            price = self.w3.eth.gas_price
            return FeeSuggestion(None, price, price, price, bounds)
        tip = self._tip()
        return FeeSuggestion(base_fee, tip, 2 * base_fee + tip, base_fee + tip, bounds)

    def _tip(self) -> int:
        """eth_maxPriorityFeePerGas, asked plainly; where the node lacks it, web3's estimate from the fee
        history; 1 gwei when neither answers."""
        try:
            return ask_quantity(self.w3, "eth_maxPriorityFeePerGas", [], "The node's suggested tip is not a number.")
        except Web3RPCError:
            pass
        try:
            return self.w3.eth.max_priority_fee
        except (Web3RPCError, ValueError, NotImplementedError):
            return Web3.to_wei(1, "gwei")

    def fee_bounds(self) -> FeeBounds:
        """What recent blocks paid (eth_feeHistory), as bounds; only the fixed cap when the node cannot say."""
        try:
            history = self.w3.manager.request_blocking(
                RPCEndpoint("eth_feeHistory"), [hex(HISTORY_BLOCKS), "latest", [50]]
            )
            if not isinstance(history, Mapping):
                raise ValueError(f"not a fee history: {history!r:.40}")
            base_fees = [quantity(fee) for fee in history["baseFeePerGas"]]
            tips = [quantity(rewards[0]) for rewards in history.get("reward") or () if rewards]
        except (Web3RPCError, Web3ValidationError, ValueError, TypeError, KeyError, IndexError, NotImplementedError):
            return FeeBounds()
        return FeeBounds.from_history(base_fees, tips)

    def sign(self, tx: dict[str, Any]) -> tuple[bytes, bytes]:
        """(raw transaction, hash); the hash is known before anything is sent.

        Every signature of the wallet goes through here, so the last checks sit here, right before it:
        the node is still on the chain fixed at connect, and the balance covers the most ``tx`` can cost.
        """
        check_before_signing(self.w3, tx, self.address)
        unsigned = {k: v for k, v in tx.items() if k != "from"}
        signed = self.signer.sign_transaction(unsigned)
        return bytes(signed.raw_transaction), bytes(signed.hash)

    def send_raw(self, raw: bytes) -> bytes:
        """Broadcasts; returns the transaction's hash. ChainError with the node's words for a refused transaction
        (a node that runs it at once may refuse a revert so, e.g. hardhat's "VM Exception"), or when the node
        answers with any other hash than the signed transaction's.

        Sent as a plain request: the bytes are in wire form already, and web3's parameter formatting took more
        time than the embedded chain's mining. (web3 turns no error of this method into a revert error, with or
        without its formatting: a mined revert is found by ``wait``.)"""
        tx_hash = Web3.keccak(raw)
        try:
            answer = self.w3.manager.request_blocking(RPCEndpoint("eth_sendRawTransaction"), [Web3.to_hex(raw)])
        except Web3RPCError as exc:  # e.g. "replacement transaction underpriced", "nonce too low"
            message = getattr(exc, "message", None) or str(exc)
            if "already known" in message or "known transaction" in message:  # a rebroadcast: it is pending
                return bytes(tx_hash)
            raise ChainError(f"The node refused the transaction: {message}.") from exc
        if not isinstance(answer, str) or answer.lower() != tx_hash.to_0x_hex():
            raise ChainError(
                "The node answered the transaction with another hash than the one signed; it may not have it.",
                detail=f"signed {tx_hash.to_0x_hex()}, answered {answer!r:.80}",
            )
        return bytes(tx_hash)

    def wait(self, tx_hash: bytes, tx: dict[str, Any], *, action: str) -> TxReceipt:
        try:
            receipt = self.w3.eth.wait_for_transaction_receipt(Hash32(tx_hash), timeout=self.receipt_timeout_s)
        except TimeExhausted as exc:
            raise ChainError(
                f"{action} was sent but not mined within {self.receipt_timeout_s:.0f} s; it may still be mined later. "
                "Wait, or speed it up or cancel it from the pending transactions.",
                detail=Web3.to_hex(tx_hash),
            ) from exc
        if receipt["status"] != 1:
            raise RevertError(self.reason_of_failed(tx, receipt), action=action)
        return receipt

    def transact(self, fields: dict[str, Any], *, action: str) -> TxReceipt:
        """prepare + sign + send + wait: the whole round trip of one transaction."""
        tx = self.prepare(fields, action=action)
        raw, _ = self.sign(tx)
        tx_hash = self.send_raw(raw)
        return self.wait(tx_hash, tx, action=action)

    def reason_of_failed(self, tx: dict[str, Any], receipt: TxReceipt) -> str:
        """Replays a failed transaction as a call in its block to learn why it reverted."""
        call = cast(TxParams, {k: tx[k] for k in ("from", "to", "data", "value", "gas") if k in tx})
        try:
            self.w3.eth.call(call, receipt["blockNumber"] - 1)
        except REVERT_ERRORS as exc:
            return revert_reason(exc)
        except Exception as exc:
            return f"unknown (the node could not replay it: {exc})"
        if receipt["gasUsed"] >= tx.get("gas", 0):
            return "it ran out of gas"
        return "unknown"


def decode_signed(raw: bytes) -> dict[str, Any]:
    """The fields of a signed transaction (as ``prepare`` made them, minus ``from``): to re-sign a replacement."""
    if raw and raw[0] < 0x7F:  # EIP-2718 typed transaction
        fields = TypedTransaction.from_bytes(HexBytes(raw)).as_dict()
    else:
        fields = LegacyTransaction.from_bytes(raw).as_dict()
        v = fields["v"]
        if v >= 35:  # EIP-155: the chain id is folded into v
            fields["chainId"] = (v - 35) // 2
    for key in ("v", "r", "s", "yParity"):
        fields.pop(key, None)
    fields["to"] = Web3.to_checksum_address(fields["to"]) if fields.get("to") else None
    fields["data"] = bytes(fields.get("data", b""))
    if not fields.get("accessList"):
        fields.pop("accessList", None)
    return fields
