"""The wallet's basics through the CLI on the embedded chain: `account new` refuses a weak password and
shows the recovery phrase once; `send` checks the address and the balance (exit 1 with the reason)
and sends through the journal; `activity` lists every transaction of the account."""

from __future__ import annotations

import re

import pytest
from eth_account import Account
from web3 import Web3

from dacwallet.usecases.context import open_wallet
from tests.usecases.conftest import Cli

GOOD = "A wonderful film: brilliant acting, a moving story and a great score. One of the best this year."
ALICE_PW, BOB_PW = "alice-quiet-harbor-71", "bob-lantern-orbit-42"


def phrase_in(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if re.fullmatch(r"([a-z]+ ){11}[a-z]+", line.strip())]
    assert len(lines) == 1, stderr
    return lines[0].strip()


def balance(tmp_path, address: str) -> int:
    ctx = open_wallet(tmp_path)
    try:
        return ctx.w3.eth.get_balance(address)
    finally:
        ctx.close()


@pytest.mark.slow
def test_account_new_refuses_weak_passwords_and_shows_the_phrase_once(tmp_path, capsys) -> None:
    cli = Cli(tmp_path, "embedded", capsys)
    short = cli("account", "new", "alice", stdin="x1\n")
    assert short.code == 1 and "too short" in short.err and "at least 8" in short.err
    common = cli("account", "new", "alice", stdin="password123\n")
    assert common.code == 1 and "too easy to guess" in common.err and "common password" in common.err
    named = cli("account", "new", "alice", stdin="alicealice\n")
    assert named.code == 1 and "too easy to guess" in named.err
    assert cli.ok("account", "list", "--json").json() == []  # nothing was created by the refusals

    made = cli.ok("account", "new", "alice", "--json", stdin=ALICE_PW + "\n")
    phrase = phrase_in(made.err)
    assert phrase not in made.out  # the result (often saved) holds no secret
    Account.enable_unaudited_hdwallet_features()
    assert Account.from_mnemonic(phrase).address == made.json()["address"]  # any BIP-39 wallet restores it
    assert phrase not in cli.ok("account", "list").out + cli.ok("account", "list").err  # shown once

    weak_import = cli("account", "import", "bob", stdin=f"0x{'11' * 32}\nbob\n")
    assert weak_import.code == 1 and "too short" in weak_import.err


@pytest.mark.slow
def test_send_checks_then_sends_once_and_activity_lists_it(tmp_path, capsys) -> None:
    cli = Cli(tmp_path, "embedded", capsys)
    alice = cli.ok("account", "new", "alice", "--json", stdin=ALICE_PW + "\n").json()["address"]
    bob = cli.ok("account", "new", "bob", "--json", stdin=BOB_PW + "\n").json()["address"]
    sign = ("--account", "alice", "--password-stdin", "--json")

    def refused(*args: str) -> str:
        run = cli("send", *args, *sign, stdin=ALICE_PW + "\n")
        assert run.code == 1, run.out
        return run.err

    assert "not an Ethereum address" in refused("0x1234", "1")
    flipped = bob[:2] + "".join(c.swapcase() if c.isalpha() else c for c in bob[2:])
    assert "checksum" in refused(flipped, "1")
    assert "more than 0 ETH" in refused(bob, "0")
    assert "number of ETH" in refused(bob, "lots")
    assert "with a dot for decimals" in refused(bob, "1,5")  # never read as 15
    assert "more than 18 decimals" in refused(bob, "0.0000000000000000001")
    held, before_bob = balance(tmp_path, alice), balance(tmp_path, bob)
    everything = Web3.from_wei(held, "ether")
    assert "more than the account's" in refused(bob, str(everything))  # the fee does not fit on top
    assert balance(tmp_path, alice) == held and balance(tmp_path, bob) == before_bob  # nothing was sent

    sent = cli.ok("send", bob.lower(), "1.25", *sign, stdin=ALICE_PW + "\n").json()
    assert sent["to"] == bob and sent["amount_eth"] == "1.25" and sent["tx"].startswith("0x")
    fee = int(sent["fee_wei"])
    assert fee > 0 and sent["total_eth"] == str(Web3.from_wei(Web3.to_wei("1.25", "ether") + fee, "ether"))
    assert balance(tmp_path, bob) == before_bob + Web3.to_wei("1.25", "ether")
    assert balance(tmp_path, alice) == held - Web3.to_wei("1.25", "ether") - fee

    cli.ok(
        "contribute",
        "--account",
        "alice",
        "--password-stdin",
        "--label",
        "Positive",
        GOOD,
        "--json",
        stdin=ALICE_PW + "\n",
    )
    rows = cli.ok("activity", "--account", "alice", "--json").json()
    assert [(r["kind"], r["state"]) for r in rows] == [("contribution", "mined"), ("send", "mined")]
    send_row = rows[1]
    assert send_row["tx"] == sent["tx"] and send_row["amount_eth"] == "1.25" and int(send_row["fee_wei"]) == fee
    assert send_row["to"] == bob and send_row["detail"] == f"to {bob}"
    assert int(rows[0]["amount_wei"]) > 0 and "contribution #" in rows[0]["detail"]
    assert cli.ok("activity", "--account", "bob", "--json").json() == []  # receiving is not bob's transaction
    plain = cli.ok("activity", "--account", "alice").out
    assert "kind=send" in plain and sent["tx"] in plain
