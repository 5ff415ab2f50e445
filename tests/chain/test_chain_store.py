"""The embedded chain's file: a damaged one is said as damaged every time it is tried, never as "open in another
window" because an earlier failed open in the same process still held its lock."""

from __future__ import annotations

import pytest

from dacwallet.chain.chain_store import DB_FILE_NAME, ChainStore
from dacwallet.errors import DacwalletError


@pytest.mark.parametrize("keep_header", [False, True], ids=["not-a-database", "malformed"])
def test_a_failed_open_leaves_no_lock_behind(tmp_path, keep_header: bool) -> None:
    ChainStore(tmp_path).close()  # a real file with the schema, then its pages garbled
    path = tmp_path / DB_FILE_NAME
    raw = bytearray(path.read_bytes().ljust(4096 * 3, b"\0"))
    start = 100 if keep_header else 0
    raw[start : 4096 * 3] = bytes((i * 151 + 7) % 256 for i in range(start, 4096 * 3))
    path.write_bytes(bytes(raw))
    failures = []
    for _ in range(3):
        with pytest.raises(DacwalletError) as caught:
            ChainStore(tmp_path)
        failures.append(caught)  # keeps each traceback (and the half-made store it holds) alive
        assert "damaged" in caught.value.user_message, caught.value.user_message
