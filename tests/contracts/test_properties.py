"""Properties of the Stakeable entry point under random use, and re-entrancy by a hostile contributor contract.

The state machine contributes, waits, refunds and reports with random accounts on a real deployment; any
refusal must be a RevertError, and after every step the trainer's Ether must equal what is still claimable,
nobody may have been paid more than a contribution's deposit, an author is refunded at most once, and
totalGoodDataCount is the sum of the accounts' numValid.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, example, given, settings
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
INCENTIVE = IncentiveParams(
    refund_wait_s=DAY, owner_claim_wait_s=5 * DAY, any_address_claim_wait_s=9 * DAY, cost_weight=10**15
)
ACCOUNTS = range(0, 6)  # 0 deployed the model (the owner); 1-5 contribute
# How often the random runs reached each paying path (reset by the test).
SUCCESSES: dict[str, int] = {}
MACHINE_SETTINGS = settings(
    max_examples=10,
    stateful_step_count=12,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


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

    @rule(
        who=st.integers(1, 5),
        data=st.lists(st.integers(0, 11), min_size=1, max_size=4),
        label=st.sampled_from([0, 1, None, None]),
        overpay=st.booleans(),
    )
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
NEGATIVE = [7, 8, 9]  # and Negative, even after learning one wrong label
FRESH = [3, 4]  # Positive, never contributed before the attack
# What the attacker contract's receive() calls back into (its REFUND, REPORT and ADD_DATA constants), and the
# call whose payment triggers it: its own refund, its take from a report, or the overpayment addData returns.
REENTRY = {"refund": 1, "report": 2, "add_data": 3}
OUTER = ("refund", "report", "add_data")


def attacker(client: TrainerClient):
    abi, bytecode = load_test_artifact("ReentrantContributor")
    return deploy_raw(client.chain.sender(1), abi, bytecode, [client.deployment.trainer])


def attacker_contributes(client: TrainerClient, contract, data: list[int], label: int, overpay: int = 2):
    """(the contribution, the overpayment the trainer sent back to the contract)."""
    cost = client.cost()
    receipt = transact(client.chain.sender(1), contract, "contribute", [data, label], value=cost * overpay)
    event = client.events.AddData().process_receipt(receipt)[0]["args"]
    assert event["sender"] == contract.address
    added = Added(data, label, event["t"], contract.address, event["cost"], receipt["gasUsed"])
    return added, cost * overpay - added.cost


def attack(client: TrainerClient, outer: str, reentry: str, wait: int, overpay: int) -> None:
    """The attacker contract earns the right to report, then makes one honest call of kind ``outer`` while its
    receive() tries ``reentry``; whatever the pair, it gets exactly what the honest call pays and the books balance."""
    ledger = Ledger()
    contract = attacker(client)
    accounts = client.chain.accounts

    def claim(function: str, added: Added, index: int) -> int:
        """The contract claims ``added`` (ledger entry ``index``); returns what it was paid."""
        args = [added.data, added.label, added.time] + ([added.author] if function == "claimReport" else [])
        event = "Refund" if function == "claimRefund" else "Report"
        payments = client.paid_to(transact(client.chain.sender(1), contract, function, args), event)
        assert [to for to, _ in payments] == [contract.address]
        ledger.record(index, payments, refund=function == "claimRefund")
        return payments[0][1]

    earned, _ = attacker_contributes(client, contract, POSITIVE, 1)
    mine, _ = attacker_contributes(client, contract, [0, 1], 1)
    validated = client.add(3, [1, 2], 1)
    ledger.contributions += [earned, mine, validated]
    client.chain.advance(DAY)
    ledger.record(2, client.paid_to(client.refund(3, validated)), refund=True)
    claim("claimRefund", earned, 0)  # numValid 1 of 2: the attacker may now report, for half a deposit
    bad = client.add(2, NEGATIVE, 1)
    ledger.contributions.append(bad)
    client.chain.advance(wait)
    assert client.predict(NEGATIVE) == 0 and client.predict(mine.data) == 1
    check_invariants(client, ledger, (contract.address,))

    # Arm receive(): re-enter the same kind of claim on the same contribution as the outer call, or the other
    # kind on a contribution the attacker could claim honestly, or a contribution paid with the Ether received.
    target = {"refund": mine, "report": bad, "add_data": Added(FRESH, 1, 0, contract.address, 0, 0)}[reentry]
    transact(
        client.chain.sender(1),
        contract,
        "arm",
        [REENTRY[reentry], target.data, target.label, target.time, target.author],
    )
    valid_before = client.trainer.functions.numValidForAddress(contract.address).call()
    submitted_before = client.trainer.functions.totalSubmitted().call()
    balance_before = client.balance(contract.address)
    if outer == "refund":
        earned_now = claim("claimRefund", mine, 1)
        assert earned_now == mine.cost
    elif outer == "report":
        earned_now = claim("claimReport", bad, 3)
        assert earned_now == bad.cost * 1 // 2
    else:
        added, earned_now = attacker_contributes(client, contract, [0, 2], 1, overpay)
        ledger.contributions.append(added)

    # The attacker tried, was stopped by the guard, and got only what the honest call pays.
    assert contract.functions.reentryAttempts().call() == 1
    assert contract.functions.reentrySuccesses().call() == 0
    assert contract.functions.lastReentryError().call() == "Reentrant call."
    assert client.balance(contract.address) == balance_before + earned_now
    assert client.trainer.functions.numValidForAddress(contract.address).call() == valid_before + (outer == "refund")
    assert client.trainer.functions.totalSubmitted().call() == submitted_before + (outer == "add_data")
    check_invariants(client, ledger, (contract.address,))

    # And the honest call cannot simply be repeated for more.
    transact(client.chain.sender(1), contract, "arm", [0, [], 0, 0, accounts[0].address])
    if outer != "add_data":
        function, added, reason = {
            "refund": ("claimRefund", mine, "Nothing is left to claim for this contribution."),
            "report": ("claimReport", bad, "You already claimed this contribution."),
        }[outer]
        with pytest.raises(RevertError) as caught:
            claim(function, added, 0)
        assert caught.value.reason == reason
    assert client.balance(contract.address) == balance_before + earned_now
    check_invariants(client, ledger, (contract.address,))


# The explicit examples try every (outer, re-entry) pair; the drawn ones vary the waits and overpayments.
@settings(max_examples=3, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(
    outer=st.sampled_from(OUTER),
    reentry=st.sampled_from(tuple(REENTRY)),
    wait=st.integers(DAY, 4 * DAY),
    overpay=st.integers(2, 5),
)
@example(outer="refund", reentry="refund", wait=DAY, overpay=2)
@example(outer="refund", reentry="report", wait=DAY, overpay=2)
@example(outer="refund", reentry="add_data", wait=DAY, overpay=2)
@example(outer="report", reentry="refund", wait=DAY, overpay=2)
@example(outer="report", reentry="report", wait=DAY, overpay=2)
@example(outer="report", reentry="add_data", wait=DAY, overpay=2)
@example(outer="add_data", reentry="refund", wait=DAY, overpay=2)
@example(outer="add_data", reentry="report", wait=DAY, overpay=2)
@example(outer="add_data", reentry="add_data", wait=DAY, overpay=2)
def test_reentry_gains_nothing_whatever_it_calls(
    chain, deployment, outer: str, reentry: str, wait: int, overpay: int
) -> None:
    chain.snapshot()
    try:
        attack(TrainerClient(chain, deployment), outer, reentry, wait, overpay)
    finally:
        chain.revert()
