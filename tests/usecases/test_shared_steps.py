"""The steps the CLI and the app share, on the embedded chain: what blocks sending refuses the send in one
use-case (dacwallet.usecases.contribution_send) that both call, and adding an account (usecases.account_add)
funds it and says, rather than raises, what failed once the account exists."""

from __future__ import annotations

import keyring
import pytest
from keyring.backends import fail

from dacwallet.errors import InputError
from dacwallet.store import contributions
from dacwallet.usecases.account_add import NO_NETWORK_NOTE, add_imported
from dacwallet.usecases.account_manage import open_key_store
from dacwallet.usecases.context import open_wallet
from dacwallet.usecases.contribution_send import prepare, send_previewed
from dacwallet.usecases.sending import signer_for
from tests.usecases.conftest import Cli

GOOD = "A wonderful film: brilliant acting, a moving story and a great score. One of the best this year."
PASSWORD = "bob-lantern-orbit-42"


def test_what_blocks_sending_is_refused_by_the_use_case_and_by_the_cli(tmp_path, capsys) -> None:
    ctx = open_wallet(tmp_path)
    try:
        bob = ctx.keys.create("bob", PASSWORD)  # made in the key store: no test ether, unlike `account new`
        prepared = prepare(ctx, GOOD, "Positive", bob.address)
        assert (prepared.account_name, prepared.balance_wei, prepared.remembered) == ("bob", 0, False)
        blocking = prepared.preview.blocking
        assert len(blocking) == 1 and blocking[0].startswith("Not enough ether: the deposit needs")
        with pytest.raises(InputError) as refused:
            send_previewed(ctx, signer_for(ctx, bob.address, PASSWORD), GOOD, prepared.preview)
        assert refused.value.user_message == blocking[0]
        trainer = ctx.require_deployment().trainer
        assert contributions.list_for(ctx.db, ctx.chain_key, trainer) == []  # nothing drafted, nothing signed
    finally:
        ctx.close()
    cli = Cli(tmp_path, "embedded", capsys)
    run = cli("contribute", "--account", "bob", "--password-stdin", "--label", "Positive", GOOD, stdin=PASSWORD + "\n")
    assert run.code != 0 and "Not enough ether: the deposit needs" in run.err


@pytest.fixture
def no_keyring():
    """A computer without a password store: remembering a password fails."""
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(before)


def test_an_added_account_is_funded_and_what_failed_after_it_exists_is_said(tmp_path, capsys, no_keyring) -> None:
    cli = Cli(tmp_path, "embedded", capsys)
    # --remember fails (no keyring) once the account is made: the command says so and succeeds.
    said = cli.ok("account", "new", "alice", "--remember", "--json", stdin="alice-quiet-harbor-71\n").json()
    assert said["name"] == "alice" and "no usable password store" in said["note"]
    (listed,) = cli.ok("account", "list", "--json").json()
    assert (listed["address"], listed["balance_eth"]) == (said["address"], 100.0)  # the embedded faucet's

    # The app's path while the node is away: the account is made, not funded, and the note says what to do.
    keys = open_key_store(tmp_path)
    added = add_imported(keys, None, "key", "carol", "0x" + "11" * 32, PASSWORD, remember=False)
    assert (added.funded, added.note) == (False, NO_NETWORK_NOTE)
    assert keys.account("carol").address == added.info.address
