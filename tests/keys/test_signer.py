"""Signing, unlocking and the keyring "remember" option, with a real (in-memory or failing) backend."""

from __future__ import annotations

import keyring
import pytest
from eth_account import Account
from eth_account.messages import encode_defunct
from keyring.backends import fail

from dacwallet.errors import InputError
from dacwallet.keys import KeyringUnavailableError, KeyStore, PasswordRequiredError, Signer, WrongPasswordError
from tests.keys.conftest import ANVIL_0, ANVIL_0_KEY, PASSWORD, MemoryKeyring

TX = {
    "to": "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
    "value": 10**15,
    "gas": 21_000,
    "maxFeePerGas": 2 * 10**9,
    "maxPriorityFeePerGas": 10**9,
    "nonce": 0,
    "chainId": 31337,
    "type": 2,
}


@pytest.fixture
def signer(store: KeyStore) -> Signer:
    store.import_private_key("main", ANVIL_0_KEY, PASSWORD)
    return Signer(store, "main")


def test_sign_transaction_recovers_the_sender(signer: Signer) -> None:
    signed = signer.sign_transaction(TX, PASSWORD)
    assert Account.recover_transaction(signed.raw_transaction) == ANVIL_0


def test_sign_message_recovers_the_sender(signer: Signer) -> None:
    for message in ("hello", b"\x00\x01"):
        signed = signer.sign_message(message, PASSWORD)
        signable = encode_defunct(text=message) if isinstance(message, str) else encode_defunct(primitive=message)
        assert Account.recover_message(signable, signature=signed.signature) == ANVIL_0


def test_wrong_or_missing_password(signer: Signer) -> None:
    with pytest.raises(WrongPasswordError):
        signer.sign_transaction(TX, "wrong")
    with pytest.raises(PasswordRequiredError, match="cannot be empty"):
        signer.sign_transaction(TX, "")
    with pytest.raises(PasswordRequiredError, match="Enter the password"):
        signer.sign_transaction(TX)


def test_malformed_transaction_is_an_input_error(signer: Signer) -> None:
    with pytest.raises(InputError) as caught:
        signer.sign_transaction({"to": TX["to"]}, PASSWORD)
    assert ANVIL_0_KEY not in str(caught.value).lower()


def test_unlock_reports_without_keeping_the_key(signer: Signer) -> None:
    assert signer.unlock(PASSWORD) is True
    assert signer.unlock("wrong") is False
    held = [repr(value) for value in vars(signer).values()]
    assert all(ANVIL_0_KEY not in text.lower() and PASSWORD not in text for text in held)
    assert repr(signer) == f"Signer({ANVIL_0})"


def test_signing_marks_the_account_as_last_used(store: KeyStore, signer: Signer) -> None:
    store.create("other", PASSWORD)
    assert store.default_account().name == "other"
    signer.sign_message("hi", PASSWORD)
    assert store.default_account().name == "main"


def test_signer_survives_a_rename(store: KeyStore, signer: Signer) -> None:
    store.rename("main", "renamed")
    assert signer.name == "renamed"
    assert signer.unlock(PASSWORD)


def test_remember_recall_forget(store: KeyStore, signer: Signer, memory_keyring: MemoryKeyring) -> None:
    assert signer.unlock("wrong", remember=True) is False
    assert memory_keyring.entries == {}
    assert signer.unlock(PASSWORD, remember=True) is True
    assert memory_keyring.entries == {("dacwallet", ANVIL_0): PASSWORD}
    assert signer.unlock() is True
    assert Account.recover_transaction(signer.sign_transaction(TX).raw_transaction) == ANVIL_0
    store.forget_password("main")
    with pytest.raises(PasswordRequiredError):
        signer.sign_transaction(TX)


def test_stale_remembered_password_is_forgotten(signer: Signer, memory_keyring: MemoryKeyring) -> None:
    memory_keyring.set_password("dacwallet", ANVIL_0, "outdated")
    with pytest.raises(PasswordRequiredError, match="no longer opens"):
        signer.sign_transaction(TX)
    assert memory_keyring.entries == {}


def test_no_keyring_backend(store: KeyStore, signer: Signer) -> None:
    keyring.set_keyring(fail.Keyring())  # what a headless machine has: every call raises NoKeyringError
    with pytest.raises(KeyringUnavailableError) as caught:
        signer.unlock(PASSWORD, remember=True)
    assert "cannot be remembered" in caught.value.user_message
    with pytest.raises(PasswordRequiredError):
        signer.sign_transaction(TX)  # recall quietly finds nothing
    assert signer.sign_transaction(TX, PASSWORD)
    store.change_password("main", PASSWORD, "new secret")
    store.delete("main", "new secret")
    assert store.accounts() == []
