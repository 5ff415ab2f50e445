"""The embedded chain: an in-process EVM whose state lives in the user's data folder.

``open_embedded_chain(folder)`` gives a ``web3.Web3`` that the rest of the app
uses like any node, plus the dev-chain extras: a faucet and a clock that can
jump forward. Chain id 31338, block gas limit 60,000,000, revm with Cancun rules (runs
contracts compiled for ``cancun``). Every transaction is mined at once in a
block of its own; each block reaches disk in one SQLite transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType

from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_typing import ChecksumAddress
from eth_utils import keccak
from hexbytes import HexBytes
from web3 import Web3

from dacwallet.chain.chain_store import ChainStore, translate_sqlite_error
from dacwallet.chain.evm_node import BLOCK_GAS_LIMIT, CHAIN_ID, SUGGESTED_PRIORITY_FEE, EvmNode
from dacwallet.chain.middleware import WALLET_MIDDLEWARE
from dacwallet.chain.provider import EmbeddedProvider
from dacwallet.errors import ChainError

# TEST ONLY: a well-known key anyone can derive; it funds accounts on the
# embedded chain and must never hold anything of value on a real network.
FAUCET_PRIVATE_KEY = keccak(b"dacwallet embedded chain faucet - TEST ONLY")
FAUCET_GENESIS_WEI = 10**30
_TRANSFER_GAS = 21_000


class EmbeddedChain:
    """An open embedded chain folder. Close it (or use ``with``) to free the folder."""

    chain_id = CHAIN_ID
    block_gas_limit = BLOCK_GAS_LIMIT

    def __init__(self, data_dir: Path, node: EvmNode) -> None:
        self.data_dir = data_dir
        self._faucet: LocalAccount = Account.from_key(FAUCET_PRIVATE_KEY)
        self._provider = EmbeddedProvider(node)
        self.w3 = Web3(self._provider, middleware=WALLET_MIDDLEWARE)
        self.genesis_hash = HexBytes(node.header(0).hash)

    @property
    def faucet_address(self) -> ChecksumAddress:
        return self._faucet.address

    def fund(self, address: str, wei: int) -> HexBytes:
        """Send ``wei`` test ether from the faucet; returns the (mined) transaction hash."""
        w3 = self.w3
        # Held across nonce read and send, so concurrent funds never share a nonce.
        with self._provider.exclusive():
            base_fee = w3.eth.get_block("latest")["baseFeePerGas"]
            signed = self._faucet.sign_transaction(
                {
                    "type": 2,
                    "chainId": CHAIN_ID,
                    "nonce": w3.eth.get_transaction_count(self._faucet.address, "pending"),
                    "to": Web3.to_checksum_address(address),
                    "value": wei,
                    "gas": _TRANSFER_GAS,
                    "maxPriorityFeePerGas": SUGGESTED_PRIORITY_FEE,
                    "maxFeePerGas": 2 * base_fee + SUGGESTED_PRIORITY_FEE,
                }
            )
            tx_hash = w3.eth.send_raw_transaction(signed.raw_transaction)
        if w3.eth.get_transaction_receipt(tx_hash)["status"] != 1:
            raise ChainError("The embedded chain's faucet could not send test ether.")
        return tx_hash

    def now(self) -> int:
        """The chain clock: the latest block's timestamp (Unix seconds)."""
        with self._provider.exclusive() as node:
            return node.head().timestamp

    def block_time(self, number: int) -> int:
        """The timestamp of block ``number`` (read from the node, not through web3: the simulation asks it
        after every transaction)."""
        with self._provider.exclusive() as node:
            return node.header(number).timestamp

    def advance(self, seconds: int) -> int:
        """Move the chain clock ``seconds`` forward; mines an empty block, returns now()."""
        with self._provider.exclusive() as node:
            return node.advance(seconds).timestamp

    def snapshot(self) -> int:
        """A mark to ``revert`` to later: the current block number."""
        with self._provider.exclusive() as node:
            return node.head().block_number

    def revert(self, mark: int) -> None:
        """Forget every block mined since ``snapshot`` returned ``mark`` (for tests and tools)."""
        with self._provider.exclusive() as node:
            node.rewind(mark)

    def close(self) -> None:
        """Release the folder; closing twice is harmless."""
        if not self._provider.node.store.closed:
            with self._provider.exclusive() as node:
                node.close()

    def __enter__(self) -> EmbeddedChain:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def open_embedded_chain(
    data_dir: Path, genesis_balances: Mapping[str, int] | None = None, *, durable: bool = True
) -> EmbeddedChain:
    """Open (or create, with a funded faucet) the embedded chain stored in ``data_dir``.

    ``genesis_balances`` (address -> wei) funds more accounts in the genesis of a new folder
    (a dev chain's accounts); an existing folder keeps its genesis. ``durable=False`` for a
    throw-away chain: its blocks are never synced to disk (see ChainStore).
    Raises ChainError if another process has the folder open or its file is damaged.
    """
    store = ChainStore(data_dir, durable=durable)
    try:
        faucet = bytes.fromhex(Account.from_key(FAUCET_PRIVATE_KEY).address[2:])
        alloc = {bytes.fromhex(address[2:]): wei for address, wei in (genesis_balances or {}).items()}
        node = EvmNode(store, {faucet: FAUCET_GENESIS_WEI, **alloc})
    except BaseException as exc:
        store.close()
        if isinstance(exc, sqlite3.Error):  # a damaged file often fails only at its first read
            raise translate_sqlite_error(data_dir, exc) from exc
        raise
    return EmbeddedChain(data_dir, node)
