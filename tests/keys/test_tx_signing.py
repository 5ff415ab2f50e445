"""The wallet's own EIP-1559 signing gives eth-account's bytes exactly, and every other shape is eth-account's."""

from __future__ import annotations

import random

import pytest
from eth_account import Account

from dacwallet.keys.tx_signing import KeySigner, sign_transaction

ACCOUNT = Account.from_key(bytes(range(1, 33)))


def signed_fields(signed) -> tuple:
    return bytes(signed.raw_transaction), bytes(signed.hash), signed.r, signed.s, signed.v


def random_transaction(rng: random.Random) -> dict:
    tx = {
        "chainId": rng.choice([1, 31338, 2**40]),
        "nonce": rng.randrange(0, 2**20),
        "maxPriorityFeePerGas": rng.randrange(0, 10**12),
        "maxFeePerGas": rng.randrange(0, 10**14),
        "gas": rng.randrange(21_000, 30_000_000),
        "value": rng.choice([0, 1, rng.randrange(0, 10**24)]),
        "data": rng.choice(["0x", "0x" + rng.randbytes(rng.randrange(0, 1500)).hex(), rng.randbytes(40)]),
    }
    to = rng.choice([None, Account.create().address, "absent"])
    if to != "absent":
        tx["to"] = to
    if rng.random() < 0.3:
        tx["type"] = 2
    return tx


def test_the_usual_shape_is_signed_byte_for_byte_as_eth_account_signs_it() -> None:
    rng = random.Random(7)
    for _ in range(200):
        tx = random_transaction(rng)
        assert signed_fields(sign_transaction(dict(tx), ACCOUNT.key)) == signed_fields(
            Account.sign_transaction(dict(tx), ACCOUNT.key)
        ), tx
    signer = KeySigner(ACCOUNT)
    assert signer.address == ACCOUNT.address
    assert signed_fields(signer.sign_transaction(dict(tx))) == signed_fields(ACCOUNT.sign_transaction(dict(tx)))


BASE = {"chainId": 31338, "nonce": 3, "gas": 50_000, "value": 5, "to": ACCOUNT.address}
FEES = {"maxFeePerGas": 3, "maxPriorityFeePerGas": 1}


def outcome(sign) -> tuple | type:
    """The signed bytes and signature, or the kind of error raised."""
    try:
        return signed_fields(sign())
    except Exception as error:
        return type(error)


@pytest.mark.parametrize(
    "tx",
    [
        {**BASE, "gasPrice": 10**9},
        {**BASE, "gasPrice": 10**9, "accessList": []},
        {**BASE, **FEES, "accessList": [{"address": ACCOUNT.address, "storageKeys": []}]},
        {**BASE, **FEES, "maxFeePerGas": "0x3"},
        {**BASE, **FEES, "to": ACCOUNT.address.lower()},
        {**BASE, **FEES, "to": "0x" + "Ab" * 20},
        {**BASE, **FEES, "value": -1},
        {**BASE, **FEES, "value": 2**256},
        {**BASE, **FEES, "data": "0xZZ"},
        {**BASE, **FEES, "data": 7},
    ],
    ids=[
        "legacy",
        "eip2930",
        "access-list",
        "hex-fee",
        "lowercase-to",
        "bad-checksum",
        "negative-value",
        "value-past-256-bits",
        "bad-hex",
        "data-not-bytes",
    ],
)
def test_every_other_shape_signs_or_fails_exactly_as_eth_account(tx: dict) -> None:
    """Legacy and EIP-2930 fees, access lists and fields of another type go to eth-account: the same bytes, or the
    same refusal."""
    ours = outcome(lambda: sign_transaction(dict(tx), ACCOUNT.key))
    assert ours == outcome(lambda: Account.sign_transaction(dict(tx), ACCOUNT.key))
