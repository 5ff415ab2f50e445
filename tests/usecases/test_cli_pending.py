"""`dacwallet tx list / cancel / speed-up` and the fee options, end to end on anvil with automine off."""

from __future__ import annotations

import pytest

from dacwallet.store import contributions
from dacwallet.store.lifecycle import ContributionState
from dacwallet.usecases.sending import receipt_wait_cap
from tests.support.chains import needs_anvil
from tests.support.pending_chain import PASSWORD, PendingChain, pending_chain
from tests.usecases.conftest import Cli

pytestmark = [pytest.mark.anvil, needs_anvil]
GOOD = "A wonderful film: brilliant acting, a moving story and a great score."
OTHER = "Great camera work, a moving story and the best score this year."


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    with pending_chain(tmp_path_factory.mktemp("wallet")) as made:
        yield made


def contribute_stuck(cli: Cli, chain: PendingChain, text: str) -> dict:
    """Sends with the lowest fee the node takes and no block mined: the command gives up waiting, it stays pending."""
    chain.automine(False)
    base_gwei = str(chain.node.w3.eth.get_block("latest")["baseFeePerGas"] / 1e9)
    with receipt_wait_cap(0.5):  # wait half a second for the receipt, not two minutes
        run = cli(
            "contribute",
            "--password-stdin",
            "--label",
            "Positive",
            "--max-fee-gwei",
            base_gwei,
            "--priority-fee-gwei",
            "0",
            text,
            stdin=f"{PASSWORD}\n",
        )
    assert run.code == 1 and "not mined within" in run.err, run.err
    [listed] = cli.ok("tx", "list", "--json").json()
    return listed


def test_tx_list_cancel_and_speed_up(chain: PendingChain, capsys) -> None:
    cli = Cli(chain.data_dir, chain.url, capsys)
    assert cli.ok("tx", "list", "--json").json() == []
    high = cli(
        "contribute", "--password-stdin", "--label", "Positive", "--max-fee-gwei", "1000", GOOD, stdin=f"{PASSWORD}\n"
    )
    assert high.code == 1 and "more than 10x" in high.err and "confirm it explicitly (--allow-high-fee" in high.err
    negative = cli(
        "contribute", "--password-stdin", "--label", "Positive", "--max-fee-gwei", "-2", GOOD, stdin=f"{PASSWORD}\n"
    )
    assert negative.code == 1 and "cannot be negative" in negative.err

    try:
        listed = contribute_stuck(cli, chain, GOOD)
        assert listed["known_to_node"] is True and listed["priority_fee_gwei"] == "0" and listed["kind"] == "contribute"
        assert listed["account"] == chain.node.w3.to_checksum_address(listed["account"])
        assert isinstance(listed["age_s"], int) and listed["max_cost_eth"] > 0

        wrong = cli("tx", "cancel", "0x" + "ab" * 32, "--password-stdin", stdin=f"{PASSWORD}\n")
        assert wrong.code == 1 and "No transaction" in wrong.err
        cancelled = cli.ok("tx", "cancel", listed["hash"], "--password-stdin", "--json", stdin=f"{PASSWORD}\n").json()
        assert cancelled["replaced"] == listed["hash"] and cancelled["kind"] == "cancel"
        assert float(cancelled["max_fee_gwei"]) > float(listed["max_fee_gwei"])
        [now] = cli.ok("tx", "list", "--json").json()
        assert now["hash"] == cancelled["tx"] and now["replaces"] == [listed["hash"]]
        assert now["action"].endswith("cancelling")
        chain.mine()
        assert cli.ok("tx", "list", "--json").json() == []
        newest = cli.ok("contributions", "--json").json()[0]
        assert (newest["text"], newest["status"]) == (GOOD[:60], "cancelled")

        other = contribute_stuck(cli, chain, OTHER)
        faster = cli.ok("tx", "speed-up", other["hash"], "--password-stdin", "--json", stdin=f"{PASSWORD}\n").json()
        assert faster["replaced"] == other["hash"] and faster["kind"] == "contribute"
        chain.mine()
        assert cli.ok("tx", "list").out.strip() == "(none)"
        newest = cli.ok("contributions", "--json").json()[0]
        assert (newest["text"], newest["status"]) == (OTHER[:60], "waiting")  # added, by the replacement
        again = cli("tx", "speed-up", other["hash"], "--password-stdin", stdin=f"{PASSWORD}\n")
        assert again.code == 1 and "no longer pending" in again.err
    finally:
        chain.automine(True)
    ctx = chain.open()
    try:
        rows = contributions.list_for(ctx.db, ctx.chain_key, chain.trainer)
        # The refused high fee left a failed row (a negative one is refused before anything is saved).
        assert [r.state for r in rows if r.text == GOOD] == [ContributionState.CANCELLED, ContributionState.FAILED]
    finally:
        ctx.close()
