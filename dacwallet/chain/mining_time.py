"""The time the next transaction will be mined at, as the node itself would stamp it.

Calls at the "latest" block run with that block's timestamp. On an automining node (anvil, Hardhat)
no block is made between transactions, so "latest" can be hours old while the next transaction is
stamped with the clock of now: a deposit quoted, a refund checked or a duplicate refused at "latest"
would disagree with what is mined. Every check before sending is therefore made at the pending block.
"""

from __future__ import annotations

from typing import Final

from eth_typing import HexStr
from web3 import Web3

# Creation code that returns the block's timestamp: TIMESTAMP PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN.
# Run as an eth_call without a recipient, it reads the clock of the block the call runs in; unlike the
# pending block's header, this is what every node (the embedded one included) executes a call with.
_TIMESTAMP_PROBE = HexStr("0x4260005260206000f3")
PENDING: Final = "pending"


def next_block_time(w3: Web3) -> int:
    """The timestamp a transaction sent now would be mined with (Unix seconds)."""
    return int.from_bytes(w3.eth.call({"data": _TIMESTAMP_PROBE}, PENDING), "big")
