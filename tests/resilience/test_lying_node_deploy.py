"""A deployment behind a lying node (the proxy of tests/support/rpc_proxy.py in front of a real anvil) that
suggests a 50,000 gwei tip: `deployment new` refuses it, naming the flag that confirms it, and sends nothing;
with `--allow-high-fee` every transaction of the deployment goes out at the suggested (confirmed) fee."""

from __future__ import annotations

import json

import pytest

from tests.resilience import lying_node as ln
from tests.resilience import node_faults as nf
from tests.resilience.harness import Tally, cheap_test_env, http_w3
from tests.support.rpc_proxy import RpcProxy, no_faults

pytestmark = pytest.mark.anvil

DEPLOY = ("deployment", "new", "--model", "default", "--account", "alice", "--password-stdin", "--json")


def test_a_deployment_takes_an_absurd_suggested_tip_only_when_confirmed(node, tmp_path) -> None:
    with cheap_test_env(), RpcProxy(node.url) as proxy:
        wallet = nf.wallet_on(node.url, proxy, tmp_path)
        lie = ln.suggests_tip(50_000 * ln.GWEI)
        tally = Tally("deployment with a 50,000 gwei suggested tip")
        refused = ln.attempt(
            node.url, wallet, ln.Attempt("deployment new", lie, DEPLOY, "suggests a priority fee of 50000 gwei"), tally
        )
        assert tally.survived == 1 and tally.lost == 0, tally.failures
        assert "--allow-high-fee" in refused.err and "nothing was deployed" in refused.err.lower()

        w3 = http_w3(node.url)
        start = w3.eth.block_number
        proxy.set_rule(lie)
        try:
            run = wallet.cli(*DEPLOY, "--allow-high-fee", stdin=wallet.password + "\n")
        finally:
            proxy.set_rule(no_faults)
        assert run.code == 0, (run.err, run.crash)
        sent = [
            tx
            for n in range(start + 1, w3.eth.block_number + 1)
            for tx in w3.eth.get_block(n, full_transactions=True)["transactions"]
            if tx["from"] == ln.ALICE
        ]
        assert len(sent) == json.loads(run.out)["transactions"]
        assert {tx["maxPriorityFeePerGas"] for tx in sent} == {50_000 * ln.GWEI}


def test_deployment_new_and_resume_offer_the_confirmation(tmp_path) -> None:
    for action in ("new", "resume"):
        run = nf.run_cli(tmp_path, "http://127.0.0.1:9", "deployment", action, "--help")
        assert run.code == 0 and "--allow-high-fee" in run.out, (run.err, run.crash)
