"""What is checked immediately before every signature, whatever path asked for it.

A node is not trusted to stay on the chain it was on at connect: the chain id seen then is pinned to
the connection's ``Web3`` object, and every signature first asks the node again and compares both the
answer and the transaction's own ``chainId`` with the pinned one. A mismatch signs nothing: a
transaction signed for another chain could be replayed there. The total cost (value + the most the
gas can cost) is also checked against the balance, whatever fee the user confirmed.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from web3 import Web3

from dacwallet.chain.fees import max_cost
from dacwallet.chain.quantity import ask_quantity
from dacwallet.errors import ChainError

ETHER = 10**18

# The chain id each open connection was made on; weak, so a closed connection's Web3 is not kept alive.
_pinned: WeakKeyDictionary[Web3, int] = WeakKeyDictionary()


class NetworkChangedError(ChainError):
    """The node now answers another chain id than at connect (or the transaction names another): nothing signed."""


class NotEnoughEtherError(ChainError):
    """The value and the most the gas can cost exceed the balance: nothing signed."""


def pin_chain_id(w3: Web3, chain_id: int) -> None:
    """Fixes the chain id ``w3`` was connected on; every later signature through it must match."""
    _pinned[w3] = chain_id


def pinned_chain_id(w3: Web3) -> int:
    """The chain id fixed at connect. A ``Web3`` made outside ``connect`` (tests, tools) is pinned the first
    time it is asked, so from then on it is held to that chain too."""
    pinned = _pinned.get(w3)
    if pinned is None:
        pinned = _pinned.setdefault(w3, _ask_chain_id(w3))
    return pinned


def check_before_signing(w3: Web3, tx: dict[str, Any], sender: str) -> None:
    """NetworkChangedError / NotEnoughEtherError unless ``tx`` may be signed now; the caller signs right after."""
    check_chain_id(w3, tx)
    check_affordable(w3, tx, sender)


def check_chain_id(w3: Web3, tx: dict[str, Any]) -> None:
    pinned = pinned_chain_id(w3)
    now = _ask_chain_id(w3)
    if now != pinned:
        raise NetworkChangedError(
            f"The node changed networks: it was on chain {pinned} when the wallet connected and now says chain "
            f"{now}. Nothing was signed or sent. Check the node (or its URL) and connect again."
        )
    signed_for = tx.get("chainId")
    if signed_for != pinned:
        raise NetworkChangedError(
            f"This transaction names chain {signed_for}, but the wallet is connected to chain {pinned}; "
            "nothing was signed or sent. Connect again to the network it was made for."
        )


def check_affordable(w3: Web3, tx: dict[str, Any], sender: str) -> None:
    """The node itself refuses a transaction the balance cannot cover; saying so before signing keeps a lying
    node from getting an unaffordable (e.g. absurd-fee) transaction signed and kept for later."""
    value = int(tx.get("value", 0))
    fee = max_cost(int(tx.get("gas", 0)), tx)
    balance = ask_quantity(
        w3,
        "eth_getBalance",
        [Web3.to_checksum_address(sender), "latest"],
        "The node's balance for this account is not a number, so nothing can be signed.",
    )
    if value + fee > balance:
        raise NotEnoughEtherError(
            f"Not enough ether: this transaction may cost up to {eth(value + fee)} ETH ({eth(value)} value + "
            f"{eth(fee)} network fee at most) and the account has {eth(balance)} ETH. Nothing was signed."
        )


def eth(wei: int) -> str:
    """Wei as ether with six decimals, for messages."""
    return f"{wei / ETHER:,.6f}"


def _ask_chain_id(w3: Web3) -> int:
    """The node's chain id now: asked afresh (never from a cache), and refused when it is not a number."""
    return ask_quantity(w3, "eth_chainId", [], "The node's chain id is not a number, so nothing can be signed for it.")
