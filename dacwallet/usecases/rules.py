"""A deployment's incentive rules as read from the chain, and what they say about one contribution now."""

from __future__ import annotations

from dataclasses import dataclass

from web3 import Web3

from dacwallet.contracts.deployment import Deployment, classifier_contract, trainer_contract


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


@dataclass(frozen=True)
class OnChainState:
    """What the chain says now about one contribution."""

    claimable: int
    initial_deposit: int
    num_claims: int
    author_claimed: bool
    prediction: int
    now: int

    @property
    def open(self) -> bool:
        return self.num_claims == 0 or self.claimable > 0


def read_state(w3: Web3, deployment: Deployment, data: list[int], label: int, added_time: int, author: str,
               now: int) -> OnChainState:
    handler = trainer_contract(w3, deployment.data_handler)
    args = (data, label, added_time, author)
    return OnChainState(
        claimable=handler.functions.getClaimableAmount(*args).call(),
        initial_deposit=handler.functions.getInitialDeposit(*args).call(),
        num_claims=handler.functions.getNumClaims(*args).call(),
        author_claimed=handler.functions.hasClaimed(*args, author).call(),
        prediction=classifier_contract(w3, deployment.classifier).functions.predict(data).call(),
        now=now,
    )
