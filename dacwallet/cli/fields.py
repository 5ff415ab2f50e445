"""Result fields several commands print alike: amounts in wei, the deposit asked and what came of it, what a claim
pays (ether, or points on a points model)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dacwallet.contracts.deployment import Deployment
    from dacwallet.usecases.deposit import DepositOutcome, DepositQuote


def wei(value: int | None) -> str | None:
    """An amount in wei as the CLI prints it: a decimal string (exact in any JSON reader), or None."""
    return None if value is None else str(value)


def quote_fields(deployment: Deployment | None, deposit_wei: int | None, quote: DepositQuote | None) -> dict[str, Any]:
    """The deposit before sending, in the words the GUI uses (text lines) and every figure (--json); a points
    model says it takes none and what a refund earns."""
    from dacwallet.usecases.payout import CLAIM_POINTS, pays_points

    if pays_points(deployment):
        return points_deposit() | {"refund_earns_points": CLAIM_POINTS["refund"]}
    return {
        "deposit_eth": None if deposit_wei is None else deposit_wei / 1e18,
        "deposit_wei": wei(deposit_wei),
        **(
            {}
            if quote is None
            else {"deposit": quote.summary(), "deposit_why": quote.why(), "deposit_quote": quote.as_json()}
        ),
    }


def points_deposit() -> dict[str, Any]:
    from dacwallet.usecases.payout import NO_DEPOSIT

    return {"pays": "points", "deposit": NO_DEPOSIT}


def outcome_fields(deployment: Deployment | None, told: DepositOutcome | None) -> dict[str, Any]:
    """What the contract kept and what came back at once, in the words the GUI uses (nothing for a points model)."""
    from dacwallet.usecases.payout import pays_points

    if pays_points(deployment):
        return points_deposit()
    return {} if told is None else {"deposit": told.summary(), "deposit_outcome": told.as_json()}


def claim(deployment: Deployment | None, kind: str, amount_wei: int, name: str, *, paid: bool = True) -> dict[str, Any]:
    """What a refund or report pays, in ether or points (a claim that failed earned no points)."""
    from dacwallet.usecases.payout import claim_fields

    fields = claim_fields(deployment, kind, amount_wei, name)
    return fields if paid or f"{name}_points" not in fields else {f"{name}_points": 0}


def earned(deployment: Deployment | None, kind: str) -> dict[str, Any]:
    """On a points model, the points the refund or report (``kind``) earned, as its event counts them."""
    from dacwallet.usecases.payout import CLAIM_POINTS, pays_points, points

    if not pays_points(deployment):
        return {}
    return {"pays": "points", "points": CLAIM_POINTS[kind], "earned": points(CLAIM_POINTS[kind])}
