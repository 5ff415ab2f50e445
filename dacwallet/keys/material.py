"""Turn what a user types (hex private key, BIP-39 phrase) into a raw 32-byte private key.

Error messages never repeat the input: it is secret.
"""

from __future__ import annotations

import re

from eth_account import Account
from eth_account.hdaccount import Mnemonic, key_from_seed
from eth_account.types import Language
from eth_keys.constants import SECPK1_N

from dacwallet.keys.errors import BadMnemonicError, BadPrivateKeyError

VALID_WORD_COUNTS = (12, 15, 18, 21, 24)
MAX_DERIVATION_INDEX = 2**31 - 1  # the last path element is not hardened, so it stays below 2**31
_HEX64 = re.compile(r"[0-9a-fA-F]{64}")
_MNEMONIC = Mnemonic(Language.ENGLISH)
_WORDLIST = frozenset(_MNEMONIC.wordlist)


def check_private_key(key: bytes) -> bytes:
    """Return ``key`` if it is a valid secp256k1 private key (32 bytes, 0 < k < n)."""
    if len(key) != 32:
        raise BadPrivateKeyError("A private key is exactly 32 bytes.")
    if not 0 < int.from_bytes(key, "big") < SECPK1_N:
        raise BadPrivateKeyError(
            "This number is not a valid Ethereum private key (it is zero or too large). "
            "Check that you copied the whole key."
        )
    return key


def parse_private_key(text: str) -> bytes:
    """Parse 64 hex digits, with or without ``0x``, surrounding spaces ignored."""
    digits = text.strip()
    if digits[:2] in ("0x", "0X"):
        digits = digits[2:]
    if not _HEX64.fullmatch(digits):
        raise BadPrivateKeyError(
            "A private key is 64 hexadecimal characters (0-9, a-f), optionally starting with 0x; "
            f"this text has {len(digits)} characters{_non_hex_note(digits)}. Check that you copied all of it."
        )
    return check_private_key(bytes.fromhex(digits))


def new_private_key() -> bytes:
    """A fresh random private key from the operating system's random source."""
    return check_private_key(bytes(Account.create().key))


def key_from_mnemonic(phrase: str, index: int = 0) -> bytes:
    """Derive the key at m/44'/60'/0'/0/``index`` from an English BIP-39 phrase (no passphrase)."""
    if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index <= MAX_DERIVATION_INDEX:
        raise BadMnemonicError(f"The account index must be a whole number from 0 to {MAX_DERIVATION_INDEX}.")
    words = phrase.lower().split()
    if len(words) not in VALID_WORD_COUNTS:
        raise BadMnemonicError(
            f"A recovery phrase has 12, 15, 18, 21 or 24 words; this one has {len(words)}. "
            "Check for missing or extra words."
        )
    unknown = [str(i + 1) for i, word in enumerate(words) if word not in _WORDLIST]
    if unknown:
        raise BadMnemonicError(
            f"Word(s) number {', '.join(unknown)} are not in the English BIP-39 word list. Check their spelling."
        )
    normalized = " ".join(words)
    if not _MNEMONIC.is_mnemonic_valid(normalized):
        raise BadMnemonicError("The recovery phrase fails its checksum: a word is wrong or the words are out of order.")
    seed = Mnemonic.to_seed(normalized)
    return check_private_key(key_from_seed(seed, f"m/44'/60'/0'/0/{index}"))


def _non_hex_note(digits: str) -> str:
    return " and some are not hexadecimal" if re.search(r"[^0-9a-fA-F]", digits) else ""
