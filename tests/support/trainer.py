"""Direct contract calls for the contract tests (the wallet's use-cases come later, over the same ABI)."""

from __future__ import annotations

from dataclasses import dataclass

from web3.contract import Contract

from dacwallet.contracts.artifacts import TRAINER_POINTS, TRAINER_STAKEABLE, load_artifact
from dacwallet.contracts.deployment import Deployment, classifier_contract, trainer_contract
from tests.support.chains import DevChain


@dataclass(frozen=True)
class Added:
    data: list[int]
    label: int
    time: int
    author: str
    cost: int
    gas: int


class TrainerClient:
    def __init__(self, chain: DevChain, deployment: Deployment) -> None:
        self.chain = chain
        self.deployment = deployment
        self.trainer: Contract = trainer_contract(chain.w3, deployment.trainer)
        self.model: Contract = classifier_contract(chain.w3, deployment.classifier)
        # Stakeable and Points declare different Refund/Report events: decode with the right one.
        kind = TRAINER_STAKEABLE if deployment.incentive == "stakeable" else TRAINER_POINTS
        self.events = chain.w3.eth.contract(address=deployment.trainer, abi=load_artifact(kind).abi).events

    def cost(self) -> int:
        return self.trainer.functions.getNextAddDataCost().call()

    def predict(self, data: list[int]) -> int:
        return self.model.functions.predict(data).call()

    def add(self, who: int, data: list[int], label: int, value: int | None = None) -> Added:
        value = self.cost() if value is None else value
        tx = {
            "to": self.deployment.trainer,
            "value": value,
            "data": self.trainer.encode_abi("addData", args=[data, label]),
        }
        receipt = self.chain.sender(who).transact(tx, action="Contributing")
        event = self.events.AddData().process_receipt(receipt)[0]["args"]
        assert list(event["d"]) == data and event["c"] == label
        return Added(data, label, event["t"], event["sender"], event["cost"], receipt["gasUsed"])

    def refund(self, who: int, added: Added):
        tx = {
            "to": self.deployment.trainer,
            "data": self.trainer.encode_abi("refund", args=[added.data, added.label, added.time]),
        }
        return self.chain.sender(who).transact(tx, action="Claiming a refund")

    def report(self, who: int, added: Added):
        tx = {
            "to": self.deployment.trainer,
            "data": self.trainer.encode_abi("report", args=[added.data, added.label, added.time, added.author]),
        }
        return self.chain.sender(who).transact(tx, action="Reporting")

    def claimable(self, added: Added) -> int:
        return self.trainer.functions.getClaimableAmount(added.data, added.label, added.time, added.author).call()

    def balance(self, who: int | str) -> int:
        address = self.chain.accounts[who].address if isinstance(who, int) else who
        return self.chain.w3.eth.get_balance(address)

    def paid_to(self, receipt, event: str = "Refund") -> list[tuple[str, int]]:
        """(recipient, amount) of the Refund or Report events in a receipt."""
        logs = getattr(self.events, event)().process_receipt(receipt)
        return [(log["args"]["recipient"], log["args"].get("amount", 0)) for log in logs]
