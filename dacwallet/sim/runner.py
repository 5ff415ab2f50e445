"""The scenario runner: the reference simulation's agents acting on the real contracts.

Agents wake at their own intervals (a priority queue of chain times); the chain's clock is moved to
each wake-up, block by block. On waking an agent may contribute the next review of the stream (good
agents with the right label, or a wrong one by mistake; attackers always the wrong one), then goes
through the contributions older than the refund wait: it claims the refund of its own when the model
agrees, and reports others' when the rules would pay it more than the gas. Every action is a signed
transaction; the local mirror follows the AddData events, so predictions and accuracy cost no calls.

    result = run_simulation(config, chain, on_progress=..., should_stop=..., on_event=...)
"""

from __future__ import annotations

import heapq
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from eth_account import Account
from eth_account.signers.local import LocalAccount
from hexbytes import HexBytes
from web3 import Web3
from web3.types import RPCEndpoint

from dacwallet.chain.quantity import ask_quantity
from dacwallet.chain.transactions import TransactionSender
from dacwallet.contracts.codec import trainer_codec
from dacwallet.contracts.deploy import DAY_S, deploy
from dacwallet.contracts.deployment import Deployment, classifier_contract
from dacwallet.contracts.model_spec import ModelSpec
from dacwallet.keys.tx_signing import KeySigner
from dacwallet.ml.mirrors import Batch, Mirror, mirror_for
from dacwallet.sim.agents import AgentSpec
from dacwallet.sim.chain import SimChain
from dacwallet.sim.config import SimConfig
from dacwallet.sim.data import SimData, prepare

# Every simulated transaction gets this gas limit instead of an estimate: estimating runs the
# transaction a second time on the embedded EVM (4x slower overall), and the agents only send what the
# rules accept (checked on the mirror first). A capped 20-index contribution uses about 0.3 M.
GAS_LIMIT = 2_000_000
# Gas expected for a claim before one has been seen; then the last one of its kind is used.
FIRST_CLAIM_GAS = 250_000
DEPLOYER_WEI = 10**22
# Open contributions whose prediction is asked in one batch once there are this many (see _predict_claimable):
# a batch of the default model costs about what five single predictions do.
BATCH_FROM = 6
CONTRIBUTE, REFUND, REPORT = "contribute", "refund", "report"


@dataclass(frozen=True)
class SimEvent:
    """One transaction of the run (a CSV row)."""

    index: int
    kind: str  # contribute, refund or report
    time_s: int  # the block's timestamp
    day: float  # days since the run started
    block: int
    agent: str
    role: str  # good or attacker
    contribution: int  # position in the stream of the contribution concerned
    author: str  # who contributed it
    label: int  # the label sent
    true_label: int  # the review's real label
    model_agreed: bool  # the model's prediction matched the label when the transaction was sent
    value_wei: int  # sent with the transaction
    deposit_wei: int  # kept by the contract (contribute), else 0
    payout_wei: int  # paid to the agent (refund, report), else 0
    gas_used: int
    gas_fee_wei: int
    balance_wei: int  # the agent's balance after the transaction
    balance_pct: float  # of its start balance
    tx_hash: str


@dataclass(frozen=True)
class AccuracyPoint:
    day: float
    time_s: int
    contributions: int
    accuracy: float


@dataclass(frozen=True)
class BalancePoint:
    day: float
    agent: str
    balance_wei: int
    pct: float


@dataclass(frozen=True)
class SimProgress:
    stage: str  # "preparing data", "deploying", "running", "done"
    contributions: int
    samples: int
    day: float
    accuracy: float | None
    balances_pct: dict[str, float]
    transactions: int
    wall_s: float


@dataclass(frozen=True)
class AgentOutcome:
    name: str
    role: str
    address: str
    start_wei: int
    final_wei: int
    final_pct: float
    contributions: int
    deposits_wei: int
    payouts_wei: int
    gas_fees_wei: int


@dataclass
class SimResult:
    config: SimConfig
    deployment: Deployment
    initial_rows: int
    evaluation_rows: int
    events: list[SimEvent]
    accuracy: list[AccuracyPoint]
    balances: list[BalancePoint]
    agents: list[AgentOutcome]
    stopped: bool  # should_stop ended it early
    wall_s: float
    summary: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Agent:
    spec: AgentSpec
    account: LocalAccount
    sender: TransactionSender
    start_wei: int
    balance_wei: int
    num_valid: int = 0
    active: bool = True  # still waking up (it can pay for gas)

    @property
    def name(self) -> str:
        return self.spec.name


@dataclass
class _Contribution:
    index: int
    data: list[int]
    label: int
    true_label: int
    added: int
    author: _Agent
    deposit: int
    claimable: int
    author_claimed: bool = False
    claimed_by: set[str] = field(default_factory=set)
    agrees: tuple[int, bool] | None = None  # (model version, whether the model agreed with the label then)
    keys: np.ndarray = field(init=False, repr=False)  # ``data`` as the mirror's batches take it

    def __post_init__(self) -> None:
        self.keys = np.asarray(self.data, dtype=np.int64)


class _Trainer:
    """The entry point, its calls and events encoded straight with eth-abi (see contracts.codec: web3's
    contract objects took more time per transaction than the chain)."""

    def __init__(self, address: str) -> None:
        self.address = address
        self.codec = trainer_codec()

    def next_cost(self, w3: Web3, at: int) -> int:
        """The deposit of a contribution mined at ``at``, as the contract computes it (a plain eth_call: web3's
        parameter formatting took longer than the call)."""
        call = self.codec.next_cost
        answer = w3.manager.request_blocking(
            RPCEndpoint("eth_call"), [{"to": self.address, "data": Web3.to_hex(call.encode(at))}, "latest"]
        )
        return int(call.decode(HexBytes(answer))[0])


ProgressCallback = Callable[[SimProgress], None]
EventCallback = Callable[[SimEvent], None]


def run_simulation(
    config: SimConfig,
    chain: SimChain,
    *,
    on_progress: ProgressCallback | None = None,
    should_stop: Callable[[], bool] | None = None,
    on_event: EventCallback | None = None,
    data: SimData | None = None,
) -> SimResult:
    """Runs ``config`` on ``chain`` (fresh or not) and returns everything it recorded.

    ``on_progress`` is called after each agent's wake-up that did something (cheap; throttle in the
    caller), ``on_event`` with every transaction, ``should_stop`` is polled between wake-ups: when it
    says True the run ends there and the result says ``stopped``. ``data`` skips preparing it again.
    Raises DacwalletError (InputError for bad settings, ChainError, RevertError if the chain refused
    a transaction the rules said it would accept, which would be a bug).
    """
    config.validate()
    started = time.perf_counter()
    report = on_progress or (lambda progress: None)
    report(SimProgress("preparing data", 0, config.samples, 0.0, None, {}, 0, 0.0))
    data = data or prepare(config)
    report(SimProgress("deploying", 0, config.samples, 0.0, None, {}, 0, time.perf_counter() - started))
    run = _Run(config, chain, data, report, on_event, started)
    stopped = run.loop(should_stop or (lambda: False))
    result = run.result(stopped)
    report(
        SimProgress(
            "done",
            run.next_sample,
            config.samples,
            run.day(run.last_time),
            run.accuracy,
            run.balances_pct(),
            len(run.events),
            result.wall_s,
        )
    )
    return result


class _Run:
    """One run's state: the agents, the open contributions, the mirror and what was recorded."""

    def __init__(
        self,
        config: SimConfig,
        chain: SimChain,
        data: SimData,
        report: ProgressCallback,
        on_event: EventCallback | None,
        started: float,
    ) -> None:
        self.config, self.chain, self.data = config, chain, data
        self.report, self.on_event, self.started = report, on_event, started
        self.w3 = chain.w3
        self.rng = np.random.default_rng(config.seed)
        deployer = Account.create()
        chain.fund(deployer.address, DEPLOYER_WEI)
        self.deployment = deploy(
            TransactionSender(self.w3, KeySigner(deployer)), ModelSpec.from_dict(data.model), config.incentive()
        )
        self.trainer = _Trainer(self.deployment.trainer)
        self.classifier = classifier_contract(self.w3, self.deployment.classifier)
        self.mirror: Mirror = mirror_for(data.model)
        self.model_version = 0  # counts the mirror's updates: a prediction holds until the next one
        self.agents = [self._new_agent(spec) for spec in config.agents]
        self.open: list[_Contribution] = []  # by added time: the order claims become possible
        self.events: list[SimEvent] = []
        self.accuracy_points: list[AccuracyPoint] = []
        self.balance_points: list[BalancePoint] = []
        self.claim_gas = {REFUND: FIRST_CLAIM_GAS, REPORT: FIRST_CLAIM_GAS}
        self.next_sample = 0
        self.start_time = self.last_time = chain.now()
        self.accuracy = self._measure_accuracy()
        self.next_accuracy_time = self.start_time + config.accuracy_every_s
        for agent in self.agents:
            self.balance_points.append(BalancePoint(0.0, agent.name, agent.balance_wei, 100.0))

    def _new_agent(self, spec: AgentSpec) -> _Agent:
        account = Account.create()
        wei = int(spec.start_balance * self.config.unit_wei)
        self.chain.fund(account.address, wei)
        balance = self._balance(account.address)
        return _Agent(spec, account, TransactionSender(self.w3, KeySigner(account)), balance, balance)

    # ------------------------------------------------------------------ the loop

    def loop(self, should_stop: Callable[[], bool]) -> bool:
        # Each agent's first wake-up falls anywhere in its first interval. Starting them all together
        # would lock agents with equal intervals a second apart for the whole run, and the deposit rule
        # (costWeight * 3600 / isqrt(seconds since the last contribution)) would charge the second one
        # 25 times the cost of the first, every time: an artefact of the start, not of the rules.
        queue = [
            (self.start_time + 1 + int(self.rng.integers(int(a.spec.interval_mean_s))), i, i)
            for i, a in enumerate(self.agents)
        ]
        heapq.heapify(queue)
        sequence = len(queue)
        while queue:
            if should_stop():
                return True
            if self._finished(queue[0][0]):
                break
            wake, _, a_index = heapq.heappop(queue)
            agent = self.agents[a_index]
            now = self.chain.now()
            if wake > now:
                now = self.chain.advance(wake - now)
            self._accuracy_until(now)
            before = len(self.events)
            fees = agent.sender.fee_fields()
            max_fee = fees.get("maxFeePerGas", fees.get("gasPrice", 0))
            if self.next_sample < len(self.data.stream.rows):
                self._maybe_contribute(agent, now, max_fee)
            self._claim(agent, now, max_fee)
            acted = len(self.events) > before
            if acted:  # only a transaction adds a contribution or settles one
                self.open = [item for item in self.open if item.claimable > 0]
            if self.next_sample >= len(self.data.stream.rows):
                self._drop_dead()
            if acted:
                self.report(self._progress())
            # An agent that cannot pay for gas any more can never act again (the paper: balance > 0).
            if agent.balance_wei > GAS_LIMIT * max_fee:
                heapq.heappush(queue, (wake + self._wait(agent), sequence, a_index))
                sequence += 1
            else:
                agent.active = False
        self._accuracy_until(self.chain.now(), final=True)
        return False

    def _finished(self, next_wake: int) -> bool:
        """The stream is used up and nothing left open can still pay anyone.

        Past the any-address wait of the last contribution (and every agent's next wake-up after it)
        whatever is still open stays there for good: its author cannot refund it and every other agent
        has claimed it or found it not worth the gas.
        """
        if self.next_sample < len(self.data.stream.rows):
            return False
        if not self.open:
            return True
        longest = max(a.spec.interval_mean_s + 3 * a.spec.interval_sd_s for a in self.agents)
        return next_wake > self.open[-1].added + self.config.any_address_wait_s + longest

    def _wait(self, agent: _Agent) -> int:
        """The reference's wait: a normal draw, truncated to whole seconds of at least 1."""
        while True:
            wait = int(self.rng.normal(agent.spec.interval_mean_s, agent.spec.interval_sd_s))
            if wait >= 1:
                return wait

    def _offer(self, agent: _Agent) -> int:
        """The most the agent sends this time (the reference's deposit draw, in wei)."""
        while True:
            units = int(self.rng.normal(agent.spec.deposit_mean, agent.spec.deposit_sd))
            if units > 0:
                return units * self.config.unit_wei

    # ------------------------------------------------------------------ actions

    def _maybe_contribute(self, agent: _Agent, now: int, max_fee: int) -> None:
        index = self.next_sample
        true_label = int(self.data.stream.labels[index])
        label = true_label if agent.spec.good else 1 - true_label
        if agent.spec.good and self.rng.random() < agent.spec.mistake:
            label = 1 - label
        # Good agents contribute only while the model does well (the reference: accuracy + 0.15).
        if agent.spec.good and self.rng.random() >= self.accuracy + 0.15:
            return
        value = self._offer(agent)
        if value + GAS_LIMIT * max_fee > agent.balance_wei:
            return
        # The transaction's block is not earlier than now, and the cost only falls with time: an upper bound.
        cost = self.trainer.next_cost(self.w3, now)
        if cost > value:
            return  # the reference: "did not pay enough", nothing happens
        data = [int(v) for v in self.data.stream.rows[index]]
        agreed = self.mirror.predict(data) == label
        receipt = self._send(
            agent,
            {
                "to": self.trainer.address,
                "value": value,
                "data": self.trainer.codec.add_data.encode(data, label),
            },
            "Contributing",
        )
        added = self.trainer.codec.added.in_receipt(receipt, self.trainer.address)[0]
        self.mirror.update(list(added["d"]), added["c"])
        self.model_version += 1
        contribution = _Contribution(index, data, label, true_label, added["t"], agent, added["cost"], added["cost"])
        self.open.append(contribution)
        self.next_sample += 1
        self._record(CONTRIBUTE, agent, contribution, receipt, agreed, value=value, deposit=added["cost"])

    def _claim(self, agent: _Agent, now: int, max_fee: int) -> None:
        """Claims whatever the rules pay this agent, oldest contributions first."""
        self._predict_claimable(agent, now, max_fee)
        for item in self.open:
            age = now - item.added  # the claim's block is not earlier (a dev node may reuse the second)
            if age < self.config.refund_wait_s:
                break  # the rest are younger
            if item.claimable == 0:
                continue
            if item.author is agent:
                if (
                    not item.author_claimed
                    and item.claimable > self.claim_gas[REFUND] * max_fee
                    and self._model_agrees(item)
                ):
                    self._refund(agent, item)
                continue
            if agent.name in item.claimed_by:
                continue
            if age >= self.config.any_address_wait_s:
                amount = item.claimable
            elif agent.num_valid > 0 and not self._model_agrees(item):
                amount = item.deposit * agent.num_valid // sum(a.num_valid for a in self.agents)
                amount = item.claimable if amount == 0 or amount > item.claimable else amount
            else:
                continue
            if amount > self.claim_gas[REPORT] * max_fee:
                self._report(agent, item, self._model_agrees(item))

    def _predict_claimable(self, agent: _Agent, now: int, max_fee: int) -> None:
        """The model's word on every open contribution whose claim by ``agent`` now depends on it, in one
        ``predict_batch`` (a mirror's predict_batch is its predict of every row): a wake-up goes through hundreds of
        them, and the model has changed since the last one. Asked only where ``_claim`` would ask (its conditions, in
        its order, written out here: this loop runs over every open contribution at every wake-up): late in a run
        most open contributions are leftovers of a report (too small for the gas) that the waking agent has already
        claimed or may take without the model, and asking about them every wake-up made the run quadratic. Only
        speed rides on the two agreeing: ``_model_agrees`` asks the mirror itself for anything not batched."""
        refund_after = now - self.config.refund_wait_s
        anyone_after = now - self.config.any_address_wait_s
        refund_worth = self.claim_gas[REFUND] * max_fee
        version, reports = self.model_version, agent.num_valid > 0
        stale = []
        for item in self.open:
            if item.added > refund_after:
                break  # the open list is in the order they were added: the rest are younger
            if item.claimable == 0 or (item.agrees is not None and item.agrees[0] == version):
                continue
            if item.author is agent:
                if not item.author_claimed and item.claimable > refund_worth:
                    stale.append(item)
            elif reports and item.added > anyone_after and agent.name not in item.claimed_by:
                stale.append(item)
        if len(stale) < BATCH_FROM:
            return  # a batch has a fixed cost (the Naive Bayes mirror's log table): these few are asked one by one
        offsets = np.zeros(len(stale) + 1, dtype=np.int64)
        np.cumsum([len(item.data) for item in stale], out=offsets[1:])
        predicted = self.mirror.predict_batch(Batch(np.concatenate([item.keys for item in stale]), offsets))
        for item, label in zip(stale, predicted, strict=True):
            item.agrees = (self.model_version, int(label) == item.label)

    def _model_agrees(self, item: _Contribution) -> bool:
        """Whether the model now predicts ``item``'s label; asked of the mirror once per model version (every
        wake-up goes through the open contributions, hundreds of them, and the model changes once at most)."""
        if item.agrees is None or item.agrees[0] != self.model_version:
            item.agrees = (self.model_version, self.mirror.predict(item.data) == item.label)
        return item.agrees[1]

    def _refund(self, agent: _Agent, item: _Contribution) -> None:
        receipt = self._send(
            agent,
            {
                "to": self.trainer.address,
                "data": self.trainer.codec.refund.encode(item.data, item.label, item.added),
            },
            "Claiming a refund",
        )
        amount = self.trainer.codec.refunded.in_receipt(receipt, self.trainer.address)[0]["amount"]
        item.claimable -= amount
        item.author_claimed = True
        agent.num_valid += 1
        self.claim_gas[REFUND] = receipt["gasUsed"]
        self._record(REFUND, agent, item, receipt, True, payout=amount)

    def _report(self, agent: _Agent, item: _Contribution, agrees: bool) -> None:
        receipt = self._send(
            agent,
            {
                "to": self.trainer.address,
                "data": self.trainer.codec.report.encode(
                    item.data, item.label, item.added, item.author.account.address
                ),
            },
            "Reporting",
        )
        amount = self.trainer.codec.reported.in_receipt(receipt, self.trainer.address)[0]["amount"]
        item.claimable -= amount
        item.claimed_by.add(agent.name)
        self.claim_gas[REPORT] = receipt["gasUsed"]
        self._record(REPORT, agent, item, receipt, agrees, payout=amount)

    def _send(self, agent: _Agent, fields: dict[str, Any], action: str) -> Any:
        receipt = agent.sender.transact({**fields, "gas": GAS_LIMIT}, action=action)
        agent.balance_wei = self._balance(agent.account.address)
        return receipt

    def _balance(self, address: str) -> int:
        return ask_quantity(self.w3, "eth_getBalance", [address, "latest"], "The chain's balance is not a number.")

    def _drop_dead(self) -> None:
        """With the stream used up the model is final: drop what no agent can ever claim, so the run ends."""

        def alive(item: _Contribution) -> bool:
            if not item.author_claimed and self._model_agrees(item):
                return True
            return any(a.active and a is not item.author and a.name not in item.claimed_by for a in self.agents)

        self.open = [item for item in self.open if alive(item)]

    # ------------------------------------------------------------------ recording

    def day(self, t: int) -> float:
        return (t - self.start_time) / DAY_S

    def _record(
        self,
        kind: str,
        agent: _Agent,
        item: _Contribution,
        receipt: Any,
        agreed: bool,
        *,
        value: int = 0,
        deposit: int = 0,
        payout: int = 0,
    ) -> None:
        block_time = self.chain.block_time(receipt["blockNumber"])
        self.last_time = block_time
        pct = 100.0 * agent.balance_wei / agent.start_wei
        event = SimEvent(
            index=len(self.events),
            kind=kind,
            time_s=block_time,
            day=self.day(block_time),
            block=receipt["blockNumber"],
            agent=agent.name,
            role=agent.spec.kind,
            contribution=item.index,
            author=item.author.name,
            label=item.label,
            true_label=item.true_label,
            model_agreed=bool(agreed),
            value_wei=value,
            deposit_wei=deposit,
            payout_wei=payout,
            gas_used=receipt["gasUsed"],
            gas_fee_wei=receipt["gasUsed"] * receipt["effectiveGasPrice"],
            balance_wei=agent.balance_wei,
            balance_pct=pct,
            tx_hash=Web3.to_hex(receipt["transactionHash"]),
        )
        self.events.append(event)
        self.balance_points.append(BalancePoint(event.day, agent.name, agent.balance_wei, pct))
        if self.on_event is not None:
            self.on_event(event)

    def _measure_accuracy(self) -> float:
        evaluation = self.data.evaluation
        return float((self.mirror.predict_batch(evaluation) == evaluation.labels).mean())

    def _accuracy_until(self, now: int, *, final: bool = False) -> None:
        """Accuracy points every ``accuracy_every_s`` of chain time (the model only changes on AddData)."""
        if not self.accuracy_points:
            self.accuracy_points.append(AccuracyPoint(0.0, self.start_time, 0, self.accuracy))
        if now >= self.next_accuracy_time or (final and self.accuracy_points[-1].time_s < now):
            self.accuracy = self._measure_accuracy()
            self.accuracy_points.append(AccuracyPoint(self.day(now), now, self.next_sample, self.accuracy))
            every = self.config.accuracy_every_s
            self.next_accuracy_time = now - (now - self.start_time) % every + every
        self.last_time = max(self.last_time, now)

    def balances_pct(self) -> dict[str, float]:
        return {a.name: 100.0 * a.balance_wei / a.start_wei for a in self.agents}

    def _progress(self) -> SimProgress:
        return SimProgress(
            "running",
            self.next_sample,
            len(self.data.stream.rows),
            self.day(self.last_time),
            self.accuracy,
            self.balances_pct(),
            len(self.events),
            time.perf_counter() - self.started,
        )

    def result(self, stopped: bool) -> SimResult:
        outcomes = []
        for agent in self.agents:
            mine = [e for e in self.events if e.agent == agent.name]
            outcomes.append(
                AgentOutcome(
                    agent.name,
                    agent.spec.kind,
                    agent.account.address,
                    agent.start_wei,
                    agent.balance_wei,
                    100.0 * agent.balance_wei / agent.start_wei,
                    sum(e.kind == CONTRIBUTE for e in mine),
                    sum(e.deposit_wei for e in mine),
                    sum(e.payout_wei for e in mine),
                    sum(e.gas_fee_wei for e in mine),
                )
            )
        result = SimResult(
            self.config,
            self.deployment,
            self.data.initial_rows,
            len(self.data.evaluation),
            self.events,
            self.accuracy_points,
            self.balance_points,
            outcomes,
            stopped,
            time.perf_counter() - self.started,
        )
        result.summary = summarize(result, self.day(self.last_time))
        result.summary["mirror_matches_chain"] = self._mirror_matches_chain()
        return result

    def _mirror_matches_chain(self) -> bool:
        """Whether the mirror predicts as the chain does (else the accuracy figures are not the chain's);
        a flag in the summary rather than an error, so a long run's files are still written."""
        batch = self.data.evaluation
        rows = ([int(v) for v in batch.row(r)] for r in range(min(20, len(batch))))
        return all(self.classifier.functions.predict(row).call() == self.mirror.predict(row) for row in rows)


def summarize(result: SimResult, sim_days: float) -> dict[str, Any]:
    """The headline figures (summary.json)."""

    def mean_pct(role: str) -> float | None:
        pcts = [a.final_pct for a in result.agents if a.role == role]
        return round(sum(pcts) / len(pcts), 2) if pcts else None

    accuracies = [p.accuracy for p in result.accuracy]
    gas = [e.gas_used for e in result.events if e.kind == CONTRIBUTE]
    return {
        "good_final_balance_pct": mean_pct("good"),
        "attacker_final_balance_pct": mean_pct("attacker"),
        "accuracy_start": round(accuracies[0], 4),
        "accuracy_min": round(min(accuracies), 4),
        "accuracy_end": round(accuracies[-1], 4),
        "contributions": len(gas),
        "gas_per_contribution_median": int(statistics.median(gas)) if gas else None,
        "sim_days": round(sim_days, 2),
        "scenario": result.config.scenario,
        "stopped_early": result.stopped,
        "transactions": len(result.events),
        "refunds": sum(e.kind == REFUND for e in result.events),
        "reports": sum(e.kind == REPORT for e in result.events),
        "initial_model_reviews": result.initial_rows,
        "evaluation_reviews": result.evaluation_rows,
        "unit_wei": result.config.unit_wei,
        "wall_seconds": round(result.wall_s, 1),
        "agents": {
            a.name: {
                "role": a.role,
                "address": a.address,
                "final_balance_pct": round(a.final_pct, 2),
                "start_wei": a.start_wei,
                "final_wei": a.final_wei,
                "start_eth": a.start_wei / 1e18,
                "final_eth": a.final_wei / 1e18,
                "contributions": a.contributions,
                "deposits_eth": a.deposits_wei / 1e18,
                "payouts_eth": a.payouts_wei / 1e18,
                "gas_fees_eth": a.gas_fees_wei / 1e18,
            }
            for a in result.agents
        },
    }
