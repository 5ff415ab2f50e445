"""Others' contributions: which this account may report now, for how much, and reporting one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from eth_abi.packed import encode_packed
from eth_utils import keccak
from web3 import Web3
from web3.types import TxReceipt

from dacwallet.contracts.deployment import Deployment, trainer_contract
from dacwallet.errors import InputError
from dacwallet.usecases.context import WalletContext
from dacwallet.usecases.rules import Rules, read_state
from dacwallet.usecases.sending import UnlockedSigner, send_journaled


def contribution_key(data: list[int], label: int, added_time: int, author: str) -> str:
    """The contract's key: keccak256(abi.encodePacked(data, classification, addedTime, author))."""
    packed = encode_packed(["int64[]", "uint64", "uint256", "address"], [data, label, added_time, author])
    return Web3.to_hex(keccak(packed))


@dataclass(frozen=True)
class OnChainContribution:
    key: str
    data: tuple[int, ...]
    label: int
    added_time: int
    author: str
    cost: int
    block_number: int


@dataclass(frozen=True)
class Reportable:
    contribution: OnChainContribution
    reward_wei: int
    reason: str  # why this account may take it now

    @property
    def id(self) -> str:
        return self.contribution.key


def added_contributions(w3: Web3, deployment: Deployment) -> list[OnChainContribution]:
    """Every AddData of the deployment, oldest first."""
    event = trainer_contract(w3, deployment.trainer).events.AddData()
    result = []
    for log in event.get_logs(from_block=0):
        args = log["args"]
        data = list(args["d"])
        result.append(OnChainContribution(contribution_key(data, args["c"], args["t"], args["sender"]), tuple(data),
                                          args["c"], args["t"], args["sender"], args["cost"], log["blockNumber"]))
    return result


def reportable(ctx: WalletContext, reporter: str) -> list[Reportable]:
    """Others' contributions this account may report or take right now, with the reward the rules give."""
    deployment = ctx.require_deployment()
    rules = Rules.read(ctx.w3, deployment)
    incentive = trainer_contract(ctx.w3, deployment.incentive_mechanism)
    handler = trainer_contract(ctx.w3, deployment.data_handler)
    now = ctx.w3.eth.get_block("latest")["timestamp"]
    num_valid = incentive.functions.numValidForAddress(reporter).call()
    total_good = incentive.functions.totalGoodDataCount().call()
    found = []
    for c in added_contributions(ctx.w3, deployment):
        elapsed = now - c.added_time
        if c.author.lower() == reporter.lower() or elapsed < rules.refund_wait_s:
            continue
        state = read_state(ctx.w3, deployment, list(c.data), c.label, c.added_time, c.author, now)
        if not state.open or handler.functions.hasClaimed(list(c.data), c.label, c.added_time, c.author,
                                                         reporter).call():
            continue
        reward, reason = _reward(rules, state.claimable, state.initial_deposit, state.prediction != c.label,
                                 elapsed, reporter, num_valid, total_good)
        if reason:
            found.append(Reportable(c, reward, reason))
    return found


def _reward(rules: Rules, claimable: int, deposit: int, model_disagrees: bool, elapsed: int, reporter: str,
            num_valid: int, total_good: int) -> tuple[int, str]:
    """What the contract would pay (mirrors Stakeable64._takeAmount); reason '' when it would refuse."""
    if not rules.stakeable:
        return (0, "the model disagrees with its label") if model_disagrees else (0, "")
    if elapsed >= rules.any_address_claim_wait_s:
        return claimable, "abandoned: anyone may take what is left"
    if elapsed >= rules.owner_claim_wait_s and rules.owner and reporter.lower() == rules.owner.lower():
        return claimable, "the model's owner may take what is left"
    if not model_disagrees or num_valid == 0:
        return 0, ""
    share = deposit * num_valid // total_good
    return (claimable if share == 0 or share > claimable else share), "the model disagrees with its label"


def find_reportable(ctx: WalletContext, reporter: str, ref: str) -> Reportable:
    """The reportable contribution whose key starts with ``ref`` (at least 8 hex digits)."""
    ref = ref.lower().removeprefix("0x")
    if len(ref) < 8:
        raise InputError("Give at least the first 8 hex digits of the contribution's key (see `dacwallet reportable`).")
    matches = [r for r in reportable(ctx, reporter) if r.id.lower().removeprefix("0x").startswith(ref)]
    if not matches:
        raise InputError(f"No contribution {ref} can be reported by {reporter} now; see `dacwallet reportable`.")
    if len(matches) > 1:
        raise InputError(f"{ref} matches {len(matches)} contributions; give more digits of the key.")
    return matches[0]


def report(ctx: WalletContext, signer: UnlockedSigner, ref: str,
           on_stage: Callable[[str], None] | None = None) -> tuple[Reportable, TxReceipt]:
    target = find_reportable(ctx, signer.address, ref)
    c = target.contribution
    trainer = trainer_contract(ctx.w3, ctx.require_deployment().trainer)
    fields = {"to": trainer.address,
              "data": trainer.encode_abi("report", args=[list(c.data), c.label, c.added_time, c.author])}
    return target, send_journaled(ctx, signer, fields, kind="report", action="The report", on_stage=on_stage)
