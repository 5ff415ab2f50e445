"""CollaborativeTrainerPoints64 through the entry point: free contributions, points for refunds, first claim wins."""

from __future__ import annotations

import pytest
from web3.logs import DISCARD

from dacwallet.contracts.deploy import IncentiveParams, deploy
from dacwallet.errors import RevertError
from tests.support import models
from tests.support.trainer import Added, TrainerClient

DAY = 86_400
E9 = 10**9
POINTS = IncentiveParams(kind="points", refund_wait_s=DAY, owner_claim_wait_s=5 * DAY, any_address_claim_wait_s=9 * DAY)
# Learning rate 4: two wrong contributions flip a single word (weights +5 .. -5), so a test can change the
# model's mind about a contribution without many transactions.
POSITIVE = [0]  # weight +5: the model says Positive
NEGATIVE = [9]  # weight -5: the model says Negative


@pytest.fixture(scope="module")
def deployment(module_chain):
    return deploy(module_chain.sender(0), models.sparse_perceptron(learning_rate=4 * E9), POINTS)


@pytest.fixture
def client(chain, deployment) -> TrainerClient:
    return TrainerClient(chain, deployment)


def stats(client: TrainerClient, who: int) -> list[int]:
    return list(client.trainer.functions.addressStats(client.chain.accounts[who].address).call())


def good_count(client: TrainerClient) -> int:
    return client.trainer.functions.totalGoodDataCount().call()


def teach(client: TrainerClient, data: list[int], label: int) -> None:
    """Contributions by account 5 until the model predicts ``label`` for ``data``."""
    for _ in range(4):
        if client.predict(data) == label:
            return
        client.add(5, data, label)
    assert client.predict(data) == label


def test_contributing_is_free_and_refuses_ether(client: TrainerClient) -> None:
    assert client.deployment.incentive == "points"
    assert client.cost() == 0
    assert client.trainer.functions.getNextAddDataCost(client.chain.now() + 10 * DAY).call() == 0
    before = client.balance(1)
    added = client.add(1, POSITIVE, 1, value=0)
    assert added.cost == 0
    assert client.claimable(added) == 0
    assert client.trainer.functions.getInitialDeposit(added.data, 1, added.time, added.author).call() == 0
    assert client.chain.w3.eth.get_balance(client.deployment.trainer) == 0
    assert before - client.balance(1) < 10**16  # only the gas fee
    assert client.trainer.functions.totalSubmitted().call() == 1
    assert stats(client, 1) == [0, 1]
    for value in (1, 10**18):
        with pytest.raises(RevertError, match="free: send no Ether"):
            client.add(1, POSITIVE, 1, value=value)
    with pytest.raises(RevertError):
        client.chain.sender(1).transact({"to": client.deployment.trainer, "value": 1}, action="Sending")
    assert client.chain.w3.eth.get_balance(client.deployment.trainer) == 0
    assert client.trainer.functions.totalSubmitted().call() == 1


def test_refund_after_the_wait_gives_a_point(client: TrainerClient) -> None:
    added = client.add(1, POSITIVE, 1)
    client.chain.advance(DAY - 30)
    with pytest.raises(RevertError, match="refund wait is not over"):
        client.refund(1, added)
    client.chain.advance(40)  # (each advance() lands about a second short of its target)
    with pytest.raises(RevertError, match="No such contribution"):
        client.refund(2, added)  # not the author: the key does not match
    receipt = client.refund(1, added)
    logs = client.events.Refund().process_receipt(receipt)
    assert len(logs) == 1 and dict(logs[0]["args"]) == {"recipient": client.chain.accounts[1].address}
    assert not client.events.Report().process_receipt(receipt, errors=DISCARD)
    assert client.trainer.functions.numValidForAddress(added.author).call() == 1
    assert stats(client, 1) == [1, 1]
    assert good_count(client) == 1
    assert client.trainer.functions.hasClaimed(added.data, 1, added.time, added.author, added.author).call()
    assert client.trainer.functions.getNumClaims(added.data, 1, added.time, added.author).call() == 1
    with pytest.raises(RevertError, match="Nothing is left to claim"):
        client.refund(1, added)
    assert good_count(client) == 1
    # A second contribution, a second point; a third that the model rejects earns none.
    second = client.add(1, POSITIVE + [1], 1)
    rejected = client.add(1, NEGATIVE, 1)
    client.chain.advance(DAY)
    client.refund(1, second)
    with pytest.raises(RevertError, match="does not agree"):
        client.refund(1, rejected)
    assert stats(client, 1) == [2, 3] and good_count(client) == 2


def test_a_report_closes_the_contribution_for_its_author(client: TrainerClient) -> None:
    bad = client.add(1, NEGATIVE, 1)  # the model disagrees with the label
    client.chain.advance(DAY)
    with pytest.raises(RevertError, match="cannot report your own"):
        client.report(1, bad)
    receipt = client.report(2, bad)  # no validated contribution is needed to close one for points
    logs = client.events.Report().process_receipt(receipt)
    assert len(logs) == 1 and dict(logs[0]["args"]) == {"recipient": client.chain.accounts[2].address}
    assert stats(client, 2) == [0, 0] and good_count(client) == 0  # a report earns no point
    assert client.trainer.functions.hasClaimed(
        bad.data, 1, bad.time, bad.author, client.chain.accounts[2].address
    ).call()
    teach(client, NEGATIVE, 1)  # now the model agrees with the label after all
    with pytest.raises(RevertError, match="Nothing is left to claim"):
        client.refund(1, bad)  # first claim won
    teach(client, NEGATIVE, 0)
    with pytest.raises(RevertError, match="Nothing is left to claim"):
        client.report(3, bad)  # not even another reporter
    assert stats(client, 1)[0] == 0 and good_count(client) == 0


def test_a_refund_closes_the_contribution_for_reporters(client: TrainerClient) -> None:
    good = client.add(1, POSITIVE, 1)
    client.chain.advance(DAY)
    with pytest.raises(RevertError, match="model agrees"):
        client.report(2, good)
    client.refund(1, good)
    teach(client, POSITIVE, 0)  # now the model disagrees with the label
    for who in (2, 3):
        with pytest.raises(RevertError, match="Nothing is left to claim"):
            client.report(who, good)
    with pytest.raises(RevertError, match="cannot report your own"):
        client.report(1, good)
    assert stats(client, 1)[0] == 1 and good_count(client) == 1


def test_self_report_is_refused_even_after_every_wait(client: TrainerClient) -> None:
    bad = client.add(1, NEGATIVE, 1)
    for wait in (DAY, 5 * DAY, 10 * DAY):
        client.chain.advance(wait)
        with pytest.raises(RevertError, match="cannot report your own"):
            client.report(1, bad)
    client.report(0, bad)  # the deployer (owner) may still close it
    with pytest.raises(RevertError, match="Nothing is left to claim"):
        client.report(4, bad)


def test_refund_and_report_of_unknown_contributions(client: TrainerClient) -> None:
    client.chain.advance(DAY)
    ghost = Added(POSITIVE, 1, client.chain.now() - DAY, client.chain.accounts[1].address, 0, 0)
    with pytest.raises(RevertError, match="No such contribution"):
        client.refund(1, ghost)
    with pytest.raises(RevertError, match="No such contribution"):
        client.report(2, ghost)
