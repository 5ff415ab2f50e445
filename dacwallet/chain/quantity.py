"""Plain numbers asked of the node on the signing path, without web3's request formatting.

web3 passes every request's parameters through its ABI normalizers (about half a millisecond of Python a call
under cProfile), and a transaction asks the node several numbers (chain id, balance, nonce, tip, the fee
history). These requests are built in wire form already (checksummed address, block tag), and the answer is
refused unless it is a hex quantity or a non-negative integer. The latest block is read the same way for the
three fields a transaction needs (web3 formats every field of it).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from web3 import Web3
from web3.types import RPCEndpoint

from dacwallet.errors import ChainError

QUANTITY_PATTERN = re.compile(r"0x[0-9a-fA-F]{1,64}")  # a JSON-RPC quantity of a uint256 at most


def quantity(value: Any) -> int:
    """A JSON-RPC quantity (hex, at most 256 bits) or a non-negative integer as an int; ValueError otherwise."""
    if isinstance(value, str) and QUANTITY_PATTERN.fullmatch(value):
        return int(value, 16)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    raise ValueError(f"not a quantity: {value!r:.40}")


def ask_quantity(w3: Web3, method: str, params: list[Any], refusal: str) -> int:
    """The node's answer to ``method`` as an integer; ChainError(``refusal``) when the answer is not one.
    An error the node answers with is raised as web3 raises it (Web3RPCError)."""
    answer = w3.manager.request_blocking(RPCEndpoint(method), params)
    try:
        return quantity(answer)
    except ValueError:
        raise ChainError(refusal, detail=repr(answer)[:80]) from None


@dataclass(frozen=True)
class LatestBlock:
    """What preparing a transaction needs of the latest block."""

    hash: bytes
    gas_limit: int
    base_fee: int | None  # None before London (a legacy chain)


def latest_block(w3: Web3) -> LatestBlock:
    """The node's latest block; ChainError when it has none or its fields are not what a block's are."""
    block = w3.manager.request_blocking(RPCEndpoint("eth_getBlockByNumber"), ["latest", False])
    try:
        if not isinstance(block, Mapping):
            raise ValueError("no block")
        base_fee, block_hash = block.get("baseFeePerGas"), block.get("hash")
        return LatestBlock(
            # No hash only makes the fee bounds be asked again (they are kept per block hash).
            hash=bytes.fromhex(block_hash.removeprefix("0x")) if isinstance(block_hash, str) else b"",
            gas_limit=quantity(block["gasLimit"]),
            base_fee=None if base_fee is None else quantity(base_fee),
        )
    except (ValueError, KeyError) as error:
        raise ChainError("The node's latest block is not a block.", detail=repr(block)[:80]) from error
