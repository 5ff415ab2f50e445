"""Calling a node with retries: exponential, capped backoff on rate limits, timeouts and outages."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from dacwallet.errors import ChainError
from dacwallet.sync.faults import Fault, classify, retry_after_s

T = TypeVar("T")


class RangeTooLarge(Exception):
    """A log query must be split (internal to the indexer: never reaches a caller)."""


@dataclass
class RetryPolicy:
    """How hard to try: ``attempts`` tries per call, sleeping base * 2^k seconds (at most ``max_delay_s``)."""

    attempts: int = 8
    base_delay_s: float = 0.25
    max_delay_s: float = 30.0
    sleep: Callable[[float], None] = field(default=time.sleep)

    def delay(self, attempt: int) -> float:
        return min(self.max_delay_s, self.base_delay_s * 2.0**attempt)


@dataclass
class RetryingCaller:
    """Runs node calls under a RetryPolicy and counts what it had to do."""

    policy: RetryPolicy
    retries: int = 0
    slept_s: float = 0.0

    def call(self, what: str, fn: Callable[[], T], *, splittable: bool = False) -> T:
        """``fn()``, retried on node trouble; ChainError once the attempts are used up.

        With ``splittable`` (log queries) a range fault, or a timeout, raises RangeTooLarge
        at once so the caller can ask for fewer blocks instead of waiting.
        """
        for attempt in range(self.policy.attempts):
            try:
                return fn()
            except Exception as exc:
                fault = classify(exc)
                if fault is None:
                    raise
                if splittable and fault in (Fault.RANGE, Fault.TIMEOUT):
                    raise RangeTooLarge(str(exc)) from exc
                if fault is Fault.RANGE or attempt + 1 == self.policy.attempts:
                    raise ChainError(
                        f"The node kept failing while {what}: {fault.value}. Check the RPC URL and your "
                        "connection, then sync again; what was indexed so far is kept.",
                        detail=f"{type(exc).__name__}: {exc}",
                    ) from exc
                delay = self.policy.delay(attempt)
                if fault is Fault.RATE:
                    delay = max(delay, min(self.policy.max_delay_s, retry_after_s(exc) or 0.0))
                self.retries += 1
                self.slept_s += delay
                self.policy.sleep(delay)
        raise AssertionError("unreachable: the loop returns or raises")
