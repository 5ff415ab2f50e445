"""contracts.codec: the entry point's calls and events encoded by eth-abi straight from their signatures give
the bytes and values web3's contract objects give, on a real deployment (the simulation, contribute and
settle use it in their place)."""

from __future__ import annotations

import pytest

from dacwallet.contracts.codec import Function, trainer_codec
from dacwallet.contracts.deploy import IncentiveParams, deploy
from tests.support import models
from tests.support.trainer import Added, TrainerClient

DAY = 86_400
INCENTIVE = IncentiveParams(refund_wait_s=DAY, owner_claim_wait_s=5 * DAY, any_address_claim_wait_s=9 * DAY)
POSITIVE = [0, 1, 2]  # the test model says Positive


@pytest.fixture(scope="module")
def deployment(module_chain):
    return deploy(module_chain.sender(0), models.sparse_perceptron(), INCENTIVE)


@pytest.fixture
def client(chain, deployment) -> TrainerClient:
    return TrainerClient(chain, deployment)


def test_calls_encode_as_web3_encodes_them(client: TrainerClient) -> None:
    codec, trainer, author = trainer_codec(), client.trainer, client.chain.accounts[1].address
    assert codec.add_data.encode([3, 1, 2], 1) == bytes.fromhex(trainer.encode_abi("addData", args=[[3, 1, 2], 1])[2:])
    assert codec.refund.encode([5], 0, 7) == bytes.fromhex(trainer.encode_abi("refund", args=[[5], 0, 7])[2:])
    report = trainer.encode_abi("report", args=[[5], 0, 7, author])
    assert codec.report.encode([5], 0, 7, author) == bytes.fromhex(report[2:])
    at = client.chain.now() + 60
    cost = codec.next_cost.decode(client.chain.w3.eth.call({"to": trainer.address, "data": codec.next_cost.encode(at)}))
    assert cost == (trainer.get_function_by_signature("getNextAddDataCost(uint256)")(at).call(),)


def test_events_decode_as_web3_decodes_them(client: TrainerClient) -> None:
    codec, address = trainer_codec(), client.deployment.trainer
    tx = {"to": address, "value": client.cost(), "data": codec.add_data.encode(POSITIVE, 1)}
    receipt = client.chain.sender(1).transact(tx, action="Contributing")
    web3_added = dict(client.events.AddData().process_receipt(receipt)[0]["args"])
    [added] = codec.added.in_receipt(receipt, address)
    assert added == web3_added and added["sender"] == client.chain.accounts[1].address
    client.chain.advance(DAY + 1)
    receipt = client.refund(1, Added(POSITIVE, 1, added["t"], added["sender"], added["cost"], receipt["gasUsed"]))
    web3_refund = dict(client.events.Refund().process_receipt(receipt)[0]["args"])
    assert codec.refunded.in_receipt(receipt, address) == [web3_refund] == codec.refunded.in_receipt(receipt, None)
    assert codec.refunded.in_receipt(receipt, client.deployment.classifier) == []  # another contract logged none
    assert codec.added.in_receipt(receipt, None) == []  # nor an AddData


def test_a_signature_not_in_the_abi_is_refused() -> None:
    from dacwallet.contracts.artifacts import TRAINER_STAKEABLE, load_artifact

    with pytest.raises(LookupError, match="addData"):
        Function(load_artifact(TRAINER_STAKEABLE).abi, "addData(uint64[],uint64)")
