"""SIGKILL in the middle of contribute, refund and report: nothing typed is lost, nothing is sent twice.

A real child process (tests/support/crash_child.py) opens the wallet on the embedded chain and runs a
use-case whose ``on_stage`` callback kills the process with SIGKILL at one stage of
``send_journaled``. Then this process opens the same folder, runs ``resolve_journal`` and checks the
keystore, both SQLite files, the contribution rows and the events on the chain. One data folder is
shared by every test of the module (its first open deploys the default model).
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from eth_utils import keccak
from web3 import Web3

from dacwallet.chain.chain_store import DB_FILE_NAME
from dacwallet.contracts.deployment import trainer_contract
from dacwallet.errors import RevertError
from dacwallet.keys.atomic import TEMP_SUFFIX
from dacwallet.store import contributions, journal
from dacwallet.store.lifecycle import ContributionState
from dacwallet.sync.keys import contribution_key as key_bytes
from dacwallet.usecases.accounts import fund_new_account, give_test_ether
from dacwallet.usecases.chainops import advance_clock
from dacwallet.usecases.claims import REFUNDED, claim_refund, own_contributions
from dacwallet.usecases.community import report
from dacwallet.usecases.context import TEST_SCRYPT_ENV, WalletContext, open_wallet
from dacwallet.usecases.contribute import contribute
from dacwallet.usecases.sending import signer_for
from dacwallet.usecases.settle import resolve_journal
from tests.support import crash_child

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
STAGES = ("estimating", "signing", "sending", "waiting for the receipt")
# After a kill at these stages the signed transaction is in the journal, so resolve must get it mined.
JOURNALED = ("sending", "waiting for the receipt")
DAY = 86_400
PASSWORDS = {"alice": "alice-pw", "bob": "bob-pw"}
GOOD = "A wonderful film: brilliant acting, a moving story and a great score. One of the best this year"
BAD = "Dreadful and boring. The worst acting, a stupid plot, a waste of time; awful from start to end"
# Words that make each review of a series encode differently (all in the shipped vocabulary).
EXTRA = ("colours", "aired", "laura", "japanese", "camera", "site", "monkey", "studio")
assert set(EXTRA) <= set(crash_child.vocab_words(0, 2000))
# Short reviews, so the adaptive encoder keeps the extra word (a long clear review stops before it, and two
# reviews that encode alike are one contribution to the checks below).
SHORT_GOOD, SHORT_BAD = "wonderful brilliant great best", "dreadful boring worst awful"


def contribution_key(data: list[int], label: int, added_time: int, author: str) -> str:
    return Web3.to_hex(key_bytes(data, label, added_time, author))


REFUND_EVENT = keccak(text="Refund(address,uint256)")
REPORT_EVENT = keccak(text="Report(address,uint256)")


def child_env() -> dict[str, str]:
    env = os.environ.copy()
    env[TEST_SCRYPT_ENV] = str(2**4)
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def run_child(data_dir: Path, op: str, stage: str, account: str, *args: str) -> subprocess.CompletedProcess:
    command = [
        sys.executable,
        "-m",
        "tests.support.crash_child",
        str(data_dir),
        op,
        stage,
        account,
        PASSWORDS[account],
        *args,
    ]
    return subprocess.run(command, cwd=REPO, env=child_env(), capture_output=True, text=True, timeout=120)


def assert_killed_at(run: subprocess.CompletedProcess, stage: str) -> None:
    assert run.returncode == -signal.SIGKILL, f"the child was not killed at {stage!r}:\n{run.stdout}\n{run.stderr}"
    assert run.stdout.splitlines()[-1] == f"stage {stage}", run.stdout


@dataclass
class Shared:
    data_dir: Path
    refund_targets: list[int]  # alice's contribution ids, refundable, one per stage
    report_targets: list[str]  # keys of bob's wrongly labelled contributions, one per stage


def open_checked(data_dir: Path) -> WalletContext:
    """Opens the folder after a crash and checks that the keystore and both stores are intact."""
    chain_file = data_dir / "chain" / DB_FILE_NAME
    with sqlite3.connect(chain_file) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    ctx = open_wallet(data_dir)
    assert ctx.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert [a.name for a in ctx.keys.accounts()] == ["alice", "bob"]
    assert not [p for p in ctx.keys.keystore_dir.iterdir() if p.name.endswith(TEMP_SUFFIX)]
    # Both keys still decrypt with their passwords (the signer decrypts per signature).
    for name, password in PASSWORDS.items():
        signer = signer_for(ctx, name, password)
        signer.sign_transaction(
            {
                "type": 2,
                "chainId": ctx.connection.chain_id,
                "nonce": 0,
                "to": signer.address,
                "value": 0,
                "gas": 21_000,
                "maxFeePerGas": 1,
                "maxPriorityFeePerGas": 1,
            }
        )
    return ctx


def add_data_count(ctx: WalletContext, data: tuple[int, ...], label: int, author: str) -> int:
    """How many AddData events on the chain carry exactly this contribution."""
    event = trainer_contract(ctx.w3, ctx.require_deployment().trainer).events.AddData()
    return sum(
        1
        for log in event.get_logs(from_block=0)
        if tuple(log["args"]["d"]) == data
        and log["args"]["c"] == label
        and log["args"]["sender"].lower() == author.lower()
    )


def paid_calls(ctx: WalletContext, topic: bytes, function: str) -> list[dict]:
    """The decoded arguments of every successful ``function`` call that emitted the ``topic`` event."""
    trainer = trainer_contract(ctx.w3, ctx.require_deployment().trainer)
    calls = []
    for log in ctx.w3.eth.get_logs({"fromBlock": 0, "toBlock": "latest", "topics": [Web3.to_hex(topic)]}):
        tx = ctx.w3.eth.get_transaction(log["transactionHash"])
        called, args = trainer.decode_function_input(tx["input"])
        if called.fn_name == function:
            calls.append({**args, "from": tx["from"], "tx": log["transactionHash"]})
    return calls


def check_contributions_consistent(ctx: WalletContext) -> list[contributions.StoredContribution]:
    """Every row: added <=> exactly one AddData; draft/failed/dropped <=> none; nothing left open."""
    rows = contributions.list_for(ctx.db, ctx.chain_key, ctx.require_deployment().trainer)
    assert journal.open_entries(ctx.db, ctx.chain_key) == []  # the embedded chain has no pending pool
    for row in rows:
        count = add_data_count(ctx, row.data, row.label, row.author)
        if row.state == ContributionState.ADDED:
            assert count == 1, f"contribution {row.id} is added but has {count} AddData events"
        else:
            assert row.state in (ContributionState.DRAFT, ContributionState.FAILED, ContributionState.DROPPED), row
            assert count == 0, f"contribution {row.id} is {row.state} but has {count} AddData events"
    return rows


@pytest.fixture(scope="module")
def shared(tmp_path_factory) -> Shared:
    """alice and bob with test ether; alice has a refunded contribution (reputation to report with),
    four refundable ones; bob has four wrongly labelled ones past their refund wait."""
    data_dir = tmp_path_factory.mktemp("wallet")
    old = {k: os.environ.get(k) for k in (TEST_SCRYPT_ENV, "PYTHON_KEYRING_BACKEND")}
    os.environ.update(child_env())
    try:
        ctx = open_wallet(data_dir)
        try:
            for name, password in PASSWORDS.items():
                fund_new_account(ctx, ctx.keys.create(name, password))
            # Deposits are up to 3.6 ether when contributions come seconds apart: plenty for the loop.
            give_test_ether(ctx, ctx.keys.account("alice").address, 10_000 * 10**18)
            alice, bob = signer_for(ctx, "alice", PASSWORDS["alice"]), signer_for(ctx, "bob", PASSWORDS["bob"])
            reputation = contribute(ctx, alice, GOOD, "Positive")
            refund_targets = [
                contribute(ctx, alice, f"{EXTRA[i]} {SHORT_GOOD}", "Positive").id for i in range(len(STAGES))
            ]
            bad = [contribute(ctx, bob, f"{EXTRA[i]} {SHORT_BAD}", "Positive") for i in range(len(STAGES))]
            advance_clock(ctx, DAY + 60)
            claim_refund(ctx, alice, reputation.id)
            statuses = {s.id: s.status for s in own_contributions(ctx, alice.address)}
            assert all(statuses[i] == "refundable" for i in refund_targets), statuses
            rows = contributions.list_for(ctx.db, ctx.chain_key, ctx.require_deployment().trainer)
            assert len({(r.data, r.label, r.author) for r in rows}) == len(rows)  # so counting events is exact
            report_targets = []
            for b in bad:
                stored = contributions.get(ctx.db, b.id)
                assert stored.state == ContributionState.ADDED
                report_targets.append(
                    contribution_key(list(stored.data), stored.label, stored.added_time, stored.author)
                )
        finally:
            ctx.close()
        yield Shared(data_dir, refund_targets, report_targets)
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(autouse=True)
def cheap_keys_everywhere(shared, monkeypatch):
    monkeypatch.setenv(TEST_SCRYPT_ENV, str(2**4))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")


@pytest.mark.parametrize("stage", STAGES)
def test_kill_during_contribute(shared: Shared, stage: str) -> None:
    text = f"{EXTRA[len(STAGES) + STAGES.index(stage)]} {SHORT_GOOD}"
    run = run_child(shared.data_dir, "contribute", stage, "alice", "Positive", text)
    assert_killed_at(run, stage)

    ctx = open_checked(shared.data_dir)
    try:
        [row] = [
            r for r in contributions.list_for(ctx.db, ctx.chain_key, ctx.require_deployment().trainer) if r.text == text
        ]  # what was typed survived the kill
        expected_before = ContributionState.SENDING if stage in JOURNALED else ContributionState.DRAFT
        assert row.state == expected_before
        resolutions = resolve_journal(ctx)
        outcome = {r.tx_hash: r.outcome for r in resolutions}
        if stage == "sending":
            assert outcome == {row.tx_hash: "rebroadcast"}  # never reached the node: sent again, once
        elif stage == "waiting for the receipt":
            assert outcome == {row.tx_hash: "mined"}  # already mined: only recorded
        else:
            assert outcome == {}
        row = contributions.get(ctx.db, row.id)
        count = add_data_count(ctx, row.data, row.label, row.author)
        if stage in JOURNALED:
            assert (row.state, count) == (ContributionState.ADDED, 1)
            assert row.added_time is not None and row.cost is not None and row.block_number is not None
        else:
            assert (row.state, count) == (ContributionState.DRAFT, 0)
        check_contributions_consistent(ctx)
        assert resolve_journal(ctx) == []  # resolving twice changes nothing
    finally:
        ctx.close()


@pytest.mark.parametrize("stage", STAGES)
def test_kill_during_refund(shared: Shared, stage: str) -> None:
    target = shared.refund_targets[STAGES.index(stage)]
    run = run_child(shared.data_dir, "refund", stage, "alice", str(target))
    assert_killed_at(run, stage)

    ctx = open_checked(shared.data_dir)
    try:
        stored = contributions.get(ctx.db, target)
        resolutions = resolve_journal(ctx)
        if stage in JOURNALED:
            assert [(r.kind, r.outcome) for r in resolutions] == [
                ("refund", "rebroadcast" if stage == "sending" else "mined")
            ]
        else:
            assert resolutions == []
            # Nothing reached the chain: the user claims again, and that works.
            assert own_contributions_status(ctx, target) == "refundable"
            claim_refund(ctx, signer_for(ctx, "alice", PASSWORDS["alice"]), target)
        assert own_contributions_status(ctx, target) == REFUNDED
        paid = [
            c
            for c in paid_calls(ctx, REFUND_EVENT, "refund")
            if tuple(c["data"]) == stored.data and c["addedTime"] == stored.added_time
        ]
        assert len(paid) == 1, paid
        with pytest.raises(RevertError, match="already claimed|Nothing is left to claim"):
            claim_refund(ctx, signer_for(ctx, "alice", PASSWORDS["alice"]), target)
        check_contributions_consistent(ctx)
    finally:
        ctx.close()


def own_contributions_status(ctx: WalletContext, contribution_id: int) -> str:
    return {s.id: s.status for s in own_contributions(ctx)}[contribution_id]


@pytest.mark.parametrize("stage", STAGES)
def test_kill_during_report(shared: Shared, stage: str) -> None:
    key = shared.report_targets[STAGES.index(stage)]
    run = run_child(shared.data_dir, "report", stage, "alice", key)
    assert_killed_at(run, stage)

    ctx = open_checked(shared.data_dir)
    try:
        resolutions = resolve_journal(ctx)
        alice = signer_for(ctx, "alice", PASSWORDS["alice"])
        if stage in JOURNALED:
            assert [(r.kind, r.outcome) for r in resolutions] == [
                ("report", "rebroadcast" if stage == "sending" else "mined")
            ]
        else:
            assert resolutions == []
            report(ctx, alice, key)  # nothing was sent: report again
        reports = [
            c
            for c in paid_calls(ctx, REPORT_EVENT, "report")
            if contribution_key(list(c["data"]), c["classification"], c["addedTime"], c["originalAuthor"]) == key
        ]
        assert len(reports) == 1 and reports[0]["from"] == alice.address, reports
        bob = [s for s in own_contributions(ctx) if s.stored.author == ctx.keys.account("bob").address]
        [taken] = [
            s
            for s in bob
            if contribution_key(list(s.stored.data), s.stored.label, s.stored.added_time, s.stored.author) == key
        ]
        assert taken.status == "taken"
        with pytest.raises(Exception, match="No contribution"):
            report(ctx, alice, key)  # no longer reportable by alice
        check_contributions_consistent(ctx)
    finally:
        ctx.close()


def test_kill_at_random_moments_of_a_contribution_loop(shared: Shared) -> None:
    """SIGKILL from outside at random times, often inside the embedded chain's block write."""
    rng = random.Random(20260312)
    env = child_env()
    reported_added: list[int] = []
    for round_ in range(3):
        command = [
            sys.executable,
            "-m",
            "tests.support.crash_child",
            str(shared.data_dir),
            "loop",
            "-",
            "alice",
            PASSWORDS["alice"],
            "Positive",
            "40",
            str(40 * round_),
        ]  # new reviews every round
        child = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line == "ready\n", line + child.stderr.read()
        first = child.stdout.readline()  # at least one contribution went through before the kill
        assert first.startswith("added "), first + child.stderr.read()
        time.sleep(rng.uniform(0.0, 0.6))
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate(timeout=30)
        assert child.returncode == -signal.SIGKILL, out
        # A line cut by the kill could be a prefix of a number: trust only lines that ended with a newline.
        lines = [first] + out.split("\n")[:-1]
        reported_added += [int(x.split()[1]) for x in lines if x.startswith("added ")]

        ctx = open_checked(shared.data_dir)
        try:
            resolve_journal(ctx)
            rows = {r.id: r for r in check_contributions_consistent(ctx)}
            for cid in reported_added:  # what the child saw added is still added
                assert rows[cid].state == ContributionState.ADDED
            loop_rows = [r for r in rows.values() if r.text.startswith(crash_child.LOOP_BASE)]
            assert len({r.data for r in loop_rows}) == len(loop_rows)  # distinct reviews, so counts are exact
        finally:
            ctx.close()
    assert len(reported_added) >= 3
