"""Keystore v3 checking, encryption and decryption, including hostile and damaged files."""

from __future__ import annotations

import copy
import json
import time
from typing import Any

import pytest
from eth_account import Account
from hypothesis import given, settings
from hypothesis import strategies as st

from dacwallet.errors import KeyStoreError
from dacwallet.keys.errors import CorruptKeystoreError, WrongPasswordError
from dacwallet.keys.keyfile import check_keyfile, decrypt_key, encrypt_key, load_json
from tests.keys.conftest import ANVIL_0_KEY, FAST_N, PASSWORD

KEY = bytes.fromhex(ANVIL_0_KEY)
WHAT = "the test keystore"


@pytest.fixture(scope="module")
def keyfile() -> dict[str, Any]:
    return encrypt_key(KEY, PASSWORD, FAST_N)


def _open(data: Any, password: str = PASSWORD) -> bytes:
    text = data if isinstance(data, str) else json.dumps(data)
    return decrypt_key(check_keyfile(load_json(text, WHAT), WHAT), password, WHAT)


def test_round_trip_uses_scrypt_with_the_given_cost(keyfile: dict[str, Any]) -> None:
    assert keyfile["crypto"]["kdf"] == "scrypt"
    assert keyfile["crypto"]["kdfparams"]["n"] == FAST_N
    assert _open(keyfile) == KEY


def test_each_encryption_is_fresh() -> None:
    first, second = encrypt_key(KEY, PASSWORD, FAST_N), encrypt_key(KEY, PASSWORD, FAST_N)
    assert first["crypto"]["ciphertext"] != second["crypto"]["ciphertext"]


def test_wrong_password(keyfile: dict[str, Any]) -> None:
    with pytest.raises(WrongPasswordError) as caught:
        _open(keyfile, "wrong")
    assert "password" in caught.value.user_message
    with pytest.raises(WrongPasswordError):
        _open(keyfile, "bad\ud800")


@pytest.mark.parametrize("field", ["mac", "ciphertext"])
def test_tampering_is_caught_by_the_mac(keyfile: dict[str, Any], field: str) -> None:
    # A well-formed but altered MAC or ciphertext cannot be told apart from a wrong password.
    tampered = copy.deepcopy(keyfile)
    value = tampered["crypto"][field]
    tampered["crypto"][field] = ("0" if value[0] != "0" else "1") + value[1:]
    with pytest.raises(WrongPasswordError):
        _open(tampered)


def _mutated(keyfile: dict[str, Any], path: tuple[str, ...], value: Any) -> dict[str, Any]:
    result = copy.deepcopy(keyfile)
    target = result
    for step in path[:-1]:
        target = target[step]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return result


_DELETE = object()


@pytest.mark.parametrize(
    ("path", "value", "hint"),
    [
        (("version",), 1, "version"),
        (("version",), "3", "version"),
        (("version",), True, "version"),
        (("version",), _DELETE, "version"),
        (("crypto",), _DELETE, "crypto"),
        (("crypto",), [], "crypto"),
        (("crypto", "cipher"), "aes-256-gcm", "cipher"),
        (("crypto", "mac"), "zz" * 32, "mac"),
        (("crypto", "mac"), "ab" * 31, "mac"),
        (("crypto", "ciphertext"), "", "ciphertext"),
        (("crypto", "cipherparams", "iv"), 5, "iv"),
        (("crypto", "kdf"), "argon2", "neither scrypt nor pbkdf2"),
        (("crypto", "kdfparams", "n"), 2**30, "unreasonably high"),
        (("crypto", "kdfparams", "n"), 2**40, "out of range"),
        (("crypto", "kdfparams", "n"), 1000, "power of two"),
        (("crypto", "kdfparams", "n"), 16.0, "out of range"),
        (("crypto", "kdfparams"), {"n": 2**18, "r": 8, "p": 16, "dklen": 32, "salt": "00" * 16}, "unreasonably high"),
        (("crypto", "kdfparams", "dklen"), 16, "dklen"),
        (("crypto", "kdfparams", "salt"), "", "salt"),
        (("address",), "1234", "address"),
        (("address",), "00" * 20, "does not match"),
    ],
)
def test_corrupt_keystores_say_what_is_wrong(
    keyfile: dict[str, Any], path: tuple[str, ...], value: Any, hint: str
) -> None:
    started = time.monotonic()
    with pytest.raises(CorruptKeystoreError) as caught:
        _open(_mutated(keyfile, path, value))
    assert hint in caught.value.user_message
    assert time.monotonic() - started < 2  # a hostile cost is refused before scrypt runs


@pytest.mark.parametrize(
    ("text", "hint"),
    [("", "not valid JSON"), ("{", "not valid JSON"), ("[1, 2]", "not a JSON object"), ("x" * 70_000, "too large")],
)
def test_unparsable_text(text: str, hint: str) -> None:
    with pytest.raises(CorruptKeystoreError) as caught:
        _open(text)
    assert hint in caught.value.user_message


def test_other_wallets_shapes_are_accepted(keyfile: dict[str, Any]) -> None:
    pbkdf2 = Account.encrypt(KEY, PASSWORD, kdf="pbkdf2", iterations=2)
    assert _open(pbkdf2) == KEY
    geth_style = {k.capitalize() if k == "crypto" else k: v for k, v in keyfile.items()}
    geth_style["address"] = "0x" + keyfile["address"]
    del geth_style["id"]
    assert _open(geth_style) == KEY


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=70),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)
_paths = st.sampled_from(
    [
        ("version",),
        ("address",),
        ("crypto",),
        ("crypto", "cipher"),
        ("crypto", "cipherparams"),
        ("crypto", "cipherparams", "iv"),
        ("crypto", "ciphertext"),
        ("crypto", "kdf"),
        ("crypto", "kdfparams"),
        ("crypto", "kdfparams", "n"),
        ("crypto", "kdfparams", "r"),
        ("crypto", "kdfparams", "p"),
        ("crypto", "kdfparams", "dklen"),
        ("crypto", "kdfparams", "salt"),
        ("crypto", "mac"),
    ]
)
_small_values = _json | st.integers(min_value=-4, max_value=64) | st.sampled_from(["scrypt", "pbkdf2", "00" * 16])


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300) | st.binary(max_size=300))
def test_fuzz_garbage_text_is_a_keystore_error(text: str | bytes) -> None:
    with pytest.raises(KeyStoreError):
        check_keyfile(load_json(text, WHAT), WHAT)


@settings(max_examples=200, deadline=None)
@given(_json)
def test_fuzz_any_json_is_a_keystore_error(value: Any) -> None:
    with pytest.raises(KeyStoreError):
        _open(json.dumps(value))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_paths, _small_values), min_size=1, max_size=3))
def test_fuzz_damaged_keystore_opens_or_is_a_keystore_error(
    keyfile: dict[str, Any], changes: list[tuple[tuple[str, ...], Any]]
) -> None:
    damaged = keyfile
    for path, value in changes:
        try:
            damaged = _mutated(damaged, path, value)
        except (KeyError, TypeError):
            continue  # an earlier change removed the parent
    try:
        assert _open(damaged) == KEY
    except KeyStoreError:
        pass
