"""Signing a transaction with a key: the wallet's usual shape encoded directly, byte for byte as eth-account would.

eth-account normalizes and validates a transaction dict through dozens of curried formatters before it hashes it,
about a millisecond of Python for a contribution's signature (a tenth of each of the simulation's transactions).
Nearly every transaction the wallet signs has one shape, the one ``TransactionSender.prepare`` builds: an EIP-1559
transaction of integers, a checksummed recipient (or none, to create a contract), data as hex or bytes and no access
list. That shape is RLP-encoded and signed here with coincurve (libsecp256k1, whose deterministic RFC 6979
signatures are low-s, as eth-account's are); every other shape (legacy or EIP-2930 fees, an access list, a field of
another type) goes to eth-account. tests/keys/test_tx_signing.py compares the bytes with eth-account's.
"""

from __future__ import annotations

from typing import Any

import coincurve
from eth_account import Account
from eth_account.datastructures import SignedTransaction
from eth_account.signers.local import LocalAccount
from eth_utils import is_checksum_address, keccak
from hexbytes import HexBytes

from dacwallet.chain.wire import rlp_encode

EIP1559 = 2
_FIELDS = {"chainId", "nonce", "maxPriorityFeePerGas", "maxFeePerGas", "gas", "to", "value", "data", "type"}
_REQUIRED = {"chainId", "nonce", "maxPriorityFeePerGas", "maxFeePerGas", "gas"}
_INTEGERS = ("chainId", "nonce", "maxPriorityFeePerGas", "maxFeePerGas", "gas", "value")


def sign_transaction(tx: dict[str, Any], key: bytes) -> SignedTransaction:
    """``tx`` (as eth-account takes it) signed with the 32-byte private ``key``."""
    fields = _eip1559_fields(tx)
    if fields is None:
        signed: SignedTransaction = Account.sign_transaction(tx, key)
        return signed
    payload = rlp_encode(fields)
    signature = coincurve.PrivateKey(bytes(key)).sign_recoverable(keccak(bytes([EIP1559]) + payload), hasher=None)
    r, s, y = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:64], "big"), signature[64]
    raw = bytes([EIP1559]) + rlp_encode([*fields, y, r, s])
    return SignedTransaction(raw_transaction=HexBytes(raw), hash=HexBytes(keccak(raw)), r=r, s=s, v=y)


class KeySigner:
    """A key held in memory (a simulation's throw-away accounts) as a TransactionSender's signer."""

    def __init__(self, account: LocalAccount) -> None:
        self.address = account.address
        self._key = bytes(account.key)

    def sign_transaction(self, tx: dict[str, Any]) -> SignedTransaction:
        return sign_transaction(tx, self._key)


def _eip1559_fields(tx: dict[str, Any]) -> list[object] | None:
    """The unsigned EIP-1559 fields in RLP order, or None when ``tx`` is not of the shape handled here."""
    if not _REQUIRED <= set(tx) <= _FIELDS or tx.get("type", EIP1559) not in (EIP1559, "0x2"):
        return None
    numbers = [tx.get(name, 0) for name in _INTEGERS]
    if any(type(value) is not int or not 0 <= value < 2**256 for value in numbers):
        return None
    chain_id, nonce, tip, max_fee, gas, value = numbers
    to = tx.get("to")
    if to is None or to == "":
        recipient = b""
    elif isinstance(to, str) and is_checksum_address(to):
        recipient = bytes.fromhex(to[2:])
    else:
        return None  # eth-account checks other forms (and refuses a wrongly checksummed address)
    data = tx.get("data", b"")
    if isinstance(data, str):
        try:
            data = bytes.fromhex(data[2:] if data.startswith("0x") else data)
        except ValueError:
            return None
    elif not isinstance(data, (bytes, bytearray)):
        return None
    return [chain_id, nonce, tip, max_fee, gas, recipient, value, bytes(data), []]
