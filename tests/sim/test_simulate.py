"""`dacwallet simulate` end to end on the embedded chain, in-process: a small attack run with tiny windows,
then its files checked against each other and against the chain's own rules of money."""

from __future__ import annotations

import contextlib
import csv
import gzip
import io
import json
import struct
from collections import Counter
from pathlib import Path

import pytest

from dacwallet import cli
from dacwallet.chain.connect import NetworkSpec
from dacwallet.sim import config as sim_config
from dacwallet.sim.agents import parse_agents
from dacwallet.sim.chain import open_sim_chain
from dacwallet.sim.config import DATA_ENV, SHARED_IMDB, SimConfig, default_data_candidates, find_default_data
from dacwallet.sim.runner import run_simulation
from tests.support.shared_data import IMDB_TRAIN, need_shared

SAMPLES = 60
AGENTS = "good:interval=5m;attacker:interval=20m"


def small_review_file(folder: Path) -> Path:
    """Every 25th review of the IMDB file (both labels; the file is sorted by label): 1,000 reviews.
    Skipped without ../shared/data on a developer machine, failed under CI (need_shared)."""
    path = folder / "reviews.jsonl"
    with gzip.open(need_shared(IMDB_TRAIN), "rt", encoding="utf-8") as source:
        path.write_text("".join(line for i, line in enumerate(source, 1) if i % 25 == 0), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def reviews(tmp_path_factory) -> Path:
    return small_review_file(tmp_path_factory.mktemp("reviews"))


@pytest.fixture(scope="module")
def run(tmp_path_factory, reviews):
    folder = tmp_path_factory.mktemp("sim")
    out = folder / "out"
    args = [
        "--data-dir",
        str(folder / "wallet"),
        "simulate",
        "--samples",
        str(SAMPLES),
        "--agents",
        AGENTS,
        "--data",
        str(reviews),
        "--refund-wait",
        "1h",
        "--take-wait",
        "3h",
        "--out",
        str(out),
        "--json",
    ]
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = cli.main(args)
    assert code == 0, stderr.getvalue()
    with (out / "events.csv").open(encoding="utf-8") as handle:
        events = list(csv.DictReader(handle))
    return {"out": out, "summary": json.loads(stdout.getvalue()), "stderr": stderr.getvalue(), "events": events}


def test_summary_has_the_headline_figures(run) -> None:
    summary = run["summary"]
    assert json.loads((run["out"] / "summary.json").read_text()) == {
        k: v for k, v in summary.items() if k not in ("out", "summary_file")
    }
    assert summary["contributions"] == SAMPLES
    assert 0.5 < summary["accuracy_start"] <= 1 and summary["accuracy_min"] <= summary["accuracy_end"] <= 1
    assert summary["accuracy_min"] <= summary["accuracy_start"]
    assert summary["accuracy_gain"] == round(summary["accuracy_end"] - summary["accuracy_start"], 4)
    assert 50_000 < summary["gas_per_contribution_median"] < 1_000_000
    # 60 contributions at ~15 a simulated hour, then the 1 h refund wait: well under a day.
    assert 0.05 < summary["sim_days"] < 1
    assert 90 < summary["good_final_balance_pct"] < 110 and 50 < summary["attacker_final_balance_pct"] < 101
    assert summary["refunds"] > 0 and summary["mirror_matches_chain"] is True
    assert summary["reports"] > 0  # the good agent takes from the attacker's contributions the model rejects
    assert "simulate: deploying" in run["stderr"] and f"{SAMPLES}/{SAMPLES}" in run["stderr"]


def test_csv_rows_are_the_events(run) -> None:
    events, summary = run["events"], run["summary"]
    assert len(events) == summary["transactions"]
    kinds = Counter(e["kind"] for e in events)
    assert kinds == {"contribute": SAMPLES, "refund": summary["refunds"], "report": summary["reports"]}
    assert [int(e["index"]) for e in events] == list(range(len(events)))
    assert len({e["tx_hash"] for e in events}) == len(events)
    times = [int(e["time_s"]) for e in events]
    assert times == sorted(times) and [int(e["block"]) for e in events] == sorted(int(e["block"]) for e in events)
    contributed = [e for e in events if e["kind"] == "contribute"]
    assert sorted(int(e["contribution"]) for e in contributed) == list(range(SAMPLES))
    # The agent offers its deposit; the contract keeps its own cost and returns the rest.
    assert all(0 < int(e["deposit_wei"]) <= int(e["value_wei"]) for e in contributed)
    attacker = [e for e in contributed if e["role"] == "attacker"]
    assert attacker and all(e["label"] != e["true_label"] for e in attacker)
    # Claims come after the refund wait, by the author (refund) or someone else (report).
    added = {int(e["contribution"]): int(e["time_s"]) for e in contributed}
    for e in events:
        if e["kind"] != "contribute":
            assert int(e["time_s"]) - added[int(e["contribution"])] >= 3600
            assert (e["agent"] == e["author"]) == (e["kind"] == "refund")
            assert int(e["payout_wei"]) > 0


def test_balances_add_up_with_gas(run) -> None:
    """Every row: previous balance - deposit + payout - gas fee = balance; the last one is the summary's."""
    for name, agent in run["summary"]["agents"].items():
        balance = agent["start_wei"]
        for e in (e for e in run["events"] if e["agent"] == name):
            balance += int(e["payout_wei"]) - int(e["deposit_wei"]) - int(e["gas_fee_wei"])
            assert int(e["balance_wei"]) == balance
            assert float(e["balance_pct"]) == pytest.approx(100 * balance / agent["start_wei"])
        assert balance == agent["final_wei"]
        assert agent["final_balance_pct"] == pytest.approx(100 * balance / agent["start_wei"], abs=0.01)


def test_accuracy_series_and_charts(run) -> None:
    with (run["out"] / "accuracy.csv").open(encoding="utf-8") as handle:
        points = list(csv.DictReader(handle))
    assert float(points[0]["accuracy"]) == run["summary"]["accuracy_start"]
    assert float(points[-1]["accuracy"]) == pytest.approx(run["summary"]["accuracy_end"], abs=1e-4)
    assert int(points[-1]["contributions"]) == SAMPLES
    for name in ("balances.png", "accuracy.png"):
        raw = (run["out"] / name).read_bytes()
        assert raw[:8] == b"\x89PNG\r\n\x1a\n" and raw[12:16] == b"IHDR"
        width, height = struct.unpack(">II", raw[16:24])
        assert (width, height) == (800, 500) and raw.endswith(b"IEND\xaeB`\x82")


def test_bad_agents_are_refused_before_anything_runs(tmp_path, capsys) -> None:
    assert cli.main(["simulate", "--agents", "good:mistake=2", "--out", str(tmp_path / "x")]) == 1
    assert "mistake is a probability between 0 and 1" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()
    assert cli.main(["simulate", "--scenario", "chaos"]) == 2


def test_without_a_review_file_it_says_how_to_give_one(tmp_path, monkeypatch, capsys) -> None:
    """No --data and nothing at the defaults (an installed wheel away from the checkout): exit 1, and the
    message names --data PATH and the environment variable, not a path inside site-packages."""
    monkeypatch.setenv(DATA_ENV, str(tmp_path / "nowhere.jsonl.gz"))
    assert cli.main(["--data-dir", str(tmp_path / "wallet"), "simulate", "--out", str(tmp_path / "x")]) == 1
    err = capsys.readouterr().err
    assert "No review file given" in err and "pass --data PATH" in err and DATA_ENV in err
    assert str(tmp_path / "nowhere.jsonl.gz") in err and not (tmp_path / "x").exists()


def test_the_default_review_file_is_looked_for_in_order(tmp_path, monkeypatch) -> None:
    """$DACWALLET_IMDB_DATA alone when set; else ../shared beside the current folder, then beside the checkout."""
    beside_cwd = tmp_path / "shared" / "data" / "imdb" / "imdb_train.jsonl.gz"
    beside_cwd.parent.mkdir(parents=True)
    beside_cwd.write_bytes(b"")
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    monkeypatch.delenv(DATA_ENV, raising=False)
    assert default_data_candidates() == [beside_cwd.resolve(), (sim_config._SOURCE_ROOT / SHARED_IMDB).resolve()]
    assert find_default_data() == beside_cwd.resolve()
    chosen = tmp_path / "mine.jsonl"
    chosen.write_text("", encoding="utf-8")
    monkeypatch.setenv(DATA_ENV, str(chosen))
    assert default_data_candidates() == [chosen] and find_default_data() == chosen
    monkeypatch.setenv(DATA_ENV, str(tmp_path / "missing.jsonl"))
    assert find_default_data() is None


def test_the_library_stops_when_asked(reviews) -> None:
    """The GUI's stop button: should_stop ends the run between wake-ups, with what ran so far."""
    config = SimConfig(
        agents=tuple(parse_agents(AGENTS)),
        samples=SAMPLES,
        data=reviews,
        refund_wait_s=3600,
        any_address_wait_s=3 * 3600,
    )
    seen = []
    with open_sim_chain(NetworkSpec()) as chain:
        result = run_simulation(config, chain, on_event=seen.append, should_stop=lambda: len(seen) >= 3)
    assert result.stopped and len(result.events) == 3 and result.events == seen
    assert result.summary["stopped_early"] is True and result.summary["contributions"] == 3


@pytest.mark.anvil
def test_a_short_run_on_anvil(reviews, tmp_path) -> None:
    """The same runner on a real node: its clock moved by evm_increaseTime, accounts funded by setBalance."""
    from tests.support.chains import run_anvil

    with run_anvil(n_accounts=1) as chain:
        url = chain.w3.provider.endpoint_uri
        stdout = io.StringIO()
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(io.StringIO()):
            code = cli.main(
                [
                    "--network",
                    url,
                    "simulate",
                    "--samples",
                    "12",
                    "--agents",
                    AGENTS,
                    "--data",
                    str(reviews),
                    "--refund-wait",
                    "1h",
                    "--take-wait",
                    "3h",
                    "--out",
                    str(tmp_path),
                    "--json",
                ]
            )
    assert code == 0
    summary = json.loads(stdout.getvalue())
    assert summary["contributions"] == 12 and summary["refunds"] > 0
