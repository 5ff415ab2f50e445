"""What went wrong with a node call, as far as the indexer's reaction is concerned."""

from __future__ import annotations

import enum
import json
import re
from typing import Any

import requests
from web3.exceptions import ProviderConnectionError, TimeExhausted, Web3RPCError


class IncompleteBatch(Exception):
    """A batch answer that does not match its requests (missing, extra or mismatched results)."""


class Fault(enum.Enum):
    RANGE = "the query asked for too much at once"  # shrink the block range
    RATE = "the node is rate-limiting us"  # back off
    TIMEOUT = "the node did not answer in time"  # shrink (for log queries) and back off
    CONNECTION = "the node cannot be reached"  # back off: it may be restarting
    NODE = "the node answered with an error"  # retry a few times, it may be transient


# Wordings used by geth, erigon, Infura, Alchemy, QuickNode, Ankr and friends for "ask for less".
_RANGE_HINTS = re.compile(
    r"block range|range (is )?too (large|wide|big)|more than \d+ (results|logs|blocks)|query returned more than"
    r"|too many (results|logs|blocks)|response size|response is too big|exceed(s|ed)? (the )?max(imum)? "
    r"(block )?range|limited to a [\d,]+ (block )?range|query timeout",
    re.IGNORECASE,
)
_RATE_HINTS = re.compile(
    r"rate.?limit|too many requests|exceeded .*(quota|capacity|compute units)|\b429\b", re.IGNORECASE
)


def classify(exc: BaseException) -> Fault | None:
    """The kind of node trouble ``exc`` is, or None when it is not a node error at all (a bug)."""
    if isinstance(exc, requests.HTTPError):
        status = exc.response.status_code if exc.response is not None else None
        if status == 429:
            return Fault.RATE
        if status == 413:
            return Fault.RANGE
        return Fault.CONNECTION if status is None or status >= 500 else Fault.NODE
    if isinstance(exc, (requests.Timeout, TimeoutError, TimeExhausted)):
        return Fault.TIMEOUT
    if isinstance(exc, (requests.ConnectionError, ConnectionError, ProviderConnectionError)):
        return Fault.CONNECTION
    if isinstance(exc, IncompleteBatch):  # a batch answered in part: as unreliable as a garbled answer
        return Fault.NODE
    if isinstance(exc, json.JSONDecodeError):  # a garbled answer: requests' JSON error subclasses this one
        return Fault.NODE
    if isinstance(exc, Web3RPCError):
        message = _rpc_message(exc)
        if _RANGE_HINTS.search(message):
            return Fault.RANGE
        if _RATE_HINTS.search(message) or _rpc_code(exc) == 429:
            return Fault.RATE
        return Fault.NODE
    return None


def node_trouble_message(exc: BaseException) -> str | None:
    """What to tell a person when ``exc`` is node trouble (None when it is not): the same words in CLI and GUI."""
    fault = classify(exc)
    if fault is None:
        return None
    return (
        f"The node is not answering properly: {fault.value} ({type(exc).__name__}). Nothing was lost: "
        "try again; a transaction that was already sent is settled then, never sent twice."
    )


def retry_after_s(exc: BaseException) -> float | None:
    """The server's Retry-After (seconds) on a 429, when it sent one."""
    if isinstance(exc, requests.HTTPError) and exc.response is not None:
        try:
            return float(exc.response.headers.get("Retry-After", ""))
        except ValueError:
            return None
    return None


def _rpc_error(exc: Web3RPCError) -> dict[str, Any]:
    response = exc.rpc_response or {}
    error: object = response.get("error") if isinstance(response, dict) else None
    return error if isinstance(error, dict) else {}


def _rpc_message(exc: Web3RPCError) -> str:
    return str(_rpc_error(exc).get("message") or exc.message or exc)


def _rpc_code(exc: Web3RPCError) -> int | None:
    code = _rpc_error(exc).get("code")
    return code if isinstance(code, int) else None
