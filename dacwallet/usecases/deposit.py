"""The deposit of a contribution, told one way everywhere (preview, confirmation, receipt, My contributions,
the CLI's text and --json).

Four amounts, each with its meaning:
- **deposit now**: the contract's cost for a contribution mined now (at the pending block's time);
- **sent at most**: what the transaction carries - the deposit now plus a margin, in case the block
  comes a little sooner than the node expects (the cost is higher the sooner it is mined);
- **kept**: what the contract took as the deposit, read from the AddData event of the mined transaction;
- **came back at once**: sent minus kept, which the contract returns in the same transaction.

The deposit falls with the time since the last contribution (cost weight x 3600 / isqrt(seconds)),
so a short curve of the contract's own figures says what waiting would save.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dacwallet.chain.mining_time import next_block_time
from dacwallet.chain.transactions import decode_signed
from dacwallet.contracts.calls import incentive_address, read
from dacwallet.contracts.deployment import incentive_contract
from dacwallet.errors import InputError
from dacwallet.store import journal
from dacwallet.store.contributions import StoredContribution
from dacwallet.usecases.amounts import eth
from dacwallet.usecases.bounds import bounded, deposit_bound
from dacwallet.usecases.context import WalletContext
from dacwallet.usecases.payout import CLAIM_POINTS, NO_DEPOSIT, pays_points, points

# The send covers the cost of a block stamped this much sooner than the node's pending block (one
# mainnet slot); never sooner than just after the latest block, which no transaction can precede.
MARGIN_S = 15
CURVE_MINUTES = (0, 1, 5, 10, 30, 60)
WAIT_SHOWN_MIN = 10  # the wait quoted in the one-line "why"


@dataclass(frozen=True)
class DepositQuote:
    """The deposit before sending, as the contract computes it for the time the transaction is mined."""

    now_wei: int
    send_wei: int
    at: int  # the expected mining time (Unix seconds)
    curve: tuple[tuple[int, int], ...]  # (minutes of waiting, deposit then)
    pays_points: bool = False  # a points model: no deposit, a refund earns a point

    @property
    def margin_wei(self) -> int:
        return self.send_wei - self.now_wei

    def after(self, minutes: int) -> int:
        return dict(self.curve)[minutes]

    def summary(self) -> str:
        """'Deposit now 0.6 ETH · you send at most 0.63 ETH (0.03 ETH margin); ...' - one line."""
        if self.pays_points:
            return f"{NO_DEPOSIT[0].upper()}{NO_DEPOSIT[1:]}."
        if self.send_wei == 0:
            return "This model takes no deposit."
        if self.margin_wei == 0:
            return (
                f"Deposit now {eth(self.now_wei)} · you send at most {eth(self.send_wei)} (no margin needed: "
                "it is the same if the block comes a little sooner); the contract keeps the deposit of the "
                "moment it is mined and sends the rest back at once."
            )
        return (
            f"Deposit now {eth(self.now_wei)} · you send at most {eth(self.send_wei)} "
            f"({eth(self.margin_wei)} margin in case it is mined sooner); the contract keeps the deposit of "
            "the moment it is mined and sends the rest back at once."
        )

    def why(self) -> str:
        """Why the deposit is what it is, and what waiting would change."""
        if self.pays_points:
            return (
                f"Contributions are free; a refund after the wait earns {points(CLAIM_POINTS['refund'])} "
                "when the model agrees with your label."
            )
        if self.send_wei == 0:
            return "Contributions to this model are free: no deposit is taken."
        later = self.after(WAIT_SHOWN_MIN)
        if later >= self.now_wei:
            return "The deposit falls the longer no one contributes; it is already at its lowest for now."
        return (
            f"The deposit falls the longer no one contributes: wait {WAIT_SHOWN_MIN} min and it falls to "
            f"{eth(later)}; each new contribution raises it again."
        )

    def as_json(self) -> dict[str, object]:
        return {
            "deposit_now_wei": str(self.now_wei),
            "deposit_now_eth": self.now_wei / 1e18,
            "send_at_most_wei": str(self.send_wei),
            "send_at_most_eth": self.send_wei / 1e18,
            "margin_wei": str(self.margin_wei),
            "mined_at": self.at,
            "summary": self.summary(),
            "why": self.why(),
            "curve": [{"wait_min": m, "deposit_eth": w / 1e18, "deposit_wei": str(w)} for m, w in self.curve],
        }


@dataclass(frozen=True)
class DepositOutcome:
    """What happened to the deposit of a mined contribution."""

    kept_wei: int
    sent_wei: int | None  # None when the transaction was not sent from this wallet's journal
    pays_points: bool = False  # a points model: nothing was kept

    @property
    def returned_wei(self) -> int | None:
        return None if self.sent_wei is None else self.sent_wei - self.kept_wei

    def summary(self) -> str:
        if self.pays_points:
            return f"{NO_DEPOSIT[0].upper()}{NO_DEPOSIT[1:]}: nothing was kept."
        if self.sent_wei is None:
            return f"The contract kept {eth(self.kept_wei)} as the deposit."
        if self.returned_wei == 0:  # "0 ETH came back at once" read as if something had gone wrong
            return f"The contract kept all of the {eth(self.sent_wei)} sent as the deposit."
        return (
            f"The contract kept {eth(self.kept_wei)} as the deposit; of the {eth(self.sent_wei)} sent, "
            f"{eth(self.returned_wei)} came back at once."
        )

    def since_quote(self, quoted_now_wei: int) -> str:
        """Why less was kept than the deposit quoted before sending (it fell while the confirmation was open),
        or "" when it was not less."""
        if self.pays_points or self.kept_wei >= quoted_now_wei:
            return ""
        return (
            f"That is less than the {eth(quoted_now_wei)} quoted: the deposit fell with the time since the "
            "last contribution before it was mined."
        )

    def as_json(self) -> dict[str, object]:
        return {
            "kept_wei": str(self.kept_wei),
            "kept_eth": self.kept_wei / 1e18,
            "sent_wei": None if self.sent_wei is None else str(self.sent_wei),
            "returned_wei": None if self.returned_wei is None else str(self.returned_wei),
            "returned_eth": None if self.returned_wei is None else self.returned_wei / 1e18,
            "summary": self.summary(),
        }


@dataclass(frozen=True)
class _Pricing:
    """The contract's deposit as a function of the mining time, checked against its rules."""

    cost: Callable[[int], int]
    at: int  # the expected mining time (Unix seconds)
    soonest: int  # the earliest the block may be stamped (see MARGIN_S)

    def send_wei(self, now_wei: int) -> int:
        """What to send: the deposit now, or that of the soonest block if higher."""
        return now_wei if self.soonest == self.at else max(self.cost(self.soonest), now_wei)


def _pricing(ctx: WalletContext, trainer: str) -> _Pricing:
    incentive = incentive_address(ctx.w3, trainer, ctx.deployment)
    contract = incentive_contract(ctx.w3, incentive)
    at = next_block_time(ctx.w3)
    latest = int(ctx.w3.eth.get_block("latest")["timestamp"])

    most = deposit_bound(ctx.w3, incentive)  # the node's figures are held to the contract's rules

    def cost(t: int) -> int:
        return bounded(int(read(contract.functions.getNextAddDataCost(t), "The deposit")), most)

    return _Pricing(cost, at, min(at, max(at - MARGIN_S, latest + 1)))


def quote(ctx: WalletContext, trainer: str) -> DepositQuote:
    """The deposit for a contribution to ``trainer`` sent now, from the contract's getNextAddDataCost(time)."""
    pricing = _pricing(ctx, trainer)
    curve = tuple((m, pricing.cost(pricing.at + 60 * m)) for m in CURVE_MINUTES)
    deployment = ctx.deployment if ctx.deployment is not None and ctx.deployment.trainer == trainer else None
    return DepositQuote(
        now_wei=curve[0][1],
        send_wei=pricing.send_wei(curve[0][1]),
        at=pricing.at,
        curve=curve,
        pays_points=pays_points(deployment),
    )


def checked_send(ctx: WalletContext, trainer: str, at_most_wei: int | None) -> int:
    """What to send now (``quote``'s send_wei, without the curve of later deposits); InputError when it grew
    past what the user confirmed (someone contributed since)."""
    pricing = _pricing(ctx, trainer)
    send = pricing.send_wei(pricing.cost(pricing.at))
    if at_most_wei is not None and send > at_most_wei:
        raise InputError(
            f"The deposit rose to {eth(send)} since you confirmed {eth(at_most_wei)} (someone "
            "contributed in between); nothing was sent. Review the new deposit and confirm again."
        )
    return send


def outcome(ctx: WalletContext, stored: StoredContribution) -> DepositOutcome | None:
    """Kept (AddData's cost) and sent (the journaled transaction's value); None before it is mined."""
    if stored.cost is None:
        return None
    entry = journal.get(ctx.db, stored.tx_hash) if stored.tx_hash else None
    sent = int(decode_signed(entry.raw)["value"]) if entry is not None else None
    return DepositOutcome(kept_wei=stored.cost, sent_wei=sent, pays_points=pays_points(ctx.deployment))
