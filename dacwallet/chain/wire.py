"""The embedded chain's wire types: signed transactions, receipts, headers, in their RLP forms.

Transactions arrive as the raw bytes a wallet signs (legacy, EIP-2930 or EIP-1559); the
sender is recovered with coincurve. Receipts and headers are encoded exactly as Ethereum
encodes them, so their hashes and roots are the ones any client would compute from the
same fields. Blob (type 3) and set-code (type 4) transactions are refused: nothing in
dacwallet sends them and the engine does not execute them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import coincurve
import rlp
from sha3 import keccak_256


def keccak(data: bytes) -> bytes:
    """Keccak-256 in C (eth_utils' goes through pycryptodome: ten times slower, a dozen per block)."""
    digest: bytes = keccak_256(data).digest()
    return digest


SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
EMPTY_TRIE_ROOT = keccak(b"\x80")  # keccak(rlp(b""))
EMPTY_UNCLES_HASH = keccak(b"\xc0")  # keccak(rlp([]))
# Prague's requests hash of a block without execution-layer requests: sha256 of nothing.
EMPTY_REQUESTS_HASH = bytes.fromhex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
ZERO_HASH = b"\x00" * 32


def rlp_encode(item: bytes | int | Sequence[object]) -> bytes:
    """RLP of bytes, non-negative ints and nested lists of them.

    The ``rlp`` package infers a sedes for every element, which made encoding the block's
    header, receipt and roots a tenth of the time a transaction took; decoding stays with it.
    """
    if isinstance(item, int):
        item = item.to_bytes((item.bit_length() + 7) // 8, "big")
    if isinstance(item, (bytes, bytearray)):
        if len(item) == 1 and item[0] < 0x80:
            return bytes(item)
        return _length_prefix(len(item), 0x80) + item
    # Each element is an item again; the signature says object so callers' mixed lists need no casts.
    payload = b"".join(rlp_encode(element) for element in item)  # type: ignore[arg-type]
    return _length_prefix(len(payload), 0xC0) + payload


def _length_prefix(length: int, offset: int) -> bytes:
    if length < 56:
        return bytes([offset + length])
    size = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([offset + 55 + len(size)]) + size


class InvalidTransaction(Exception):
    """Raw bytes that are not a transaction this chain accepts."""


def _int(item: bytes) -> int:
    return int.from_bytes(item, "big")


def _access_list(items: Sequence[Any]) -> tuple[tuple[bytes, tuple[int, ...]], ...]:
    return tuple((bytes(address), tuple(_int(k) for k in keys)) for address, keys in items)


@dataclass(frozen=True)
class Transaction:
    """A decoded signed transaction; ``to`` is b"" for a contract creation."""

    type_id: int
    chain_id: int | None
    nonce: int
    max_priority_fee_per_gas: int
    max_fee_per_gas: int
    gas: int
    to: bytes
    value: int
    data: bytes
    access_list: tuple[tuple[bytes, tuple[int, ...]], ...]
    v: int
    r: int
    s: int
    raw: bytes = field(repr=False)
    hash: bytes
    sender: bytes

    @property
    def y_parity(self) -> int:
        return self.v if self.type_id else (self.v - 35) % 2 if self.v > 28 else self.v - 27

    def effective_gas_price(self, base_fee: int) -> int:
        return min(self.max_fee_per_gas, base_fee + self.max_priority_fee_per_gas)


def decode_transaction(raw: bytes) -> Transaction:
    """Parse and check the signature of a raw signed transaction."""
    try:
        return _decode(raw)
    except InvalidTransaction:
        raise
    except (rlp.exceptions.DecodingError, ValueError, TypeError, IndexError) as error:
        raise InvalidTransaction(f"malformed transaction: {error}") from error


def _decode(raw: bytes) -> Transaction:
    if not raw:
        raise InvalidTransaction("empty transaction")
    if raw[0] >= 0xC0:  # an RLP list: a legacy transaction
        items = rlp.decode(raw)
        if len(items) != 9:
            raise InvalidTransaction("a legacy transaction has 9 fields")
        nonce, gas_price, gas, to, value, data, v, r, s = items
        v_int = _int(v)
        if v_int in (27, 28):
            chain_id, recovery, unsigned = None, v_int - 27, items[:6]
        elif v_int >= 35:
            chain_id, recovery = (v_int - 35) // 2, (v_int - 35) % 2
            unsigned = items[:6] + [chain_id, 0, 0]  # EIP-155
        else:
            raise InvalidTransaction(f"invalid v {v_int}")
        fields: tuple[Any, ...] = (0, chain_id, nonce, gas_price, gas_price, gas, to, value, data, (), v_int, r, s)
        signing_hash = keccak(rlp_encode(unsigned))
    elif raw[0] in (1, 2):
        items = rlp.decode(raw[1:])
        if raw[0] == 1:
            if len(items) != 11:
                raise InvalidTransaction("an EIP-2930 transaction has 11 fields")
            chain_id, nonce, gas_price, gas, to, value, data, access, y, r, s = items
            fees = (gas_price, gas_price)
        else:
            if len(items) != 12:
                raise InvalidTransaction("an EIP-1559 transaction has 12 fields")
            chain_id, nonce, tip, max_fee, gas, to, value, data, access, y, r, s = items
            fees = (tip, max_fee)
        recovery = _int(y)
        fields = (raw[0], _int(chain_id), nonce, *fees, gas, to, value, data, _access_list(access), recovery, r, s)
        signing_hash = keccak(raw[:1] + rlp_encode(items[:-3]))
    else:
        raise InvalidTransaction(f"transaction type {raw[0]} is not supported by the embedded chain")
    type_id, chain_id, nonce, tip, max_fee, gas, to, value, data, access, v, r, s = fields
    r_int, s_int = _int(r), _int(s)
    if len(to) not in (0, 20):
        raise InvalidTransaction("the recipient is not a 20-byte address")
    if recovery not in (0, 1) or not 0 < r_int < SECP256K1_N or not 0 < s_int <= SECP256K1_N // 2:
        raise InvalidTransaction("invalid signature values")
    signature = r_int.to_bytes(32, "big") + s_int.to_bytes(32, "big") + bytes([recovery])
    try:
        public = coincurve.PublicKey.from_signature_and_message(signature, signing_hash, hasher=None)
    except Exception as error:  # coincurve raises plain Exceptions for unrecoverable signatures
        raise InvalidTransaction(f"invalid signature: {error}") from error
    sender = keccak(public.format(compressed=False)[1:])[12:]
    return Transaction(
        type_id=type_id,
        chain_id=chain_id,
        nonce=_int(nonce),
        max_priority_fee_per_gas=_int(tip),
        max_fee_per_gas=_int(max_fee),
        gas=_int(gas),
        to=bytes(to),
        value=_int(value),
        data=bytes(data),
        access_list=access,
        v=v,
        r=r_int,
        s=s_int,
        raw=bytes(raw),
        hash=keccak(raw),
        sender=sender,
    )


def contract_address(sender: bytes, nonce: int) -> bytes:
    """The address a CREATE from ``sender`` at ``nonce`` deploys to."""
    return keccak(rlp_encode([sender, nonce]))[12:]


# --- receipts and logs ---------------------------------------------------------


@dataclass(frozen=True)
class Log:
    address: bytes
    topics: tuple[bytes, ...]
    data: bytes


def bloom_of(logs: Sequence[Log]) -> int:
    """The 2048-bit log bloom: three bits per address and topic (yellow paper, eq. 28)."""
    bloom = 0
    for log in logs:
        for item in (log.address, *log.topics):
            digest = keccak(item)
            for i in (0, 2, 4):
                bloom |= 1 << ((digest[i] << 8 | digest[i + 1]) & 2047)
    return bloom


@dataclass(frozen=True)
class Receipt:
    type_id: int
    success: bool
    cumulative_gas_used: int
    logs: tuple[Log, ...]

    @cached_property
    def bloom(self) -> int:
        return bloom_of(self.logs)

    @cached_property
    def encoded(self) -> bytes:
        """The consensus encoding (EIP-2718 type byte first for a typed transaction's receipt)."""
        body = rlp_encode(
            [
                b"\x01" if self.success else b"",
                self.cumulative_gas_used,
                self.bloom.to_bytes(256, "big"),
                [[log.address, list(log.topics), log.data] for log in self.logs],
            ]
        )
        return bytes([self.type_id]) + body if self.type_id else body

    @classmethod
    def decode(cls, encoded: bytes) -> Receipt:
        type_id = encoded[0] if encoded[0] < 0x80 else 0
        status, gas, _bloom, logs = rlp.decode(encoded[1:] if type_id else encoded)
        return cls(
            type_id,
            status == b"\x01",
            _int(gas),
            tuple(Log(bytes(a), tuple(bytes(t) for t in topics), bytes(d)) for a, topics, d in logs),
        )


def single_item_trie_root(items: Sequence[bytes]) -> bytes:
    """The Merkle-Patricia root of a block's list of at most one encoded item.

    Blocks hold one transaction at most, so the trie is empty or a single leaf whose key is
    rlp(0) = 0x80 (nibbles 8, 0; even-length leaf prefix 0x20).
    """
    if not items:
        return EMPTY_TRIE_ROOT
    if len(items) > 1:
        raise ValueError("an embedded block holds one transaction at most")
    return keccak(rlp_encode([b"\x20\x80", items[0]]))


# --- headers -------------------------------------------------------------------


@dataclass(frozen=True)
class Header:
    """A Prague block header (post-merge fields fixed: no difficulty, no uncles)."""

    parent_hash: bytes
    state_root: bytes
    transaction_root: bytes
    receipt_root: bytes
    bloom: int
    block_number: int
    gas_limit: int
    gas_used: int
    timestamp: int
    mix_hash: bytes
    base_fee_per_gas: int
    coinbase: bytes = b"\x00" * 20
    uncles_hash: bytes = EMPTY_UNCLES_HASH
    difficulty: int = 0
    extra_data: bytes = b""
    nonce: bytes = b"\x00" * 8
    withdrawals_root: bytes = EMPTY_TRIE_ROOT
    blob_gas_used: int = 0
    excess_blob_gas: int = 0
    parent_beacon_block_root: bytes = ZERO_HASH
    requests_hash: bytes = EMPTY_REQUESTS_HASH

    def fields(self) -> list[object]:
        """The header's RLP list, in Ethereum's field order."""
        return [
            self.parent_hash,
            self.uncles_hash,
            self.coinbase,
            self.state_root,
            self.transaction_root,
            self.receipt_root,
            self.bloom.to_bytes(256, "big"),
            self.difficulty,
            self.block_number,
            self.gas_limit,
            self.gas_used,
            self.timestamp,
            self.extra_data,
            self.mix_hash,
            self.nonce,
            self.base_fee_per_gas,
            self.withdrawals_root,
            self.blob_gas_used,
            self.excess_blob_gas,
            self.parent_beacon_block_root,
            self.requests_hash,
        ]

    @cached_property
    def encoded(self) -> bytes:
        return rlp_encode(self.fields())

    @cached_property
    def hash(self) -> bytes:
        return keccak(self.encoded)

    @classmethod
    def decode(cls, encoded: bytes) -> Header:
        (
            parent,
            uncles,
            coinbase,
            state,
            txs,
            receipts,
            bloom,
            difficulty,
            number,
            gas_limit,
            gas_used,
            timestamp,
            extra,
            mix,
            nonce,
            base_fee,
            withdrawals,
            blob_gas,
            excess,
            beacon,
            requests,
        ) = rlp.decode(encoded)
        return cls(
            parent_hash=parent,
            state_root=state,
            transaction_root=txs,
            receipt_root=receipts,
            bloom=_int(bloom),
            block_number=_int(number),
            gas_limit=_int(gas_limit),
            gas_used=_int(gas_used),
            timestamp=_int(timestamp),
            mix_hash=mix,
            base_fee_per_gas=_int(base_fee),
            coinbase=coinbase,
            uncles_hash=uncles,
            difficulty=_int(difficulty),
            extra_data=extra,
            nonce=nonce,
            withdrawals_root=withdrawals,
            blob_gas_used=_int(blob_gas),
            excess_blob_gas=_int(excess),
            parent_beacon_block_root=beacon,
            requests_hash=requests,
        )


@dataclass(frozen=True)
class Block:
    header: Header
    transactions: tuple[Transaction, ...]

    @cached_property
    def size(self) -> int:
        """Bytes of the block's RLP (header, transactions, no uncles, no withdrawals); every eth_getBlock
        tells it, and the fee questions before each send ask for the latest block."""
        txs = [tx.raw if tx.type_id else rlp.decode(tx.raw) for tx in self.transactions]
        return len(rlp_encode([self.header.fields(), txs, [], []]))
