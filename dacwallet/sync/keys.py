"""The contribution key the contracts use to find a contribution's record."""

from __future__ import annotations

from collections.abc import Sequence

from eth_utils import keccak, to_canonical_address

from dacwallet.errors import InputError

_INT64 = (-(2**63), 2**63 - 1)


def contribution_key(data: Sequence[int], label: int, added_time: int, author: str | bytes) -> bytes:
    """keccak256(abi.encodePacked(int64[] data, uint64 label, uint256 added_time, address author)).

    Built by hand: Solidity pads each element of a packed array to 32 bytes, while
    eth_abi's encode_packed packs int64[] elements into 8 bytes and gives another key.
    """
    if any(not _INT64[0] <= v <= _INT64[1] for v in data) or not 0 <= label < 2**64 or not 0 <= added_time < 2**256:
        raise InputError("A contribution's data must be int64 values, its label a uint64 and its time a uint256.")
    packed = b"".join(int(v).to_bytes(32, "big", signed=True) for v in data)
    return keccak(
        packed + int(label).to_bytes(8, "big") + int(added_time).to_bytes(32, "big") + to_canonical_address(author)
    )
