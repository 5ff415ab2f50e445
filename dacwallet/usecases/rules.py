"""A deployment's incentive rules, as read from the chain."""

from __future__ import annotations

from dataclasses import dataclass

from web3 import Web3

from dacwallet.contracts.deployment import Deployment, trainer_contract


@dataclass(frozen=True)
class Rules:
    refund_wait_s: int
    owner_claim_wait_s: int
    any_address_claim_wait_s: int
    owner: str | None
    stakeable: bool

    @classmethod
    def read(cls, w3: Web3, deployment: Deployment) -> Rules:
        incentive = trainer_contract(w3, deployment.incentive_mechanism)
        try:
            owner = incentive.functions.owner().call()
        except Exception:  # noqa: BLE001 - reference mechanisms expose no owner getter to every caller
            owner = None
        return cls(incentive.functions.refundWaitTimeS().call(), incentive.functions.ownerClaimWaitTimeS().call(),
                   incentive.functions.anyAddressClaimWaitTimeS().call(), owner, deployment.incentive == "stakeable")
