"""Issue 15, finding 10: on an automining node (anvil) the chain's clock stands still between transactions,
so checks made at the latest block disagree with what is mined. Here the clock moves on without a block
(evm_increaseTime, as the wall clock does between two transactions) and every check - the deposit quoted,
a second identical contribution, a refund whose wait is over, `refund --all` and `contributions` - is made
at the time the transaction will be mined, so preview, checks and the mined result agree."""

from __future__ import annotations

import pytest

from dacwallet.contracts.deploy import IncentiveParams, deploy
from dacwallet.contracts.deployment import trainer_contract
from dacwallet.contracts.model_spec import ModelSpec
from dacwallet.ml.model_file import model_path
from dacwallet.usecases.amounts import eth
from tests.support.chains import run_anvil
from tests.usecases.conftest import Cli

GOOD = "A wonderful film: brilliant acting, a moving story and a great score. One of the best this year."
DAY = 86_400


def contribute(cli: Cli) -> dict:
    return cli.ok(
        "contribute",
        "--account",
        "dev",
        "--password-stdin",
        "--label",
        "Positive",
        GOOD,
        "--json",
        stdin="dev-copper-meadow-58\n",
    ).json()


@pytest.mark.slow
@pytest.mark.anvil
def test_checks_run_at_the_mining_time_on_anvil(tmp_path, capsys) -> None:
    with run_anvil(n_accounts=2) as node:
        deployment = deploy(
            node.sender(0),
            ModelSpec.from_file(model_path("default")),
            IncentiveParams(refund_wait_s=DAY, owner_claim_wait_s=9 * DAY, any_address_claim_wait_s=9 * DAY),
        )
        trainer = trainer_contract(node.w3, deployment.trainer)
        cli = Cli(tmp_path, node.w3.provider.endpoint_uri, capsys)
        cli.ok("deployment", "add", deployment.trainer, "--model-file", "default")
        cli.ok("account", "import", "dev", stdin=f"{node.accounts[1].key.hex()}\ndev-copper-meadow-58\n")

        def time_passes(seconds: int) -> None:  # the node's clock moves on; no block is mined
            node.w3.provider.make_request("evm_increaseTime", [seconds])

        first = contribute(cli)
        largest = trainer.functions.getNextAddDataCost().call()  # at the latest block: the first one's own time
        time_passes(600)
        quoted = cli.ok("predict", GOOD, "--label", "Positive", "--account", "dev", "--json").json()["deposit_quote"]
        now, at_most = int(quoted["deposit_now_wei"]), int(quoted["send_at_most_wei"])
        assert now < largest / 20  # ten minutes after the last contribution, not the cost of the same second
        assert now <= at_most < largest
        assert [p["wait_min"] for p in quoted["curve"]][:4] == [0, 1, 5, 10]

        second = contribute(cli)  # the same text again: a new block, a new time, so not "already added"
        kept = int(second["deposit_outcome"]["kept_wei"])
        sent = int(second["deposit_outcome"]["sent_wei"])
        assert int(quoted["curve"][1]["deposit_wei"]) <= kept <= now  # mined within a minute of the quote
        assert sent <= at_most and int(second["deposit_outcome"]["returned_wei"]) == sent - kept
        tx = node.w3.eth.get_transaction(second["tx"])
        assert tx["value"] == sent
        assert second["deposit"] == (
            f"The contract kept {eth(kept)} as the deposit; of the {eth(sent)} sent, "
            f"{eth(sent - kept)} came back at once."
            if sent > kept
            else f"The contract kept all of the {eth(sent)} sent as the deposit."
        )

        time_passes(DAY)  # the first contribution's refund wait is over, though no block was mined since
        listed = {c["id"]: c for c in cli.ok("contributions", "--account", "dev", "--json").json()}
        assert listed[first["id"]]["status"] == "refundable" and listed[first["id"]]["seconds_left"] == 0
        assert listed[second["id"]]["status"] == "refundable"
        refunded = cli.ok(
            "refund", "--all", "--account", "dev", "--password-stdin", "--json", stdin="dev-copper-meadow-58\n"
        ).json()
        assert sorted(r["id"] for r in refunded if r["error"] is None) == sorted([first["id"], second["id"]])
        statuses = {c["status"] for c in cli.ok("contributions", "--account", "dev", "--json").json()}
        assert statuses == {"refunded"}
