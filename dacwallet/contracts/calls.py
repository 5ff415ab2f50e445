"""Reading from a deployment's contracts: the one place where a call that reverts, or answers something that
does not decode, becomes a ContractError saying what was asked of which contract."""

from __future__ import annotations

from typing import Any

from web3 import Web3
from web3.exceptions import BadFunctionCallOutput

from dacwallet.chain.transactions import REVERT_ERRORS, revert_reason
from dacwallet.contracts.deployment import Deployment, trainer_contract
from dacwallet.errors import ContractError

# What a contract call can raise when the contract, not the node, is the trouble.
CALL_ERRORS = (*REVERT_ERRORS, BadFunctionCallOutput)


def read(call: Any, what: str) -> Any:
    """``call.call()`` (a bound web3 contract function); ContractError naming ``what`` when the contract fails."""
    try:
        return call.call()
    except CALL_ERRORS as exc:
        address = getattr(call, "address", None) or "the contract"
        raise ContractError(
            f"{what} could not be read from {address}: {failure_reason(exc)}. Is this the right "
            "deployment on the right network?",
            detail=type(exc).__name__,
        ) from exc


def incentive_address(w3: Web3, trainer: str, known: Deployment | None = None) -> str:
    """Where the entry point ``trainer`` keeps its deposit and waits (``known``, when it is that deployment, saves
    asking): the reference's own incentive mechanism, or the entry point itself for ours."""
    if known is not None and known.trainer == trainer:
        return known.incentive_mechanism
    return str(read(trainer_contract(w3, trainer).functions.incentiveMechanism(), "The incentive mechanism"))


def failure_reason(exc: Exception) -> str:
    """The contract's own words for a failed call, or what its answer lacked."""
    if isinstance(exc, BadFunctionCallOutput):
        return "it gave no answer (no such function there)"
    reason = revert_reason(exc)
    if reason in ("no reason given", "0x"):
        return "it refused without a reason (no such function there, or a check failed)"
    return f"it refused: {reason}"


def contract_failure_message(exc: BaseException) -> str | None:
    """What to tell a person when a contract call failed outside ``read`` (None when ``exc`` is no such failure):
    the CLI and the app show it instead of a traceback."""
    if not isinstance(exc, CALL_ERRORS):
        return None
    return f"A contract call failed: {failure_reason(exc)}."
