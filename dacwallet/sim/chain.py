"""The chains a simulation runs on: a throw-away embedded chain, or a dev node (anvil, hardhat) by URL.

Both give the runner the same powers besides web3: read the clock (a block's time), move it forward
(mining a block), and give an account test ether.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

from requests.exceptions import RequestException
from web3 import Web3
from web3.exceptions import Web3Exception
from web3.types import RPCEndpoint

from dacwallet.chain.connect import NetworkSpec, node_web3
from dacwallet.chain.embedded import open_embedded_chain
from dacwallet.chain.guard import pin_chain_id
from dacwallet.errors import ChainError


class SimChain(Protocol):
    w3: Web3

    def now(self) -> int:
        """The latest block's timestamp."""
        ...

    def advance(self, seconds: int) -> int:
        """Moves the clock ``seconds`` forward by mining a block; returns the new time."""
        ...

    def block_time(self, number: int) -> int:
        """The timestamp of block ``number``."""
        ...

    def fund(self, address: str, wei: int) -> object:
        """Gives ``address`` ``wei`` of test ether."""
        ...


class DevNodeChain:
    """A dev node's cheat codes (anvil's and hardhat's ``evm_*`` and ``*_setBalance``)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.w3 = node_web3(url)  # as the wallet's connection: shapes checked first

    def _call(self, method: str, params: list[object]) -> object:
        try:
            response = self.w3.provider.make_request(RPCEndpoint(method), params)
        except (RequestException, Web3Exception, OSError, ValueError) as exc:
            raise ChainError(
                f"The node at {self.url} is not answering; check that it is running.", detail=str(exc)
            ) from exc
        if "error" in response:
            raise ChainError(
                f"The node at {self.url} refused {method}: simulations need a dev node "
                "(anvil or hardhat) that can move its clock and set balances.",
                detail=str(response["error"]),
            )
        return response.get("result")

    def now(self) -> int:
        return self.w3.eth.get_block("latest")["timestamp"]

    def block_time(self, number: int) -> int:
        return self.w3.eth.get_block(number)["timestamp"]

    def advance(self, seconds: int) -> int:
        self._call("evm_increaseTime", [int(seconds)])
        self._call("evm_mine", [])
        return self.now()

    def fund(self, address: str, wei: int) -> object:
        balance = self.w3.eth.get_balance(Web3.to_checksum_address(address))
        try:
            return self._call("anvil_setBalance", [address, hex(balance + wei)])
        except ChainError:
            return self._call("hardhat_setBalance", [address, hex(balance + wei)])


@contextmanager
def open_sim_chain(network: NetworkSpec) -> Iterator[SimChain]:
    """A fresh embedded chain in a temporary folder (removed afterwards), or the dev node at the URL.

    The embedded chain is never the user's own: a run deploys a model and thousands of transactions.
    """
    if network.is_embedded:
        with tempfile.TemporaryDirectory(prefix="dacwallet-sim-") as folder:
            chain = open_embedded_chain(Path(folder), durable=False)  # deleted afterwards: no syncs
            try:
                yield chain
            finally:
                chain.close()
        return
    node = DevNodeChain(network.url)
    try:
        chain_id = node.w3.eth.chain_id
    except (RequestException, Web3Exception, OSError, ValueError) as exc:
        raise ChainError(
            f"The node at {network.url} is not answering; check that it is running.", detail=str(exc)
        ) from exc
    if network.expected_chain_id is not None and chain_id != network.expected_chain_id:
        raise ChainError(f"The node at {network.url} is on chain {chain_id}, not {network.expected_chain_id}.")
    pin_chain_id(node.w3, chain_id)  # the run's signatures are refused if the node changes networks
    yield node
