"""The opt-in "remember the password on this computer", kept in the OS keyring.

Only passwords go there, never keys, and only when the user asks. Entries are filed under the
account's checksummed address, so renaming an account does not lose them.

Keyring backends (Secret Service, KWallet, macOS Keychain, ...) raise many kinds of exceptions
besides ``keyring.errors.KeyringError``, hence the broad ``except Exception`` at this boundary.
"""

from __future__ import annotations

import keyring

from dacwallet.keys.errors import KeyringUnavailableError

SERVICE = "dacwallet"


class PasswordMemory:
    """Remember, recall and forget account passwords in the OS keyring."""

    def __init__(self, service: str = SERVICE) -> None:
        self.service = service

    def __repr__(self) -> str:
        return f"PasswordMemory(service={self.service!r})"

    def remember(self, address: str, password: str) -> None:
        """Store the password; raise ``KeyringUnavailableError`` if the keyring cannot."""
        try:
            keyring.set_password(self.service, address, password)
        except Exception as error:
            raise KeyringUnavailableError(
                "This computer has no usable password store (keyring), so the password cannot be "
                "remembered. You will be asked for it when signing.",
                detail=type(error).__name__,
            ) from None

    def recall(self, address: str) -> str | None:
        """The remembered password, or None if there is none or the keyring cannot be read."""
        try:
            return keyring.get_password(self.service, address)
        except Exception:
            # Not being able to recall is the same as not having remembered: the user is asked.
            return None

    def forget(self, address: str) -> None:
        """Remove the remembered password if there is one; never fails."""
        try:
            keyring.delete_password(self.service, address)
        except Exception:
            # Nothing stored, or no keyring at all: either way nothing is remembered afterwards.
            return
