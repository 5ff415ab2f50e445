"""Keys: keystore files, key import/export, the keyring "remember" option and the signer."""

from dacwallet.keys.errors import (
    BadMnemonicError,
    BadNameError,
    BadPrivateKeyError,
    CorruptKeystoreError,
    DuplicateAccountError,
    KeyringUnavailableError,
    NoDefaultAccountError,
    PasswordRequiredError,
    UnknownAccountError,
    WeakPasswordError,
    WrongPasswordError,
)
from dacwallet.keys.keyfile import DEFAULT_SCRYPT_N
from dacwallet.keys.memory import PasswordMemory
from dacwallet.keys.signer import Signer
from dacwallet.keys.store import AccountInfo, KeyStore

__all__ = [
    "DEFAULT_SCRYPT_N",
    "AccountInfo",
    "BadMnemonicError",
    "BadNameError",
    "BadPrivateKeyError",
    "CorruptKeystoreError",
    "DuplicateAccountError",
    "KeyStore",
    "KeyringUnavailableError",
    "NoDefaultAccountError",
    "PasswordMemory",
    "PasswordRequiredError",
    "Signer",
    "UnknownAccountError",
    "WeakPasswordError",
    "WrongPasswordError",
]
