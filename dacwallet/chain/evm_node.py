"""The embedded chain's engine: py-evm on a ChainStore, one block per transaction.

Everything here speaks Python values (ints, bytes, py-evm objects); turning
JSON-RPC requests into these calls is the provider's job.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from eth.abc import BlockAPI, BlockHeaderAPI, ReceiptAPI, SignedTransactionAPI, StateAPI
from eth.chains.base import MiningChain
from eth.constants import POST_MERGE_DIFFICULTY, POST_MERGE_MIX_HASH, POST_MERGE_NONCE
from eth.db.atomic import AtomicDB
from eth.exceptions import CanonicalHeadNotFound, Revert, VMError
from eth.vm.forks import PragueVM
from eth.vm.spoof import SpoofTransaction
from eth_abi import decode as abi_decode
from eth_abi.exceptions import DecodingError
from eth_utils import ValidationError, keccak

from dacwallet.chain.chain_store import ChainStore, corrupt_error
from dacwallet.chain.log_index import LogFilter, log_rows, query_logs
from dacwallet.chain.rpc_format import effective_gas_price

CHAIN_ID = 31338
BLOCK_GAS_LIMIT = 60_000_000
# The tip the node suggests; base fee falls to a few wei on an idle chain.
SUGGESTED_PRIORITY_FEE = 10**9
ZERO_ADDRESS = b"\x00" * 20
# Bumped if the on-disk layout ever changes; a folder of another layout is refused.
STORE_FORMAT = 1
# Solidity's Error(string), the selector of `revert("reason")`.
ERROR_STRING_SELECTOR = bytes.fromhex("08c379a0")


class RpcFailure(Exception):
    """A request the node refuses, with the JSON-RPC error it would send."""

    def __init__(self, code: int, message: str, data: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.data = data


def revert_failure(error: VMError) -> RpcFailure:
    """The error a geth-like node returns for a failed call, revert data included."""
    if isinstance(error, Revert):
        data: bytes = error.args[0] if error.args else b""
        message = "execution reverted"
        if data[:4] == ERROR_STRING_SELECTOR:
            try:
                message += ": " + abi_decode(["string"], data[4:])[0]
            except (DecodingError, UnicodeDecodeError):  # malformed: keep the bare message
                pass
        return RpcFailure(3, message, "0x" + data.hex())
    return RpcFailure(-32000, f"execution failed: {type(error).__name__} {error}")


class _Chain(MiningChain):
    chain_id = CHAIN_ID
    vm_configuration = ((0, PragueVM),)

    def create_header_from_parent(
        self, parent_header: BlockHeaderAPI, **header_params: object
    ) -> BlockHeaderAPI:
        # A dev chain keeps its gas limit instead of drifting like mainnet's.
        header_params.setdefault("gas_limit", parent_header.gas_limit)
        return super().create_header_from_parent(parent_header, **header_params)


@dataclass(frozen=True)
class CallRequest:
    """The fields of an eth_call / eth_estimateGas request."""

    sender: bytes = ZERO_ADDRESS
    to: bytes = b""
    value: int = 0
    data: bytes = b""
    gas: int | None = None


class EvmNode:
    """A single-writer chain in one SQLite file; state survives restarts and kills."""

    def __init__(self, store: ChainStore, genesis_alloc: dict[bytes, int]) -> None:
        self.store = store
        self._db = AtomicDB(store)
        stored_format = store.get_meta("format")
        if stored_format is None:
            self._create_genesis(genesis_alloc)
        elif stored_format != STORE_FORMAT:
            raise corrupt_error(store.data_dir, f"unknown store format {stored_format!r}")
        self.chain = self._load_chain()
        self.clock_offset = int(store.get_meta("clock_offset") or 0)
        # Recovering a sender is an ECDSA recovery (~17 ms without coincurve);
        # remember each one, filled as blocks are mined or first read.
        self._senders: dict[bytes, bytes] = {}

    def _create_genesis(self, alloc: dict[bytes, int]) -> None:
        params = {
            "difficulty": POST_MERGE_DIFFICULTY,
            "mix_hash": POST_MERGE_MIX_HASH,
            "nonce": POST_MERGE_NONCE,
            "gas_limit": BLOCK_GAS_LIMIT,
            "timestamp": int(time.time()),
            "coinbase": ZERO_ADDRESS,
        }
        state = {
            address: {"balance": wei, "nonce": 0, "code": b"", "storage": {}}
            for address, wei in alloc.items()
        }
        _Chain.from_genesis(self._db, params, state)
        self.store.commit(meta={"format": STORE_FORMAT, "clock_offset": 0})

    def _load_chain(self) -> _Chain:
        try:
            return _Chain(self._db)
        except CanonicalHeadNotFound as error:
            raise corrupt_error(self.store.data_dir, "no chain head") from error

    # --- reading -----------------------------------------------------------

    def head(self) -> BlockHeaderAPI:
        return self.chain.get_canonical_head()

    def header(self, number: int) -> BlockHeaderAPI:
        return self.chain.get_canonical_block_header_by_number(number)

    def block(self, header: BlockHeaderAPI) -> BlockAPI:
        return self.chain.get_block_by_header(header)

    def state_at(self, header: BlockHeaderAPI) -> StateAPI:
        return self.chain.get_vm(header).state

    def transaction_location(self, tx_hash: bytes) -> tuple[BlockAPI, int]:
        """The block holding a mined transaction and its index; raises if unknown."""
        number, index = self.chain.chaindb.get_transaction_index(tx_hash)
        return self.block(self.header(number)), index

    def sender(self, tx: SignedTransactionAPI) -> bytes:
        known = self._senders.get(tx.hash)
        if known is None:
            known = self._senders[tx.hash] = tx.sender
        return known

    def receipts(self, block: BlockAPI) -> Sequence[ReceiptAPI]:
        return block.get_receipts(self.chain.chaindb)

    def logs(self, log_filter: LogFilter) -> list[dict[str, object]]:
        return query_logs(self.store.conn, log_filter)

    # --- time ----------------------------------------------------------------

    def next_timestamp(self, parent: BlockHeaderAPI) -> int:
        """The chain clock: wall time plus the user's jumps, never standing still."""
        return max(parent.timestamp + 1, int(time.time()) + self.clock_offset)

    def advance(self, seconds: int) -> BlockHeaderAPI:
        """Jump the clock forward and mine an empty block that shows the new time."""
        if seconds < 0:
            raise ValueError("The chain clock only moves forward.")
        head = self.head()
        clock = max(head.timestamp, int(time.time()) + self.clock_offset)
        target = max(clock + seconds, head.timestamp + 1)  # a block must move time on
        return self.mine((), timestamp=target, clock_offset=target - int(time.time())).header

    # --- writing -------------------------------------------------------------

    def send_raw_transaction(self, raw: bytes) -> bytes:
        """Validate, mine in a block of its own, and persist; returns the tx hash."""
        builder = self.chain.get_vm().get_transaction_builder()
        try:
            tx = builder.decode(raw)
            tx.validate()
        except Exception as error:  # rlp and signature errors come in many types
            raise RpcFailure(-32602, f"invalid transaction: {error}") from error
        if tx.chain_id is not None and tx.chain_id != CHAIN_ID:
            raise RpcFailure(-32000, f"invalid chain id {tx.chain_id}, expected {CHAIN_ID}")
        self.mine((tx,))
        return tx.hash

    def mine(
        self,
        transactions: Sequence[SignedTransactionAPI],
        timestamp: int | None = None,
        clock_offset: int | None = None,
    ) -> BlockAPI:
        """Mine one block now (or at ``timestamp``), persisting a new clock offset with it."""
        head = self.head()
        self.chain.header = self.chain.create_header_from_parent(
            head, timestamp=timestamp or self.next_timestamp(head)
        )
        try:
            result, _, _ = self.chain.mine_all(
                transactions, coinbase=ZERO_ADDRESS, mix_hash=keccak(head.hash)
            )
            block = result.imported_block
            rows = log_rows(block.number, block.hash, block.transactions, self.receipts(block))
            meta = {} if clock_offset is None else {"clock_offset": clock_offset}
            self.store.commit(rows, meta)
            for tx in transactions:
                self._senders[tx.hash] = tx.sender  # already recovered during validation
        except ValidationError as error:
            self._roll_back()
            raise RpcFailure(-32000, f"transaction rejected: {error}") from error
        except BaseException:
            self._roll_back()
            raise
        if clock_offset is not None:
            self.clock_offset = clock_offset
        return block

    def _roll_back(self) -> None:
        # py-evm objects may hold the half-built block; start again from disk.
        self.store.discard()
        self._db = AtomicDB(self.store)
        self.chain = self._load_chain()

    # --- execution without a block ------------------------------------------

    def _scratch_state(self, parent: BlockHeaderAPI) -> StateAPI:
        """State after ``parent`` in the context of the next block, fees waived."""
        header = self.chain.create_header_from_parent(
            parent, timestamp=self.next_timestamp(parent), coinbase=ZERO_ADDRESS
        ).copy(base_fee_per_gas=0)
        return self.chain.get_vm(header).state

    def _spoof(self, request: CallRequest, state: StateAPI, gas: int) -> SpoofTransaction:
        unsigned = self.chain.get_vm().create_unsigned_transaction(
            nonce=state.get_nonce(request.sender),
            gas_price=0,
            gas=gas,
            to=request.to,
            value=request.value,
            data=request.data,
        )
        return SpoofTransaction(unsigned, from_=request.sender)

    def call(self, request: CallRequest, at: BlockHeaderAPI) -> bytes:
        state = self._scratch_state(at)
        tx = self._spoof(request, state, request.gas or at.gas_limit)
        try:
            computation = state.apply_transaction(tx)
        except ValidationError as error:
            raise RpcFailure(-32000, str(error)) from error
        if computation.is_error:
            raise revert_failure(computation.error)
        return computation.output

    def estimate_gas(self, request: CallRequest, at: BlockHeaderAPI) -> int:
        state = self._scratch_state(at)
        tx = self._spoof(request, state, at.gas_limit)
        try:
            return self.chain.gas_estimator(state, tx)
        except VMError as error:
            raise revert_failure(error) from error
        except ValidationError as error:
            raise RpcFailure(-32000, str(error)) from error

    # --- fees --------------------------------------------------------------

    def next_base_fee(self) -> int:
        return self.chain.create_header_from_parent(self.head()).base_fee_per_gas

    def fee_history(
        self, count: int, newest: BlockHeaderAPI, percentiles: Sequence[float]
    ) -> dict[str, object]:
        oldest = max(0, newest.block_number - count + 1)
        headers = [self.header(n) for n in range(oldest, newest.block_number)] + [newest]
        after = self.chain.create_header_from_parent(newest).base_fee_per_gas
        history: dict[str, object] = {
            "oldestBlock": hex(oldest),
            "baseFeePerGas": [hex(h.base_fee_per_gas) for h in headers] + [hex(after)],
            "gasUsedRatio": [h.gas_used / h.gas_limit for h in headers],
        }
        if percentiles:
            history["reward"] = [
                [hex(tip) for tip in self._block_rewards(h, percentiles)] for h in headers
            ]
        return history

    def _block_rewards(self, header: BlockHeaderAPI, percentiles: Sequence[float]) -> list[int]:
        """Tips at the given gas-weighted percentiles, as geth computes them."""
        block = self.block(header)
        receipts = self.receipts(block)
        if not block.transactions:
            return [0] * len(percentiles)
        used_before = [0] + [r.gas_used for r in receipts[:-1]]
        tips = sorted(
            (effective_gas_price(tx, header.base_fee_per_gas) - header.base_fee_per_gas,
             receipt.gas_used - before)
            for tx, receipt, before in zip(block.transactions, receipts, used_before)
        )
        rewards = []
        for percentile in percentiles:
            threshold = header.gas_used * percentile / 100
            cumulative = 0
            chosen = tips[-1][0]
            for tip, gas in tips:
                cumulative += gas
                if cumulative >= threshold:
                    chosen = tip
                    break
            rewards.append(chosen)
        return rewards

    def close(self) -> None:
        self.store.close()
