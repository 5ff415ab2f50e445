"""The chains a simulation runs on: a dev node's answers are held to the shapes the wallet's own connection
checks (issue 11), and the throw-away embedded chain is never the user's."""

from __future__ import annotations

import pytest

from dacwallet.chain.answers import MalformedAnswer
from dacwallet.chain.connect import NetworkSpec
from dacwallet.sim.chain import open_sim_chain
from tests.support.rpc_proxy import RpcProxy


@pytest.mark.anvil
def test_a_dev_node_answering_the_wrong_shape_is_refused() -> None:
    from tests.support.chains import run_anvil

    def rule(method: str, params: object, n: int) -> str | None:
        if method == "eth_getBlockByNumber":
            return 'result:"0x10"'  # a string where a block belongs
        if method == "eth_getBalance":
            return 'result:"lots"'
        return None

    with run_anvil(n_accounts=1) as node, RpcProxy(node.w3.provider.endpoint_uri, rule) as proxy:
        with open_sim_chain(NetworkSpec.parse(proxy.url)) as chain:
            with pytest.raises(MalformedAnswer, match="eth_getBlockByNumber"):
                chain.now()
            with pytest.raises(MalformedAnswer, match="eth_getBalance"):
                chain.fund("0x" + "11" * 20, 10**18)


def test_the_embedded_sim_chain_is_a_fresh_throw_away_one() -> None:
    with open_sim_chain(NetworkSpec()) as chain:
        folder = chain.data_dir
        assert chain.w3.eth.block_number == 0
        assert folder.is_dir()
    assert not folder.exists()
