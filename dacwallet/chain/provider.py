"""A web3 provider that answers JSON-RPC from the in-process EvmNode.

It speaks the wire format of a real node (hex quantities, geth-style errors
with revert data), so web3 formats results and raises ContractLogicError
exactly as it does over HTTP.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from web3.providers.base import BaseProvider
from web3.types import RPCEndpoint, RPCError, RPCResponse

from dacwallet.chain.chain_store import translate_sqlite_error
from dacwallet.chain.evm_node import (
    CHAIN_ID,
    SUGGESTED_PRIORITY_FEE,
    CallRequest,
    EvmNode,
    HeaderNotFound,
    RpcFailure,
    TransactionNotFound,
)
from dacwallet.chain.log_index import LogFilter
from dacwallet.chain.rpc_format import format_block, format_receipt, format_transaction, hex_bytes
from dacwallet.chain.wire import Header
from dacwallet.errors import ChainError

CLIENT_VERSION = "dacwallet-embedded/revm"


def _int(value: Any) -> int:
    return value if isinstance(value, int) else int(value, 16)


def _bytes(value: Any) -> bytes:
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    return bytes.fromhex(value[2:] if value.startswith("0x") else value)


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


class EmbeddedProvider(BaseProvider):
    """Serialises every request (the engine is not thread-safe) onto one EvmNode."""

    def __init__(self, node: EvmNode) -> None:
        super().__init__()
        self.node = node
        # Re-entrant so a caller holding exclusive() can still go through web3.
        self._lock = threading.RLock()
        self._request_id = 0
        self._methods: dict[str, Callable[[list[Any]], Any]] = {
            "web3_clientVersion": lambda p: CLIENT_VERSION,
            "net_version": lambda p: str(CHAIN_ID),
            "net_listening": lambda p: True,
            "eth_chainId": lambda p: hex(CHAIN_ID),
            "eth_syncing": lambda p: False,
            "eth_accounts": lambda p: [],
            "eth_blockNumber": lambda p: hex(self.node.head().block_number),
            "eth_gasPrice": lambda p: hex(self.node.next_base_fee() + SUGGESTED_PRIORITY_FEE),
            "eth_maxPriorityFeePerGas": lambda p: hex(SUGGESTED_PRIORITY_FEE),
            "eth_feeHistory": self._fee_history,
            "eth_getBlockByNumber": self._block_by_number,
            "eth_getBlockByHash": self._block_by_hash,
            "eth_getBalance": lambda p: hex(self._state(p, 1).get_balance(_bytes(p[0]))),
            "eth_getTransactionCount": lambda p: hex(self._state(p, 1).get_nonce(_bytes(p[0]))),
            "eth_getCode": lambda p: hex_bytes(self._state(p, 1).get_code(_bytes(p[0]))),
            "eth_getStorageAt": lambda p: hex_bytes(
                self._state(p, 2).get_storage(_bytes(p[0]), _int(p[1])).to_bytes(32, "big")
            ),
            "eth_sendRawTransaction": lambda p: hex_bytes(self.node.send_raw_transaction(_bytes(p[0]))),
            "eth_call": lambda p: hex_bytes(self.node.call(self._call(p[0]), self._at(p, 1))),
            "eth_estimateGas": lambda p: hex(self.node.estimate_gas(self._call(p[0]), self._at(p, 1))),
            "eth_getTransactionByHash": self._transaction,
            "eth_getTransactionReceipt": self._receipt,
            "eth_getLogs": self._logs,
        }

    # --- web3's provider interface -------------------------------------------

    @contextmanager
    def exclusive(self) -> Iterator[EvmNode]:
        """Hold the node for a sequence of steps; SQLite failures become ChainErrors."""
        with self._lock:
            if self.node.store.closed:
                raise ChainError(f"The embedded chain in {self.node.store.data_dir} was closed.")
            try:
                yield self.node
            except sqlite3.Error as error:
                raise translate_sqlite_error(self.node.store.data_dir, error) from error

    def make_request(self, method: RPCEndpoint, params: Any) -> RPCResponse:
        with self.exclusive():
            self._request_id += 1
            response: RPCResponse = {"jsonrpc": "2.0", "id": self._request_id}
            handler = self._methods.get(method)
            if handler is None:
                response["error"] = {"code": -32601, "message": f"Method {method} not supported"}
                return response
            try:
                response["result"] = handler(list(params or []))
            except RpcFailure as failure:
                error: RPCError = {"code": failure.code, "message": failure.message}
                if failure.data is not None:
                    error["data"] = failure.data
                response["error"] = error
            return response

    def is_connected(self, show_traceback: bool = False) -> bool:
        return True

    # --- parameter decoding --------------------------------------------------

    def _header(self, block_id: Any) -> Header:
        """Tags map to the head: every transaction is mined at once, so pending == latest."""
        if block_id is None or block_id in ("latest", "pending", "safe", "finalized"):
            return self.node.head()
        number = 0 if block_id == "earliest" else _int(block_id)
        try:
            return self.node.header(number)
        except HeaderNotFound as error:
            raise RpcFailure(-32000, f"header not found: block {number}") from error

    def _at(self, params: list[Any], position: int) -> Header:
        return self._header(params[position] if len(params) > position else None)

    def _state(self, params: list[Any], position: int) -> Any:
        return self.node.state_at(self._at(params, position))

    @staticmethod
    def _call(tx: dict[str, Any]) -> CallRequest:
        data = tx.get("input", tx.get("data"))
        fields: dict[str, Any] = {
            "to": _bytes(tx["to"]) if tx.get("to") else b"",
            "value": _int(tx.get("value", 0)),
            "data": _bytes(data) if data else b"",
            "gas": _int(tx["gas"]) if tx.get("gas") else None,
        }
        if tx.get("from"):
            fields["sender"] = _bytes(tx["from"])
        return CallRequest(**fields)

    # --- handlers --------------------------------------------------------------

    def _block_by_number(self, params: list[Any]) -> dict[str, object] | None:
        try:
            header = self._header(params[0])
        except RpcFailure:
            return None  # nodes answer null for blocks that do not exist yet
        return self._format_block(header, len(params) > 1 and bool(params[1]))

    def _block_by_hash(self, params: list[Any]) -> dict[str, object] | None:
        try:
            header = self.node.header_by_hash(_bytes(params[0]))
        except HeaderNotFound:
            return None
        return self._format_block(header, len(params) > 1 and bool(params[1]))

    def _format_block(self, header: Header, full: bool) -> dict[str, object]:
        block = self.node.block(header)
        senders = [self.node.sender(tx) for tx in block.transactions] if full else None
        return format_block(block, senders)

    def _transaction(self, params: list[Any]) -> dict[str, object] | None:
        try:
            block, index = self.node.transaction_location(_bytes(params[0]))
        except TransactionNotFound:
            return None
        tx = block.transactions[index]
        return format_transaction(tx, self.node.sender(tx), block.header, index)

    def _receipt(self, params: list[Any]) -> dict[str, object] | None:
        try:
            block, index = self.node.transaction_location(_bytes(params[0]))
        except TransactionNotFound:
            return None
        receipts = self.node.receipts(block)
        first_log = sum(len(r.logs) for r in receipts[:index])
        sender = self.node.sender(block.transactions[index])
        return format_receipt(block, receipts, index, sender, first_log)

    def _logs(self, params: list[Any]) -> list[dict[str, object]]:
        spec = params[0] if params else {}
        if spec.get("blockHash"):
            try:
                header = self.node.header_by_hash(_bytes(spec["blockHash"]))
            except HeaderNotFound as error:
                raise RpcFailure(-32000, "unknown block") from error
            first = last = header.block_number
        else:
            first = self._header(spec.get("fromBlock", "latest")).block_number
            last = self._header(spec.get("toBlock", "latest")).block_number
        topics = tuple(tuple(_bytes(t) for t in _list(position)) for position in spec.get("topics") or ())
        addresses = tuple(_bytes(a) for a in _list(spec.get("address")))
        return self.node.logs(LogFilter(first, last, addresses, topics))

    def _fee_history(self, params: list[Any]) -> dict[str, object]:
        count = _int(params[0])
        if not 1 <= count <= 1024:
            raise RpcFailure(-32602, "block count must be between 1 and 1024")
        percentiles = params[2] if len(params) > 2 and params[2] else []
        return self.node.fee_history(count, self._header(params[1]), percentiles)
