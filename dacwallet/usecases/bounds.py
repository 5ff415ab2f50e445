"""The deposit a node says a contribution needs, bounded by what the contract's rules can ever ask.

Stakeable's deposit is ``costWeight * 3600 / isqrt(seconds since the last contribution)`` with the divisor
at least 1 (REFERENCE.md, "Incentive rules"), so it is never more than ``costWeight * 3600``; a mechanism
without a costWeight (points) asks nothing. A figure above that cannot come from the contract: the node is
wrong or lying, and no confirmation makes it right, so it is refused outright.
"""

from __future__ import annotations

from web3 import Web3
from web3.exceptions import BadFunctionCallOutput, Web3Exception

from dacwallet.chain.guard import eth
from dacwallet.chain.transactions import REVERT_ERRORS
from dacwallet.contracts.deployment import trainer_contract
from dacwallet.errors import ChainError

SECONDS_PER_HOUR = 3600


class DepositError(ChainError):
    """The deposit the node reports is more than the contract can ever ask: nothing signed."""


def most_deposit(w3: Web3, incentive: str) -> int:
    """The most the incentive mechanism at ``incentive`` (see contracts.calls.incentive_address) can ever ask:
    costWeight x 3600, or 0 for points."""
    mechanism = trainer_contract(w3, incentive)
    try:
        cost_weight = mechanism.functions.costWeight().call()
    except (*REVERT_ERRORS, BadFunctionCallOutput):  # no costWeight: a points mechanism, contributing is free
        return 0
    return int(cost_weight) * SECONDS_PER_HOUR


def bounded(deposit: int, most: int) -> int:
    """``deposit`` (wei) as the node reported it, refused (DepositError) when above ``most``."""
    if not 0 <= deposit <= most:
        raise DepositError(
            f"The node says this contribution needs a deposit of {eth(deposit)} ETH, but this model's contract can "
            f"never ask more than {eth(most)} ETH (its costWeight x 3600). The node is wrong or lying: nothing was "
            "signed. Use another node."
        )
    return deposit


def deposit_bound(w3: Web3, incentive: str) -> int:
    """``most_deposit``, with a node that cannot say turned into a ChainError (nothing can be checked, or signed)."""
    try:
        return most_deposit(w3, incentive)
    except (Web3Exception, ValueError, OverflowError) as exc:
        raise ChainError(
            "The node did not say what this model's incentive rules allow, so its deposit cannot "
            "be checked; nothing was signed. Try again.",
            detail=str(exc),
        ) from exc
