"""``dacwallet simulate``: the paper's simulations on the real contracts, with a progress bar on stderr."""

from __future__ import annotations

import argparse
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from dacwallet.sim.config import DATA_ENV, SCENARIOS, SHARED_IMDB, SimConfig, find_default_data
from dacwallet.sim.runner import SimProgress

_BAR_WIDTH = 24
_REDRAW_S = 0.5
_LOG_EVERY_S = 30.0


class ProgressBar:
    """Plain-text progress: redrawn in place on a terminal; otherwise (logs, CI) a line every 10% or 30 s."""

    def __init__(self, stream: TextIO | None = None) -> None:
        # Looked up per bar, not at import: tests and callers may have replaced sys.stderr since.
        self.stream = stream if stream is not None else sys.stderr
        self.tty = self.stream.isatty()
        self.stage = ""
        self.last_draw = 0.0
        self.last_tenth = -1

    def __call__(self, progress: SimProgress) -> None:
        if progress.stage != self.stage:
            self._end_line()
            self.stage = progress.stage
            if progress.stage != "running":
                self.stream.write(f"simulate: {progress.stage}\n")
                self.stream.flush()
                return
        done = progress.contributions / progress.samples if progress.samples else 1.0
        now = time.monotonic()
        if self.tty and now - self.last_draw < _REDRAW_S:
            return
        if not self.tty and int(done * 10) == self.last_tenth and now - self.last_draw < _LOG_EVERY_S:
            return  # a log gets a line every tenth of the contributions, and during the claims that follow
        self.last_draw, self.last_tenth = now, int(done * 10)
        self.stream.write(("\r" if self.tty else "") + self.line(progress) + ("" if self.tty else "\n"))
        self.stream.flush()

    @staticmethod
    def line(progress: SimProgress) -> str:
        done = progress.contributions / progress.samples if progress.samples else 1.0
        filled = int(done * _BAR_WIDTH)
        balances = " ".join(f"{name} {pct:.1f}%" for name, pct in progress.balances_pct.items())
        accuracy = "-" if progress.accuracy is None else f"{100 * progress.accuracy:.1f}%"
        rate = progress.transactions / progress.wall_s if progress.wall_s else 0.0
        return (
            f"[{'#' * filled}{'.' * (_BAR_WIDTH - filled)}] {progress.contributions}/{progress.samples} "
            f"day {progress.day:.1f}  accuracy {accuracy}  {balances}  {rate:.1f} tx/s"
        )

    def _end_line(self) -> None:
        if self.tty and self.stage == "running":
            self.stream.write("\n")


@contextmanager
def _stop_on_interrupt() -> Iterator[list[bool]]:
    """Ctrl-C asks the run to stop between two wake-ups, so what ran so far is still written out."""
    flag = [False]

    def handler(signum: int, frame: Any) -> None:
        flag[0] = True

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield flag
    finally:
        signal.signal(signal.SIGINT, previous)


def simulate(args: argparse.Namespace) -> Any:
    from dacwallet.chain.connect import NetworkSpec
    from dacwallet.sim.agents import parse_agents
    from dacwallet.sim.chain import open_sim_chain
    from dacwallet.sim.config import scenario_agents
    from dacwallet.sim.outputs import SUMMARY_JSON, summary_file, write_outputs
    from dacwallet.sim.runner import run_simulation
    from dacwallet.usecases.chainops import parse_duration

    agents = parse_agents(args.agents) if args.agents else scenario_agents(args.scenario)
    config = SimConfig(
        scenario=args.scenario,
        agents=tuple(agents),
        samples=args.samples,
        data=args.data if args.data is not None else find_default_data(),
        initial_share=args.initial_share,
        eval_fraction=args.eval_fraction,
        refund_wait_s=parse_duration(args.refund_wait),
        any_address_wait_s=parse_duration(args.take_wait),
        cost_weight=args.cost_weight,
        seed=args.seed,
    )
    config.validate()
    out = args.out or Path(f"simulation-{args.scenario}")
    with _stop_on_interrupt() as stop, open_sim_chain(NetworkSpec.parse(args.network, args.chain_id)) as chain:
        result = run_simulation(config, chain, on_progress=ProgressBar(), should_stop=lambda: stop[0])
    paths = write_outputs(result, out)
    if not result.summary["mirror_matches_chain"]:
        print(
            "simulate: the local mirror no longer predicts as the chain does; the accuracy figures are "
            "not the chain's (please report this).",
            file=sys.stderr,
        )
    if result.stopped:
        print("simulate: stopped early; the files hold what ran so far.", file=sys.stderr)
    return {**summary_file(result.summary), "out": str(out), "summary_file": str(paths[SUMMARY_JSON])}


def register_simulate(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    help_text = (
        "run the paper's simulation (honest agents, or an attacker) through the real contracts; "
        "writes events.csv, accuracy.csv, summary.json, balances.png and accuracy.png"
    )
    p = commands.add_parser("simulate", help=help_text, description=help_text)
    p.set_defaults(run=simulate)
    p.add_argument(
        "--scenario",
        choices=SCENARIOS,
        default="attack",
        help="baseline: two honest agents; attack: an honest agent and an attacker (default)",
    )
    p.add_argument(
        "--samples", type=int, default=SimConfig.samples, help=f"contributions to make (default {SimConfig.samples})"
    )
    p.add_argument(
        "--agents",
        metavar="SPEC",
        help="instead of the scenario's agents, e.g. "
        "'good:deposit=50+-10,interval=10m,mistake=0.0001;attacker:budget=10000,deposit=100+-3,"
        "interval=1h' (amounts in units of costWeight*60 wei)",
    )
    p.add_argument("--out", type=Path, metavar="DIR", help="output folder (default ./simulation-SCENARIO)")
    p.add_argument(
        "--data",
        type=Path,
        metavar="PATH",
        help=f"reviews, JSONL(.gz) (default: ${DATA_ENV}, else {SHARED_IMDB} beside the current "
        "folder, then beside the source checkout)",
    )
    p.add_argument(
        "--initial-share",
        type=float,
        default=SimConfig.initial_share,
        help="share of the training data that trains the deployed model (default 0.08, the paper's)",
    )
    p.add_argument(
        "--eval-fraction",
        type=float,
        default=SimConfig.eval_fraction,
        help="share of the file held out for accuracy (default 0.2, the seeded validation split)",
    )
    p.add_argument("--refund-wait", default="1d", help="refund window, e.g. 1d or 2h (default 1d)")
    p.add_argument("--take-wait", default="9d", help="wait before anyone may take a deposit (default 9d)")
    p.add_argument(
        "--cost-weight", type=int, default=SimConfig.cost_weight, help="Stakeable costWeight in wei (default 1e15)"
    )
    p.add_argument("--seed", type=int, default=SimConfig.seed, help="random seed of the agents (default 1)")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
