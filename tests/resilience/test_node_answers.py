"""A node that answers with the wrong shape or size, through the real fault-injecting proxy in front of anvil:
each answer is refused with a message (exit 1), nothing is taken from it, and the wallet works again once the
node answers properly. Also `refund --all` when every refund fails."""

from __future__ import annotations

import pytest

from tests.resilience import node_faults as nf
from tests.resilience.harness import cheap_test_env, http_w3
from tests.support.rpc_proxy import RpcProxy, no_faults

pytestmark = pytest.mark.anvil
GOOD = "A wonderful film: brilliant acting, a moving story and a great score."


@pytest.fixture(scope="module")
def wallet(node, tmp_path_factory):
    with cheap_test_env(), RpcProxy(node.url) as proxy:
        yield nf.wallet_on(node.url, proxy, tmp_path_factory.mktemp("wallet"))


def contribute(wallet, text: str):
    return wallet.cli(
        "contribute", "--password-stdin", "--label", "Positive", text, "--json", stdin=wallet.password + "\n"
    )


@pytest.mark.parametrize(
    "method, result, command, says", nf.WRONG_SHAPES, ids=[f"{m}={r[:12]}" for m, r, _, _ in nf.WRONG_SHAPES]
)
def test_an_answer_of_the_wrong_shape_is_refused_and_the_wallet_goes_on(wallet, method, result, command, says):
    assert nf.wrong_shape_failure(wallet, method, result, command, says) is None


def test_a_balance_of_the_wrong_shape_is_never_shown_as_a_number(wallet) -> None:
    wallet.proxy.set_rule(lambda m, params, n: "result:[1, 2]" if m == "eth_getBalance" else None)
    try:
        run = wallet.cli("account", "list", "--json")
    finally:
        wallet.proxy.set_rule(no_faults)
    assert run.crash is None and run.code in (0, 1), (run.err, run.crash)
    assert run.code == 1 or run.json_value()[0]["balance_wei"] is None


def test_refund_all_exits_1_when_every_refund_tried_failed(wallet, node) -> None:
    text = "Great acting and a brilliant, moving story: a memorable film to see again."
    assert contribute(wallet, text).code == 0
    w3 = http_w3(node.url)
    w3.provider.make_request("evm_increaseTime", [2 * 86_400])
    w3.provider.make_request("anvil_mine", ["0x1"])
    alice = wallet.cli("account", "list", "--json").json_value()[0]
    balance = int(alice["balance_wei"])
    w3.provider.make_request("anvil_setBalance", [alice["address"], "0x0"])  # it cannot pay for any refund now
    try:
        run = wallet.cli("refund", "--all", "--password-stdin", "--json", stdin=wallet.password + "\n")
    finally:
        w3.provider.make_request("anvil_setBalance", [alice["address"], hex(balance)])
    assert run.crash is None and run.code == 1 and run.err.startswith("dacwallet: "), (run.err, run.crash)
    statuses = {c["text"]: c["status"] for c in wallet.cli("contributions", "--json").json_value()}
    assert statuses[text[:60]] == "refundable"  # nothing was refunded, and nothing lost
    done = wallet.cli("refund", "--all", "--password-stdin", "--json", stdin=wallet.password + "\n")
    assert done.code == 0 and done.json_value() and all(r["error"] is None for r in done.json_value()), done.err
