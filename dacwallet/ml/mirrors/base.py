"""What every mirror shares: the revert error, batches of encoded data, the key map and replay."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Self

import numpy as np

from dacwallet.errors import DacwalletError, InputError
from dacwallet.gil import share_gil

TO_FLOAT = 10**9
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


class ModelRevert(DacwalletError):
    """The contract would revert this call (overflow, division by zero, bad label); nothing changed."""


def checked(value: int, low: int, high: int, what: str) -> int:
    """``value`` if ``low <= value <= high``, else the revert that Solidity 0.8's checked maths gives."""
    if not low <= value <= high:
        raise ModelRevert(f"The model would refuse this: {what} would overflow.", detail=str(value))
    return value


def signed_range(bits: int) -> tuple[int, int]:
    return -(2 ** (bits - 1)), 2 ** (bits - 1) - 1


def unsigned_max(bits: int) -> int:
    return (1 << bits) - 1


def as_int64(data: Sequence[int] | np.ndarray) -> np.ndarray:
    """``data`` as an int64 array, or ``InputError`` when a value does not fit the ABI's ``int64``."""
    if isinstance(data, np.ndarray) and data.dtype == np.int64:
        return data
    try:
        return np.asarray(data, dtype=np.int64).reshape(-1)
    except (OverflowError, ValueError, TypeError) as exc:
        raise InputError("Contribution data must be whole numbers in the int64 range.", detail=str(exc)) from None


def as_keys(data: Sequence[int] | np.ndarray) -> np.ndarray:
    """The contract's storage keys: ``uint64(index)``, so -k becomes 2**64 - k."""
    return as_int64(data).view(np.uint64)


def single_key(index: int) -> np.ndarray:
    """One index as a key array; accepts an int64 index or an already unsigned uint64 key."""
    if not -(2**63) <= index < 2**64:
        raise InputError("An index must fit in 64 bits.", detail=str(index))
    return np.array([index % 2**64], dtype=np.uint64)


@dataclass
class Batch:
    """Many contributions (or reviews) in flat arrays: row r is ``data[offsets[r]:offsets[r + 1]]``."""

    data: np.ndarray  # int64, all rows concatenated
    offsets: np.ndarray  # int64, len(rows) + 1
    labels: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    @classmethod
    def from_lists(cls, rows: Sequence[Sequence[int]], labels: Sequence[int] | np.ndarray | None = None) -> Batch:
        lengths = np.fromiter((len(r) for r in rows), dtype=np.int64, count=len(rows))
        offsets = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        flat = [v for r in rows for v in r]
        data = as_int64(flat) if flat else np.zeros(0, dtype=np.int64)
        label_array = np.asarray(labels if labels is not None else [], dtype=np.int64)
        if labels is not None and len(label_array) != len(rows):
            raise ValueError("one label per row")
        return cls(data, offsets, label_array)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def row(self, r: int) -> np.ndarray:
        return self.data[self.offsets[r] : self.offsets[r + 1]]

    def slice(self, start: int, stop: int) -> Batch:
        offsets = self.offsets[start : stop + 1]
        labels = self.labels[start:stop] if len(self.labels) else self.labels
        return Batch(self.data[offsets[0] : offsets[-1]], offsets - offsets[0], labels)


def take_rows(batch: Batch, rows: np.ndarray) -> Batch:
    """The rows ``rows`` (ascending positions) of ``batch`` as a batch of their own."""
    lengths = np.diff(batch.offsets)[rows]
    offsets = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    # Position of each kept element in the source: its row's start plus its place within the row.
    within = np.arange(int(offsets[-1])) - np.repeat(offsets[:-1], lengths)
    data = batch.data[np.repeat(batch.offsets[:-1][rows], lengths) + within]
    labels = batch.labels[rows] if len(batch.labels) else batch.labels
    return Batch(data, offsets, labels)


@dataclass
class ReplayResult:
    """What a replay did: ``correct_before[k]`` says whether contribution k was predicted right
    before it was learnt; ``reverted`` lists the contributions the contract would have refused."""

    correct_before: np.ndarray
    reverted: list[int]


class Mirror(ABC):
    """A local copy of an on-chain classifier, computing exactly what the contract computes."""

    num_classes: int

    @classmethod
    @abstractmethod
    def from_model_file(cls, model: dict[str, Any]) -> Self:
        """The mirror of a loaded model file (see ``dacwallet.ml.model_file``)."""

    @abstractmethod
    def predict(self, data: Sequence[int] | np.ndarray) -> int:
        """The class the contract's ``predict(data)`` returns."""

    @abstractmethod
    def update(self, data: Sequence[int] | np.ndarray, label: int) -> None:
        """Apply ``addData(data, label)``'s model update, or raise ``ModelRevert`` and change nothing."""

    def predict_batch(self, batch: Batch) -> np.ndarray:
        """``predict`` of every row; subclasses vectorise it."""
        return np.fromiter((self.predict(batch.row(r)) for r in range(len(batch))), dtype=np.int64, count=len(batch))

    def replay(self, batch: Batch) -> ReplayResult:
        """Apply the rows of ``batch`` (data, labels) in order, as a run of AddData events would."""
        correct = np.zeros(len(batch), dtype=bool)
        reverted = []
        for r in range(len(batch)):
            share_gil()
            data, label = batch.row(r), int(batch.labels[r])
            try:
                correct[r] = self.predict(data) == label
            except ModelRevert:
                pass  # a reverting predict counts as a wrong guess
            try:
                self.update(data, label)
            except ModelRevert:
                reverted.append(r)
        return ReplayResult(correct, reverted)

    def _check_label(self, label: int) -> int:
        if not 0 <= label < self.num_classes:
            raise ModelRevert(f"The model has no class {label}; its classes are 0 to {self.num_classes - 1}.")
        return int(label)


class KeySlots:
    """Maps uint64 storage keys to positions in dense arrays.

    Keys below ``num_features`` are their own position; any other key the contract may see
    (larger indices, negative ones read as uint64) gets the next free position on first sight.
    """

    def __init__(self, num_features: int) -> None:
        self.num_features = num_features
        self._extra: dict[int, int] = {}

    @property
    def size(self) -> int:
        return self.num_features + len(self._extra)

    def slots(self, keys: np.ndarray) -> np.ndarray:
        slots = keys.astype(np.int64)
        outside = keys >= np.uint64(self.num_features)
        if outside.any():
            extra = self._extra
            for pos in np.flatnonzero(outside):
                key = int(keys[pos])
                slot = extra.get(key)
                if slot is None:
                    slot = extra[key] = self.num_features + len(extra)
                slots[pos] = slot
        return slots

    def items(self) -> list[tuple[int, int]]:
        """(key, slot) of every key outside the declared features."""
        return list(self._extra.items())

    def copy(self) -> KeySlots:
        other = KeySlots(self.num_features)
        other._extra = dict(self._extra)
        return other


def grown(array: np.ndarray, size: int) -> np.ndarray:
    """``array`` with its last axis at least ``size`` long (zeros added, capacity doubled)."""
    if array.shape[-1] >= size:
        return array
    new = np.zeros(array.shape[:-1] + (max(size, 2 * array.shape[-1]),), dtype=array.dtype)
    new[..., : array.shape[-1]] = array
    return new


def row_sums(values: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Exact per-row sums of int64 ``values`` (rows may be empty)."""
    starts = offsets[:-1]
    sums = np.zeros(len(starts), dtype=values.dtype)
    non_empty = offsets[1:] > starts
    if values.size:
        sums[non_empty] = np.add.reduceat(values, starts[non_empty])
    return sums
