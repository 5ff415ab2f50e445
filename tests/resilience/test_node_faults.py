"""The indexer and the wallet behind a real fault-injecting JSON-RPC proxy in front of anvil: delays,
dropped connections, lost answers, 429 with Retry-After, 502, eth_getLogs range/size errors,
malformed JSON, reorgs and a node restarted at the same address. They keep working or say clearly
what is wrong, and end consistent with the chain."""

from __future__ import annotations

import pytest

from dacwallet.store.db import open_database
from dacwallet.sync.indexer import Indexer
from tests.resilience import node_faults as nf
from tests.resilience.harness import cheap_test_env, http_w3
from tests.support.rpc_proxy import RpcProxy

pytestmark = pytest.mark.anvil


@pytest.fixture(scope="module")
def busy(node):
    chain = nf.dev_chain(node.url)
    return chain, nf.busy_deployment(chain)


@pytest.fixture(scope="module")
def wallet(node, tmp_path_factory):
    """A data folder on the proxy with the default model and an imported account."""
    with cheap_test_env(), RpcProxy(node.url) as proxy:
        yield nf.wallet_on(node.url, proxy, tmp_path_factory.mktemp("wallet"))


def test_the_proxy_passes_through_and_injects_each_fault(node) -> None:
    direct = http_w3(node.url).eth.block_number
    rule = {0: "429:0", 1: "range", 2: "malformed", 3: "down"}
    with RpcProxy(node.url, lambda method, params, n: rule.get(n) if method == "eth_chainId" else None) as proxy:
        w3 = http_w3(proxy.url, timeout=5)
        assert w3.eth.block_number == direct
        w3.provider.exception_retry_configuration = None  # see each fault, not web3's own retries
        seen = []
        for _ in range(5):
            try:
                seen.append(w3.provider.make_request("eth_chainId", []).get("error", {}).get("message", "ok"))
            except Exception as exc:
                seen.append(type(exc).__name__)
    assert seen == ["HTTPError", "block range too large", "JSONDecodeError", "HTTPError", "ok"]
    assert proxy.faults == {"429": 1, "range": 1, "malformed": 1, "down": 1}


def test_indexer_survives_transport_and_range_faults(node, busy, tmp_path) -> None:
    _, deployment = busy
    tally = nf.indexer_under_faults(
        node.url,
        deployment,
        tmp_path,
        rounds=3,
        seed=7,
        rate=0.15,
        kinds=nf.TRANSPORT_FAULTS + nf.LOG_FAULTS,
        name="indexer",
    )
    assert tally.tried == 3 and tally.survived == 3 and tally.lost == 0, tally.failures


def test_a_node_that_only_takes_small_log_ranges_is_paged_down_to_them(node, busy, tmp_path) -> None:
    _, deployment = busy
    limit = 40

    def rule(method, params, n):
        if method != "eth_getLogs":
            return None
        spec = params[0]
        width = int(spec["toBlock"], 16) - int(spec["fromBlock"], 16) + 1
        return ("range" if n % 2 else "results") if width > limit else None

    with RpcProxy(node.url, rule) as proxy:
        conn = open_database(tmp_path / "paged.sqlite")
        report = Indexer(
            http_w3(proxy.url), conn, nf.CHAIN_KEY, deployment, initial_range=2000, retry=nf.FAST_RETRY
        ).sync()
        got = nf.dump(conn)
    assert report.range_shrinks >= 5 and proxy.faults["range"] and proxy.faults["results"]
    assert nf.rows_lost(got, nf.clean_dump(node.url, deployment, tmp_path / "clean.sqlite")) == 0


def test_indexer_survives_malformed_json(node, busy, tmp_path) -> None:
    _, deployment = busy
    tally = nf.indexer_under_faults(
        node.url, deployment, tmp_path, rounds=2, seed=3, rate=0.2, kinds=("malformed", "truncated"), name="malformed"
    )
    assert tally.lost == 0  # the data always ends right once the node is healthy again
    assert tally.survived == tally.tried, tally.failures


def test_reorgs_roll_back_and_end_like_a_clean_sync(busy, tmp_path) -> None:
    chain, deployment = busy
    tally = nf.reorgs(chain, deployment, tmp_path, rounds=4, seed=11)
    assert tally.tried == 4 and tally.survived == 4 and tally.lost == 0, tally.failures


def test_a_lost_answer_to_the_send_is_never_sent_twice(node, wallet) -> None:
    """The node takes the transaction but the answer is lost: the next run finds it; one AddData, stored added."""
    wallet.proxy.set_rule(lambda method, params, n: "lose" if method == "eth_sendRawTransaction" else None)
    text = "wonderful brilliant moving great score"
    first = wallet.cli("contribute", "--password-stdin", "--label", "Positive", text, stdin=wallet.password + "\n")
    wallet.proxy.set_rule(nf.no_faults)
    assert first.code != 0  # it did not hear back from the node
    assert wallet.cli("contributions").code == 0  # the next run settles the journal
    tally = nf.Tally("lose")
    assert nf.contributions_lost(node.url, wallet, [(text, first.code)], tally) == 0, tally.failures
    rows = _rows(wallet)
    assert rows[text] == "added"


def test_status_when_the_node_drops_a_call_says_so(wallet) -> None:
    wallet.proxy.set_rule(lambda method, params, n: "drop" if method == "eth_call" else None)
    try:
        run = wallet.cli("status")
    finally:
        wallet.proxy.set_rule(nf.no_faults)
    assert run.crash is None, run.crash
    assert run.code == 1 and "not answering" in run.err


def test_wallet_under_random_faults_never_loses_or_doubles_a_contribution(node, wallet) -> None:
    tally = nf.wallet_under_faults(node.url, wallet, rounds=10, seed=5, rate=0.08)
    assert tally.tried == 10
    assert tally.lost == 0, tally.failures


@pytest.mark.slow
def test_a_restarted_node_is_reported_as_reset_and_the_wallet_goes_on(tmp_path) -> None:
    tally = nf.node_reset(tmp_path)
    assert tally.survived == tally.tried and tally.tried >= 8, tally.failures


def _rows(setup: nf.WalletSetup) -> dict[str, str]:
    conn = open_database(setup.data_dir)
    try:
        return {row["text"]: row["state"] for row in conn.execute("SELECT text, state FROM contributions")}
    finally:
        conn.close()
