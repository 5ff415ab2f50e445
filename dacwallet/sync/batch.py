"""Many node reads in few round trips: JSON-RPC batches where the provider takes them, one by one elsewhere.

Each chunk goes through the RetryingCaller like a single request: a batch answered with an error,
cut short, or with results that do not match what was asked is retried whole, then fails with the
same ChainError a single request would give. Nothing is returned until every answer checked out.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from web3 import Web3
from web3.providers.base import JSONBaseProvider

from dacwallet.gil import share_gil
from dacwallet.sync.faults import IncompleteBatch
from dacwallet.sync.retry import RetryingCaller

T = TypeVar("T")
# Requests per batch: public nodes cap batches (Alchemy/Infura around 100-1000); 100 keeps every
# answer small enough to parse without a long GIL hold.
BATCH_SIZE = 100


def supports_batches(w3: Web3) -> bool:
    """Whether ``w3``'s provider sends JSON-RPC batches (HTTP does; the in-process chains do not)."""
    return isinstance(w3.provider, JSONBaseProvider)


def read_many(
    caller: RetryingCaller,
    w3: Web3,
    what: str,
    calls: Sequence[Callable[[], T]],
    matches: Callable[[int, T], bool] | None = None,
    size: int | None = None,
) -> list[T]:
    """The results of ``calls`` (web3 reads such as ``lambda: w3.eth.get_transaction(h)``), in order.

    Where batches are supported the calls run inside ``w3.batch_requests()`` ``size`` (default BATCH_SIZE) at a time;
    elsewhere one at a time, each retried alone. ``matches(i, result)`` vets answer ``i`` of a chunk
    (``i`` indexes ``calls``; e.g. that a transaction has the hash asked for): a mismatch counts as a faulty answer.
    """
    size = (size or BATCH_SIZE) if supports_batches(w3) else 1
    results: list[T] = []
    for start in range(0, len(calls), size):
        share_gil()
        chunk = calls[start : start + size]
        label = what if len(calls) == 1 else f"{what} ({start + 1}-{start + len(chunk)} of {len(calls)})"
        results.extend(caller.call(label, functools.partial(_read_chunk, w3, chunk, start, matches)))
    return results


def _read_chunk(
    w3: Web3, calls: Sequence[Callable[[], T]], first: int, matches: Callable[[int, T], bool] | None
) -> list[T]:
    if len(calls) == 1:
        answers: list[Any] = [calls[0]()]
    else:
        with w3.batch_requests() as batch:
            for call in calls:
                batch.add(call())
            answers = list(batch.execute())
    # web3 zips answers with requests, so a short answer would silently lose reads: check the count.
    if len(answers) != len(calls):
        raise IncompleteBatch(f"asked for {len(calls)} results, the node answered {len(answers)}")
    if matches is not None:
        for i, answer in enumerate(answers):
            if not matches(first + i, answer):
                raise IncompleteBatch(f"answer {i + 1} of the batch is not the one asked for")
    return answers
