"""A deployment's incentive rules, as read from the chain."""

from __future__ import annotations

from dataclasses import dataclass

from web3 import Web3

from dacwallet.contracts.calls import read
from dacwallet.contracts.deployment import Deployment, incentive_contract


@dataclass(frozen=True)
class Rules:
    refund_wait_s: int
    owner_claim_wait_s: int
    any_address_claim_wait_s: int
    owner: str | None
    stakeable: bool

    @classmethod
    def read(cls, w3: Web3, deployment: Deployment) -> Rules:
        incentive = incentive_contract(w3, deployment.incentive_mechanism)
        try:
            owner = incentive.functions.owner().call()
        except Exception:
            owner = None
        f = incentive.functions
        return cls(
            read(f.refundWaitTimeS(), "The refund wait"),
            read(f.ownerClaimWaitTimeS(), "The owner's wait"),
            read(f.anyAddressClaimWaitTimeS(), "The wait before anyone may take a deposit"),
            owner,
            deployment.incentive == "stakeable",
        )
