"""The --agents spec: what it accepts, and the clear refusal of what it does not."""

from __future__ import annotations

import pytest

from dacwallet.errors import InputError
from dacwallet.sim.agents import ATTACKER, GOOD, PAPER_ATTACKER, PAPER_GOOD, parse_agents
from dacwallet.sim.config import SimConfig, scenario_agents


def test_bare_kinds_are_the_papers_agents() -> None:
    assert parse_agents("good;attacker") == [PAPER_GOOD, PAPER_ATTACKER]


def test_every_setting_is_read_with_its_unit() -> None:
    good, attacker = parse_agents(
        "good:name=alice,balance=5000,deposit=40±5,interval=15m+-30s,mistake=0.01;"
        " attacker : budget=2e4, deposit=100+-3, interval=1.5h"
    )
    assert (good.name, good.kind, good.start_balance) == ("alice", GOOD, 5000)
    assert (good.deposit_mean, good.deposit_sd, good.interval_mean_s, good.interval_sd_s) == (40, 5, 900, 30)
    assert good.mistake == 0.01
    assert (attacker.kind, attacker.start_balance, attacker.interval_mean_s, attacker.interval_sd_s) == (
        ATTACKER,
        20_000,
        5400,
        1.0,
    )
    assert attacker.deposit_sd == 3


def test_counts_give_each_agent_its_own_name() -> None:
    agents = parse_agents("good*3;attacker")
    assert [a.name for a in agents] == ["good", "good-2", "good-3", "attacker"]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "empty"),
        (" ; ", "empty"),
        ("honest", "kind must be 'good' or 'attacker'"),
        ("good*0", "count must be between 1 and 100"),
        ("good:deposit", "is not key=value"),
        ("good:speed=3", "unknown setting 'speed'"),
        ("good:deposit=lots", "is not MEAN or MEAN+-SD"),
        ("good:deposit=50m", "is not MEAN or MEAN+-SD"),
        ("good:deposit=0", "must be positive"),
        ("good:interval=0.5s", "at least 1 s"),
        ("good:interval=10x", "is not MEAN or MEAN+-SD"),
        ("good:mistake=1.5", "between 0 and 1"),
        ("attacker:mistake=0.1", "always wrong"),
        ("good:balance=-5", "is not a number"),
        ("good:balance=40", "must exceed the deposit"),
        ("good:name=1x", "a name is a letter"),
        ("good:name=a;good:name=a", "Two agents are called 'a'"),
        ("good;good", "Two agents are called 'good'"),
    ],
)
def test_bad_specs_say_what_is_wrong(spec: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_agents(spec)
    assert message in caught.value.user_message


def test_scenarios_and_config_checks(tmp_path) -> None:
    assert [a.kind for a in scenario_agents("baseline")] == [GOOD, GOOD]
    assert [a.kind for a in scenario_agents("attack")] == [GOOD, ATTACKER]
    with pytest.raises(InputError, match="Unknown scenario"):
        scenario_agents("chaos")
    # One unit is what makes the contract's cost read as the paper's 60 / isqrt(seconds).
    assert SimConfig(cost_weight=10**15).unit_wei == 6 * 10**16
    with pytest.raises(InputError, match="refund <= owner claim <= any-address"):
        SimConfig(refund_wait_s=7200, any_address_wait_s=3600).validate()
    with pytest.raises(InputError, match="does not exist"):
        SimConfig(data=tmp_path / "missing.jsonl").validate()
    with pytest.raises(InputError, match="No review file given"):
        SimConfig(data=None).validate()
