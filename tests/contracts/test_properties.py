"""Properties of the Stakeable entry point under random use, and re-entrancy by a hostile contributor contract.

The state machine contributes, waits, refunds and reports with random accounts on a real deployment; any
refusal must be a RevertError, and after every step the trainer's Ether must equal what is still claimable,
nobody may have been paid more than a contribution's deposit, an author is refunded at most once, and
totalGoodDataCount is the sum of the accounts' numValid.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from dacwallet.contracts.deploy import IncentiveParams, deploy
from dacwallet.errors import RevertError
from tests.support import models
from tests.support.chains import DevChain
from tests.support.raw_contracts import deploy_raw, load_test_artifact, transact
from tests.support.trainer import Added, TrainerClient

DAY = 86_400
E9 = 10**9
INCENTIVE = IncentiveParams(refund_wait_s=DAY, owner_claim_wait_s=5 * DAY, any_address_claim_wait_s=9 * DAY,
                            cost_weight=10**15)
ACCOUNTS = range(0, 6)  # 0 deployed the model (the owner); 1-5 contribute
# How often the random runs reached each paying path (reset by the test).
SUCCESSES: dict[str, int] = {}
MACHINE_SETTINGS = settings(max_examples=10, stateful_step_count=12, deadline=None, database=None, derandomize=True,
                            suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def deployment(module_chain):
    # Learning rate 3: a few wrong contributions change the model's mind, so refunds and reports both happen.
    return deploy(module_chain.sender(0), models.sparse_perceptron(learning_rate=3 * E9), INCENTIVE)


@pytest.fixture
def client(chain, deployment) -> TrainerClient:
    return TrainerClient(chain, deployment)


@dataclass
class Ledger:
    """What the test saw paid, from the receipts' Refund and Report events."""

    contributions: list[Added] = field(default_factory=list)
    paid: dict[int, int] = field(default_factory=dict)
    refunds: dict[int, int] = field(default_factory=dict)

    def record(self, index: int, payments: list[tuple[str, int]], refund: bool) -> None:
        self.paid[index] = self.paid.get(index, 0) + sum(amount for _, amount in payments)
        if refund:
            self.refunds[index] = self.refunds.get(index, 0) + len(payments)


def check_invariants(client: TrainerClient, ledger: Ledger, extra_accounts: tuple[str, ...] = ()) -> None:
    claimable = [client.claimable(a) for a in ledger.contributions]
    assert client.chain.w3.eth.get_balance(client.deployment.trainer) == sum(claimable)
    for index, added in enumerate(ledger.contributions):
        paid = ledger.paid.get(index, 0)
        assert paid <= added.cost
        assert paid == added.cost - claimable[index]
        assert ledger.refunds.get(index, 0) <= 1
    addresses = [client.chain.accounts[i].address for i in ACCOUNTS] + list(extra_accounts)
    total_valid = sum(client.trainer.functions.numValidForAddress(a).call() for a in addresses)
    assert client.trainer.functions.totalGoodDataCount().call() == total_valid


class TrainerMachine(RuleBasedStateMachine):
    chain: DevChain
    deployment = None

    def __init__(self) -> None:
        super().__init__()
        self.chain.snapshot()
        self.client = TrainerClient(self.chain, self.deployment)
        self.ledger = Ledger()

    def teardown(self) -> None:
        self.chain.revert()

    @initialize(who=st.integers(1, 5), data=st.lists(st.integers(0, 11), min_size=1, max_size=4))
    def first_contribution(self, who: int, data: list[int]) -> None:
        self.contribute(who, data, None, False)

    @initialize()
    def start_with_a_paid_report(self) -> None:
        """Every run starts from a refund and a report that paid (wall-clock block times make
        random runs reach the report path only sometimes)."""
        honest = self.client.add(2, [0, 1, 2], 1)
        bad = self.client.add(3, [7, 8, 9], 1)  # the model says Negative and keeps saying it
        self.ledger.contributions += [honest, bad]
        self.chain.advance(DAY + 60)
        self.refund(len(self.ledger.contributions) - 2, 2, True)
        self.report(len(self.ledger.contributions) - 1, 2)
        assert SUCCESSES.get("report", 0) >= 1

    @rule(who=st.integers(1, 5), data=st.lists(st.integers(0, 11), min_size=1, max_size=4),
          label=st.sampled_from([0, 1, None, None]), overpay=st.booleans())
    def contribute(self, who: int, data: list[int], label: int | None, overpay: bool) -> None:
        if label is None:  # an honest contributor: the label the model gives now
            label = self.client.predict(data)
        cost = self.client.cost()  # the next block is later, so this is enough
        added = self.client.add(who, data, label, value=cost * 2 if overpay else cost)
        assert added.cost <= cost
        self.ledger.contributions.append(added)

    @rule(seconds=st.one_of(st.sampled_from([DAY, 2 * DAY, 5 * DAY, 9 * DAY]), st.integers(3600, 10 * DAY)))
    def wait(self, seconds: int) -> None:
        self.chain.advance(seconds)

    @precondition(lambda self: self.ledger.contributions)
    @rule(pick=st.integers(0, 100), who=st.sampled_from(ACCOUNTS), as_author=st.sampled_from([True, True, False]))
    def refund(self, pick: int, who: int, as_author: bool) -> None:
        index = pick % len(self.ledger.contributions)
        added = self.ledger.contributions[index]
        if as_author:
            who = next(i for i in ACCOUNTS if self.chain.accounts[i].address == added.author)
        try:
            receipt = self.client.refund(who, added)
        except RevertError:
            return
        payments = self.client.paid_to(receipt, "Refund")
        SUCCESSES["refund"] = SUCCESSES.get("refund", 0) + 1
        assert [to for to, _ in payments] == [added.author]
        self.ledger.record(index, payments, refund=True)

    @precondition(lambda self: self.ledger.contributions)
    @rule(pick=st.integers(0, 100), who=st.sampled_from(ACCOUNTS))
    def report(self, pick: int, who: int) -> None:
        index = pick % len(self.ledger.contributions)
        added = self.ledger.contributions[index]
        try:
            receipt = self.client.report(who, added)
        except RevertError:
            return
        payments = self.client.paid_to(receipt, "Report")
        SUCCESSES["report"] = SUCCESSES.get("report", 0) + 1
        assert [to for to, _ in payments] == [self.chain.accounts[who].address] != [added.author]
        self.ledger.record(index, payments, refund=False)

    @invariant()
    def money_is_accounted_for(self) -> None:
        check_invariants(self.client, self.ledger)


def test_random_use_keeps_the_books(chain, deployment) -> None:
    TrainerMachine.chain = chain
    TrainerMachine.deployment = deployment
    SUCCESSES.clear()
    run_state_machine_as_test(TrainerMachine, settings=MACHINE_SETTINGS)
    # The random runs did reach the paying paths, not only refusals.
    assert SUCCESSES.get("refund", 0) >= 1 and SUCCESSES.get("report", 0) >= 1


# --------------------------------------------------------------------------- re-entrancy


POSITIVE = [0, 1, 2]  # the model says Positive
NEGATIVE = [7, 8, 9]  # and Negative


def attacker(client: TrainerClient):
    abi, bytecode = load_test_artifact("ReentrantContributor")
    return deploy_raw(client.chain.sender(1), abi, bytecode, [client.deployment.trainer])


def attacker_contributes(client: TrainerClient, contract, data: list[int], label: int) -> Added:
    cost = client.cost()
    receipt = transact(client.chain.sender(1), contract, "contribute", [data, label], value=cost * 2)
    event = client.events.AddData().process_receipt(receipt)[0]["args"]
    assert event["sender"] == contract.address
    return Added(data, label, event["t"], contract.address, event["cost"], receipt["gasUsed"])


def test_refund_cannot_be_reentered(client: TrainerClient) -> None:
    ledger = Ledger()
    contract = attacker(client)
    ledger.contributions.append(client.add(2, POSITIVE, 1))
    mine = attacker_contributes(client, contract, POSITIVE, 1)
    ledger.contributions.append(mine)
    # The overpayment went back to the contract (its receive() does nothing while it is not claiming).
    assert client.balance(contract.address) == mine.cost
    start = client.balance(contract.address)
    client.chain.advance(DAY)
    receipt = transact(client.chain.sender(1), contract, "claimRefund", [mine.data, mine.label, mine.time])
    ledger.record(1, client.paid_to(receipt, "Refund"), refund=True)
    assert client.paid_to(receipt, "Refund") == [(contract.address, mine.cost)]
    assert contract.functions.reentryAttempts().call() >= 1
    assert contract.functions.reentrySuccesses().call() == 0
    assert client.balance(contract.address) == start + mine.cost
    assert client.trainer.functions.numValidForAddress(contract.address).call() == 1
    check_invariants(client, ledger, (contract.address,))
    with pytest.raises(RevertError, match="Nothing is left to claim"):
        transact(client.chain.sender(1), contract, "claimRefund", [mine.data, mine.label, mine.time])
    assert client.balance(contract.address) == start + mine.cost
    assert contract.functions.reentrySuccesses().call() == 0
    check_invariants(client, ledger, (contract.address,))


def test_report_cannot_be_reentered(client: TrainerClient) -> None:
    ledger = Ledger()
    contract = attacker(client)
    # The attacker earns its right to report with its own refunded contribution; account 3 is validated too,
    # so a report takes half a deposit and a second take inside receive() would have something to take.
    mine = attacker_contributes(client, contract, POSITIVE, 1)
    ledger.contributions.append(mine)
    client.chain.advance(DAY)
    validated = client.add(3, POSITIVE, 1)
    ledger.contributions.append(validated)
    client.chain.advance(DAY)
    receipt = transact(client.chain.sender(1), contract, "claimRefund", [mine.data, 1, mine.time])
    ledger.record(0, client.paid_to(receipt, "Refund"), refund=True)
    ledger.record(1, client.paid_to(client.refund(3, validated), "Refund"), refund=True)
    bad = client.add(2, NEGATIVE, 1)  # the model disagrees
    ledger.contributions.append(bad)
    client.chain.advance(DAY)
    attempts_before = contract.functions.reentryAttempts().call()
    balance_before = client.balance(contract.address)
    receipt = transact(client.chain.sender(1), contract, "claimReport", [bad.data, 1, bad.time, bad.author])
    payments = client.paid_to(receipt, "Report")
    ledger.record(2, payments, refund=False)
    assert payments == [(contract.address, bad.cost // 2)]
    assert contract.functions.reentryAttempts().call() >= attempts_before + 1
    assert contract.functions.reentrySuccesses().call() == 0
    assert client.balance(contract.address) == balance_before + bad.cost // 2
    assert client.claimable(bad) == bad.cost - bad.cost // 2
    check_invariants(client, ledger, (contract.address,))
    with pytest.raises(RevertError, match="already claimed"):
        transact(client.chain.sender(1), contract, "claimReport", [bad.data, 1, bad.time, bad.author])
    assert client.balance(contract.address) == balance_before + bad.cost // 2
    check_invariants(client, ledger, (contract.address,))
