"""Keystore v3 JSON: check its shape, encrypt a key into it, decrypt a key out of it.

Every keystore is checked before any key derivation runs, so a hostile or damaged file cannot make
scrypt allocate gigabytes or make eth-keyfile fail with something other than a ``KeyStoreError``.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_typing import ChecksumAddress
from eth_utils import to_checksum_address

from dacwallet.keys.errors import BadPrivateKeyError, CorruptKeystoreError, WrongPasswordError
from dacwallet.keys.material import check_private_key
from dacwallet.keys.rules import require_password

DEFAULT_SCRYPT_N = 2**18  # eth-account's and geth's standard cost: about 0.8 s and 256 MiB to decrypt
MAX_KEYFILE_BYTES = 64 * 1024
# Accept what other wallets write (geth "light" and standard scrypt, pbkdf2) but refuse costs that
# would freeze the machine: at most 256 MiB of scrypt memory and four times geth's standard work.
_MAX_SCRYPT_MEMORY = 256 * 2**20
_MAX_SCRYPT_WORK = 2**23
_MAX_PBKDF2_ROUNDS = 10_000_000
_HEX = re.compile(r"(?:0x)?((?:[0-9a-fA-F]{2})*)")

Keyfile = dict[str, Any]


def load_json(text: str | bytes, what: str) -> dict[str, Any]:
    """Parse keystore text into a JSON object, or raise ``CorruptKeystoreError``."""
    if len(text) > MAX_KEYFILE_BYTES:
        raise CorruptKeystoreError(what, "it is far too large")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise CorruptKeystoreError(what, "it is not valid JSON") from None
    if not isinstance(data, dict):
        raise CorruptKeystoreError(what, "it is not a JSON object")
    return data


def check_keyfile(data: dict[str, Any], what: str) -> Keyfile:
    """Return the standard v3 fields of ``data`` (keys lower-cased, as geth reads them), checked."""
    top = _lower_keys(data)
    if top.get("version") != 3 or isinstance(top.get("version"), bool):
        raise CorruptKeystoreError(what, f"its version is {top.get('version')!r}, only version 3 is supported")
    crypto = _lower_keys(_field(top, "crypto", dict, what))
    if crypto.get("cipher") != "aes-128-ctr":
        raise CorruptKeystoreError(what, "its cipher is not aes-128-ctr")
    cipherparams = _lower_keys(_field(crypto, "cipherparams", dict, what))
    checked_crypto: dict[str, Any] = {
        "cipher": "aes-128-ctr",
        "cipherparams": {"iv": _hex(cipherparams, "iv", what, 16, 16)},
        "ciphertext": _hex(crypto, "ciphertext", what, 32, 32),
        "kdf": crypto.get("kdf"),
        "kdfparams": _check_kdfparams(crypto, what),
        "mac": _hex(crypto, "mac", what, 32, 32),
    }
    keyfile: Keyfile = {"crypto": checked_crypto, "version": 3}
    keyfile["id"] = top["id"] if isinstance(top.get("id"), str) else str(uuid.uuid4())
    if "address" in top:
        keyfile["address"] = _hex(top, "address", what, 20, 20)
    return keyfile


def encrypt_key(key: bytes, password: str, scrypt_n: int = DEFAULT_SCRYPT_N) -> Keyfile:
    """Encrypt a private key into a fresh scrypt keystore v3 (new salt and IV each time)."""
    require_password(password)
    return Account.encrypt(check_private_key(key), password, kdf="scrypt", iterations=scrypt_n)


def decrypt_key(keyfile: Keyfile, password: str, what: str) -> bytes:
    """Decrypt the private key of a checked keystore; raise ``WrongPasswordError`` if the MAC fails.

    Any password is tried, even an empty one: files from other wallets may have one.
    """
    try:
        password.encode("utf-8")
    except UnicodeEncodeError:
        raise WrongPasswordError(what) from None
    try:
        key = bytes(Account.decrypt(keyfile, password))
    except ValueError as error:
        if "MAC mismatch" in str(error):
            raise WrongPasswordError(what) from None
        raise CorruptKeystoreError(what, "its encrypted data cannot be read") from None
    except Exception:
        # The shape was checked above; anything eth-keyfile still trips over is a damaged file.
        raise CorruptKeystoreError(what, "its encrypted data cannot be read") from None
    try:
        check_private_key(key)
    except BadPrivateKeyError:
        raise CorruptKeystoreError(what, "it holds an invalid private key") from None
    stated = keyfile.get("address")
    if stated is not None and stated.lower() != address_of(key)[2:].lower():
        raise CorruptKeystoreError(what, "its address does not match its key")
    return key


def address_of(key: bytes) -> ChecksumAddress:
    """The checksummed address of a private key."""
    account: LocalAccount = Account.from_key(key)
    return account.address


def checksum_address(keyfile: Keyfile) -> ChecksumAddress:
    """The checksummed address a checked keystore states (it must state one)."""
    return to_checksum_address("0x" + keyfile["address"])


def _check_kdfparams(crypto: dict[str, Any], what: str) -> dict[str, Any]:
    params = _lower_keys(_field(crypto, "kdfparams", dict, what))
    if _int(params, "dklen", what, 32, 32) != 32:
        raise CorruptKeystoreError(what, "its derived key length is not 32")
    salt = _hex(params, "salt", what, 1, 128)
    kdf = crypto.get("kdf")
    if kdf == "scrypt":
        n = _int(params, "n", what, 2, 2**30)
        r = _int(params, "r", what, 1, 64)
        p = _int(params, "p", what, 1, 64)
        if n & (n - 1):
            raise CorruptKeystoreError(what, "its scrypt cost n is not a power of two")
        if 128 * n * r > _MAX_SCRYPT_MEMORY or n * r * p > _MAX_SCRYPT_WORK:
            raise CorruptKeystoreError(what, "its scrypt cost is unreasonably high")
        return {"dklen": 32, "n": n, "r": r, "p": p, "salt": salt}
    if kdf == "pbkdf2":
        if params.get("prf") != "hmac-sha256":
            raise CorruptKeystoreError(what, "its pbkdf2 function is not hmac-sha256")
        rounds = _int(params, "c", what, 1, _MAX_PBKDF2_ROUNDS)
        return {"dklen": 32, "c": rounds, "prf": "hmac-sha256", "salt": salt}
    raise CorruptKeystoreError(what, "its key derivation is neither scrypt nor pbkdf2")


def _lower_keys(data: dict[Any, Any]) -> dict[str, Any]:
    return {key.lower() if isinstance(key, str) else key: value for key, value in data.items()}


def _field(data: dict[str, Any], name: str, kind: type, what: str) -> Any:
    value = data.get(name)
    if not isinstance(value, kind):
        raise CorruptKeystoreError(what, f"its '{name}' field is missing or malformed")
    return value


def _int(data: dict[str, Any], name: str, what: str, low: int, high: int) -> int:
    value = data.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise CorruptKeystoreError(what, f"its '{name}' parameter is missing or out of range")
    return value


def _hex(data: dict[str, Any], name: str, what: str, min_bytes: int, max_bytes: int) -> str:
    value = data.get(name)
    match = _HEX.fullmatch(value) if isinstance(value, str) else None
    if match is None or not min_bytes <= len(match.group(1)) // 2 <= max_bytes:
        raise CorruptKeystoreError(what, f"its '{name}' field is missing or not valid hexadecimal")
    return match.group(1).lower()
