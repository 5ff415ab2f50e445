"""A fault-injecting JSON-RPC proxy: a real HTTP server on 127.0.0.1 between a client and a node.

The client talks to ``proxy.url``; each request is forwarded to ``upstream`` unless ``rule``
names a fault for it. ``rule(method, params, n)`` sees the JSON-RPC method, its params and how
many calls of that method came before (0-based), and returns None (pass through) or one of:

- ``"delay:S"``      wait S seconds, then pass through
- ``"drop"``         close the connection without an answer
- ``"429"``          HTTP 429 Too Many Requests with ``Retry-After: 0``
- ``"429:S"``        the same with ``Retry-After: S``
- ``"range"``        a JSON-RPC error "block range too large" (what geth-likes say for eth_getLogs)
- ``"results"``      a JSON-RPC error "query returned more than 10000 results"
- ``"malformed"``    HTTP 200 with a body that is not JSON
- ``"truncated"``    HTTP 200 with half of the node's real answer
- ``"down"``         HTTP 502 Bad Gateway (a load balancer in front of a node that is away)
- ``"result:JSON"``  HTTP 200 with JSON as the result (an answer of the wrong shape or size)
- ``"lose"``         forward the request to the node, then close the connection without its answer
                     (the node acted — e.g. took a transaction — but the client never hears back)
- ``"result:JSON"``  a lie: answer JSON (e.g. ``"0x1"``) as the result, without asking the node
- ``"dribble:S"``    a slow-loris: the node's real answer (status line and headers too), one byte every
                     S seconds, for as long as the client keeps reading

When the upstream node does not answer (it is being restarted) the proxy answers 502, so the
client sees a connection-class fault and not a hang. Only loopback addresses; every socket
call has a timeout; ``close()`` (or leaving the ``with``) stops the server thread.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlparse

Rule = Callable[[str, Any, int], str | None]
LOOPBACK = "127.0.0.1"
UPSTREAM_TIMEOUT_S = 30.0
MAX_DELAY_S = 10.0
RPC_ERRORS = {"range": "block range too large", "results": "query returned more than 10000 results"}


def no_faults(method: str, params: Any, n: int) -> str | None:
    return None


class RpcProxy:
    """``with RpcProxy(upstream_url, rule) as proxy: Web3(HTTPProvider(proxy.url))``."""

    def __init__(self, upstream: str, rule: Rule = no_faults) -> None:
        parsed = urlparse(upstream)
        if parsed.hostname not in (LOOPBACK, "localhost"):
            raise ValueError(f"the proxy only forwards to loopback addresses, not {upstream!r}")
        self.upstream = upstream
        self.rule = rule
        self.calls: Counter[str] = Counter()
        self.faults: Counter[str] = Counter()
        self._lock = threading.Lock()
        self.closed = threading.Event()  # set on close(): a dribbling answer stops
        self._server = ThreadingHTTPServer((LOOPBACK, 0), _handler_for(self))
        self._server.daemon_threads = True
        self._server.timeout = 1.0
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="rpc-proxy", daemon=True
        )
        self._thread.start()

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def set_rule(self, rule: Rule) -> None:
        with self._lock:
            self.rule = rule
            self.calls.clear()

    def close(self) -> None:
        self.closed.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> RpcProxy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- used by the handler --------------------------------------------------------------------

    def decide(self, body: bytes) -> str | None:
        try:
            request = json.loads(body)
        except ValueError:
            return None
        requests_ = request if isinstance(request, list) else [request]
        with self._lock:
            fault = None
            for item in requests_:
                method = item.get("method", "") if isinstance(item, dict) else ""
                n = self.calls[method]
                self.calls[method] += 1
                fault = fault or self.rule(method, item.get("params") if isinstance(item, dict) else None, n)
            if fault is not None:
                self.faults[fault.split(":")[0]] += 1
            return fault

    def forward(self, body: bytes) -> tuple[int, bytes]:
        parsed = urlparse(self.upstream)
        conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=UPSTREAM_TIMEOUT_S)
        try:
            conn.request("POST", parsed.path or "/", body=body, headers={"Content-Type": "application/json"})
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()


def _handler_for(proxy: RpcProxy) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        timeout = 30

        def log_message(self, format: str, *args: Any) -> None:
            return

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            fault = proxy.decide(body)
            kind, _, arg = (fault or "").partition(":")
            if kind == "delay":
                time.sleep(min(MAX_DELAY_S, float(arg or 1)))
            elif kind == "drop":
                self.close_connection = True
                self.connection.shutdown(2)
                return
            elif kind == "429":
                self._answer(429, b'{"error":"rate limited"}', {"Retry-After": arg or "0"})
                return
            elif kind in RPC_ERRORS:
                request_id = _request_id(body)
                error = {"jsonrpc": "2.0", "id": request_id, "error": {"code": -32005, "message": RPC_ERRORS[kind]}}
                self._answer(200, json.dumps(error).encode())
                return
            elif kind == "result":
                request_id = _request_id(body)
                self._answer(
                    200, b'{"jsonrpc": "2.0", "id": %s, "result": %s}' % (json.dumps(request_id).encode(), arg.encode())
                )
                return
            elif kind == "malformed":
                self._answer(200, b'{"jsonrpc": "2.0", "id": 1, "result": <html>oops')
                return
            elif kind == "down":
                self._answer(502, b"<html>502 Bad Gateway</html>")
                return
            elif kind == "result":
                lie = {"jsonrpc": "2.0", "id": _request_id(body), "result": json.loads(arg)}
                self._answer(200, json.dumps(lie).encode())
                return
            try:
                status, answer = proxy.forward(body)
            except OSError:
                self._answer(502, b"<html>502 Bad Gateway: the node is not answering</html>")
                return
            if kind == "lose":
                self.close_connection = True
                self.connection.shutdown(2)
                return
            if kind == "truncated":
                answer = answer[: max(1, len(answer) // 2)]
            if kind == "dribble":
                self._dribble(status, answer, float(arg or 1))
                return
            self._answer(status, answer)

        def _dribble(self, status: int, body: bytes, every_s: float) -> None:
            head = (
                f"HTTP/1.1 {status} OK\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
            ).encode()
            self.close_connection = True
            try:
                for i, byte in enumerate(head + body):
                    if i and proxy.closed.wait(every_s):
                        return
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
            except OSError:
                return  # the client gave up: what a deadline is for

        def _answer(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)
            except OSError:  # the client gave up waiting (its deadline): nobody to answer
                self.close_connection = True

    return Handler


def _request_id(body: bytes) -> Any:
    try:
        request = json.loads(body)
    except ValueError:
        return None
    return request.get("id") if isinstance(request, dict) else None
