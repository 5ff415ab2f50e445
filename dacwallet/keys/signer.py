"""The only place a key is decrypted for use: sign one thing, then drop the key.

A ``Signer`` holds an account's address and a reference to the store, never a key or a password.
Python cannot wipe memory, so "drop" means no object keeps a reference after the call returns.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from eth_account import Account
from eth_account.datastructures import SignedMessage, SignedTransaction
from eth_account.messages import encode_defunct
from eth_utils import ValidationError

from dacwallet.errors import InputError
from dacwallet.keys.errors import PasswordRequiredError, WrongPasswordError
from dacwallet.keys.keyfile import decrypt_key
from dacwallet.keys.rules import require_password
from dacwallet.keys.store import KeyStore
from dacwallet.keys.tx_signing import sign_transaction

T = TypeVar("T")


class Signer:
    """Signs for one account with a password given now or remembered in the keyring."""

    def __init__(self, store: KeyStore, name_or_address: str) -> None:
        self._store = store
        # The address, not the name, identifies the account: a rename must not break a signer.
        self.address = store.account(name_or_address).address

    def __repr__(self) -> str:
        return f"Signer({self.address})"

    @property
    def name(self) -> str:
        """The account's current name."""
        return self._store.account(self.address).name

    def unlock(self, password: str | None = None, *, remember: bool = False) -> bool:
        """Check the password (or the remembered one) without keeping the key; True if it opens it.

        With ``remember`` a correct typed password is stored in the keyring
        (``KeyringUnavailableError`` if that is impossible). ``PasswordRequiredError`` when no password
        is given and none is remembered (or the remembered one has gone stale).
        """
        try:
            self._with_key(password, lambda key: None)
        except WrongPasswordError:
            return False
        if remember and password is not None:
            self._store.memory.remember(self.address, password)
        return True

    def sign_transaction(self, tx: dict[str, Any], password: str | None = None) -> SignedTransaction:
        """Sign a transaction dict (as eth-account takes it); ``password=None`` uses the remembered one."""
        signed: SignedTransaction = self._with_key(password, lambda key: _sign(lambda: sign_transaction(tx, key)))
        return signed

    def sign_message(self, message: str | bytes, password: str | None = None) -> SignedMessage:
        """Sign a text or bytes message the EIP-191 "personal_sign" way."""
        signable = encode_defunct(text=message) if isinstance(message, str) else encode_defunct(primitive=message)
        signed: SignedMessage = self._with_key(password, lambda key: _sign(lambda: Account.sign_message(signable, key)))
        return signed

    def _with_key(self, password: str | None, use: Callable[[bytes], T]) -> T:
        info, keyfile = self._store.keyfile(self.address)
        what = f"account '{info.name}'"
        remembered = password is None
        if password is None:
            password = self._store.memory.recall(self.address)
            if password is None:
                raise PasswordRequiredError(f"Enter the password of {what}.")
        else:
            require_password(password, what)
        try:
            key = decrypt_key(keyfile, password, what)
        except WrongPasswordError:
            if not remembered:
                raise
            # The password was changed elsewhere; a stale entry would fail every time.
            self._store.memory.forget(self.address)
            raise PasswordRequiredError(
                f"The remembered password no longer opens {what}, so it was forgotten. Enter the password."
            ) from None
        try:
            result = use(key)
        finally:
            del key
        self._store.mark_used(self.address)
        return result


def _sign(sign: Callable[[], T]) -> T:
    try:
        return sign()
    except (TypeError, ValueError, KeyError, ValidationError) as error:
        # eth-account's messages name the bad field, never the key.
        raise InputError("The transaction or message is malformed and was not signed.", detail=str(error)) from None
