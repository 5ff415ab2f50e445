"""The password policy (length, then zxcvbn's estimate, with the reason) and a new account's phrase."""

from __future__ import annotations

import pytest
from eth_account import Account

from dacwallet.keys.errors import WeakPasswordError
from dacwallet.keys.material import key_from_mnemonic
from dacwallet.keys.phrase import new_phrase, positions_to_check, wrong_answers
from dacwallet.keys.policy import MIN_LENGTH, estimate, require_strong


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("", "Choose a password"),
        ("x" * (MIN_LENGTH - 1), f"at least {MIN_LENGTH} characters (it has {MIN_LENGTH - 1})"),
        ("password123", "this is a very common password"),
        ("qwertyuiop", "too easy to guess"),
        ("aaaaaaaaaaaa", "too easy to guess"),
        ("2024-01-01", "too easy to guess"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(password: str, why: str) -> None:
    strength = estimate(password)
    assert not strength.acceptable and why in (strength.reason or "")
    with pytest.raises(WeakPasswordError) as refused:
        require_strong(password)
    assert why in refused.value.user_message and (not password or password not in refused.value.user_message)


def test_a_long_password_is_judged_by_its_start_and_a_repeated_letter_still_fails() -> None:
    assert not estimate("a" * 200).acceptable
    assert estimate("Tulip-Harbor-Quiet-71 " * 10).acceptable


def test_a_password_made_of_the_account_name_is_weaker() -> None:
    assert estimate("quillondra-x").acceptable
    refused = estimate("quillondra-x", ["quillondra"])  # the account is named quillondra
    assert not refused.acceptable and "too easy to guess" in (refused.reason or "")


@pytest.mark.parametrize(
    "password",
    ["alice-quiet-harbor-71", "correct horse battery staple", "Tulip-Harbor-Quiet-71", "x" * 40 + "!Q9" + "y" * 80],
)
def test_strong_passwords_pass(password: str) -> None:
    strength = estimate(password)
    assert strength.acceptable and strength.reason is None and strength.score >= 3
    assert require_strong(password) == password


def test_a_new_phrase_is_valid_bip39_and_the_same_account_everywhere() -> None:
    phrase = new_phrase()
    assert len(phrase.split()) == 12 and phrase != new_phrase()
    Account.enable_unaudited_hdwallet_features()
    assert Account.from_key(key_from_mnemonic(phrase)).address == Account.from_mnemonic(phrase).address


def test_words_asked_back() -> None:
    phrase = new_phrase()
    words = phrase.split()
    for _ in range(50):
        asked = positions_to_check(phrase)
        assert len(asked) == 3 and asked == sorted(set(asked)) and all(1 <= n <= 12 for n in asked)
    assert wrong_answers(phrase, {2: f"  {words[1].upper()} ", 5: words[4]}) == []
    assert wrong_answers(phrase, {2: words[1], 5: "notaword", 9: ""}) == [5, 9]
