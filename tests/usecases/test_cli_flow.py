"""End to end through the CLI on the embedded chain and on anvil: accounts, contribute, wait, refund;
a second account contributes a wrong label and the first reports it."""

from __future__ import annotations

import pytest

from dacwallet.contracts.deploy import IncentiveParams, deploy
from dacwallet.contracts.model_spec import ModelSpec
from dacwallet.ml.model_file import model_path
from tests.support.chains import needs_hardhat, run_anvil, run_hardhat
from tests.usecases.conftest import Cli, funding_new_accounts

GOOD = "A wonderful film: brilliant acting, a moving story and a great score. One of the best this year."
BAD = "Dreadful and boring. The worst acting, a stupid plot, a waste of time; awful from start to end."
DAY = 86_400


def scenario(cli: Cli, advance) -> None:
    """The shared story; `advance(seconds)` moves the chain's clock."""
    alice = cli.ok("account", "new", "alice", "--json", stdin="alice-quiet-harbor-71\n").json()
    cli.ok("account", "new", "bob", "--json", stdin="bob-lantern-orbit-42\n")
    names = [a["name"] for a in cli.ok("account", "list", "--json").json()]
    assert names == ["alice", "bob"]

    prediction = cli.ok("predict", GOOD, "--json").json()
    assert prediction["prediction"] == "Positive" and prediction["mirror_agrees"] is True
    assert cli.ok("predict", BAD, "--json").json()["prediction"] == "Negative"

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
    assert added["state"] == "added" and added["model_says"] == "Positive"
    assert float(added["deposit_eth"]) > 0

    mine = cli.ok("contributions", "--account", "alice", "--json").json()
    assert [(c["id"], c["status"]) for c in mine] == [(added["id"], "waiting")]
    too_early = cli(
        "refund", str(added["id"]), "--account", "alice", "--password-stdin", stdin="alice-quiet-harbor-71\n"
    )
    assert too_early.code == 1 and "refund wait is not over" in too_early.err

    advance(DAY)
    assert cli.ok("contributions", "--account", "alice", "--json").json()[0]["status"] == "refundable"
    wrong = cli("refund", "--all", "--account", "alice", "--password-stdin", stdin="not-her-password\n")
    assert wrong.code == 1 and "password" in wrong.err.lower()
    refunds = cli.ok(
        "refund", "--all", "--account", "alice", "--password-stdin", "--json", stdin="alice-quiet-harbor-71\n"
    ).json()
    assert [r["error"] for r in refunds] == [None] and refunds[0]["amount_eth"] == added["deposit_eth"]
    assert cli.ok("contributions", "--account", "alice", "--json").json()[0]["status"] == "refunded"

    # Bob labels a clearly negative review Positive; the model keeps disagreeing.
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
    assert bad["model_says"] == "Negative" and bad["advice"]
    assert cli.ok("reportable", "--account", "alice", "--json").json() == []  # still in its refund wait
    advance(DAY)
    assert cli.ok("contributions", "--account", "bob", "--json").json()[0]["status"] == "at risk"
    listed = cli.ok("reportable", "--account", "alice", "--json").json()
    assert len(listed) == 1 and listed[0]["reward_eth"] == pytest.approx(bad["deposit_eth"])
    assert cli.ok("reportable", "--account", "bob", "--json").json() == []  # not his own, and no reputation
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
    assert taken["status"] == "taken"
    assert taken["taken_by"] == [{"by": alice["address"], "eth": pytest.approx(bad["deposit_eth"])}]
    again = cli("report", listed[0]["id"], "--account", "alice", "--password-stdin", stdin="alice-quiet-harbor-71\n")
    assert again.code == 1

    # Alice's activity: what she signed (refusals before signing are not transactions), newest first.
    mine = cli.ok("activity", "--account", "alice", "--json").json()
    assert [(r["kind"], r["state"]) for r in mine] == [
        ("report", "mined"),
        ("refund", "mined"),
        ("contribution", "mined"),
    ]
    report_row, refund_row, added_row = mine
    assert float(report_row["received_eth"]) == pytest.approx(reported["reward_eth"])
    assert float(refund_row["received_eth"]) == pytest.approx(refunds[0]["amount_eth"])
    assert int(added_row["amount_wei"]) >= int(added["deposit_wei"]) and f"#{added['id']}" in added_row["detail"]
    assert all(int(r["fee_wei"]) > 0 and r["tx"].startswith("0x") for r in mine)
    # Times are the blocks' (the chain's clock, moved a day before the refund and again before the report), as
    # every other command shows them, not when each was signed here (seconds apart).
    assert added_row["time"] < refund_row["time"] < report_row["time"]


@pytest.mark.slow
def test_embedded(tmp_path, capsys) -> None:
    cli = Cli(tmp_path, "embedded", capsys)
    status = cli.ok("status", "--json").json()
    assert status["model"] == "imdb-default" and status["chain_id"] == 31338

    def advance(seconds: int) -> None:
        cli.ok("chain", "advance", f"{seconds}s")

    scenario(cli, advance)


@pytest.mark.slow
@pytest.mark.anvil
def test_anvil(tmp_path, capsys) -> None:
    with run_anvil() as node:
        node_flow(node, tmp_path, capsys)


@pytest.mark.slow
@pytest.mark.hardhat
@needs_hardhat
def test_hardhat(tmp_path, capsys) -> None:
    """A second node implementation (Hardhat Network): the same story."""
    with run_hardhat() as node:
        node_flow(node, tmp_path, capsys)


def node_flow(node, tmp_path, capsys) -> None:
    """The story on a node of our own (no faucet): the default model deployed, then added by address."""
    spec = ModelSpec.from_file(model_path("default"))
    deployment = deploy(
        node.sender(0),
        spec,
        IncentiveParams(refund_wait_s=DAY, owner_claim_wait_s=9 * DAY, any_address_claim_wait_s=9 * DAY),
    )
    url = node.w3.provider.endpoint_uri
    cli = Cli(tmp_path, url, capsys)
    assert cli("status").code == 0
    no_model = cli("predict", GOOD)
    assert no_model.code == 1 and "deployment add" in no_model.err
    cli.ok("deployment", "add", deployment.trainer, "--model-file", "default")
    assert cli("chain", "advance", "1d").code == 1  # only the embedded chain's clock moves

    scenario(funding_new_accounts(cli, node), node.advance)
