"""After a full CLI session no private key or password is on disk (SQLite and WAL included), in any
output, log record or temp file; keystores are 0600 in a 0700 folder; the wallet context keeps no
password or key once an operation is over (see tests/resilience/hygiene.py for Python's limits)."""

from __future__ import annotations

import pytest

from tests.resilience import hygiene

pytestmark = pytest.mark.anvil


def test_a_full_session_leaves_no_secret_behind(node, tmp_path) -> None:
    tally = hygiene.run_session(node.url, tmp_path)
    assert tally.lost == 0 and tally.survived == tally.tried, tally.failures
    # 4 secrets x (files + outputs + logs), the keyring, the modes and the context walk
    assert tally.tried >= 4 * 6 + 4


def test_the_scan_finds_a_planted_secret(tmp_path) -> None:
    """The scanner is not blind: a key written as hex into a file is found."""
    key = bytes(range(32))
    planted = tmp_path / "planted.txt"
    planted.write_text("debug: " + key.hex())
    assert any(form in planted.read_bytes() for form in hygiene.secret_forms(key))
    assert hygiene.reachable_secret({"a": [("x", "pw-" + "z" * 8)]}, ["pw-zzzzzzzz"]) is not None
    assert hygiene.reachable_secret({"a": [b"nothing"]}, ["pw-zzzzzzzz", key]) is None
