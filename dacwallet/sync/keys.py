"""The contribution key the contracts use to find a contribution's record."""

from __future__ import annotations

from collections.abc import Sequence

from eth_abi.packed import encode_packed
from eth_utils import keccak, to_canonical_address


def contribution_key(data: Sequence[int], label: int, added_time: int, author: str | bytes) -> bytes:
    """keccak256(abi.encodePacked(int64[] data, uint64 label, uint256 added_time, address author)).

    Packed arrays pad each element to 32 bytes, so this matches the contract's key.
    """
    return keccak(encode_packed(["int64[]", "uint64", "uint256", "address"],
                                [list(data), label, added_time, to_canonical_address(author)]))
