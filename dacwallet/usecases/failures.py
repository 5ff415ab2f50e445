"""What to tell a person about any failure a use-case raised: never a traceback."""

from __future__ import annotations

from dacwallet.contracts.calls import contract_failure_message
from dacwallet.errors import DacwalletError
from dacwallet.sync.faults import node_trouble_message


def message_of(error: BaseException) -> str:
    """The user_message of our errors; for others, the node's or the contract's trouble in words, else a short
    generic line."""
    if isinstance(error, DacwalletError):
        return error.user_message
    return (
        node_trouble_message(error)
        or contract_failure_message(error)
        or f"Something went wrong: {type(error).__name__}: {error}"
    )
