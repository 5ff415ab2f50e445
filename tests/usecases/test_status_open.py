"""On the embedded chain: a wrongly labelled contribution goes waiting -> at risk -> open to anyone as its
clock passes the refund wait and then the any-address wait; then an account with no reputation (which could
not report it before) takes what is left."""

from __future__ import annotations

import pytest

from dacwallet.usecases.accounts import fund_new_account
from dacwallet.usecases.chainops import advance_clock
from dacwallet.usecases.claims import AT_RISK, OPEN_TO_ANYONE, REFUNDABLE, TAKEN, WAITING, own_contributions
from dacwallet.usecases.community import report, reportable
from dacwallet.usecases.context import TEST_SCRYPT_ENV, WalletContext, open_wallet
from dacwallet.usecases.contribute import contribute
from dacwallet.usecases.ledger import rules_of
from dacwallet.usecases.sending import signer_for

BAD = "Dreadful and boring. The worst acting, a stupid plot, a waste of time; awful from start to end."


@pytest.fixture
def ctx(tmp_path, monkeypatch):
    monkeypatch.setenv(TEST_SCRYPT_ENV, str(2**4))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    opened = open_wallet(tmp_path)
    yield opened
    opened.close()


def status_of(ctx: WalletContext, contribution_id: int) -> str:
    return {s.id: s.status for s in own_contributions(ctx)}[contribution_id]


def test_past_the_any_address_wait_it_is_open_to_anyone_and_another_account_takes_it(ctx: WalletContext) -> None:
    for name in ("alice", "bob"):
        fund_new_account(ctx, ctx.keys.create(name, f"{name}-pw"))
    alice, bob = signer_for(ctx, "alice", "alice-pw"), signer_for(ctx, "bob", "bob-pw")
    added = contribute(ctx, bob, BAD, "Positive")  # the model says Negative
    agreed = contribute(ctx, bob, BAD + " Really.", "Negative")  # the model agrees: refundable, until anyone takes it
    rules = rules_of(ctx)
    assert rules.refund_wait_s < rules.any_address_claim_wait_s
    [item] = [s for s in own_contributions(ctx) if s.id == added.id]
    assert item.status == WAITING and item.model_agrees is False
    assert item.anyone_may_take_at == added.added_time + rules.any_address_claim_wait_s

    advance_clock(ctx, rules.any_address_claim_wait_s - 60)  # past the refund wait, not the any-address one
    assert status_of(ctx, added.id) == AT_RISK
    [kept] = [s for s in own_contributions(ctx) if s.id == agreed.id]
    assert kept.status == REFUNDABLE and not kept.anyone_may_take_now
    assert reportable(ctx, alice.address) == []  # alice has no refunded contribution: she may not report yet

    advance_clock(ctx, 60 + agreed.added_time - added.added_time)  # past both any-address waits
    assert ctx.w3.eth.get_block("latest")["timestamp"] >= item.anyone_may_take_at
    assert status_of(ctx, added.id) == OPEN_TO_ANYONE
    [kept] = [s for s in own_contributions(ctx) if s.id == agreed.id]
    assert kept.status == REFUNDABLE and kept.anyone_may_take_now  # the author is warned: claim it now
    offers = {o.contribution.added_time: o for o in reportable(ctx, alice.address)}
    assert set(offers) == {added.added_time, agreed.added_time}  # the agreeing one is up for grabs too
    offer = offers[added.added_time]
    assert offer.contribution.added_time == added.added_time and offer.reward_wei == added.cost
    assert offer.reason.startswith("abandoned")

    before = ctx.w3.eth.get_balance(alice.address)
    _, receipt = report(ctx, alice, offer.id)
    fee = receipt["gasUsed"] * receipt["effectiveGasPrice"]
    assert ctx.w3.eth.get_balance(alice.address) == before + added.cost - fee  # the whole deposit
    [taken] = [s for s in own_contributions(ctx) if s.id == added.id]
    assert taken.status == TAKEN and taken.taken_by == ((alice.address, added.cost),)
