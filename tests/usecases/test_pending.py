"""Stuck transactions on a real anvil with automine off: a contribution sent with a low fee stays pending,
then is sped up (the replacement is mined, the original never) or cancelled (a 0-value transfer to self
takes its nonce; the contribution keeps its text, marked cancelled). Also the fee checks, and a SIGKILL
between "replacement journaled" and "sent", or right after sending, settled at the next open."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from dacwallet.chain.fees import (
    FeeError,
    FeeOverride,
    FeeSuggestion,
    HighFeeError,
    apply_override,
    bumped,
    replacement_fees,
)
from dacwallet.errors import ChainError, InputError
from dacwallet.store import contributions, journal
from dacwallet.store.lifecycle import ContributionState, TxState
from dacwallet.usecases.context import TEST_SCRYPT_ENV, WalletContext
from dacwallet.usecases.contribute import contribute
from dacwallet.usecases.pending import cancel, pending_transactions, speed_up
from dacwallet.usecases.sending import receipt_wait_cap, signer_for
from dacwallet.usecases.settle import resolve_journal
from tests.support.chains import anvil_missing
from tests.support.pending_chain import PASSWORD, PendingChain, pending_chain

REPO = Path(__file__).resolve().parents[2]
GWEI = 10**9
REVIEWS = (
    "A wonderful film, brilliant acting and a great score",
    "A moving story, the best this year",
    "Great camera work and a wonderful studio",
    "Brilliant, moving and great",
    "The best film of the laura",
)

# ------------------------------------------------------------------------------------------- fee rules


SUGGESTED = FeeSuggestion(base_fee=1 * GWEI, priority_fee=1 * GWEI, max_fee=3 * GWEI, gas_price=2 * GWEI)
LEGACY = FeeSuggestion(base_fee=None, priority_fee=2 * GWEI, max_fee=2 * GWEI, gas_price=2 * GWEI)


def test_typed_fees_are_checked_with_clear_errors() -> None:
    with pytest.raises(FeeError, match="cannot be negative"):
        FeeOverride.from_gwei("-1")
    with pytest.raises(FeeError, match="must be a number of gwei"):
        FeeOverride.from_gwei("two")
    assert FeeOverride.from_gwei("", None) is None  # nothing typed: the node's suggestion
    with pytest.raises(FeeError, match="priority fee .* cannot be above the max fee"):
        apply_override(SUGGESTED, FeeOverride.from_gwei("2", "2.5"))
    with pytest.raises(FeeError, match="below the current base fee"):
        apply_override(SUGGESTED, FeeOverride.from_gwei("0.5", "0"))
    with pytest.raises(HighFeeError, match="more than 10x what the node suggests"):
        apply_override(SUGGESTED, FeeOverride.from_gwei("31"))
    assert apply_override(SUGGESTED, FeeOverride.from_gwei("31", allow_high=True)) == {
        "maxFeePerGas": 31 * GWEI,
        "maxPriorityFeePerGas": 1 * GWEI,
    }
    assert apply_override(SUGGESTED, FeeOverride.from_gwei("1.5", "0.25")) == {
        "maxFeePerGas": 1_500_000_000,
        "maxPriorityFeePerGas": 250_000_000,
    }
    assert apply_override(SUGGESTED, None) == SUGGESTED.fields()
    # A legacy chain: the max fee is the gas price.
    assert apply_override(LEGACY, FeeOverride.from_gwei("3")) == {"gasPrice": 3 * GWEI}
    with pytest.raises(HighFeeError):
        apply_override(LEGACY, FeeOverride.from_gwei("21"))


def test_replacement_fees_raise_both_fees_by_at_least_12_5_percent() -> None:
    assert bumped(100) == 113 and bumped(8) == 9 and bumped(0) == 1
    old = {"maxFeePerGas": 10 * GWEI, "maxPriorityFeePerGas": 2 * GWEI}
    low_now = FeeSuggestion(base_fee=1, priority_fee=1, max_fee=3, gas_price=2)
    assert replacement_fees(old, low_now) == {"maxFeePerGas": 11_250_000_000, "maxPriorityFeePerGas": 2_250_000_000}
    high_now = FeeSuggestion(base_fee=20 * GWEI, priority_fee=3 * GWEI, max_fee=43 * GWEI, gas_price=23 * GWEI)
    assert replacement_fees(old, high_now) == {"maxFeePerGas": 43 * GWEI, "maxPriorityFeePerGas": 3 * GWEI}
    assert replacement_fees({"gasPrice": 8 * GWEI}, LEGACY) == {"gasPrice": 9 * GWEI}


# ------------------------------------------------------------------------------------------- on anvil


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    if anvil_missing():
        pytest.skip("anvil is not installed")
    with pending_chain(tmp_path_factory.mktemp("wallet")) as made:
        yield made


@pytest.fixture
def ctx(chain: PendingChain):
    chain.automine(True)
    opened = chain.open()
    yield opened
    opened.close()
    chain.automine(True)


def stuck_contribution(chain: PendingChain, ctx: WalletContext, text: str) -> contributions.StoredContribution:
    """A contribution sent at the lowest fee the node takes, with no block mined: it stays pending."""
    chain.automine(False)
    base = ctx.w3.eth.get_block("latest")["baseFeePerGas"]
    low = FeeOverride(max_fee=base, priority_fee=0)
    with pytest.raises(ChainError, match="not mined within"), receipt_wait_cap(0.5):
        contribute(ctx, signer_for(ctx, "alice", PASSWORD), text, "Positive", fee=low)
    [stored] = [c for c in contributions.list_for(ctx.db, ctx.chain_key, chain.trainer) if c.text == text]
    assert stored.state == ContributionState.SENDING
    sent = ctx.w3.eth.get_transaction(stored.tx_hash)
    assert (sent["maxFeePerGas"], sent["maxPriorityFeePerGas"]) == (base, 0)  # the typed fee was signed
    return stored


@pytest.mark.anvil
def test_speed_up_replaces_the_stuck_contribution(chain: PendingChain, ctx: WalletContext) -> None:
    stored = stuck_contribution(chain, ctx, REVIEWS[0])
    alice = signer_for(ctx, "alice", PASSWORD)
    [pending] = pending_transactions(ctx)
    assert (pending.tx_hash, pending.kind, pending.contribution_id) == (stored.tx_hash, "contribute", stored.id)
    assert pending.known_to_node and pending.priority_fee_wei == 0 and pending.earlier == ()
    trainer_before = ctx.w3.eth.get_balance(chain.trainer)

    faster = speed_up(ctx, alice, stored.tx_hash)
    assert faster.replaced == stored.tx_hash and faster.nonce == pending.nonce and not faster.mined
    assert faster.priority_fee_wei >= bumped(0) and faster.max_fee_wei >= bumped(pending.max_fee_wei)
    [still] = pending_transactions(ctx)  # one nonce, now its second attempt
    assert still.tx_hash == faster.tx_hash and still.earlier == (stored.tx_hash,) and "sped up 1x" in still.action
    assert chain.pool_size() == 1  # the node replaced the original in its pool

    chain.mine()
    outcomes = {r.tx_hash: r.outcome for r in resolve_journal(ctx)}
    assert outcomes == {faster.tx_hash: "mined", stored.tx_hash: "replaced"}
    assert journal.get(ctx.db, faster.tx_hash).state == TxState.MINED
    assert journal.get(ctx.db, stored.tx_hash).state == TxState.REPLACED
    with pytest.raises(Exception, match="not found|TransactionNotFound"):
        ctx.w3.eth.get_transaction_receipt(stored.tx_hash)
    row = contributions.get(ctx.db, stored.id)
    assert (row.state, row.tx_hash) == (ContributionState.ADDED, faster.tx_hash)
    assert chain.add_data_count(row.data, alice.address) == 1
    assert ctx.w3.eth.get_balance(chain.trainer) - trainer_before == row.cost  # one deposit, taken once
    assert pending_transactions(ctx) == [] and resolve_journal(ctx) == []
    with pytest.raises(InputError, match="no longer pending"):
        speed_up(ctx, alice, stored.tx_hash)


@pytest.mark.anvil
def test_cancel_keeps_the_text_and_adds_nothing(chain: PendingChain, ctx: WalletContext) -> None:
    stored = stuck_contribution(chain, ctx, REVIEWS[1])
    alice = signer_for(ctx, "alice", PASSWORD)
    cancelled = cancel(ctx, alice, stored.tx_hash)
    assert cancelled.kind == "cancel" and cancelled.replaced == stored.tx_hash
    [listed] = pending_transactions(ctx)
    assert listed.tx_hash == cancelled.tx_hash and listed.action.endswith("cancelling")

    chain.mine()
    assert pending_transactions(ctx) == []
    mined = ctx.w3.eth.get_transaction(cancelled.tx_hash)
    assert (mined["to"], mined["from"], mined["value"], mined["input"]) == (alice.address, alice.address, 0, b"")
    assert ctx.w3.eth.get_transaction_receipt(cancelled.tx_hash)["status"] == 1
    assert journal.get(ctx.db, stored.tx_hash).state == TxState.REPLACED
    row = contributions.get(ctx.db, stored.id)
    assert (row.state, row.text) == (ContributionState.CANCELLED, REVIEWS[1])  # what was typed is kept
    assert chain.add_data_count(row.data, alice.address) == 0


@pytest.mark.anvil
def test_a_typed_fee_is_what_gets_signed_and_a_high_one_needs_confirming(
    chain: PendingChain, ctx: WalletContext
) -> None:
    alice = signer_for(ctx, "alice", PASSWORD)
    suggested = ctx.w3.eth.get_block("latest")["baseFeePerGas"] * 2 + ctx.w3.eth.max_priority_fee
    with pytest.raises(HighFeeError, match="more than 10x"):
        contribute(ctx, alice, REVIEWS[2], "Positive", fee=FeeOverride(max_fee=11 * suggested))
    [refused] = [c for c in contributions.list_for(ctx.db, ctx.chain_key, chain.trainer) if c.text == REVIEWS[2]]
    assert refused.state == ContributionState.FAILED and "10x" in refused.error  # nothing signed, text kept
    added = contribute(ctx, alice, REVIEWS[2], "Positive", fee=FeeOverride(max_fee=7 * GWEI, priority_fee=2 * GWEI))
    tx = ctx.w3.eth.get_transaction(added.tx_hash)
    assert (added.state, tx["maxFeePerGas"], tx["maxPriorityFeePerGas"]) == (
        ContributionState.ADDED,
        7 * GWEI,
        2 * GWEI,
    )


# ------------------------------------------------------------------------------------------- crashes


def run_child(chain: PendingChain, op: str, stage: str, tx_hash: str) -> subprocess.CompletedProcess:
    env = os.environ.copy()
    env[TEST_SCRYPT_ENV] = str(2**4)
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    command = [
        sys.executable,
        "-m",
        "tests.support.pending_child",
        str(chain.data_dir),
        chain.url,
        op,
        stage,
        "alice",
        PASSWORD,
        tx_hash,
    ]
    return subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.anvil
@pytest.mark.parametrize(("op", "stage", "review"), [("speed-up", "sending", 3), ("cancel", "sent", 4)])
def test_kill_between_journal_and_send_is_settled_at_next_open(
    chain: PendingChain, op: str, stage: str, review: int
) -> None:
    ctx = chain.open()
    try:
        stored = stuck_contribution(chain, ctx, REVIEWS[review])
    finally:
        ctx.close()
    run = run_child(chain, op, stage, stored.tx_hash)
    assert run.returncode == -signal.SIGKILL, run.stdout + run.stderr
    assert run.stdout.splitlines()[-1] == f"stage {stage}", run.stdout

    ctx = chain.open()
    try:
        group = journal.same_nonce(ctx.db, ctx.chain_key, stored.author, journal.get(ctx.db, stored.tx_hash).nonce)
        assert [e.tx_hash for e in group][0] == stored.tx_hash and len(group) == 2
        replacement = group[1]
        expected_state = TxState.SIGNED if stage == "sending" else TxState.SENT
        assert replacement.state in (expected_state, TxState.SIGNED)  # killed before or after marking it sent
        outcomes = {r.tx_hash: r.outcome for r in resolve_journal(ctx)}
        # Never sent: sent now (it replaces the original in the pool); already sent: still pending.
        assert outcomes[replacement.tx_hash] == ("rebroadcast" if stage == "sending" else "pending")
        assert chain.pool_size() == 1
        chain.mine()
        outcomes = {r.tx_hash: r.outcome for r in resolve_journal(ctx)}
        assert outcomes == {replacement.tx_hash: "mined", stored.tx_hash: "replaced"}
        row = contributions.get(ctx.db, stored.id)
        if op == "cancel":
            assert (row.state, row.text, chain.add_data_count(row.data, row.author)) == (
                ContributionState.CANCELLED,
                REVIEWS[review],
                0,
            )
        else:
            assert (row.state, row.tx_hash, chain.add_data_count(row.data, row.author)) == (
                ContributionState.ADDED,
                replacement.tx_hash,
                1,
            )
        assert resolve_journal(ctx) == [] and pending_transactions(ctx) == []
    finally:
        ctx.close()
        chain.automine(True)
