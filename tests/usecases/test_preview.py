"""The chain preview on the embedded chain, checked against facts read from the chain itself: the gas
(the node's estimate times the margin, within the block limit), the most the fee can be (gas x max fee per
gas), the deposit and the refund date; the same through `dacwallet predict --label`, whose wei amounts are
strings like those of `status --json` and every other command."""

from __future__ import annotations

import math

import pytest

from dacwallet.chain.mining_time import next_block_time
from dacwallet.chain.transactions import GAS_MARGIN
from dacwallet.cli.output import format_time
from dacwallet.contracts.deployment import trainer_contract
from dacwallet.usecases.accounts import fund_new_account
from dacwallet.usecases.amounts import eth
from dacwallet.usecases.context import WalletContext, open_wallet
from dacwallet.usecases.contribute import contribute
from dacwallet.usecases.preview import chain_preview
from dacwallet.usecases.sending import signer_for
from dacwallet.usecases.sync_mirror import current_mirror
from tests.usecases.conftest import Cli

GOOD = "A wonderful film: brilliant acting, a moving story and a great score. One of the best this year."


def max_fee_per_gas(ctx: WalletContext) -> int:
    """EIP-1559 as the wallet signs it: twice the latest base fee plus the node's suggested tip."""
    return 2 * ctx.w3.eth.get_block("latest")["baseFeePerGas"] + ctx.w3.eth.max_priority_fee


def test_chain_preview_gas_fee_and_refund_date(tmp_path) -> None:
    ctx = open_wallet(tmp_path)
    try:
        alice = ctx.keys.create("alice", "alice-quiet-harbor-71")
        fund_new_account(ctx, alice)
        trainer = trainer_contract(ctx.w3, ctx.require_deployment().trainer)
        refund_wait = trainer.functions.refundWaitTimeS().call()
        before = ctx.w3.eth.get_block("latest")
        preview = chain_preview(ctx, GOOD, "Positive", alice.address, current_mirror(ctx))
        after = ctx.w3.eth.get_block("latest")

        assert preview.blocking == [] and preview.label_name == "Positive" and preview.mirror_agrees is True
        assert preview.deposit_wei == trainer.functions.getNextAddDataCost().call() > 0
        assert 21_000 < preview.gas <= after["gasLimit"]
        call = {
            "from": alice.address,
            "to": trainer.address,
            "value": preview.deposit.send_wei + 1,
            "data": trainer.encode_abi("addData", args=[list(preview.local.indices), preview.label]),
        }
        assert preview.gas == math.ceil(ctx.w3.eth.estimate_gas(call) * GAS_MARGIN)
        assert preview.max_fee_wei == preview.gas * max_fee_per_gas(ctx)
        # Dated from the time it would be mined (the next block's), not from the latest block's.
        assert before["timestamp"] + 1 + refund_wait <= preview.refund_at <= next_block_time(ctx.w3) + refund_wait

        # Contributing now signs that gas limit and fee cap; its refund date is the preview's (or a second later
        # if the clock ticked in between).
        added = contribute(ctx, signer_for(ctx, "alice", "alice-quiet-harbor-71"), GOOD, "Positive")
        tx = ctx.w3.eth.get_transaction(added.tx_hash)
        # The preview's estimate includes the contract sending back what exceeds the deposit (often nothing is sent
        # back, so less is used); the deposit's square root may take a step more a moment later: a few gas.
        assert tx["gas"] <= preview.gas + preview.gas // 500
        assert added.block_number == after["number"] + 1
        assert 0 <= added.added_time + refund_wait - preview.refund_at <= added.added_time - after["timestamp"]
        assert added.cost <= preview.deposit_wei and tx["value"] <= preview.deposit.send_wei  # it only falls

        # An account without ether: the preview says so instead of failing (the node will not even estimate).
        bob = ctx.keys.create("bob", "bob-lantern-orbit-42")
        poor = chain_preview(ctx, GOOD, "Positive", bob.address)
        assert poor.gas is None and poor.max_fee_wei is None
        assert len(poor.blocking) == 1 and poor.blocking[0].startswith("Not enough ether: the deposit needs")
    finally:
        ctx.close()


@pytest.mark.slow
def test_predict_with_a_label_previews_gas_fee_and_refund_date(tmp_path, capsys) -> None:
    cli = Cli(tmp_path, "embedded", capsys)
    alice = cli.ok("account", "new", "alice", "--json", stdin="alice-quiet-harbor-71\n").json()
    plain = cli.ok("predict", GOOD).out
    assert "prediction=Positive" in plain and "refund_from=" in plain and "gas=" not in plain
    free = cli.ok("predict", GOOD, "--json").json()
    shown = cli.ok("predict", GOOD, "--label", "Positive", "--json").json()  # the only account: alice
    status = cli.ok("status", "--json").json()
    no_label = cli("predict", GOOD, "--account", "alice")
    assert no_label.code == 1 and "--label" in no_label.err

    ctx = open_wallet(tmp_path)  # the facts, read after the CLI (no block was mined in between)
    try:
        deployment = ctx.require_deployment()
        trainer = trainer_contract(ctx.w3, deployment.trainer)
        deposit = trainer.functions.getNextAddDataCost().call()
        latest = ctx.w3.eth.get_block("latest")
        # Each preview is dated at the time it would have been mined (the deposit only falls as time passes).
        at = {name: p["deposit_quote"]["mined_at"] for name, p in (("free", free), ("shown", shown))}
        cost_at = {name: trainer.functions.getNextAddDataCost(t).call() for name, t in at.items()}
        refund_wait = trainer.functions.refundWaitTimeS().call()
        take_from = format_time(at["shown"] + trainer.functions.anyAddressClaimWaitTimeS().call())
        fee_per_gas = max_fee_per_gas(ctx)
        gas_limit = latest["gasLimit"]
        features = ctx.bundle.encoder.encode(GOOD)
    finally:
        ctx.close()

    assert free["prediction"] == shown["prediction"] == "Positive" and free["features"] == list(features)
    assert (int(free["deposit_wei"]), int(shown["deposit_wei"])) == (cost_at["free"], cost_at["shown"])
    assert int(free["deposit_wei"]) >= int(shown["deposit_wei"]) >= int(status["deposit_wei"]) >= deposit
    assert free["deposit"].startswith(f"Deposit now {eth(cost_at['free'])} · you send at most")
    assert free["refund_from"] == format_time(at["free"] + refund_wait)
    assert shown["refund_from"] == format_time(at["shown"] + refund_wait) and shown["anyone_may_take_from"] == take_from
    assert "gas" not in free
    assert (shown["label"], shown["model_agrees"], shown["account"]) == ("Positive", True, alice["address"])
    assert 21_000 < shown["gas"] <= gas_limit
    assert shown["max_fee_wei"] == str(shown["gas"] * fee_per_gas)
    assert shown["max_fee_eth"] == pytest.approx(shown["gas"] * fee_per_gas / 1e18)
    assert (shown["can_send"], shown["blocking"], shown["advice"]) == (True, [], [])
    assert status["model"] == deployment.name

    cli.ok("account", "new", "bob", "--json", stdin="bob-lantern-orbit-42\n")  # funded with test ether at creation
    wrong_label = cli.ok("predict", GOOD, "--label", "Negative", "--account", "bob", "--json").json()
    assert wrong_label["model_agrees"] is False and wrong_label["can_send"] is True and wrong_label["advice"]
