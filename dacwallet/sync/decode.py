"""Turning raw logs and claim transactions into rows, refusing anything malformed.

Logs are decoded by hand, strictly: a contract that emits an AddData-topic log
with junk must not crash the indexer, and must not sneak oddly encoded data in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from eth_abi import decode as abi_decode
from eth_utils import keccak, to_checksum_address

from dacwallet.sync.keys import contribution_key

ADD_DATA = keccak(text="AddData(int64[],uint64,uint256,address,uint256)")
REFUND_STAKEABLE = keccak(text="Refund(address,uint256)")
REPORT_STAKEABLE = keccak(text="Report(address,uint256)")
REFUND_POINTS = keccak(text="Refund(address)")
REPORT_POINTS = keccak(text="Report(address)")
EVENT_TOPICS = (ADD_DATA, REFUND_STAKEABLE, REPORT_STAKEABLE, REFUND_POINTS, REPORT_POINTS)
# topic0 -> (kind, words the event carries: recipient [, amount])
_CLAIM_TOPICS = {
    REFUND_STAKEABLE: ("refund", 2),
    REPORT_STAKEABLE: ("report", 2),
    REFUND_POINTS: ("refund", 1),
    REPORT_POINTS: ("report", 1),
}
REFUND_SELECTOR = keccak(text="refund(int64[],uint64,uint256)")[:4]
REPORT_SELECTOR = keccak(text="report(int64[],uint64,uint256,address)")[:4]
_INT63 = 2**63


class MalformedLog(ValueError):
    """A log with an event topic whose contents do not decode."""


@dataclass(frozen=True)
class Contribution:
    data: list[int]
    label: int
    added_time: int
    sender: str
    cost: int
    key: bytes


@dataclass(frozen=True)
class Claim:
    kind: str  # "refund" or "report"
    recipient: str
    amount: int  # wei; Points events carry none, so 0


def decode_log(log: Any, trainer: str, incentive: str) -> Contribution | Claim:
    """The event in ``log``; MalformedLog when it is not what its topic says or comes from the wrong contract."""
    topics = [bytes(t) for t in log["topics"]]
    if not topics:
        raise MalformedLog("no topic")
    raw = bytes(log["data"])
    emitter = to_checksum_address(log["address"])
    if topics[0] == ADD_DATA:
        if emitter != trainer:
            raise MalformedLog(f"AddData from {emitter}, not the entry point")
        if len(topics) != 2:
            raise MalformedLog("AddData without exactly one indexed sender")
        return _add_data(raw, _address(topics[1]))
    if topics[0] in _CLAIM_TOPICS:
        if emitter != incentive:
            raise MalformedLog(f"claim event from {emitter}, not the incentive mechanism")
        kind, n_words = _CLAIM_TOPICS[topics[0]]
        # The reference indexes nothing; a variant indexing the recipient has the same topic0.
        if len(raw) % 32 or len(topics) - 1 + len(raw) // 32 != n_words:
            raise MalformedLog(f"{kind} event with {len(topics) - 1} topics and {len(raw)} data bytes")
        words = topics[1:] + [raw[i : i + 32] for i in range(0, len(raw), 32)]
        amount = int.from_bytes(words[1], "big") if n_words == 2 else 0
        return Claim(kind, _address(words[0]), amount)
    raise MalformedLog("unknown topic")


def _add_data(raw: bytes, sender: str) -> Contribution:
    """Strict ABI layout of (int64[] d, uint64 c, uint256 t, uint256 cost), exactly as solc emits it."""
    if len(raw) < 160 or int.from_bytes(raw[0:32], "big") != 128:
        raise MalformedLog("AddData data is not (int64[], uint64, uint256, uint256)")
    label = int.from_bytes(raw[32:64], "big")
    added_time = int.from_bytes(raw[64:96], "big")
    cost = int.from_bytes(raw[96:128], "big")
    length = int.from_bytes(raw[128:160], "big")
    if label >= _INT63 or added_time >= _INT63 or len(raw) != 160 + 32 * length:
        raise MalformedLog("AddData label, time or array length out of range")
    words = np.frombuffer(raw, dtype=">i8", offset=160).reshape(length, 4)
    values = words[:, 3]
    sign = np.where(values < 0, -1, 0)
    if not (words[:, :3] == sign[:, None]).all():
        raise MalformedLog("AddData element is not a sign-extended int64")
    # The key hashes the packed array, which is the event's array words as they are.
    key = keccak(raw[160:] + label.to_bytes(8, "big") + raw[64:96] + bytes.fromhex(sender[2:]))
    return Contribution(values.tolist(), label, added_time, sender, cost, key)


def _address(word: bytes) -> str:
    if len(word) != 32 or any(word[:12]):
        raise MalformedLog("not an address word")
    return to_checksum_address(word[12:])


def claimed_contribution(tx: Any, trainer: str) -> tuple[str, bytes] | None:
    """(author, contribution key) of a refund/report transaction sent straight to the entry point.

    None when the claim came some other way (through another contract) or its input is not a claim.
    """
    if tx is None or not tx.get("to") or to_checksum_address(tx["to"]) != trainer:
        return None
    data = bytes(tx.get("input") or b"")
    selector, body = data[:4], data[4:]
    try:
        if selector == REFUND_SELECTOR:
            values, label, added_time = abi_decode(["int64[]", "uint64", "uint256"], body)
            author = tx["from"]
        elif selector == REPORT_SELECTOR:
            values, label, added_time, author = abi_decode(["int64[]", "uint64", "uint256", "address"], body)
        else:
            return None
    except Exception:
        return None
    author = to_checksum_address(author)
    return author, contribution_key(values, label, added_time, author)
