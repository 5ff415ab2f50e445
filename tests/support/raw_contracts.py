"""Deploying and calling contracts by hand (outside dacwallet.contracts.deploy), for the cases
deploy() deliberately never produces: a model not handed over, a second upload, an attacker contract."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from web3.contract import Contract

from dacwallet.chain.transactions import TransactionSender
from dacwallet.contracts.artifacts import load_artifact

TEST_ARTIFACTS = Path(__file__).resolve().parents[1] / "contracts" / "artifacts"


def load_test_artifact(name: str) -> tuple[list[dict[str, Any]], str]:
    """(abi, bytecode) of a test-only contract compiled into tests/contracts/artifacts."""
    raw = json.loads((TEST_ARTIFACTS / f"{name}.json").read_text(encoding="utf-8"))
    return raw["abi"], raw["bytecode"]


def deploy_raw(
    sender: TransactionSender, abi: list[dict[str, Any]], bytecode: str, args: list[Any], value: int = 0
) -> Contract:
    """Deploys with a real signed transaction and returns the contract at its address."""
    factory = sender.w3.eth.contract(abi=abi, bytecode=bytecode)
    receipt = sender.transact(
        {"data": factory.constructor(*args).data_in_transaction, "value": value}, action="Deploying a test contract"
    )
    return sender.w3.eth.contract(address=receipt["contractAddress"], abi=abi)


def deploy_artifact(sender: TransactionSender, name: str, args: list[Any]) -> Contract:
    """Deploys one of dacwallet's shipped contracts (resources/contracts) by hand."""
    artifact = load_artifact(name)
    return deploy_raw(sender, artifact.abi, artifact.bytecode, args)


def transact(
    sender: TransactionSender,
    contract: Contract,
    function: str,
    args: list[Any],
    value: int = 0,
    action: str = "Calling a test contract",
):
    """One real signed transaction calling ``function`` on ``contract``."""
    data = contract.encode_abi(function, args=args)
    return sender.transact({"to": contract.address, "data": data, "value": value}, action=action)
