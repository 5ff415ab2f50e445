"""Qt-free: what changed between two refreshes of the user's contributions that deserves a notice."""

from __future__ import annotations

from dataclasses import dataclass

from dacwallet.usecases.claims import AT_RISK, OPEN_TO_ANYONE, REFUNDABLE, ContributionStatus


@dataclass(frozen=True)
class Notice:
    contribution_id: int
    kind: str  # "refundable" or "at risk"
    text: str


def notices_between(before: dict[int, str], after: list[ContributionStatus]) -> list[Notice]:
    """Notices for contributions whose status turned refundable or at risk since ``before`` (id -> status)."""
    found = []
    for item in after:
        old = before.get(item.id)
        if old is None or old == item.status:
            continue
        if item.status == REFUNDABLE:
            found.append(Notice(item.id, REFUNDABLE, f"Contribution #{item.id}: your refund can be claimed now "
                                                     "(My contributions → Claim)."))
        elif item.status in (AT_RISK, OPEN_TO_ANYONE):
            found.append(Notice(item.id, AT_RISK, f"Contribution #{item.id} is at risk: the model disagrees with "
                                                   "its label, so others may take the deposit."))
    return found
