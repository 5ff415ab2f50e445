"""SIGKILL in the middle of a transfer (`send`): after the next start's journal resolution the recipient has
received it exactly once when it had been signed and journaled, and not at all when it had not.

A real child process (tests/support/crash_child.py) runs ``send_ether`` on the embedded chain and kills
itself at one stage of ``send_journaled``; this process then opens the same folder and resolves the journal.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dacwallet.store import journal
from dacwallet.usecases.accounts import fund_new_account
from dacwallet.usecases.activity import account_activity
from dacwallet.usecases.context import open_wallet
from dacwallet.usecases.settle import resolve_journal
from tests.usecases.test_crash import JOURNALED, PASSWORDS, STAGES, assert_killed_at, child_env, run_child

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("send-crash")
    with pytest.MonkeyPatch.context() as env:
        for key, value in child_env().items():
            env.setenv(key, value)
        ctx = open_wallet(folder)
        for name, password in PASSWORDS.items():
            fund_new_account(ctx, ctx.keys.create(name, password))
        ctx.close()
    return folder


@pytest.mark.parametrize("stage", STAGES)
def test_a_transfer_killed_at_any_stage_is_sent_at_most_once(data_dir: Path, stage: str) -> None:
    amount = (STAGES.index(stage) + 1) * 10**15  # one distinct amount per stage
    ctx = open_wallet(data_dir)
    alice, bob = (ctx.keys.account(n).address for n in ("alice", "bob"))
    before = ctx.w3.eth.get_balance(bob)
    ctx.close()

    assert_killed_at(run_child(data_dir, "send", stage, "alice", bob, str(amount)), stage)

    ctx = open_wallet(data_dir)
    try:
        resolve_journal(ctx)
        resolve_journal(ctx)  # settling twice never sends twice
        received = ctx.w3.eth.get_balance(bob) - before
        sends = [r for r in account_activity(ctx, alice) if r.kind == "send" and r.amount_wei == amount]
        if stage in JOURNALED:
            assert received == amount
            assert [(r.state, r.to) for r in sends] == [("mined", bob)]
        else:
            assert received == 0 and sends == []  # killed before it was signed: nothing to send
        assert journal.open_entries(ctx.db, ctx.chain_key) == []
    finally:
        ctx.close()
