"""The wallet CLI behind a lying JSON-RPC proxy in front of a real anvil: a node that changes its chain id
after connect, suggests an absurd tip or an absurd deposit, or dribbles its answers. Nothing is signed for
a lie; each command ends with a clear message (exit 1) and the account's nonce does not move."""

from __future__ import annotations

import pytest

from tests.resilience import lying_node as ln
from tests.resilience import node_faults as nf
from tests.resilience.harness import cheap_test_env
from tests.support.rpc_proxy import RpcProxy

pytestmark = pytest.mark.anvil


@pytest.fixture(scope="module")
def wallet(node, tmp_path_factory):
    with cheap_test_env(), RpcProxy(node.url) as proxy:
        yield nf.wallet_on(node.url, proxy, tmp_path_factory.mktemp("lying"))


def test_a_node_that_changes_its_chain_id_after_connect_gets_nothing_signed(node, wallet) -> None:
    tally = ln.network_switch(node.url, wallet)
    assert tally.tried == 3 and tally.survived == 3 and tally.lost == 0, tally.failures


def test_a_50000_gwei_tip_suggested_by_the_node_is_refused_without_confirmation(node, wallet) -> None:
    tally = ln.absurd_tip(node.url, wallet)
    assert tally.tried == 3 and tally.survived == 3 and tally.lost == 0, tally.failures


def test_a_9000_eth_deposit_is_refused_even_with_confirmation(node, wallet) -> None:
    tally = ln.absurd_deposit(node.url, wallet)
    assert tally.tried == 2 and tally.survived == 2 and tally.lost == 0, tally.failures


def test_a_slow_loris_node_fails_each_command_within_the_deadline(node, wallet) -> None:
    tally = ln.slow_loris(node.url, wallet, every_s=0.5, deadline_s=3)
    assert tally.tried == 3 and tally.survived == 3 and tally.lost == 0, tally.failures
