"""The reference paper's simulations as the app runs them: always on a fresh throw-away embedded chain (never the
wallet's own chain, accounts or database), and their five output files written where the user chose.

The simulator and the EVM are imported on the first run, not when the app starts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from dacwallet.sim.agents import parse_agents
from dacwallet.sim.config import (
    PAPER_SAMPLES,
    SCENARIOS,
    SimConfig,
    find_default_data,
    missing_data_message,
    scenario_agents,
)

if TYPE_CHECKING:  # re-exported for the GUI's annotations; the runner itself is imported on the first run
    from dacwallet.sim.runner import SimEvent as SimEvent
    from dacwallet.sim.runner import SimProgress as SimProgress
    from dacwallet.sim.runner import SimResult as SimResult

__all__ = [
    "PAPER_SAMPLES",
    "SCENARIOS",
    "SimConfig",
    "find_default_data",
    "missing_data_message",
    "parse_agents",
    "save_outputs",
    "scenario_agents",
    "simulate",
]


def simulate(
    config: SimConfig,
    *,
    on_progress: Callable[[SimProgress], None],
    should_stop: Callable[[], bool],
    on_event: Callable[[SimEvent], None],
) -> SimResult:
    """Runs ``config`` to its end, or until ``should_stop`` says so (the result then says it was stopped)."""
    from dacwallet.chain.connect import NetworkSpec
    from dacwallet.sim.chain import open_sim_chain
    from dacwallet.sim.runner import run_simulation

    with open_sim_chain(NetworkSpec()) as chain:
        return run_simulation(config, chain, on_progress=on_progress, should_stop=should_stop, on_event=on_event)


def save_outputs(result: SimResult, folder: Path) -> dict[str, Path]:
    """The events and accuracy CSV files, the summary JSON and the two PNG charts, by name."""
    from dacwallet.sim.outputs import write_outputs

    return write_outputs(result, folder)
