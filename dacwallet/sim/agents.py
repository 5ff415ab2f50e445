"""Simulated agents: who they are, and the ``--agents`` text that describes them.

A spec lists agents separated by ``;``, each ``KIND[*COUNT][:key=value,...]``::

    good:deposit=50+-10,interval=10m,mistake=0.0001;attacker:budget=10000,deposit=100+-3,interval=1h

Amounts are in the paper's abstract units (see ``SimConfig.unit_wei``). ``deposit`` is the most the
agent will send with one contribution: the contract sets the deposit itself (from its costWeight and
the time since the last contribution), keeps that and returns the rest at once, exactly as the
reference simulation's contract charged its own cost rather than what the agent offered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from dacwallet.errors import InputError

GOOD, ATTACKER = "good", "attacker"
KINDS = (GOOD, ATTACKER)
_DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86_400}
_NUMBER = r"[0-9]+(?:\.[0-9]*)?(?:e[+-]?[0-9]+)?"
_SPREAD = re.compile(rf"\s*({_NUMBER})\s*([smhd]?)\s*(?:(?:\+-|±|\+/-)\s*({_NUMBER})\s*([smhd]?))?\s*", re.I)


@dataclass(frozen=True)
class AgentSpec:
    """One simulated agent, with the reference simulation's parameters."""

    name: str
    kind: str  # GOOD or ATTACKER
    start_balance: float  # units
    deposit_mean: float  # units: the most it sends with one contribution
    deposit_sd: float
    interval_mean_s: float  # seconds between its wake-ups
    interval_sd_s: float = 1.0
    mistake: float = 0.0  # chance a good agent gives a wrong label

    @property
    def good(self) -> bool:
        return self.kind == GOOD


# The reference simulation's two agents (simulate_imdb_perceptron.py): stdev of the wait is 1 s there.
PAPER_GOOD = AgentSpec("good", GOOD, 10_000, 50, 10, 600, 1, 0.0001)
PAPER_ATTACKER = AgentSpec("attacker", ATTACKER, 10_000, 100, 3, 3600, 1, 0.0)
_DEFAULTS = {GOOD: PAPER_GOOD, ATTACKER: PAPER_ATTACKER}


def parse_agents(text: str) -> list[AgentSpec]:
    """The agents a spec describes; ``InputError`` names the part that is wrong and why."""
    parts = [p.strip() for p in text.split(";")]
    if not any(parts):
        raise InputError("The agent list is empty; give e.g. 'good;attacker' or 'good*2'.")
    agents: list[AgentSpec] = []
    for part in parts:
        if part:
            agents.extend(_parse_one(part))
    _check_names(agents)
    return agents


def _parse_one(part: str) -> list[AgentSpec]:
    head, _, options = part.partition(":")
    match = re.fullmatch(r"\s*([a-z]+)\s*(?:\*\s*([0-9]+))?\s*", head, re.I)
    if not match or match.group(1).lower() not in KINDS:
        raise InputError(f"Agent {part!r}: the kind must be 'good' or 'attacker' (optionally '*COUNT').")
    kind = match.group(1).lower()
    count = int(match.group(2) or 1)
    if not 1 <= count <= 100:
        raise InputError(f"Agent {part!r}: the count must be between 1 and 100.")
    agent = _DEFAULTS[kind]
    for item in filter(None, (o.strip() for o in options.split(","))):
        key, sep, value = item.partition("=")
        if not sep or not value.strip():
            raise InputError(f"Agent {part!r}: {item!r} is not key=value.")
        agent = _apply(agent, key.strip().lower(), value.strip(), part)
    if agent.start_balance <= agent.deposit_mean:
        raise InputError(
            f"Agent {part!r}: the balance ({agent.start_balance:g}) must exceed the deposit it "
            f"offers ({agent.deposit_mean:g}), as in the reference simulation."
        )
    # Copies are numbered (good, good-2, ...) so every agent has its own column in the outputs.
    return [agent] + [replace(agent, name=f"{agent.name}-{k}") for k in range(2, count + 1)]


def _apply(agent: AgentSpec, key: str, value: str, part: str) -> AgentSpec:
    if key == "name":
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]{0,31}", value):
            raise InputError(f"Agent {part!r}: a name is a letter then up to 31 letters, digits, '_' or '-'.")
        return replace(agent, name=value)
    if key in ("balance", "budget"):
        return replace(agent, start_balance=_positive(value, key, part))
    if key == "deposit":
        mean, sd = _spread(value, key, part, durations=False)
        return replace(agent, deposit_mean=mean, deposit_sd=sd)
    if key == "interval":
        mean, sd = _spread(value, key, part, durations=True)
        if mean < 1:
            raise InputError(f"Agent {part!r}: the interval must be at least 1 s (a block's resolution).")
        return replace(agent, interval_mean_s=mean, interval_sd_s=sd)
    if key == "mistake":
        if not agent.good:
            raise InputError(f"Agent {part!r}: an attacker is always wrong; 'mistake' is for good agents.")
        rate = _number(value, key, part)
        if not 0 <= rate <= 1:
            raise InputError(f"Agent {part!r}: mistake is a probability between 0 and 1, not {value}.")
        return replace(agent, mistake=rate)
    raise InputError(
        f"Agent {part!r}: unknown setting {key!r}; use name, balance (or budget), deposit, interval, mistake."
    )


def _number(value: str, key: str, part: str) -> float:
    if not re.fullmatch(_NUMBER, value, re.I):
        raise InputError(f"Agent {part!r}: {key}={value!r} is not a number.")
    return float(value)


def _positive(value: str, key: str, part: str) -> float:
    number = _number(value, key, part)
    if number <= 0:
        raise InputError(f"Agent {part!r}: {key} must be positive.")
    return number


def _spread(value: str, key: str, part: str, *, durations: bool) -> tuple[float, float]:
    """'MEAN' or 'MEAN+-SD' (also '±'); with ``durations``, each may carry s, m, h or d."""
    match = _SPREAD.fullmatch(value)
    if not match or (not durations and (match.group(2) or match.group(4))):
        example = "10m+-30s" if durations else "50+-10"
        raise InputError(f"Agent {part!r}: {key}={value!r} is not MEAN or MEAN+-SD (e.g. {example}).")

    def scale(unit: str | None) -> int:
        return _DURATION_UNITS[(unit or "s").lower()] if durations else 1

    mean = float(match.group(1)) * scale(match.group(2))
    sd = float(match.group(3)) * scale(match.group(4)) if match.group(3) else (1.0 if durations else 0.0)
    if mean <= 0:
        raise InputError(f"Agent {part!r}: {key} must be positive.")
    return mean, sd


def _check_names(agents: list[AgentSpec]) -> None:
    names = [a.name for a in agents]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise InputError(f"Two agents are called {repeated[0]!r}; use KIND*COUNT or give each one name=...")
