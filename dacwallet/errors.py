"""The one exception tree of dacwallet.

Every error a user can meet derives from ``DacwalletError`` and carries a
``user_message``: one or two sentences that say what happened and what to do.
"""

from __future__ import annotations


class DacwalletError(Exception):
    """Root of every error dacwallet raises on purpose."""

    def __init__(self, user_message: str, *, detail: str | None = None) -> None:
        super().__init__(user_message if detail is None else f"{user_message} ({detail})")
        self.user_message = user_message
        self.detail = detail


class InputError(DacwalletError):
    """The user (or a peer) gave something we cannot use; nothing was changed."""


class ContractError(DacwalletError):
    """A contract refused, is missing, or does not speak the expected interface."""


class RevertError(ContractError):
    """The chain reverted a call or transaction; ``reason`` is the decoded revert string."""

    def __init__(self, reason: str, *, action: str = "The transaction") -> None:
        super().__init__(f"{action} was refused by the contract: {reason}")
        self.reason = reason


class DeploymentError(ContractError):
    """A deployment stopped part-way; ``progress`` says what already exists."""

    def __init__(self, user_message: str, progress: object | None = None) -> None:
        super().__init__(user_message)
        self.progress = progress


class ChainError(DacwalletError):
    """The node is unreachable, reset, or answered something we cannot trust."""


class KeyStoreError(DacwalletError):
    """Keystore, password or key-material problems."""
