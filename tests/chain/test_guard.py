"""The checks right before every signature (dacwallet.chain.guard), through TransactionSender.sign, against a
real anvil behind the lying proxy: the chain id fixed at connect, the transaction's own chain id, and the
balance. A refusal happens before the key is touched: the signer is never called."""

from __future__ import annotations

import json
from typing import Any

import pytest
from eth_account import Account
from web3 import Web3

from dacwallet.chain.connect import NetworkSpec, connect
from dacwallet.chain.guard import NetworkChangedError, NotEnoughEtherError, pinned_chain_id
from dacwallet.chain.transactions import TransactionSender
from dacwallet.errors import ChainError
from tests.support.chains import anvil_binary
from tests.support.rpc_proxy import RpcProxy

pytestmark = [pytest.mark.anvil, pytest.mark.skipif(anvil_binary() is None, reason="anvil is not installed")]
MAINNET = "result:" + json.dumps("0x1")


class CountingSigner:
    """A real key that counts its signatures: a refusal must come before any."""

    def __init__(self, account: Any) -> None:
        self.account = account
        self.signed = 0

    @property
    def address(self) -> str:
        return self.account.address

    def sign_transaction(self, tx: dict[str, Any]) -> Any:
        self.signed += 1
        return self.account.sign_transaction(tx)


@pytest.fixture
def switching(anvil):
    """A proxy that starts lying about the chain id once ``state["lying"]`` is set."""
    state = {"lying": False}
    with RpcProxy(
        anvil.w3.provider.endpoint_uri,
        lambda method, params, n: MAINNET if state["lying"] and method == "eth_chainId" else None,
    ) as proxy:
        yield proxy, state


def transfer(sender: TransactionSender, to: str, value: int = 1) -> dict[str, Any]:
    return sender.prepare({"to": to, "value": value}, action="A transfer")


def test_a_connection_is_pinned_to_its_chain_id_and_refuses_to_sign_when_the_node_switches(
    anvil, switching, tmp_path
) -> None:
    proxy, state = switching
    connection = connect(NetworkSpec.parse(proxy.url), tmp_path)
    signer = CountingSigner(anvil.accounts[0])
    sender = TransactionSender(connection.w3, signer)
    tx = transfer(sender, anvil.accounts[1].address)
    assert tx["chainId"] == connection.chain_id == pinned_chain_id(connection.w3) == 31337
    state["lying"] = True
    with pytest.raises(NetworkChangedError, match="changed networks.*31337.*chain 1"):
        sender.sign(tx)
    assert signer.signed == 0
    assert proxy.calls["eth_sendRawTransaction"] == 0
    state["lying"] = False
    raw, _ = sender.sign(tx)  # the node is back on its chain: signing works again
    assert signer.signed == 1 and raw


def test_a_web3_made_elsewhere_is_pinned_at_its_first_signature(anvil, switching) -> None:
    proxy, state = switching
    w3 = Web3(Web3.HTTPProvider(proxy.url))
    signer = CountingSigner(anvil.accounts[0])
    sender = TransactionSender(w3, signer)
    sender.sign(transfer(sender, anvil.accounts[1].address))
    state["lying"] = True
    with pytest.raises(NetworkChangedError):
        sender.sign(transfer(sender, anvil.accounts[1].address))
    assert signer.signed == 1


def test_a_transaction_made_for_another_chain_is_not_signed(anvil) -> None:
    signer = CountingSigner(anvil.accounts[0])
    sender = TransactionSender(anvil.w3, signer)
    tx = {**transfer(sender, anvil.accounts[1].address), "chainId": 1}  # e.g. a replacement decoded from elsewhere
    with pytest.raises(NetworkChangedError, match="names chain 1"):
        sender.sign(tx)
    assert signer.signed == 0


def test_value_plus_the_most_the_gas_can_cost_must_fit_the_balance(anvil) -> None:
    poor = Account.from_key(Web3.keccak(text="guard test: a poor account"))
    anvil.w3.provider.make_request("anvil_setBalance", [poor.address, hex(10**18)])
    signer = CountingSigner(poor)
    sender = TransactionSender(anvil.w3, signer)
    tx = transfer(sender, anvil.accounts[1].address, value=10**18)  # all of it: nothing left for gas
    with pytest.raises(NotEnoughEtherError, match="Not enough ether.*1.000000 ETH"):
        sender.sign(tx)
    assert signer.signed == 0
    fee = tx["gas"] * tx["maxFeePerGas"]
    sender.sign({**tx, "value": 10**18 - fee})  # exactly affordable: signed
    assert signer.signed == 1


def test_a_node_answering_a_send_with_another_hash_is_not_believed(anvil) -> None:
    """The hash is the signed bytes' own: a node that names another one (never asked the real node here) is
    reported, so the wallet looks its own transaction up rather than following a stranger's."""
    other = "0x" + "ab" * 32
    with RpcProxy(
        anvil.w3.provider.endpoint_uri,
        lambda method, params, n: "result:" + json.dumps(other) if method == "eth_sendRawTransaction" else None,
    ) as proxy:
        sender = TransactionSender(Web3(Web3.HTTPProvider(proxy.url)), anvil.accounts[0])
        raw, tx_hash = sender.sign(transfer(sender, anvil.accounts[1].address))
        with pytest.raises(ChainError, match="another hash") as refused:
            sender.send_raw(raw)
        assert tx_hash.hex() in (refused.value.detail or "") and other in (refused.value.detail or "")
    honest = TransactionSender(anvil.w3, anvil.accounts[0])
    raw, tx_hash = honest.sign(transfer(honest, anvil.accounts[1].address))
    assert honest.send_raw(raw) == tx_hash  # a node that tells the truth answers the signed bytes' hash
