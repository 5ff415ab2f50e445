"""The embedded chain's engine: revm (WorldState) on a ChainStore, one block per transaction.

Everything here speaks Python values (ints, bytes, wire types); turning JSON-RPC
requests into these calls is the provider's job.

How blocks are formed without a state trie: revm keeps the state in memory and the
ChainStore keeps it in SQLite tables, so there is no Merkle-Patricia trie of accounts
to take a root of. A header's ``stateRoot`` is instead a commitment to the state's
history: keccak(parent stateRoot ‖ keccak(RLP of the block's sorted state changes)),
the parent's root unchanged when a block changes nothing. Two chains with the same
history have the same roots and the genesis hash depends only on the genesis state and
time, so reset detection (a new genesis hash) holds; what such a root cannot offer is
Merkle proofs (eth_getProof). The transaction and receipt roots are the real tries'
(a block holds one transaction at most), and every other field is Prague's.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

import rlp
from eth_abi import decode as abi_decode
from eth_abi.exceptions import DecodingError

from dacwallet.chain.chain_store import ChainStore, StoredBlock, corrupt_error
from dacwallet.chain.log_index import LogFilter, log_rows, query_logs
from dacwallet.chain.revm_state import Account, ExecutionRejected, Outcome, StateDiff, WorldState
from dacwallet.chain.wire import (
    ZERO_HASH,
    Block,
    Header,
    InvalidTransaction,
    Receipt,
    Transaction,
    decode_transaction,
    keccak,
    rlp_encode,
    single_item_trie_root,
)
from dacwallet.errors import ChainError

CHAIN_ID = 31338
BLOCK_GAS_LIMIT = 60_000_000
# The tip the node suggests; base fee falls to a few wei on an idle chain.
SUGGESTED_PRIORITY_FEE = 10**9
GENESIS_BASE_FEE = 10**9  # EIP-1559's initial base fee
ZERO_ADDRESS = b"\x00" * 20
# Bumped if the on-disk layout ever changes; a folder of another layout is refused.
# Format 1 was py-evm's trie in a key-value table.
STORE_FORMAT = 2
# Recent blocks kept decoded (a sender's recovery is an ECDSA recovery): receipts are read right after mining.
CACHED_BLOCKS = 256
# geth's eth_estimateGas stops its search once the gas it answers is within 1.5 % of the least that works.
ESTIMATE_ERROR_RATIO = 0.015
# Solidity's Error(string), the selector of `revert("reason")`.
ERROR_STRING_SELECTOR = bytes.fromhex("08c379a0")


class RpcFailure(Exception):
    """A request the node refuses, with the JSON-RPC error it would send."""

    def __init__(self, code: int, message: str, data: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.data = data


class HeaderNotFound(LookupError):
    """No block with that number or hash."""


class TransactionNotFound(LookupError):
    """No mined transaction with that hash."""


def revert_failure(outcome: Outcome) -> RpcFailure:
    """The error a geth-like node returns for a failed call, revert data included."""
    if outcome.halt_reason:
        return RpcFailure(-32000, f"execution failed: {outcome.halt_reason}")
    data = outcome.output
    message = "execution reverted"
    if data[:4] == ERROR_STRING_SELECTOR:
        try:
            message += ": " + abi_decode(["string"], data[4:])[0]
        except (DecodingError, UnicodeDecodeError):  # malformed: keep the bare message
            pass
    return RpcFailure(3, message, "0x" + data.hex())


def next_base_fee(parent: Header) -> int:
    """EIP-1559: the base fee moves by at most 1/8 towards a half-full block."""
    target = parent.gas_limit // 2
    base = parent.base_fee_per_gas
    if parent.gas_used == target:
        return base
    if parent.gas_used > target:
        return base + max(base * (parent.gas_used - target) // target // 8, 1)
    return max(base - base * (target - parent.gas_used) // target // 8, 0)


def state_root(parent_root: bytes, diff: StateDiff) -> bytes:
    """The chained commitment that stands for a state root (see the module docstring)."""
    if not diff.accounts and not diff.storage:
        return parent_root
    accounts = [[a] if s is None else [a, s.balance, s.nonce, s.code_hash] for a, s in sorted(diff.accounts.items())]
    storage = [[a, sorted(slots.items())] for a, slots in sorted(diff.storage.items())]
    return keccak(parent_root + keccak(rlp_encode([accounts, storage])))


@dataclass(frozen=True)
class CallRequest:
    """The fields of an eth_call / eth_estimateGas request."""

    sender: bytes = ZERO_ADDRESS
    to: bytes = b""
    value: int = 0
    data: bytes = b""
    gas: int | None = None


class StateView:
    """Balances, nonces, code and storage after one block (the head's come from memory)."""

    def __init__(self, node: EvmNode, header: Header) -> None:
        self._node = node
        self._number = header.block_number
        self._latest = header.block_number == node.head().block_number

    def _account(self, address: bytes) -> Account:
        if self._latest:
            return self._node.state.account(address)
        return self._node.store.account_at(address, self._number) or Account(0, 0)

    def get_balance(self, address: bytes) -> int:
        return self._account(address).balance

    def get_nonce(self, address: bytes) -> int:
        return self._account(address).nonce

    def get_code(self, address: bytes) -> bytes:
        return self._node.state.code[self._account(address).code_hash]

    def get_storage(self, address: bytes, slot: int) -> int:
        if self._latest:
            return self._node.state.storage(address, slot)
        return self._node.store.slot_at(address, slot, self._number)


class EvmNode:
    """A single-writer chain in one SQLite file; state survives restarts and kills."""

    def __init__(self, store: ChainStore, genesis_alloc: dict[bytes, int]) -> None:
        self.store = store
        self._recent: OrderedDict[int, tuple[Block, list[Receipt]]] = OrderedDict()
        stored_format = store.get_meta("format")
        if stored_format is None:
            self._create_genesis(genesis_alloc)
        elif stored_format == 1:
            raise ChainError(
                f"The embedded chain in {store.data_dir} was made by an earlier dacwallet, whose "
                "chain engine this version no longer has. Move or delete the file "
                f"{store.data_dir / 'chain.sqlite3'} to start a fresh embedded chain "
                "(its test ether and contracts will be gone; dacwallet then sees the chain was reset)."
            )
        elif stored_format != STORE_FORMAT:
            raise corrupt_error(store.data_dir, f"unknown store format {stored_format!r}")
        head = store.head_number()
        if head is None:
            raise corrupt_error(store.data_dir, "no chain head")
        self._head = self.header(head)
        self.state = WorldState(CHAIN_ID, BLOCK_GAS_LIMIT)
        self.state.load(store.accounts(), store.code(), store.storage())
        self.clock_offset = int(store.get_meta("clock_offset") or 0)
        # One past state kept in revm for calls at an older block (rare).
        self._past: tuple[int, WorldState] | None = None

    def _create_genesis(self, alloc: dict[bytes, int]) -> None:
        diff = StateDiff(accounts={address: Account(wei, 0) for address, wei in alloc.items()})
        header = Header(
            parent_hash=ZERO_HASH,
            state_root=state_root(ZERO_HASH, diff),
            transaction_root=single_item_trie_root(()),
            receipt_root=single_item_trie_root(()),
            bloom=0,
            block_number=0,
            gas_limit=BLOCK_GAS_LIMIT,
            gas_used=0,
            timestamp=int(time.time()),
            mix_hash=ZERO_HASH,
            base_fee_per_gas=GENESIS_BASE_FEE,
        )
        self.store.commit(self._stored(header, None, None), diff, meta={"format": STORE_FORMAT, "clock_offset": 0})

    @staticmethod
    def _stored(header: Header, tx: Transaction | None, receipt: Receipt | None) -> StoredBlock:
        return StoredBlock(
            number=header.block_number,
            hash=header.hash,
            header=header.encoded,
            transactions=rlp_encode([tx.raw] if tx else []),
            receipts=rlp_encode([receipt.encoded] if receipt else []),
            tx_hashes=(tx.hash,) if tx else (),
        )

    # --- reading -----------------------------------------------------------

    def head(self) -> Header:
        return self._head

    def header(self, number: int) -> Header:
        cached = self._recent.get(number)
        if cached is not None:
            return cached[0].header
        row = self.store.block_row(number)
        if row is None:
            raise HeaderNotFound(number)
        return Header.decode(row[0])

    def header_by_hash(self, block_hash: bytes) -> Header:
        number = self.store.number_of(block_hash)
        if number is None:
            raise HeaderNotFound(block_hash)
        return self.header(number)

    def _block_and_receipts(self, number: int) -> tuple[Block, list[Receipt]]:
        cached = self._recent.get(number)
        if cached is None:
            row = self.store.block_row(number)
            if row is None:
                raise HeaderNotFound(number)
            header, transactions, receipts = row
            block = Block(Header.decode(header), tuple(decode_transaction(raw) for raw in rlp.decode(transactions)))
            cached = (block, [Receipt.decode(encoded) for encoded in rlp.decode(receipts)])
            self._remember(cached)
        return cached

    def _remember(self, entry: tuple[Block, list[Receipt]]) -> None:
        number = entry[0].header.block_number
        self._recent[number] = entry
        self._recent.move_to_end(number)
        while len(self._recent) > CACHED_BLOCKS:
            self._recent.popitem(last=False)

    def block(self, header: Header) -> Block:
        return self._block_and_receipts(header.block_number)[0]

    def receipts(self, block: Block) -> Sequence[Receipt]:
        return self._block_and_receipts(block.header.block_number)[1]

    def state_at(self, header: Header) -> StateView:
        return StateView(self, header)

    def transaction_location(self, tx_hash: bytes) -> tuple[Block, int]:
        """The block holding a mined transaction and its index; raises if unknown."""
        location = self.store.transaction_location(tx_hash)
        if location is None:
            raise TransactionNotFound(tx_hash)
        number, index = location
        return self.block(self.header(number)), index

    def sender(self, tx: Transaction) -> bytes:
        return tx.sender

    def logs(self, log_filter: LogFilter) -> list[dict[str, object]]:
        return query_logs(self.store.conn, log_filter)

    # --- time ----------------------------------------------------------------

    def next_timestamp(self, parent: Header) -> int:
        """The chain clock: wall time plus the user's jumps, never standing still."""
        return max(parent.timestamp + 1, int(time.time()) + self.clock_offset)

    def advance(self, seconds: int) -> Header:
        """Jump the clock forward and mine an empty block that shows the new time."""
        if seconds < 0:
            raise ValueError("The chain clock only moves forward.")
        head = self.head()
        clock = max(head.timestamp, int(time.time()) + self.clock_offset)
        target = max(clock + seconds, head.timestamp + 1)  # a block must move time on
        return self.mine(None, timestamp=target, clock_offset=target - int(time.time()))

    # --- writing -------------------------------------------------------------

    def send_raw_transaction(self, raw: bytes) -> bytes:
        """Validate, mine in a block of its own, and persist; returns the tx hash."""
        try:
            tx = decode_transaction(raw)
        except InvalidTransaction as error:
            raise RpcFailure(-32602, f"invalid transaction: {error}") from error
        if tx.chain_id is not None and tx.chain_id != CHAIN_ID:
            raise RpcFailure(-32000, f"invalid chain id {tx.chain_id}, expected {CHAIN_ID}")
        self.mine(tx)
        return tx.hash

    def _check(self, tx: Transaction, base_fee: int) -> None:
        """The checks a node makes before mining a transaction; raises RpcFailure."""
        account = self.state.account(tx.sender)
        problem = None
        if tx.nonce != account.nonce:
            problem = f"invalid nonce: expected {account.nonce}, got {tx.nonce}"
        elif tx.gas > BLOCK_GAS_LIMIT:
            problem = f"gas {tx.gas} exceeds the block gas limit {BLOCK_GAS_LIMIT}"
        elif tx.max_priority_fee_per_gas > tx.max_fee_per_gas:
            problem = "max priority fee per gas is higher than max fee per gas"
        elif tx.max_fee_per_gas < base_fee:
            problem = f"max fee per gas {tx.max_fee_per_gas} is below the base fee {base_fee}"
        elif account.balance < tx.gas * tx.max_fee_per_gas + tx.value:
            problem = "insufficient funds for gas * price + value"
        elif self.state.code_of(tx.sender):
            problem = "sender is a contract, not an externally owned account"
        if problem:
            raise RpcFailure(-32000, f"transaction rejected: {problem}")

    def _set_block(self, parent: Header, timestamp: int) -> None:
        self.state.set_block(parent.block_number + 1, timestamp, ZERO_ADDRESS, keccak(parent.hash))

    def mine(
        self,
        tx: Transaction | None,
        timestamp: int | None = None,
        clock_offset: int | None = None,
    ) -> Header:
        """Mine one block (with ``tx`` or empty) now or at ``timestamp``, then persist it."""
        parent = self.head()
        timestamp = timestamp or self.next_timestamp(parent)
        base_fee = next_base_fee(parent)
        diff, receipt = StateDiff(), None
        if tx is not None:
            self._check(tx, base_fee)
            self._set_block(parent, timestamp)
            try:
                outcome = self.state.execute(tx.sender, tx.to, tx.value, tx.data, tx.gas, 0, tx.access_list)
            except ExecutionRejected as error:
                raise RpcFailure(-32000, f"transaction rejected: {error}") from error
            diff = outcome.diff
            self._settle(diff, tx, outcome.gas_used, base_fee)
            receipt = Receipt(tx.type_id, outcome.success, outcome.gas_used, outcome.logs)
        header = Header(
            parent_hash=parent.hash,
            state_root=state_root(parent.state_root, diff),
            transaction_root=single_item_trie_root([tx.raw] if tx else []),
            receipt_root=single_item_trie_root([receipt.encoded] if receipt else []),
            bloom=receipt.bloom if receipt else 0,
            block_number=parent.block_number + 1,
            gas_limit=parent.gas_limit,
            gas_used=receipt.cumulative_gas_used if receipt else 0,
            timestamp=timestamp,
            mix_hash=keccak(parent.hash),
            base_fee_per_gas=base_fee,
        )
        rows = log_rows(header.block_number, header.hash, [tx] if tx else [], [receipt] if receipt else [])
        meta = {} if clock_offset is None else {"clock_offset": clock_offset}
        self.store.commit(self._stored(header, tx, receipt), diff, rows, meta)
        # Only once the block is on disk does memory follow: a failed write changes nothing.
        self.state.apply(diff)
        self._head = header
        self._remember((Block(header, (tx,) if tx else ()), [receipt] if receipt else []))
        if clock_offset is not None:
            self.clock_offset = clock_offset
        return header

    def _settle(self, diff: StateDiff, tx: Transaction, gas_used: int, base_fee: int) -> None:
        """Charge the fee and spend the nonce, which pyrevm's message calls leave out.

        Transactions run with a zero gas price (pyrevm would skip the fee of a call but
        charge that of a creation); the sender pays gas used × effective price here, the
        coinbase gets the tip and the base fee is burnt. The one difference from a node
        that charges up front: during execution the sender's balance still holds the fee
        (and GASPRICE reads 0).
        """
        price = tx.effective_gas_price(base_fee)
        sender = diff.accounts.get(tx.sender) or self.state.account(tx.sender)
        diff.accounts[tx.sender] = Account(sender.balance - gas_used * price, tx.nonce + 1, sender.code_hash)
        tip = gas_used * (price - base_fee)
        if tip:
            coinbase = diff.accounts.get(ZERO_ADDRESS) or self.state.account(ZERO_ADDRESS)
            diff.accounts[ZERO_ADDRESS] = Account(coinbase.balance + tip, coinbase.nonce, coinbase.code_hash)

    def rewind(self, number: int) -> None:
        """Drop every block after ``number`` (a dev chain's snapshot revert)."""
        if not 0 <= number <= self._head.block_number:
            raise ValueError(f"no block {number} to go back to")
        self.state.apply(self.store.rewind(number))
        self._head = self.header(number)
        self._past = None  # later block numbers will name other blocks
        self._recent.clear()

    # --- execution without a block ------------------------------------------

    def _state_for(self, at: Header) -> WorldState:
        """revm with the state after ``at``: the live one, or a rebuilt past one."""
        if at.block_number == self._head.block_number:
            return self.state
        if self._past is None or self._past[0] != at.block_number:
            past = WorldState(CHAIN_ID, BLOCK_GAS_LIMIT)
            past.load(
                self.store.accounts_at(at.block_number), self.store.code(), self.store.storage_at(at.block_number)
            )
            self._past = (at.block_number, past)
        return self._past[1]

    def _execute(self, request: CallRequest, at: Header, gas: int) -> Outcome:
        """Run a call in the context of the block after ``at``, fees waived (and its changes not read)."""
        state = self._state_for(at)
        state.set_block(at.block_number + 1, self.next_timestamp(at), ZERO_ADDRESS, keccak(at.hash))
        try:
            return state.execute(request.sender, request.to, request.value, request.data, gas, 0, changes=False)
        except ExecutionRejected as error:
            raise RpcFailure(-32000, str(error)) from error

    def call(self, request: CallRequest, at: Header) -> bytes:
        outcome = self._execute(request, at, request.gas or at.gas_limit)
        if not outcome.success:
            raise revert_failure(outcome)
        return outcome.output

    def estimate_gas(self, request: CallRequest, at: Header) -> int:
        """Gas with which the call succeeds: a binary search above the gas it spent, ended as geth ends it
        once the answer is known within ESTIMATE_ERROR_RATIO (a dozen executions fewer for a call that
        keeps 1/64 of its gas back, such as addData; the wallet adds its own margin anyway)."""
        cap = request.gas or at.gas_limit
        outcome = self._execute(request, at, cap)
        if not outcome.success:
            raise revert_failure(outcome)
        used = outcome.gas_used
        # Less than what it spent before its refund can never do; that much is often enough.
        spent = used + outcome.gas_refunded
        if self._execute(request, at, spent).success:  # most calls: what they spent is enough
            return spent
        low, high = spent, cap
        # Else usually the 1/64 a call keeps back.
        guess = spent * 64 // 63 + 2300
        if guess < high:
            if self._execute(request, at, guess).success:
                high = guess
            else:
                low = guess
        while high - low > 1 and (high - low) / high >= ESTIMATE_ERROR_RATIO:
            middle = (low + high) // 2
            if self._execute(request, at, middle).success:
                high = middle
            else:
                low = middle
        return high

    # --- fees --------------------------------------------------------------

    def next_base_fee(self) -> int:
        return next_base_fee(self.head())

    def fee_history(self, count: int, newest: Header, percentiles: Sequence[float]) -> dict[str, object]:
        oldest = max(0, newest.block_number - count + 1)
        headers = [self.header(n) for n in range(oldest, newest.block_number)] + [newest]
        history: dict[str, object] = {
            "oldestBlock": hex(oldest),
            "baseFeePerGas": [hex(h.base_fee_per_gas) for h in headers] + [hex(next_base_fee(newest))],
            "gasUsedRatio": [h.gas_used / h.gas_limit for h in headers],
        }
        if percentiles:
            history["reward"] = [[hex(tip) for tip in self._block_rewards(h, percentiles)] for h in headers]
        return history

    def _block_rewards(self, header: Header, percentiles: Sequence[float]) -> list[int]:
        """Tips at the given gas-weighted percentiles, as geth computes them."""
        block = self.block(header)
        receipts = self.receipts(block)
        if not block.transactions:
            return [0] * len(percentiles)
        used_before = [0] + [r.cumulative_gas_used for r in receipts[:-1]]
        tips = sorted(
            (
                tx.effective_gas_price(header.base_fee_per_gas) - header.base_fee_per_gas,
                receipt.cumulative_gas_used - before,
            )
            for tx, receipt, before in zip(block.transactions, receipts, used_before, strict=True)
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
