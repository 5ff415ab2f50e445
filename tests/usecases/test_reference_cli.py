"""The reference framework's own IMDB demo contracts (../shared/data/reference, compiled unchanged, deployed as its
migration does) driven end to end through the CLI, on the embedded chain and on anvil: added with the reference's
model file and vocabulary, predict, contribute, an early refund refused, the refund after the wait, a wrong label
from a second account reported by the first. The Points64 variant: no deposit, points instead of ether."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import pytest
from eth_account import Account

from dacwallet.chain.embedded import FAUCET_PRIVATE_KEY
from dacwallet.chain.transactions import TransactionSender
from dacwallet.usecases.context import open_wallet
from tests.support.chains import DevChain, needs_hardhat, run_anvil, run_hardhat
from tests.support.reference import ReferenceIncentive, ReferenceStack, deploy_imdb_demo
from tests.support.shared_data import REFERENCE_MODEL, REFERENCE_VOCAB
from tests.usecases.conftest import Cli, funding_new_accounts

pytestmark = [
    pytest.mark.slow,
    pytest.mark.usefixtures("reference_contracts_path", "reference_model_path", "reference_vocab_path"),
]

# Lower-case, no punctuation: the reference client splits on whitespace only, so "film," would be an unknown word.
GOOD = "a wonderful film with brilliant acting and a great story one of the best this year"
BAD = "boring and awful the worst film i have seen bad acting bad plot terrible waste of time"
WAIT = 16  # past the demo's 15 s refund wait, short of its 20 s any-address wait


def add_reference(cli: Cli, stack: ReferenceStack) -> None:
    no_vocab = cli.ok("deployment", "add", stack.trainer, "--model-file", str(REFERENCE_MODEL), "--json").json()
    assert no_vocab["model"] == "sparse_perceptron" and no_vocab["vocab_file"] is None
    cli.ok("deployment", "use", stack.trainer)  # the embedded chain's default model stays active otherwise
    missing = cli("predict", GOOD)
    assert missing.code == 1 and "not its vocabulary" in missing.err and "Traceback" not in missing.err
    added = cli.ok("deployment", "add", stack.trainer, "--vocab", str(REFERENCE_VOCAB), "--json").json()
    assert added["vocab_file"] == str(REFERENCE_VOCAB.resolve())


def stakeable_story(cli: Cli, stack: ReferenceStack, advance: Callable[[int], None]) -> None:
    alice = cli.ok("account", "new", "alice", "--json", stdin="alice-quiet-harbor-71\n").json()
    cli.ok("account", "new", "bob", "--json", stdin="bob-lantern-orbit-42\n")
    add_reference(cli, stack)
    good = cli.ok("predict", GOOD, "--json").json()
    assert good["prediction"] == "Positive" and good["mirror_agrees"] is True
    assert 1337 in cli.ok("predict", "a great movie with zzzunknown words", "--json").json()["features"]
    preview = cli.ok("predict", BAD, "--label", "Positive", "--account", "bob", "--json").json()
    assert preview["prediction"] == "Negative" and preview["can_send"] is True and preview["advice"]

    advance(3600)
    added = cli.ok(
        "contribute",
        "--account",
        "alice",
        "--password-stdin",
        "--label",
        "Positive",
        GOOD,
        "--json",
        stdin="alice-quiet-harbor-71\n",
    ).json()
    assert added["state"] == "added" and added["model_says"] == "Positive" and int(added["deposit_wei"]) > 0
    early = cli("refund", str(added["id"]), "--account", "alice", "--password-stdin", stdin="alice-quiet-harbor-71\n")
    # The contract's own words, bare on every node (Hardhat wraps them in "VM Exception while processing ...").
    assert early.code == 1 and "refused by the contract" in early.err and "Traceback" not in early.err
    assert "VM Exception" not in early.err and "execution reverted" not in early.err

    advance(WAIT)
    assert cli.ok("contributions", "--account", "alice", "--json").json()[0]["status"] == "refundable"
    refunds = cli.ok(
        "refund", "--all", "--account", "alice", "--password-stdin", "--json", stdin="alice-quiet-harbor-71\n"
    ).json()
    assert [r["error"] for r in refunds] == [None] and refunds[0]["amount_eth"] == added["deposit_eth"]
    assert cli.ok("contributions", "--account", "alice", "--json").json()[0]["status"] == "refunded"

    bad_sent = time.monotonic()
    bad = cli.ok(
        "contribute",
        "--account",
        "bob",
        "--password-stdin",
        "--label",
        "Positive",
        BAD,
        "--json",
        stdin="bob-lantern-orbit-42\n",
    ).json()
    assert bad["model_says"] == "Negative"
    # The wrong label moved the weights of its words (index 1337 included): the mirror still equals the chain.
    again = cli.ok("predict", BAD + " zzzunknown", "--json").json()
    assert again["mirror_agrees"] is True and again["prediction"] == "Negative"
    advance(WAIT)
    status = cli.ok("contributions", "--account", "bob", "--json").json()[0]["status"]
    # The chain's clock is wall time plus the jumps: it leaves the 15-20 s window 4 s after the contribution.
    # Within 3 s (a second's margin for whole-second block times) it must say "at risk"; later, on a loaded
    # machine, it may already be open to anyone.
    assert status == "at risk" or (status == "open to anyone" and time.monotonic() - bad_sent >= 3), status
    listed = cli.ok("reportable", "--account", "alice", "--json").json()
    assert len(listed) == 1 and listed[0]["reward_eth"] == pytest.approx(bad["deposit_eth"])
    reported = cli.ok(
        "report",
        listed[0]["id"][:12],
        "--account",
        "alice",
        "--password-stdin",
        "--json",
        stdin="alice-quiet-harbor-71\n",
    ).json()
    assert reported["reward_eth"] == pytest.approx(bad["deposit_eth"])
    taken = cli.ok("contributions", "--account", "bob", "--json").json()[0]
    assert taken["status"] == "taken" and taken["taken_by"][0]["by"] == alice["address"]


def points_story(cli: Cli, stack: ReferenceStack, advance: Callable[[int], None]) -> None:
    cli.ok("account", "new", "alice", "--json", stdin="alice-quiet-harbor-71\n")
    cli.ok("account", "new", "bob", "--json", stdin="bob-lantern-orbit-42\n")
    add_reference(cli, stack)
    assert cli.ok("deployment", "list", "--json").json()[-1]["incentive"] == "points"
    # Points, never "0 ETH": no deposit, and what a refund earns as the contract counts it.
    status = cli.ok("status", "--json").json()
    assert status["pays"] == "points" and "deposit_eth" not in status
    assert "no deposit — this model pays points" in cli.ok("status").out and "ETH" not in cli.ok("status").out
    preview = cli.ok("predict", GOOD, "--label", "Positive", "--account", "alice", "--json").json()
    assert preview["deposit"] == "no deposit — this model pays points" and preview["refund_earns_points"] == 1
    assert preview["can_send"] is True and "deposit_eth" not in preview
    added = cli.ok(
        "contribute",
        "--account",
        "alice",
        "--password-stdin",
        "--label",
        "Positive",
        GOOD,
        "--json",
        stdin="alice-quiet-harbor-71\n",
    ).json()
    assert added["state"] == "added" and added["pays"] == "points" and "deposit_wei" not in added
    assert "ETH" not in cli.ok("contributions", "--account", "alice").out
    advance(WAIT)
    refunds = cli.ok(
        "refund", "--all", "--account", "alice", "--password-stdin", "--json", stdin="alice-quiet-harbor-71\n"
    ).json()
    assert [r["error"] for r in refunds] == [None] and refunds[0]["amount_points"] == 1
    mine = cli.ok("contributions", "--account", "alice", "--json").json()[0]
    assert mine["status"] == "refunded" and mine["points"] == 1 and "deposit_eth" not in mine

    bad = cli.ok(
        "contribute",
        "--account",
        "bob",
        "--password-stdin",
        "--label",
        "Positive",
        BAD,
        "--json",
        stdin="bob-lantern-orbit-42\n",
    ).json()
    assert bad["model_says"] == "Negative"
    advance(WAIT)
    listed = cli.ok("reportable", "--account", "alice", "--json").json()
    assert len(listed) == 1 and listed[0]["reward_points"] == 0 and "reward_eth" not in listed[0]
    reported = cli.ok(
        "report", listed[0]["id"][:12], "--account", "alice", "--password-stdin", stdin="alice-quiet-harbor-71\n"
    ).out
    assert "earned=0 points" in reported and "ETH" not in reported
    # The activity list: what each claim earned in points; the contributions' details say they took no deposit.
    rows = cli.ok("activity", "--account", "alice", "--json").json()
    earned = {r["kind"]: r.get("received_points") for r in rows if r["kind"] in ("refund", "report")}
    assert earned == {"refund": 1, "report": 0}
    assert all("received_eth" not in r for r in rows if r["kind"] in ("refund", "report"))
    assert all("no deposit" in r["detail"] for r in rows if r["kind"] == "contribution")


def embedded_cli(tmp_path, capsys, incentive: ReferenceIncentive) -> tuple[Cli, ReferenceStack]:
    ctx = open_wallet(tmp_path)
    try:
        stack = deploy_imdb_demo(TransactionSender(ctx.w3, Account.from_key(FAUCET_PRIVATE_KEY)), incentive)
    finally:
        ctx.close()
    cli = Cli(tmp_path, "embedded", capsys)
    return cli, stack


def node_cli(node: DevChain, tmp_path, capsys, incentive: ReferenceIncentive) -> tuple[Cli, ReferenceStack]:
    stack = deploy_imdb_demo(node.sender(0), incentive)
    return funding_new_accounts(Cli(tmp_path, node.w3.provider.endpoint_uri, capsys), node), stack


@pytest.mark.parametrize(
    "story, incentive",
    [(stakeable_story, ReferenceIncentive()), (points_story, ReferenceIncentive(kind="points"))],
    ids=["stakeable", "points"],
)
def test_embedded(tmp_path, capsys, story, incentive) -> None:
    cli, stack = embedded_cli(tmp_path, capsys, incentive)
    story(cli, stack, lambda seconds: cli.ok("chain", "advance", f"{seconds}s"))


@pytest.mark.anvil
@pytest.mark.parametrize(
    "story, incentive",
    [(stakeable_story, ReferenceIncentive()), (points_story, ReferenceIncentive(kind="points"))],
    ids=["stakeable", "points"],
)
def test_anvil(tmp_path, capsys, story, incentive) -> None:
    with run_anvil() as node:
        cli, stack = node_cli(node, tmp_path, capsys, incentive)
        story(cli, stack, node.advance)


@pytest.mark.hardhat
@needs_hardhat
def test_hardhat(tmp_path, capsys) -> None:
    """A second node implementation: its wrapped revert wording is shown as the contract's bare reason."""
    with run_hardhat() as node:
        cli, stack = node_cli(node, tmp_path, capsys, ReferenceIncentive())
        stakeable_story(cli, stack, node.advance)


def test_a_model_file_that_does_not_match_is_refused(tmp_path, capsys) -> None:
    cli, stack = embedded_cli(tmp_path, capsys, ReferenceIncentive())
    other = json.loads(REFERENCE_MODEL.read_text())
    other["weights"][999] += 1.0  # the last weight is always among those spot-checked
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps(other))
    refused = cli("deployment", "add", stack.trainer, "--model-file", str(wrong))
    assert refused.code == 1 and "weight 999" in refused.err
    cli.ok("deployment", "add", stack.trainer)  # nothing was added by the refusal
    not_vocab = cli("deployment", "add", stack.trainer, "--vocab", str(wrong))
    assert not_vocab.code == 1 and "not an IMDB vocabulary" in not_vocab.err
