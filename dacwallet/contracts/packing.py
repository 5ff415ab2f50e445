"""Packing of model parameters into the 256-bit storage words the contracts keep.

Lane k of word w holds item ``lanes * w + k``; signed lanes are two's complement.
The contracts read them back with the same layout (see contracts/src).
"""

from __future__ import annotations

from collections.abc import Sequence


def pack_words(values: Sequence[int], lane_bits: int, *, signed: bool) -> list[int]:
    """Packs ``values`` into words of ``256 // lane_bits`` lanes; raises on overflow."""
    lanes = 256 // lane_bits
    low = -(1 << (lane_bits - 1)) if signed else 0
    high = (1 << (lane_bits - 1)) - 1 if signed else (1 << lane_bits) - 1
    mask = (1 << lane_bits) - 1
    words = [0] * ((len(values) + lanes - 1) // lanes)
    for i, value in enumerate(values):
        value = int(value)
        if not low <= value <= high:
            raise ValueError(f"value {value} at {i} does not fit a {lane_bits}-bit lane")
        words[i // lanes] |= (value & mask) << (lane_bits * (i % lanes))
    return words


def unpack_words(words: Sequence[int], lane_bits: int, count: int, *, signed: bool) -> list[int]:
    """The inverse of :func:`pack_words` for the first ``count`` items."""
    lanes = 256 // lane_bits
    mask = (1 << lane_bits) - 1
    out = []
    for i in range(count):
        value = (words[i // lanes] >> (lane_bits * (i % lanes))) & mask
        if signed and value >> (lane_bits - 1):
            value -= 1 << lane_bits
        out.append(value)
    return out


def upload_runs(words: Sequence[int], *, max_words: int, max_zero_gap: int = 8) -> list[tuple[int, list[int]]]:
    """Splits words into (first_word, words) runs to upload, skipping zero stretches.

    Storage starts at zero, so zero words need no transaction; a short zero gap
    (about 2,200 gas a word) is cheaper to write than to split around.
    """
    runs: list[tuple[int, list[int]]] = []
    start: int | None = None
    last_nonzero = -1
    for index, word in enumerate(words):
        if word == 0:
            continue
        if start is not None and (index - last_nonzero - 1 > max_zero_gap or index - start >= max_words):
            runs.append((start, list(words[start : last_nonzero + 1])))
            start = None
        if start is None:
            start = index
        last_nonzero = index
    if start is not None:
        runs.append((start, list(words[start : last_nonzero + 1])))
    return runs
