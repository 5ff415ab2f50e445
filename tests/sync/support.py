"""Helpers of the sync tests: a deployed small model, a fault-injecting provider, a hostile contract."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable
from typing import Any

import requests
from eth_utils import keccak

from dacwallet.contracts.deploy import IncentiveParams, deploy
from dacwallet.contracts.deployment import Deployment
from dacwallet.sync.retry import RetryPolicy
from tests.support.chains import DevChain
from tests.support.models import sparse_perceptron

WAITS = IncentiveParams(refund_wait_s=600, owner_claim_wait_s=3_600, any_address_claim_wait_s=3_600)
CHAIN_KEY = "test-chain"
ADD_DATA_TOPIC = keccak(text="AddData(int64[],uint64,uint256,address,uint256)")

# Runtime code: mem = calldata; LOG2(topic0 = first word, topic1 = caller, data = the rest).
HOSTILE_RUNTIME = bytes.fromhex("36600060003733600051602036036020a200")
# Init code: copy the 18 runtime bytes that follow these 12 bytes, and return them.
HOSTILE_INIT = bytes.fromhex("6012600c60003960126000f3") + HOSTILE_RUNTIME


def deploy_small(chain: DevChain, incentive: IncentiveParams = WAITS) -> Deployment:
    return deploy(chain.sender(0), sparse_perceptron(), incentive)


def dump(conn: sqlite3.Connection) -> dict[str, list[tuple[Any, ...]]]:
    """The events and cursors, ordered, for comparing two stores (the block hashes kept beside
    them depend on where pages ended, so they are left out)."""
    tables = {
        "sync_contributions": "block_number, log_index",
        "sync_claims": "block_number, log_index",
        "sync_cursors": "chain_key",
    }
    return {t: [tuple(r) for r in conn.execute(f"SELECT * FROM {t} ORDER BY {order}")] for t, order in tables.items()}


class RecordingSleep:
    """An injectable sleep that only records what it was asked to wait."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)

    def policy(self, attempts: int = 8) -> RetryPolicy:
        return RetryPolicy(attempts=attempts, sleep=self)


Rule = Callable[[str, Any, int], str | None]


class FaultInjector:
    """Wraps a provider's ``make_request`` and, when ``rule(method, params, n)`` names a fault for
    the n-th call of that method, fails that call the way real nodes do."""

    def __init__(self, provider: Any, rule: Rule) -> None:
        self.provider = provider
        self.rule = rule
        self.calls: Counter[str] = Counter()
        self.faults: Counter[str] = Counter()
        self._real = provider.make_request
        provider.make_request = self
        self._forget_middleware_chain()

    def remove(self) -> None:
        self.provider.make_request = self._real
        self._forget_middleware_chain()

    def _forget_middleware_chain(self) -> None:
        # web3 caches the middleware chain around the make_request it first saw; rebuild it.
        self.provider._request_func_cache = (None, None)

    def __call__(self, method: str, params: Any) -> Any:
        n = self.calls[method]
        self.calls[method] += 1
        fault = self.rule(method, params, n)
        if fault is None:
            return self._real(method, params)
        self.faults[fault] += 1
        if fault == "429":
            response = requests.Response()
            response.status_code = 429
            raise requests.HTTPError("429 Too Many Requests", response=response)
        if fault == "timeout":
            raise requests.ReadTimeout("read timed out")
        if fault == "down":
            raise requests.ConnectionError("connection refused")
        message = {"range": "block range too large", "results": "query returned more than 10000 results"}[fault]
        return {"jsonrpc": "2.0", "id": 0, "error": {"code": -32005, "message": message}}


def log_range(params: Any) -> int:
    """Number of blocks an eth_getLogs call asks for (whatever the provider's parameter format)."""
    spec = params[0] if isinstance(params, (list, tuple)) else params

    def number(*names: str) -> int:
        value = next(spec[n] for n in names if n in spec)
        return int(value, 16) if isinstance(value, str) else int(value)

    return number("toBlock", "to_block") - number("fromBlock", "from_block") + 1
