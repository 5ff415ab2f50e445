"""A new account's BIP-39 recovery phrase, and checking that the user wrote it down.

eth-account makes the phrase (its HD wallet support, marked unaudited, must be switched on first);
the key itself is then derived by ``material.key_from_mnemonic`` exactly as for an imported phrase,
so a created account and the same phrase imported elsewhere are one account.
"""

from __future__ import annotations

import secrets

from eth_account import Account

WORDS = 12
CHECKED_WORDS = 3


def new_phrase(words: int = WORDS) -> str:
    """A fresh English BIP-39 phrase from the operating system's random source."""
    Account.enable_unaudited_hdwallet_features()
    _account, phrase = Account.create_with_mnemonic(num_words=words)
    return str(phrase)


def positions_to_check(phrase: str, count: int = CHECKED_WORDS) -> list[int]:
    """``count`` distinct word numbers (1-based, ascending) to ask back, chosen at random."""
    total = len(phrase.split())
    chosen: set[int] = set()
    while len(chosen) < min(count, total):
        chosen.add(secrets.randbelow(total) + 1)
    return sorted(chosen)


def wrong_answers(phrase: str, answers: dict[int, str]) -> list[int]:
    """The word numbers whose typed word differs from the phrase (case and spaces ignored)."""
    words = phrase.split()
    return [n for n, typed in sorted(answers.items()) if typed.strip().lower() != words[n - 1]]
