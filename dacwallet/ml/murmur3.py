"""32-bit MurmurHash3 (x86_32), written out so the "MurmurHash3" encoder needs no extra package."""

from __future__ import annotations

_MASK = 0xFFFFFFFF
_C1 = 0xCC9E2D51
_C2 = 0x1B873593


def _rotl(x: int, r: int) -> int:
    return ((x << r) | (x >> (32 - r))) & _MASK


def murmur3_32(data: bytes, seed: int = 0) -> int:
    """The unsigned 32-bit MurmurHash3 of ``data``."""
    h = seed & _MASK
    n_blocks = len(data) // 4
    for block in range(n_blocks):
        k = int.from_bytes(data[4 * block : 4 * block + 4], "little")
        k = _rotl((k * _C1) & _MASK, 15) * _C2 & _MASK
        h = (_rotl(h ^ k, 13) * 5 + 0xE6546B64) & _MASK
    tail = data[4 * n_blocks :]
    if tail:
        k = int.from_bytes(tail, "little")
        k = _rotl((k * _C1) & _MASK, 15) * _C2 & _MASK
        h ^= k
    h ^= len(data)
    # Final avalanche, so every input bit affects every output bit.
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & _MASK
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & _MASK
    h ^= h >> 16
    return h
