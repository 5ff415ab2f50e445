"""Stakeable64 through the entry point: deposits, refunds, reports, takes and every refusal."""

from __future__ import annotations

import math

import pytest

from dacwallet.contracts.deploy import IncentiveParams, deploy
from dacwallet.errors import RevertError
from tests.support import models
from tests.support.trainer import TrainerClient

DAY = 86_400
COST_WEIGHT = 10**15
INCENTIVE = IncentiveParams(
    refund_wait_s=DAY, owner_claim_wait_s=5 * DAY, any_address_claim_wait_s=9 * DAY, cost_weight=COST_WEIGHT
)
POSITIVE = [0, 1, 2]  # the test model says Positive (margin 12)
NEGATIVE = [7, 8, 9]  # and Negative (margin -12)


@pytest.fixture(scope="module")
def deployment(module_chain):
    return deploy(module_chain.sender(0), models.sparse_perceptron(), INCENTIVE)


@pytest.fixture
def client(chain, deployment) -> TrainerClient:
    return TrainerClient(chain, deployment)


def expected_cost(elapsed: int) -> int:
    return COST_WEIGHT * 3600 // (math.isqrt(elapsed) if elapsed > 0 else 1)


def test_cost_follows_the_published_formula(client: TrainerClient) -> None:
    last = client.trainer.functions.lastUpdateTimeS().call()
    for elapsed, approx_eth in ((1, 3.6), (3600, 0.06), (DAY, 0.0123)):
        cost = client.trainer.functions.getNextAddDataCost(last + elapsed).call()
        assert cost == expected_cost(elapsed)
        assert cost / 1e18 == pytest.approx(approx_eth, rel=0.01)
    assert client.trainer.functions.getNextAddDataCost(last).call() == COST_WEIGHT * 3600
    for elapsed in (2, 3, 15, 16, 17, 2**20 - 1, 2**20, 2**40 + 12345):
        assert client.trainer.functions.getNextAddDataCost(last + elapsed).call() == expected_cost(elapsed)


def test_deposit_is_kept_and_overpayment_returned(client: TrainerClient) -> None:
    client.chain.advance(3600)
    before = client.balance(1)
    offered = client.cost() * 3
    added = client.add(1, POSITIVE, 1, value=offered)
    assert added.cost <= offered // 3
    gas_paid = before - client.balance(1) - added.cost
    assert 0 < gas_paid < 10**16  # only the fee, not the overpayment, left the account
    assert client.claimable(added) == added.cost
    assert client.chain.w3.eth.get_balance(client.deployment.trainer) == added.cost
    assert client.trainer.functions.totalSubmitted().call() == 1
    assert client.trainer.functions.addressStats(client.chain.accounts[1].address).call() == [0, 1]
    assert client.trainer.functions.lastUpdateTimeS().call() == added.time


def test_refund_pays_everything_back_once(client: TrainerClient) -> None:
    client.chain.advance(DAY)
    added = client.add(1, POSITIVE, 1)
    client.chain.advance(DAY)
    receipt = client.refund(1, added)
    assert client.paid_to(receipt) == [(added.author, added.cost)]
    assert client.claimable(added) == 0
    assert client.trainer.functions.numValidForAddress(added.author).call() == 1
    assert client.trainer.functions.totalGoodDataCount().call() == 1
    assert client.trainer.functions.hasClaimed(added.data, 1, added.time, added.author, added.author).call()
    with pytest.raises(RevertError, match="Nothing is left to claim"):
        client.refund(1, added)


@pytest.mark.parametrize(
    ("wait", "data", "label", "who", "message"),
    [
        (DAY - 10, POSITIVE, 1, 1, "refund wait is not over"),
        (DAY, NEGATIVE, 1, 1, "does not agree"),
        (DAY, POSITIVE, 1, 2, "No such contribution"),
    ],
    ids=["too-early", "model-disagrees", "not-the-author"],
)
def test_refund_refusals(client: TrainerClient, wait, data, label, who, message) -> None:
    added = client.add(1, data, label)
    client.chain.advance(wait)
    with pytest.raises(RevertError, match=message):
        client.refund(who, added)


def test_add_data_refusals(client: TrainerClient) -> None:
    with pytest.raises(RevertError, match="below the current cost"):
        client.add(1, POSITIVE, 1, value=client.cost() // 100)
    with pytest.raises(RevertError, match="not one of this model's classes"):
        client.add(1, POSITIVE, 2)
    with pytest.raises(RevertError, match="at least one feature"):
        client.add(1, [], 1)


def validated_reporter(client: TrainerClient, who: int) -> None:
    """Gives account `who` one refunded (validated) contribution."""
    mine = client.add(who, POSITIVE, 1)
    client.chain.advance(DAY)
    client.refund(who, mine)


def test_report_takes_a_share_by_reputation(client: TrainerClient) -> None:
    validated_reporter(client, 2)
    bad = client.add(1, NEGATIVE, 1)  # the model disagrees with the label
    client.chain.advance(DAY)
    receipt = client.report(2, bad)
    total_good = client.trainer.functions.totalGoodDataCount().call()
    share = bad.cost * 1 // total_good
    assert total_good == 1 and share == bad.cost  # the only validated contributor takes all
    assert client.paid_to(receipt, "Report") == [(client.chain.accounts[2].address, share)]
    assert client.claimable(bad) == 0


def test_report_share_is_proportional_and_each_reporter_claims_once(client: TrainerClient) -> None:
    validated_reporter(client, 2)
    validated_reporter(client, 3)
    validated_reporter(client, 3)
    bad = client.add(1, NEGATIVE, 1)
    client.chain.advance(DAY)
    r2 = client.report(2, bad)
    assert client.paid_to(r2, "Report")[0][1] == bad.cost * 1 // 3
    with pytest.raises(RevertError, match="already claimed"):
        client.report(2, bad)
    r3 = client.report(3, bad)
    assert client.paid_to(r3, "Report")[0][1] == bad.cost * 2 // 3
    assert client.claimable(bad) == bad.cost - bad.cost // 3 - bad.cost * 2 // 3
    assert client.trainer.functions.getNumClaims(bad.data, 1, bad.time, bad.author).call() == 2


def test_report_refusals(client: TrainerClient) -> None:
    validated_reporter(client, 2)
    bad = client.add(1, NEGATIVE, 1)
    good = client.add(1, POSITIVE, 1)
    with pytest.raises(RevertError, match="refund wait is not over"):
        client.report(2, bad)
    client.chain.advance(DAY)
    with pytest.raises(RevertError, match="cannot report your own"):
        client.report(1, bad)
    with pytest.raises(RevertError, match="model agrees"):
        client.report(2, good)
    with pytest.raises(RevertError, match="validated"):
        client.report(4, bad)  # no refunded contribution yet


def test_owner_and_anyone_may_take_after_their_waits(client: TrainerClient) -> None:
    bad = client.add(1, NEGATIVE, 1)
    good = client.add(1, POSITIVE, 1)  # abandoned: the author never claims it
    client.chain.advance(5 * DAY)
    with pytest.raises(RevertError, match="validated"):
        client.report(4, bad)
    receipt = client.report(0, bad)  # account 0 deployed the model: the owner
    assert client.paid_to(receipt, "Report") == [(client.chain.accounts[0].address, bad.cost)]
    client.chain.advance(4 * DAY)
    before = client.balance(4)
    receipt = client.report(4, good)
    assert client.paid_to(receipt, "Report") == [(client.chain.accounts[4].address, good.cost)]
    assert client.balance(4) > before
    with pytest.raises(RevertError, match="cannot report your own"):
        client.report(1, good)  # the fixed flaw: no self-report after the any-address wait either
    assert client.chain.w3.eth.get_balance(client.deployment.trainer) == 0


def test_plain_ether_is_refused(client: TrainerClient) -> None:
    with pytest.raises(RevertError):
        client.chain.sender(1).transact({"to": client.deployment.trainer, "value": 1}, action="Sending")
