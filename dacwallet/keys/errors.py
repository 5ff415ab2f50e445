"""The keystore's errors: one subclass of ``KeyStoreError`` per situation a user must act on.

Messages never contain key material, passwords or mnemonic words.
"""

from __future__ import annotations

from collections.abc import Iterable

from dacwallet.errors import KeyStoreError


class WrongPasswordError(KeyStoreError):
    """The password does not open the keystore (or its MAC was altered; the two look the same)."""

    def __init__(self, what: str) -> None:
        super().__init__(
            f"The password does not open {what}. Check it (and the keyboard layout) and try again; "
            "if you are sure it is right, the keystore file may have been altered."
        )


class CorruptKeystoreError(KeyStoreError):
    """The keystore text is not a usable keystore v3 file."""

    def __init__(self, what: str, problem: str) -> None:
        super().__init__(
            f"{what[:1].upper()}{what[1:]} is not a usable Ethereum keystore (v3): {problem}. "
            "Use an intact copy of the file (for example a backup or a fresh export)."
        )


class BadMnemonicError(KeyStoreError):
    """The recovery phrase is not a valid English BIP-39 mnemonic."""


class BadPrivateKeyError(KeyStoreError):
    """The text is not a usable secp256k1 private key."""


class BadNameError(KeyStoreError):
    """The account name is empty, too long, or unsafe as a file name."""


class DuplicateAccountError(KeyStoreError):
    """An account with this name, or with this key, already exists."""


class UnknownAccountError(KeyStoreError):
    """No account has this name (or address)."""

    def __init__(self, name: str, known: Iterable[str]) -> None:
        super().__init__(f"There is no account named '{name}'. {_known_names(known)}")


class NoDefaultAccountError(KeyStoreError):
    """Several accounts exist and none was used last, so the caller must choose."""

    def __init__(self, known: Iterable[str]) -> None:
        names = list(known)
        if names:
            message = f"Choose an account: {_known_names(names)}"
        else:
            message = "There are no accounts yet. Create one or import a key first."
        super().__init__(message)


class PasswordRequiredError(KeyStoreError):
    """A password is needed: none was given, none is remembered, or an empty one was given."""


class KeyringUnavailableError(KeyStoreError):
    """The operating system's keyring could not store the password."""


def _known_names(names: Iterable[str]) -> str:
    listed = ", ".join(f"'{n}'" for n in names)
    return f"Accounts: {listed}." if listed else "There are no accounts yet."


class WeakPasswordError(KeyStoreError):
    """A new password the policy refuses (too short, or too easy to guess); the message says why."""
