"""Concurrent contributions from many accounts against anvil: all mined, the index consistent with the
chain. The suite runs 10 accounts x 20; `python benchmarks/resilience.py` runs the full 50 x 100."""

from __future__ import annotations

import pytest

from tests.resilience.load import run_load

pytestmark = [pytest.mark.anvil, pytest.mark.slow]


def test_concurrent_contributions_are_all_mined_and_indexed_once(node, tmp_path) -> None:
    result = run_load(node.url, tmp_path, accounts=10, per_account=20)
    tally = result.tally
    assert tally.tried == 200 and tally.survived == 200, tally.failures
    assert result.indexed == 200 and tally.lost == 0, tally.failures
