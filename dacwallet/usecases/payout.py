"""What a deployment pays its contributors - ether deposits (Stakeable64) or points (Points64) - in words and
figures. The one place that knows which; the CLI and the app word deposits, refunds and reports through it.

Points64 takes no deposit. Its events carry no amount: Refund(address) counts one point for the author (the
contract adds it to numValidForAddress), Report(address) only closes a contribution, so the reporter earns none.
"""

from __future__ import annotations

from typing import Any

from dacwallet.contracts.deployment import Deployment
from dacwallet.usecases.amounts import eth

NO_DEPOSIT = "no deposit — this model pays points"
CLAIM_POINTS = {"refund": 1, "report": 0}


def pays_points(deployment: Deployment | None) -> bool:
    """True when ``deployment``'s incentive mechanism is a points one (no deposit, no ether paid out)."""
    return deployment is not None and deployment.incentive == "points"


def points(count: int) -> str:
    """'1 point', '0 points'."""
    return f"{count} point{'' if count == 1 else 's'}"


def deposit_text(pays_in_points: bool, wei: int | None) -> str:
    """A contribution's deposit: an ether amount, or that a points model takes none."""
    return NO_DEPOSIT if pays_in_points else eth(wei)


def claim_text(pays_in_points: bool, kind: str, wei: int | None) -> str:
    """What a refund or a report (``kind``) pays: ether, or the points the contract counts for it."""
    return points(CLAIM_POINTS[kind]) if pays_in_points else eth(wei)


def claim_fields(deployment: Deployment | None, kind: str, wei: int, name: str) -> dict[str, Any]:
    """``name``_eth and ``name``_wei for ether; ``name``_points for a points model (--json)."""
    if pays_points(deployment):
        return {f"{name}_points": CLAIM_POINTS[kind]}
    return {f"{name}_eth": wei / 1e18, f"{name}_wei": str(wei)}
