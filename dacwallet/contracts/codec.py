"""Calls and events of a contract encoded and decoded straight with eth-abi, from ABI entries fixed once.

A web3 contract object looks the function or event up in the whole ABI on every use (hashing each
signature it holds) and passes every argument through layers of normalisers: a few milliseconds, most
of a simulated transaction's time once the chain itself is fast. The simulation sends tens of thousands
of the same three transactions, so it encodes them here. The bytes are the same as web3's: eth-abi
does the encoding in both.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from eth_abi import decode as abi_decode
from eth_abi import encode as abi_encode
from eth_utils import collapse_if_tuple, keccak, to_checksum_address
from hexbytes import HexBytes

from dacwallet.contracts.artifacts import TRAINER_STAKEABLE, load_artifact


def _types(params: Sequence[Mapping[str, Any]]) -> list[str]:
    return [collapse_if_tuple(dict(param)) for param in params]


def _entry(abi: Sequence[Mapping[str, Any]], kind: str, signature: str) -> Mapping[str, Any]:
    for entry in abi:
        if entry.get("type") == kind and f"{entry['name']}({','.join(_types(entry['inputs']))})" == signature:
            return entry
    raise LookupError(f"no {kind} {signature} in this ABI")


class Function:
    """One function of an ABI, by its signature (e.g. ``addData(int64[],uint64)``)."""

    def __init__(self, abi: Sequence[Mapping[str, Any]], signature: str) -> None:
        entry = _entry(abi, "function", signature)
        self.signature = signature
        self.selector = keccak(text=signature)[:4]
        self._inputs = _types(entry["inputs"])
        self._outputs = _types(entry.get("outputs", ()))

    def encode(self, *args: Any) -> bytes:
        """The call data: selector and arguments."""
        return self.selector + abi_encode(self._inputs, args)

    def decode(self, output: bytes) -> tuple[Any, ...]:
        """The values a call returned (eth_abi's DecodingError when they do not decode)."""
        return tuple(abi_decode(self._outputs, output))


class Event:
    """One event of an ABI, by its signature (e.g. ``Refund(address,uint256)``)."""

    def __init__(self, abi: Sequence[Mapping[str, Any]], signature: str) -> None:
        entry = _entry(abi, "event", signature)
        self.topic = keccak(text=signature)
        params = [(p["name"], collapse_if_tuple(dict(p)), bool(p["indexed"])) for p in entry["inputs"]]
        self._indexed = [(name, kind) for name, kind, indexed in params if indexed]
        self._data = [(name, kind) for name, kind, indexed in params if not indexed]

    def in_receipt(self, receipt: Mapping[str, Any], address: str | None) -> list[dict[str, Any]]:
        """The arguments (by name, in the forms web3 gives them) of each of these events that
        ``address`` (None: any contract, as web3's process_receipt) logged in the receipt."""
        found = []
        for log in receipt["logs"]:
            topics = [HexBytes(t) for t in log["topics"]]
            if not topics or topics[0] != self.topic:
                continue
            if address is not None and log["address"].lower() != address.lower():
                continue
            values = abi_decode([kind for _, kind in self._data], HexBytes(log["data"]))
            pairs = list(zip(self._data, values, strict=True))
            pairs += [
                ((name, kind), abi_decode([kind], topic)[0])
                for (name, kind), topic in zip(self._indexed, topics[1:], strict=True)
            ]
            found.append({name: _as_web3(kind, value) for (name, kind), value in pairs})
        return found


def _as_web3(kind: str, value: Any) -> Any:
    """A decoded value in the form web3 gives it: addresses checksummed, arrays as lists."""
    if kind == "address":
        return to_checksum_address(value)
    return list(value) if isinstance(value, tuple) else value


@dataclass(frozen=True)
class TrainerCodec:
    """The entry point's calls and events a contribution and its claims use."""

    add_data: Function
    refund: Function
    report: Function
    next_cost: Function
    added: Event
    refunded: Event
    reported: Event


@cache
def trainer_codec() -> TrainerCodec:
    abi = load_artifact(TRAINER_STAKEABLE).abi
    return TrainerCodec(
        add_data=Function(abi, "addData(int64[],uint64)"),
        refund=Function(abi, "refund(int64[],uint64,uint256)"),
        report=Function(abi, "report(int64[],uint64,uint256,address)"),
        next_cost=Function(abi, "getNextAddDataCost(uint256)"),
        added=Event(abi, "AddData(int64[],uint64,uint256,address,uint256)"),
        refunded=Event(abi, "Refund(address,uint256)"),
        reported=Event(abi, "Report(address,uint256)"),
    )
