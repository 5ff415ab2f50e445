"""What one simulation run is: scenario, agents, data, contract rules. Plain data, checked once."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from dacwallet.contracts.deploy import DAY_S, IncentiveParams
from dacwallet.errors import InputError
from dacwallet.sim.agents import PAPER_ATTACKER, PAPER_GOOD, AgentSpec

SCENARIOS = ("baseline", "attack")
# Where the IMDB reviews are looked for when no --data is given (see default_data_candidates).
DATA_ENV = "DACWALLET_IMDB_DATA"
SHARED_IMDB = Path("..") / "shared" / "data" / "imdb" / "imdb_train.jsonl.gz"
_SOURCE_ROOT = Path(__file__).resolve().parents[2]  # the checkout, when run from one (site-packages otherwise)


def default_data_candidates() -> list[Path]:
    """The places the reviews are looked for, in order: $DACWALLET_IMDB_DATA when set (then only there),
    else ../shared/data/imdb/imdb_train.jsonl.gz beside the current folder, then beside the source checkout."""
    if os.environ.get(DATA_ENV):
        return [Path(os.environ[DATA_ENV]).expanduser()]
    candidates = [Path.cwd() / SHARED_IMDB, _SOURCE_ROOT / SHARED_IMDB]
    return list(dict.fromkeys(c.resolve() for c in candidates))


def find_default_data() -> Path | None:
    """The first default candidate that is a file; None when there is none."""
    return next((c for c in default_data_candidates() if c.is_file()), None)


def missing_data_message(how_to_give: str = "pass --data PATH") -> str:
    """What to tell the user when no review file was given and none was found at the defaults."""
    looked = ", ".join(str(c) for c in default_data_candidates())
    return (
        f"No review file given and none found (looked for {looked}); {how_to_give} (JSONL or JSONL.gz "
        f"with id, label and text per line), or set {DATA_ENV} to one."
    )


# The reference simulation's contract: cost = cost_weight * 60 / isqrt(seconds) units with cost_weight 1.
# Ours charges costWeight * 3600 / isqrt(seconds) wei, so one unit is costWeight * 60 wei.
_PAPER_COST_NUMERATOR = 60
_CONTRACT_COST_NUMERATOR = 3600


def scenario_agents(scenario: str) -> list[AgentSpec]:
    """baseline: two honest agents (so each one's mistakes can be reported by the other); attack: the
    reference simulation's honest agent and attacker."""
    if scenario == "baseline":
        return [PAPER_GOOD, replace(PAPER_GOOD, name="good-2")]
    if scenario == "attack":
        return [PAPER_GOOD, PAPER_ATTACKER]
    raise InputError(f"Unknown scenario {scenario!r}; use one of {', '.join(SCENARIOS)}.")


# The paper's full scale: every review the IMDB training split has left after the initial 8%.
PAPER_SAMPLES = 18_400


@dataclass(frozen=True)
class SimConfig:
    scenario: str = "attack"
    agents: tuple[AgentSpec, ...] = field(default_factory=lambda: tuple(scenario_agents("attack")))
    samples: int = 2000  # contributions the agents make (reviews taken after the initial share)
    # Reviews; by default found as find_default_data() does, None when nowhere (validate() says what to do).
    data: Path | None = field(default_factory=find_default_data)
    initial_share: float = 0.08  # of the training split, trains the deployed model (the paper's 8%)
    eval_fraction: float = 0.2  # of the file, held out for accuracy (the project's seeded split)
    refund_wait_s: int = DAY_S
    any_address_wait_s: int = 9 * DAY_S
    cost_weight: int = 10**15
    seed: int = 1
    accuracy_every_s: int = 3600  # chain seconds between accuracy points (the mirror makes them cheap)

    @property
    def unit_wei(self) -> int:
        """Wei per paper unit, so the contract's cost in units is the reference simulation's 60/isqrt(dt)."""
        return self.cost_weight * _CONTRACT_COST_NUMERATOR // _PAPER_COST_NUMERATOR

    def incentive(self) -> IncentiveParams:
        return IncentiveParams(
            kind="stakeable",
            refund_wait_s=self.refund_wait_s,
            owner_claim_wait_s=self.any_address_wait_s,
            any_address_claim_wait_s=self.any_address_wait_s,
            cost_weight=self.cost_weight,
        )

    def validate(self) -> None:
        """Raises InputError for settings no run could use."""
        if self.scenario not in SCENARIOS:
            raise InputError(f"Unknown scenario {self.scenario!r}; use one of {', '.join(SCENARIOS)}.")
        if not self.agents:
            raise InputError("A simulation needs at least one agent.")
        if self.samples < 1:
            raise InputError("--samples must be at least 1.")
        if not 0 < self.initial_share < 1:
            raise InputError("The initial model's share of the training data must be between 0 and 1.")
        if not 0 < self.eval_fraction < 1:
            raise InputError("The evaluation split must be a fraction between 0 and 1.")
        if self.cost_weight < 1:
            raise InputError("The cost weight must be at least 1 wei.")
        if self.accuracy_every_s < 1:
            raise InputError("The accuracy interval must be at least 1 s.")
        self.incentive().validate()
        if self.data is None:
            raise InputError(missing_data_message())
        if not self.data.is_file():
            raise InputError(
                f"The review file {self.data} does not exist; give one with --data "
                "(JSONL or JSONL.gz with id, label and text per line)."
            )
