"""Adding an account as the faces do it: a new password must pass the policy, and a created account
comes from a fresh recovery phrase the user is shown once (and asked a few words of, in the app).

The keystore itself accepts any non-empty password (it also opens older accounts); the policy
applies where a person chooses a new one: create, import, change password.
"""

from __future__ import annotations

from dataclasses import dataclass

from dacwallet.keys.phrase import new_phrase, positions_to_check, wrong_answers
from dacwallet.keys.policy import Strength, estimate, require_strong
from dacwallet.keys.store import AccountInfo, KeyStore


@dataclass(frozen=True)
class PhraseToBackUp:
    """A new phrase and the word numbers to ask back; nothing is on disk until ``create_from_phrase``."""

    phrase: str
    check_positions: tuple[int, ...]

    @property
    def words(self) -> list[str]:
        return self.phrase.split()

    def wrong_answers(self, answers: dict[int, str]) -> list[int]:
        """The word numbers typed back wrong (none: the user has a good copy)."""
        return wrong_answers(self.phrase, answers)

    def __repr__(self) -> str:  # never show the words
        return f"PhraseToBackUp({len(self.words)} words)"


def password_strength(password: str, name: str = "") -> Strength:
    """For a meter while typing: the score, its label and why the policy would refuse it."""
    return estimate(password, [name])


def check_new_password(password: str, name: str = "") -> str:
    """The password if the policy accepts it for account ``name``, else WeakPasswordError saying why."""
    return require_strong(password, [name])


def new_phrase_to_back_up() -> PhraseToBackUp:
    phrase = new_phrase()
    return PhraseToBackUp(phrase, tuple(positions_to_check(phrase)))


def create_from_phrase(keys: KeyStore, name: str, password: str, phrase: str) -> AccountInfo:
    """The account at index 0 of ``phrase`` (the same account any BIP-39 wallet restores from it)."""
    check_new_password(password, name)
    return keys.import_mnemonic(name, phrase, password)


def create_account(keys: KeyStore, name: str, password: str) -> tuple[AccountInfo, str]:
    """A new account and its recovery phrase (for the CLI, which prints it once)."""
    phrase = new_phrase()
    return create_from_phrase(keys, name, password, phrase), phrase
