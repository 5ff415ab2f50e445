"""kill -9 of a process writing blocks never leaves a chain folder that is broken or behind."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from eth_utils import keccak

from dacwallet.chain.embedded import FAUCET_GENESIS_WEI, open_embedded_chain

REPO = Path(__file__).resolve().parents[2]
PING_TOPIC = keccak(b"Ping(uint256)")
# Runtime: LOG1(data=msg.value, topic0=PING_TOPIC); prefixed by a 13-byte loader.
_RUNTIME = bytes.fromhex("34600052") + b"\x7f" + PING_TOPIC + bytes.fromhex("60206000a100")
PING_INITCODE = bytes.fromhex(f"61{len(_RUNTIME):04x}8061000d6000396000f3") + _RUNTIME
RECIPIENTS = [f"0x{i:040x}" for i in range(1, 4)]

# Writes blocks forever: transfers to three plain addresses and to a logging
# contract, plus a clock jump now and then; prints each block number it saw committed.
WRITER = f"""
import sys
from pathlib import Path
from eth_account import Account
from dacwallet.chain.embedded import FAUCET_PRIVATE_KEY, open_embedded_chain
chain = open_embedded_chain(Path(sys.argv[1]))
w3 = chain.w3
faucet = Account.from_key(FAUCET_PRIVATE_KEY)

def send(nonce, **tx):
    tx.update(type=2, chainId=31338, nonce=nonce, maxFeePerGas=3 * 10**9,
              maxPriorityFeePerGas=10**9)
    return w3.eth.send_raw_transaction(faucet.sign_transaction(tx).raw_transaction)

nonce = w3.eth.get_transaction_count(faucet.address, "pending")
if nonce == 0:
    send(0, data=bytes.fromhex("{PING_INITCODE.hex()}"), gas=200_000)
    nonce = 1
ping = w3.eth.get_transaction_receipt(w3.eth.get_block(1)["transactions"][0])["contractAddress"]
targets = {RECIPIENTS!r} + [ping]
print("ready", flush=True)
while True:
    send(nonce, to=targets[nonce % 4], value=1000 + nonce, gas=60_000)
    if nonce % 5 == 0:
        chain.advance(3600)
    print(w3.eth.block_number, flush=True)
    nonce += 1
"""


def _run_and_kill(folder: Path, rng: random.Random) -> int:
    """Start the writer, SIGKILL it at a random moment; returns the last block it reported."""
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(folder)], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert writer.stdout is not None
    line = writer.stdout.readline()
    assert line == "ready\n", line + writer.stderr.read()
    time.sleep(rng.uniform(0.05, 0.8))
    writer.send_signal(signal.SIGKILL)
    out, _ = writer.communicate(timeout=30)
    assert writer.returncode == -signal.SIGKILL
    reported = [int(x) for x in out.split()]
    # A line cut by the kill could be a prefix of a number; never trust the last one.
    return reported[-2] if len(reported) >= 2 else 0


def _check_consistent(folder: Path, at_least: int) -> int:
    with open_embedded_chain(folder) as chain:
        w3 = chain.w3
        head = w3.eth.block_number
        # The last block in flight may be lost, nothing reported committed may be.
        assert head >= at_least
        received = dict.fromkeys(RECIPIENTS, 0)
        spent = 0
        ping = None
        pings = 0
        previous = w3.eth.get_block(0)
        sent = 0
        for number in range(1, head + 1):
            block = w3.eth.get_block(number, full_transactions=True)
            assert block["parentHash"] == previous["hash"]
            assert block["timestamp"] > previous["timestamp"]
            for tx in block["transactions"]:
                receipt = w3.eth.get_transaction_receipt(tx["hash"])
                assert receipt["status"] == 1 and tx["nonce"] == sent
                sent += 1
                spent += tx["value"] + receipt["gasUsed"] * receipt["effectiveGasPrice"]
                if receipt["contractAddress"]:
                    ping = receipt["contractAddress"]
                elif tx["to"] == ping:
                    pings += 1
                else:
                    received[tx["to"].lower()] += tx["value"]
            previous = block
        assert w3.eth.get_balance(chain.faucet_address) == FAUCET_GENESIS_WEI - spent
        assert w3.eth.get_transaction_count(chain.faucet_address) == sent
        for address, wei in received.items():
            assert w3.eth.get_balance(w3.to_checksum_address(address)) == wei
        if ping is not None:
            assert len(w3.eth.get_logs({"fromBlock": 0, "address": ping})) == pings
        return head


def test_kill_minus_nine_loses_at_most_the_block_in_flight(tmp_path: Path) -> None:
    folder = tmp_path / "chain"
    rng = random.Random(20261126)
    heads = [0]
    for _ in range(5):
        reported = _run_and_kill(folder, rng)
        heads.append(_check_consistent(folder, at_least=max(reported, heads[-1])))
    assert heads[-1] > 10  # the writer did make progress between kills
