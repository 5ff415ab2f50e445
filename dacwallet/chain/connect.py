"""Connecting to a chain: the embedded one in the data folder, or a node by JSON-RPC URL."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from hexbytes import HexBytes
from requests.exceptions import RequestException
from web3 import Web3
from web3.exceptions import Web3Exception

from dacwallet.chain.answers import AnswerCheck
from dacwallet.chain.embedded import EmbeddedChain, open_embedded_chain
from dacwallet.chain.guard import pin_chain_id
from dacwallet.chain.http_provider import DeadlineHTTPProvider
from dacwallet.chain.middleware import WALLET_MIDDLEWARE
from dacwallet.errors import ChainError, InputError

EMBEDDED = "embedded"


@dataclass(frozen=True)
class NetworkSpec:
    """Where to connect: ``embedded`` or a JSON-RPC URL, optionally with the chain id it must have."""

    url: str = EMBEDDED
    expected_chain_id: int | None = None

    @property
    def is_embedded(self) -> bool:
        return self.url == EMBEDDED

    @classmethod
    def parse(cls, value: str, expected_chain_id: int | None = None) -> NetworkSpec:
        value = value.strip()
        if value.lower() == EMBEDDED:
            return cls(EMBEDDED, expected_chain_id)
        try:
            parsed = urlparse(value)
        except ValueError:  # e.g. an unclosed IPv6 bracket
            parsed = None
        if parsed is None or parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise InputError(
                f"{value!r} is not a network: use 'embedded' or an http(s):// JSON-RPC URL "
                "such as http://127.0.0.1:8545."
            )
        return cls(value, expected_chain_id)


@dataclass
class Connection:
    """A live connection; ``chain_key`` names this exact chain (id + genesis) in the local store."""

    spec: NetworkSpec
    w3: Web3
    chain_id: int
    genesis_hash: str
    embedded: EmbeddedChain | None = None

    @property
    def chain_key(self) -> str:
        return f"{self.chain_id}:{self.genesis_hash}"

    def close(self) -> None:
        if self.embedded is not None:
            self.embedded.close()


def node_web3(url: str) -> Web3:
    """A connection to the node at ``url``: the wallet's middleware, and its answers checked (AnswerCheck) before
    web3 formats them."""
    w3 = Web3(DeadlineHTTPProvider(url), middleware=WALLET_MIDDLEWARE)
    w3.middleware_onion.inject(AnswerCheck, layer=0)
    return w3


def connect(spec: NetworkSpec, data_dir: Path) -> Connection:
    """Opens the network; raises ChainError when the node does not answer or has the wrong chain id."""
    embedded = open_embedded_chain(data_dir / "chain") if spec.is_embedded else None
    w3 = embedded.w3 if embedded else node_web3(spec.url)
    try:
        chain_id = w3.eth.chain_id
        genesis = HexBytes(w3.eth.get_block(0)["hash"]).to_0x_hex()
    except (RequestException, Web3Exception, OSError, ValueError) as exc:
        if embedded:
            embedded.close()
        raise ChainError(
            f"The node at {spec.url} is not answering; check that it is running and the URL is right.", detail=str(exc)
        ) from exc
    if spec.expected_chain_id is not None and chain_id != spec.expected_chain_id:
        if embedded:
            embedded.close()
        raise ChainError(
            f"The node at {spec.url} is on chain {chain_id}, not the expected chain "
            f"{spec.expected_chain_id}; switch network or fix the chain id."
        )
    pin_chain_id(w3, chain_id)  # every signature through this connection is checked against it
    return Connection(spec, w3, chain_id, genesis, embedded)
