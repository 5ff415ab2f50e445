"""Private keys from hex and BIP-39 phrases: known vectors, every error, and fuzzing."""

from __future__ import annotations

import pytest
from eth_account import Account
from eth_account.hdaccount import Mnemonic
from eth_account.types import Language
from eth_keys.constants import SECPK1_N
from hypothesis import given, settings
from hypothesis import strategies as st

from dacwallet.errors import KeyStoreError
from dacwallet.keys.errors import BadMnemonicError, BadPrivateKeyError
from dacwallet.keys.material import key_from_mnemonic, new_private_key, parse_private_key
from tests.keys.conftest import ANVIL_0, ANVIL_0_KEY, ANVIL_1, TEST_MNEMONIC

WORDLIST = Mnemonic(Language.ENGLISH).wordlist


@pytest.mark.parametrize(
    "text",
    [ANVIL_0_KEY, "0x" + ANVIL_0_KEY, "0X" + ANVIL_0_KEY.upper(), f"  {ANVIL_0_KEY}\n"],
)
def test_hex_key_forms_are_accepted(text: str) -> None:
    assert Account.from_key(parse_private_key(text)).address == ANVIL_0


def test_largest_valid_key_is_accepted() -> None:
    assert parse_private_key(f"{SECPK1_N - 1:064x}") == (SECPK1_N - 1).to_bytes(32, "big")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "0x",
        ANVIL_0_KEY[:-1],
        ANVIL_0_KEY + "0",
        ANVIL_0_KEY[:-1] + "g",
        "0x" + "00" * 32,
        f"{SECPK1_N:064x}",
        f"{SECPK1_N + 1:064x}",
        "f" * 64,
        "0x 0x" + ANVIL_0_KEY,
    ],
)
def test_bad_hex_keys_are_refused_without_echoing_them(text: str) -> None:
    with pytest.raises(BadPrivateKeyError) as caught:
        parse_private_key(text)
    assert caught.value.user_message
    if len(text.strip()) > 8:
        assert text.strip()[2:] not in str(caught.value)


def test_new_keys_are_valid_and_distinct() -> None:
    assert new_private_key() != new_private_key()


@pytest.mark.parametrize(("index", "address"), [(0, ANVIL_0), (1, ANVIL_1)])
def test_mnemonic_known_vectors(index: int, address: str) -> None:
    assert Account.from_key(key_from_mnemonic(TEST_MNEMONIC, index)).address == address


def test_mnemonic_is_case_and_space_insensitive() -> None:
    messy = "  TEST test\ttest test test test test test test test test   junk \n"
    assert Account.from_key(key_from_mnemonic(messy)).address == ANVIL_0


def test_mnemonic_24_words_vector() -> None:
    # The eth-account documentation's vector (m/44'/60'/0'/0/0).
    phrase = (
        "coral allow abandon recipe top tray caught video climb similar prepare bracket antenna "
        "rubber announce gauge volume hub hood burden skill immense add acid"
    )
    assert Account.from_key(key_from_mnemonic(phrase)).address == "0x9AdA5dAD14d925f4df1378409731a9B71Bc8569d"


@pytest.mark.parametrize(
    ("phrase", "index", "hint"),
    [
        ("test " * 11, 0, "has 11"),
        ("test " * 13, 0, "has 13"),
        ("", 0, "has 0"),
        ("test test test test test test test test test test test junkk", 0, "number 12"),
        ("test test test test test test test test test test test test", 0, "checksum"),
        ("junk test test test test test test test test test test test", 0, "checksum"),
        (TEST_MNEMONIC, -1, "index"),
        (TEST_MNEMONIC, 2**31, "index"),
    ],
)
def test_bad_mnemonics_say_what_is_wrong(phrase: str, index: int, hint: str) -> None:
    with pytest.raises(BadMnemonicError) as caught:
        key_from_mnemonic(phrase, index)
    assert hint in caught.value.user_message
    assert "junk" not in caught.value.user_message


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_fuzz_hex_text_gives_a_key_or_a_keystore_error(text: str) -> None:
    try:
        key = parse_private_key(text)
    except KeyStoreError:
        return
    assert len(key) == 32


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=2**256 - 1), st.sampled_from(["", "0x", "0X"]))
def test_fuzz_hex_numbers_follow_the_curve_order(number: int, prefix: str) -> None:
    text = f"{prefix}{number:064x}"
    if 0 < number < SECPK1_N:
        assert int.from_bytes(parse_private_key(text), "big") == number
    else:
        with pytest.raises(BadPrivateKeyError):
            parse_private_key(text)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(WORDLIST), min_size=0, max_size=25), st.integers(-5, 5))
def test_fuzz_word_lists_give_a_key_or_a_bad_mnemonic_error(words: list[str], index: int) -> None:
    try:
        key = key_from_mnemonic(" ".join(words), index)
    except BadMnemonicError:
        return
    assert len(key) == 32


@settings(max_examples=200, deadline=None)
@given(st.text(), st.integers())
def test_fuzz_any_text_gives_a_key_or_a_keystore_error(phrase: str, index: int) -> None:
    try:
        key_from_mnemonic(phrase, index)
    except KeyStoreError:
        pass
