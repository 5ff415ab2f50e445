"""The shape of a node's answers, checked before web3 formats them.

A node can answer anything. web3 trusts the shape of a result (a dict for a block, a hex quantity for a
balance), so a wrong one surfaces as AttributeError or TypeError deep in its formatters, and a huge
chain id as a number too long to print. This middleware refuses such an answer at once with a ChainError
that names the method, so nothing downstream — and nothing signed — ever sees it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from web3.middleware.base import Web3Middleware
from web3.types import RPCEndpoint, RPCResponse

from dacwallet.chain.quantity import QUANTITY_PATTERN
from dacwallet.errors import ChainError

_DATA = re.compile(r"0x(?:[0-9a-fA-F]{2})*")
_HASH = re.compile(r"0x[0-9a-fA-F]{64}")
_CHAIN_ID = re.compile(r"0x[0-9a-fA-F]{1,16}")  # EIP-2294: a chain id fits 64 bits
MAX_DATA_CHARS = 32 * 2**20  # 16 MB of call result: far above anything the wallet reads

# What each method's result must be; a method not listed is passed on unchecked.
_QUANTITY_METHODS = {
    "eth_blockNumber",
    "eth_getBalance",
    "eth_getTransactionCount",
    "eth_gasPrice",
    "eth_maxPriorityFeePerGas",
    "eth_estimateGas",
}
_OBJECT_OR_NULL = {
    "eth_getBlockByNumber",
    "eth_getBlockByHash",
    "eth_getTransactionByHash",
    "eth_getTransactionReceipt",
}
# Fields of blocks, transactions and receipts that web3 turns into numbers.
_QUANTITY_FIELDS = {
    "number",
    "timestamp",
    "gasUsed",
    "gasLimit",
    "baseFeePerGas",
    "blockNumber",
    "status",
    "transactionIndex",
    "cumulativeGasUsed",
    "effectiveGasPrice",
    "value",
    "gas",
    "gasPrice",
    "maxFeePerGas",
    "maxPriorityFeePerGas",
    "type",
    "chainId",
    "logIndex",
}


class MalformedAnswer(ChainError):
    """The node answered a request with something of the wrong shape or size."""


def check_result(method: str, result: Any) -> None:
    """Raises MalformedAnswer when ``result`` cannot be the answer to ``method``."""
    problem = _problem(method, result)
    if problem is not None:
        raise MalformedAnswer(
            f"The node answered {method} with {problem}, which no node should send; it is "
            "not a node this wallet can trust: check the network URL. Nothing was lost: a "
            "transaction already sent is settled on the next run, never sent twice."
        )


def _problem(method: str, result: Any) -> str | None:
    if method == "eth_chainId":
        return None if _is(result, _CHAIN_ID) else _what(result, "a chain id")
    if method in _QUANTITY_METHODS:
        return None if _is(result, QUANTITY_PATTERN) else _what(result, "a number")
    if method in ("eth_call", "eth_getCode"):
        return None if _is(result, _DATA, MAX_DATA_CHARS) else _what(result, "data")
    if method == "eth_sendRawTransaction":
        return None if _is(result, _HASH) else _what(result, "a transaction hash")
    if method in _OBJECT_OR_NULL:
        if result is None:
            return None
        if not isinstance(result, Mapping):
            return _what(result, "an object")
        return _fields_problem(result)
    if method == "eth_getLogs":
        if not isinstance(result, list) or not all(isinstance(log, Mapping) for log in result):
            return _what(result, "a list of logs")
        return next((p for p in map(_fields_problem, result) if p is not None), None)
    if method == "eth_feeHistory" and not isinstance(result, Mapping):
        return _what(result, "fee history")
    return None


def _fields_problem(obj: Mapping[str, Any]) -> str | None:
    for name in _QUANTITY_FIELDS.intersection(obj):
        value = obj[name]
        if value is not None and not _is(value, QUANTITY_PATTERN):
            return _what(value, f"a number as its {name!r}")
    return None


def _is(value: Any, pattern: re.Pattern[str], limit: int = 66) -> bool:
    return isinstance(value, str) and len(value) <= limit and pattern.fullmatch(value) is not None


def _what(value: Any, expected: str) -> str:
    size = f" of {len(value):,} characters" if isinstance(value, (str, list, dict)) and len(value) > 80 else ""
    return f"a {type(value).__name__}{size} where {expected} belongs"


class AnswerCheck(Web3Middleware):
    """web3 middleware: every result of a method it knows is checked (see ``check_result``)."""

    def response_processor(self, method: RPCEndpoint, response: RPCResponse) -> RPCResponse:
        if isinstance(response, Mapping) and "result" in response:
            check_result(str(method), response["result"])
        return response
