"""JSON-RPC over HTTP with a total deadline on every request.

A per-read timeout does not bound a request: a node (or anything between) that sends one byte every few
seconds keeps each read alive forever. Here each request - web3's own retries included - must be answered
completely within ``deadline_s``; when it is not, a watchdog shuts the socket down, which ends any read in
progress, and the caller gets ``NodeDeadlineExceeded``.

web3's HTTPProvider keeps its encoding, retries and batching; only its transport is replaced, by
http.client with one keep-alive connection per thread. Failures are raised as the requests exceptions the
rest of the wallet already knows (ConnectionError, ReadTimeout, HTTPError with the status and headers).
"""

from __future__ import annotations

import http.client
import select
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any
from urllib.parse import urlparse

import requests
from requests.exceptions import RequestException
from requests.structures import CaseInsensitiveDict
from web3 import HTTPProvider
from web3.types import RPCEndpoint, RPCResponse

REQUEST_DEADLINE_S = 30.0  # a whole request, answer read to its end
READ_TIMEOUT_S = 20.0  # one socket operation (never more than what is left of the deadline)
MAX_ANSWER_BYTES = 256 * 1024 * 1024  # far above any honest answer (a wide eth_getLogs): a bound on memory
_CHUNK = 64 * 1024
_deadline: ContextVar[float | None] = ContextVar("rpc_deadline", default=None)


class NodeDeadlineExceeded(RequestException, TimeoutError):
    """No complete answer within the deadline. A TimeoutError (the wallet's node-trouble class for "did not
    answer in time") but not a requests Timeout, so web3 does not retry past the deadline."""


class DeadlineHTTPProvider(HTTPProvider):
    """web3's HTTPProvider, every request (with its retries) bounded by ``deadline_s`` in total."""

    def __init__(self, endpoint_uri: str, deadline_s: float | None = None) -> None:
        self.deadline_s = REQUEST_DEADLINE_S if deadline_s is None else deadline_s
        super().__init__(endpoint_uri, request_kwargs={"timeout": min(READ_TIMEOUT_S, self.deadline_s)})
        # web3 has no hook for its transport: ours replaces its session manager (same methods, a deadline).
        self._request_session_manager = _DeadlineTransport(self.deadline_s)  # type: ignore[assignment]

    def make_request(self, method: RPCEndpoint, params: Any) -> RPCResponse:
        with self._deadline():
            return super().make_request(method, params)

    def make_batch_request(self, batch_requests: list[tuple[RPCEndpoint, Any]]) -> Any:
        with self._deadline():
            return super().make_batch_request(batch_requests)

    @contextmanager
    def _deadline(self) -> Iterator[None]:
        outer = _deadline.get()
        mine = time.monotonic() + self.deadline_s
        token = _deadline.set(mine if outer is None else min(outer, mine))
        try:
            yield
        finally:
            _deadline.reset(token)


class _DeadlineTransport:
    """What web3's session manager does for HTTPProvider (POST the request, return the body), by deadline."""

    def __init__(self, deadline_s: float) -> None:
        self.deadline_s = deadline_s
        self._local = threading.local()

    def make_post_request(self, endpoint_uri: str, data: bytes, **kwargs: Any) -> bytes:
        deadline = _deadline.get() or time.monotonic() + self.deadline_s
        url = urlparse(endpoint_uri)
        headers = dict(kwargs.get("headers") or {})
        read_timeout = float(kwargs.get("timeout") or READ_TIMEOUT_S)
        try:
            return self._post(url, endpoint_uri, data, headers, read_timeout, deadline)
        except _StaleConnection:
            # A kept-alive connection the server had closed while idle: the request never reached it.
            return self._post(url, endpoint_uri, data, headers, read_timeout, deadline)

    def _post(
        self, url: Any, endpoint_uri: str, data: bytes, headers: dict[str, str], read_timeout: float, deadline: float
    ) -> bytes:
        conn, reused = self._connection(url)
        left = deadline - time.monotonic()
        if left <= 0:
            raise NodeDeadlineExceeded(f"the node at {endpoint_uri} did not answer within {self.deadline_s:g} s")
        conn.timeout = min(read_timeout, left)
        if conn.sock is not None:
            conn.sock.settimeout(conn.timeout)
        watchdog = _Watchdog(conn, left)
        try:
            conn.request("POST", url.path or "/", body=data, headers=headers)
            response = conn.getresponse()
            body = _read(response)
        except (OSError, http.client.HTTPException) as exc:
            self._drop()
            if watchdog.fired or time.monotonic() >= deadline:
                raise NodeDeadlineExceeded(
                    f"the node at {endpoint_uri} did not answer within {self.deadline_s:g} s"
                ) from exc
            if reused and isinstance(exc, (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError)):
                raise _StaleConnection from exc
            if isinstance(exc, TimeoutError):
                raise requests.ReadTimeout(
                    f"the node at {endpoint_uri} did not answer within {conn.timeout:g} s: {exc}"
                ) from exc
            raise requests.ConnectionError(f"the node at {endpoint_uri} cannot be reached: {exc}") from exc
        finally:
            watchdog.cancel()
        if watchdog.fired or response.will_close:
            self._drop()  # never reuse a connection the watchdog may have shut, or the server is closing
        if response.status >= 400:
            raise requests.HTTPError(
                f"{response.status} {response.reason} from {endpoint_uri}",
                response=_as_requests_response(response, body, endpoint_uri),
            )
        return body

    def _connection(self, url: Any) -> tuple[http.client.HTTPConnection, bool]:
        """This thread's connection, and whether it was used before (then it may have gone stale)."""
        conn: http.client.HTTPConnection | None = getattr(self._local, "conn", None)
        if conn is not None and conn.sock is not None and _readable(conn.sock):
            self._drop()  # the server closed it (or sent something unasked): start afresh
            conn = None
        if conn is not None:
            return conn, conn.sock is not None
        if url.scheme == "https":
            conn = http.client.HTTPSConnection(url.hostname, url.port, context=ssl.create_default_context())
        else:
            conn = http.client.HTTPConnection(url.hostname, url.port)
        self._local.conn = conn
        return conn, False

    def _drop(self) -> None:
        conn = getattr(self._local, "conn", None)
        self._local.conn = None
        if conn is not None:
            conn.close()


class _StaleConnection(Exception):
    """A reused connection turned out closed before the request got through: send it once more, afresh."""


def _readable(sock: socket.socket) -> bool:
    """An idle kept-alive socket is readable only when the server closed it (or misbehaves)."""
    try:
        return bool(select.select([sock], [], [], 0)[0])
    except (OSError, ValueError):
        return True


class _Watchdog:
    """Shuts ``conn``'s socket down after ``seconds``: a blocked read then returns at once."""

    def __init__(self, conn: http.client.HTTPConnection, seconds: float) -> None:
        self.fired = False
        self._conn = conn
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True
        self._timer.start()

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            sock = self._conn.sock
            if sock is not None:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass  # already closed

    def cancel(self) -> None:
        with self._lock:
            self._timer.cancel()


def _read(response: http.client.HTTPResponse) -> bytes:
    """The whole body, refused past MAX_ANSWER_BYTES."""
    parts: list[bytes] = []
    size = 0
    while chunk := response.read(_CHUNK):
        size += len(chunk)
        if size > MAX_ANSWER_BYTES:
            raise http.client.HTTPException(f"the answer is larger than {MAX_ANSWER_BYTES // 2**20} MB")
        parts.append(chunk)
    return b"".join(parts)


def _as_requests_response(response: http.client.HTTPResponse, body: bytes, url: str) -> requests.Response:
    """Enough of a requests.Response for the callers that read an HTTPError's status and Retry-After."""
    out = requests.Response()
    out.status_code = response.status
    out.reason = response.reason
    out.headers = CaseInsensitiveDict(response.getheaders())
    out._content = body
    out.url = url
    return out
