"""The revm engine against anvil on a real artifact: the same gas to the unit, transaction after
transaction (every one starts cold, as on a real node), the same events and revert reasons; and the
dev chain's snapshot/revert puts the state back."""

from __future__ import annotations

import json
from typing import Any

import pytest
from web3.exceptions import ContractLogicError

from dacwallet.paths import resources_dir
from tests.support.chains import DevChain, embedded_dev_chain, needs_anvil, run_anvil


def _perceptron(chain: DevChain) -> Any:
    artifact = json.loads((resources_dir() / "contracts" / "SparsePerceptron.json").read_text())
    sender = chain.sender(0)
    factory = chain.w3.eth.contract(abi=artifact["abi"], bytecode=artifact["bytecode"])
    receipt = sender.transact({"data": factory.constructor(["neg", "pos"], 0, 1).data_in_transaction}, action="deploy")
    return chain.w3.eth.contract(address=receipt["contractAddress"], abi=artifact["abi"])


def _history(chain: DevChain) -> dict[str, Any]:
    """Gas of a weight upload and repeated updates touching the same slots, an event, a refusal."""
    model = _perceptron(chain)
    sender = chain.sender(0)

    def send(call: Any) -> Any:
        return sender.transact(
            {"to": model.address, "data": call._encode_transaction_data(), "gas": 2_000_000}, action="call"
        )

    gas = [send(model.functions.initializeWords(0, list(range(1, 60))))["gasUsed"]]
    for k in (0, 1, 0, 0):
        gas.append(send(model.functions.update([k * 20 + i for i in range(20)], 1))["gasUsed"])
    transfer = model.functions.transferOwnership(chain.accounts[1].address)
    logs = model.events.OwnershipTransferred().process_receipt(send(transfer))
    accounts = [account.address for account in chain.accounts]
    with pytest.raises(ContractLogicError) as refused:
        model.functions.transferOwnership(chain.accounts[0].address).call({"from": chain.accounts[0].address})
    # The accounts differ between chains: events are compared by which account they name.
    events = [
        (log["event"], accounts.index(log["args"]["previousOwner"]), accounts.index(log["args"]["newOwner"]))
        for log in logs
    ]
    return {
        "gas": gas,
        "events": events,
        "revert": str(refused.value),
        "predict": model.functions.predict([1, 2, 3]).call(),
    }


@needs_anvil
def test_same_gas_events_and_reasons_as_anvil() -> None:
    with embedded_dev_chain(2) as embedded:
        ours = _history(embedded)
    with run_anvil(n_accounts=2) as anvil:
        theirs = _history(anvil)
    # Slots or accounts left warm from an earlier transaction would show here as 2,000+ gas less.
    assert ours["gas"] == theirs["gas"]
    assert ours["events"] == theirs["events"] == [("OwnershipTransferred", 0, 1)]
    assert ours["predict"] == theirs["predict"]
    assert "Only the owner" in ours["revert"] and ours["revert"] == theirs["revert"]


def test_revert_to_a_snapshot_restores_state_and_mining_goes_on() -> None:
    with embedded_dev_chain(2) as chain:
        w3, alice, bob = chain.w3, chain.accounts[0].address, chain.accounts[1].address
        chain.snapshot()
        before = (
            w3.eth.block_number,
            w3.eth.get_balance(alice),
            w3.eth.get_balance(bob),
            w3.eth.get_transaction_count(alice),
        )
        model = _perceptron(chain)
        chain.sender(0).transact({"to": bob, "value": 10**18}, action="pay")
        assert w3.eth.get_code(model.address)
        chain.revert()
        assert (
            w3.eth.block_number,
            w3.eth.get_balance(alice),
            w3.eth.get_balance(bob),
            w3.eth.get_transaction_count(alice),
        ) == before
        assert w3.eth.get_code(model.address) == b"" and w3.eth.get_logs({"fromBlock": 0}) == []
        again = _perceptron(chain)  # the same nonce: the same address, mined on the restored head
        assert again.address == model.address and w3.eth.block_number == before[0] + 1
