"""A network without EIP-1559 (anvil on the berlin hardfork: no baseFeePerGas): the wallet suggests the node's
gas price, signs a legacy transaction with it, journals, sends and finishes it; the gas limit is the node's
estimate times GAS_MARGIN; a stuck one is sped up with a higher gas price.

The shipped contracts are compiled for cancun (PUSH0), which berlin refuses, so the transaction here calls a
tiny hand-assembled counter instead (its SSTORE makes the estimate more than a plain transfer's 21,000)."""

from __future__ import annotations

import math

import pytest
from web3 import Web3

from dacwallet.chain.connect import NetworkSpec
from dacwallet.chain.fees import bumped
from dacwallet.chain.transactions import GAS_MARGIN, decode_signed
from dacwallet.errors import ChainError
from dacwallet.store import journal
from dacwallet.store.lifecycle import TxState
from dacwallet.usecases.context import TEST_SCRYPT_ENV, open_wallet
from dacwallet.usecases.pending import pending_transactions, speed_up
from dacwallet.usecases.sending import receipt_wait_cap, send_journaled, signer_for, suggest_fees
from dacwallet.usecases.settle import resolve_journal
from tests.support.chains import needs_anvil, run_anvil

pytestmark = [pytest.mark.anvil, needs_anvil]

# Runtime: slot0 += 1 (PUSH1 1 PUSH1 0 SLOAD ADD PUSH1 0 SSTORE STOP), behind an init code that returns it.
COUNTER_RUNTIME = "60016000540160005500"
COUNTER_INIT = "0x600a80600b6000396000f3" + COUNTER_RUNTIME
PASSWORD = "alice-pw"


def counter_value(w3: Web3, address: str) -> int:
    return int.from_bytes(w3.eth.get_storage_at(address, 0), "big")


def test_a_legacy_gas_price_transaction_is_sent_with_the_gas_margin(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv(TEST_SCRYPT_ENV, str(2**4))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    with run_anvil(n_accounts=2, hardfork="berlin") as node:
        w3 = node.w3
        assert w3.eth.get_block("latest").get("baseFeePerGas") is None  # really a legacy-fee chain
        counter = node.sender(0).transact({"data": COUNTER_INIT}, action="Deploying the counter")["contractAddress"]
        assert w3.eth.get_code(counter).hex().removeprefix("0x") == COUNTER_RUNTIME

        ctx = open_wallet(tmp_path, NetworkSpec.parse(w3.provider.endpoint_uri))
        try:
            alice = ctx.keys.create("alice", PASSWORD)
            node.sender(1).transact({"to": alice.address, "value": 10**18}, action="funding")
            fees = suggest_fees(ctx)
            assert fees.base_fee is None and fees.max_fee == fees.gas_price == w3.eth.gas_price
            balance_before = w3.eth.get_balance(alice.address)

            signer = signer_for(ctx, "alice", PASSWORD)
            receipt = send_journaled(ctx, signer, {"to": counter, "data": b""}, kind="count", action="Counting")
            assert receipt["status"] == 1 and counter_value(w3, counter) == 1
            tx = w3.eth.get_transaction(receipt["transactionHash"])
            assert tx["type"] == 0 and "maxFeePerGas" not in tx and tx["gasPrice"] == fees.gas_price
            assert tx["chainId"] == w3.eth.chain_id  # EIP-155 replay protection
            # The gas limit: the node's estimate (in the state the wallet estimated in) times the margin.
            estimate = w3.eth.estimate_gas(
                {"from": alice.address, "to": counter, "value": 0, "data": "0x"}, receipt["blockNumber"] - 1
            )
            assert estimate > 21_000 and tx["gas"] == math.ceil(estimate * GAS_MARGIN) > receipt["gasUsed"]
            paid = receipt["gasUsed"] * tx["gasPrice"]
            assert receipt["effectiveGasPrice"] == tx["gasPrice"]
            assert w3.eth.get_balance(alice.address) == balance_before - paid
            entry = journal.get(ctx.db, receipt["transactionHash"].to_0x_hex())
            assert entry.state == TxState.MINED
            assert decode_signed(entry.raw) == {
                "nonce": tx["nonce"],
                "gasPrice": tx["gasPrice"],
                "gas": tx["gas"],
                "to": counter,
                "value": 0,
                "data": b"",
                "chainId": w3.eth.chain_id,
            }

            # Stuck (no block mined), then sped up: the replacement's gas price is at least 12.5 % higher.
            w3.provider.make_request("evm_setAutomine", [False])
            with pytest.raises(ChainError, match="not mined within"), receipt_wait_cap(0.5):
                send_journaled(ctx, signer, {"to": counter, "data": b""}, kind="count", action="Counting")
            [stuck] = pending_transactions(ctx)
            original = w3.eth.get_transaction(stuck.tx_hash)
            faster = speed_up(ctx, signer, stuck.tx_hash)
            replacement = w3.eth.get_transaction(faster.tx_hash)
            assert (replacement["type"], replacement["nonce"], replacement["gas"]) == (0, stuck.nonce, original["gas"])
            assert replacement["gasPrice"] >= bumped(original["gasPrice"]) and "maxFeePerGas" not in replacement
            w3.provider.make_request("evm_mine", [])
            assert {r.tx_hash: r.outcome for r in resolve_journal(ctx)} == {
                faster.tx_hash: "mined",
                stuck.tx_hash: "replaced",
            }
            assert counter_value(w3, counter) == 2  # counted once more, not twice
        finally:
            ctx.close()
