"""The wallet's JSON-RPC transport (dacwallet.chain.http_provider) against a real anvil behind the proxy:
answers pass through on kept-alive connections, HTTP errors keep their status and Retry-After, and every
request - a slow-loris answer, a stalled node, web3's own retries - ends by its total deadline."""

from __future__ import annotations

import time

import pytest
import requests
from web3 import Web3

from dacwallet.chain.connect import node_web3
from dacwallet.chain.http_provider import DeadlineHTTPProvider, NodeDeadlineExceeded
from dacwallet.sync.faults import Fault, classify
from tests.support.chains import anvil_binary
from tests.support.rpc_proxy import RpcProxy

pytestmark = [pytest.mark.anvil, pytest.mark.skipif(anvil_binary() is None, reason="anvil is not installed")]


def provider(url: str, deadline_s: float, retries: bool = True) -> DeadlineHTTPProvider:
    made = DeadlineHTTPProvider(url, deadline_s=deadline_s)
    if not retries:
        made.exception_retry_configuration = None
    return made


def test_answers_pass_through_with_the_connection_kept_alive(anvil) -> None:
    with RpcProxy(anvil.w3.provider.endpoint_uri) as proxy:
        w3 = Web3(provider(proxy.url, 5))
        assert w3.eth.chain_id == 31337
        assert [w3.eth.block_number for _ in range(20)] == [anvil.w3.eth.block_number] * 20
        batch = w3.provider.make_batch_request([("eth_chainId", []), ("eth_blockNumber", [])])
        assert [r["result"] for r in batch][0] == "0x7a69"


def test_a_slow_loris_answer_ends_at_the_deadline(anvil) -> None:
    with RpcProxy(anvil.w3.provider.endpoint_uri, lambda method, params, n: "dribble:0.3") as proxy:
        w3 = Web3(provider(proxy.url, 1.5))
        started = time.monotonic()
        with pytest.raises(NodeDeadlineExceeded, match="did not answer within 1.5 s") as caught:
            _ = w3.eth.block_number
        took = time.monotonic() - started
    assert 1.4 < took < 2.5, took  # each byte came within the per-read timeout: only the total one stops it
    assert classify(caught.value) is Fault.TIMEOUT


def test_a_stalled_node_and_web3s_retries_end_at_the_deadline(anvil) -> None:
    rule = {"eth_blockNumber": "delay:5", "eth_chainId": "429"}
    with RpcProxy(anvil.w3.provider.endpoint_uri, lambda method, params, n: rule.get(method)) as proxy:
        w3 = Web3(provider(proxy.url, 1.0))
        for call in (lambda: w3.eth.block_number, lambda: w3.eth.chain_id):  # no answer; 429 answered at once
            started = time.monotonic()
            with pytest.raises(NodeDeadlineExceeded):
                call()
            assert time.monotonic() - started < 2.5
        assert proxy.calls["eth_chainId"] > 1  # web3 did retry the 429s, within the deadline
        w3.provider.make_request("eth_gasPrice", [])  # the connection is usable again afterwards


def test_http_errors_keep_their_status_and_retry_after(anvil) -> None:
    with RpcProxy(anvil.w3.provider.endpoint_uri, lambda method, params, n: "429:7" if n == 0 else None) as proxy:
        w3 = Web3(provider(proxy.url, 5, retries=False))
        with pytest.raises(requests.HTTPError) as caught:
            _ = w3.eth.block_number
        assert caught.value.response.status_code == 429
        assert caught.value.response.headers["retry-after"] == "7"
        assert w3.eth.block_number == anvil.w3.eth.block_number


def test_a_node_that_is_not_there_is_a_connection_error() -> None:
    from tests.support.chains import free_port

    w3 = Web3(provider(f"http://127.0.0.1:{free_port()}", 2, retries=False))
    with pytest.raises(requests.ConnectionError):
        _ = w3.eth.block_number
    assert not w3.is_connected()


def test_a_kept_alive_connection_the_server_closed_while_idle_is_replaced_unseen() -> None:
    """Servers close idle connections without warning (this one after every answer, without saying so)."""
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Closing(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            return

        def do_POST(self) -> None:
            request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            body = json.dumps({"jsonrpc": "2.0", "id": request["id"], "result": "0x2a"}).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            self.close_connection = True

    server = ThreadingHTTPServer(("127.0.0.1", 0), Closing)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        w3 = Web3(provider(f"http://127.0.0.1:{server.server_address[1]}", 5, retries=False))
        for _ in range(3):
            time.sleep(0.05)  # the server has closed the connection by now
            assert w3.eth.block_number == 42
    finally:
        server.shutdown()
        server.server_close()


def test_a_wallet_connection_asks_one_request_per_call(anvil) -> None:
    """No chain id asked before each eth_call and estimate (web3's validation layer did: two round trips to a
    remote node for every read); the chain id is checked where it matters, before each signature."""
    with RpcProxy(anvil.w3.provider.endpoint_uri) as proxy:
        w3 = node_web3(proxy.url)
        to = anvil.accounts[1].address
        for _ in range(5):
            w3.eth.call({"to": to, "data": "0x"})
            w3.eth.estimate_gas({"from": anvil.accounts[0].address, "to": to, "value": 1})
        assert proxy.calls["eth_call"] == 5 and proxy.calls["eth_estimateGas"] == 5
        assert proxy.calls["eth_chainId"] == 0
