"""The contract's own reason, whatever node wrapped it: anvil and the embedded chain say "execution reverted: X",
Hardhat Network "Error: VM Exception while processing transaction: reverted with reason string 'X'" (and its own
words for no reason at all), ganache "VM Exception while processing transaction: revert X"."""

from __future__ import annotations

import pytest
from web3.exceptions import BadFunctionCallOutput, ContractLogicError

from dacwallet.chain.transactions import revert_reason
from dacwallet.contracts.calls import contract_failure_message, read
from dacwallet.errors import ContractError


@pytest.mark.parametrize(
    "message, reason",
    [
        ("execution reverted: Not enough time has passed.", "Not enough time has passed."),
        (
            "execution reverted: Error: VM Exception while processing transaction: reverted with reason string "
            "'Data not found.'",
            "Data not found.",
        ),
        ("Error: VM Exception while processing transaction: reverted with reason string 'it's over'", "it's over"),
        ("execution reverted: Error: Transaction reverted without a reason string", "no reason given"),
        ("VM Exception while processing transaction: revert Already claimed.", "Already claimed."),
        ("execution reverted", "no reason given"),
    ],
)
def test_the_bare_reason(message: str, reason: str) -> None:
    assert revert_reason(ContractLogicError(message)) == reason


class FailingCall:
    """A bound contract call whose node answers with ``error``."""

    address = "0x00000000000000000000000000000000000000aa"

    def __init__(self, error: Exception) -> None:
        self.error = error

    def call(self) -> None:
        raise self.error


def test_a_failed_read_says_what_was_asked_of_which_contract() -> None:
    with pytest.raises(ContractError) as refused:
        read(FailingCall(ContractLogicError("execution reverted", data="0x")), "The next deposit")
    assert refused.value.user_message.startswith(f"The next deposit could not be read from {FailingCall.address}")
    assert "refused without a reason" in refused.value.user_message
    with pytest.raises(ContractError, match="gave no answer"):
        read(FailingCall(BadFunctionCallOutput("no code")), "The model's prediction")


def test_only_contract_failures_get_a_contract_message() -> None:
    assert contract_failure_message(ContractLogicError("execution reverted: nope")) == (
        "A contract call failed: it refused: nope."
    )
    assert contract_failure_message(KeyError("bug")) is None  # a bug stays a bug
