"""The notices that are true now for the selected account, derived from the latest statuses.

They are recomputed on every refresh and on every change of account, so a notice disappears the moment it
stops being true (the refund was claimed, the deposit was taken, another account is selected).
"""

from __future__ import annotations

from dataclasses import dataclass

from dacwallet.usecases.claims import AT_RISK, OPEN_TO_ANYONE, REFUNDABLE, ContributionStatus

AT_RISK_KIND = "at risk"


@dataclass(frozen=True)
class Notice:
    contribution_id: int
    kind: str  # "refundable" or "at risk"
    text: str


def current_notices(statuses: list[ContributionStatus], account: str | None, pays_points: bool = False) -> list[Notice]:
    """Notices for ``account``'s own contributions: a refund claimable now, or a deposit others may take now
    (on a points model, ``pays_points``: the point a refund earns, or a report that would close it first).

    Nothing for another account's contributions, and nothing once there is nothing left to claim or take.
    """
    if account is None:
        return []
    found = []
    for item in statuses:
        # A points contribution holds no deposit: its status alone says whether it is still open.
        if item.stored.author.lower() != account.lower() or (item.claimable <= 0 and not pays_points):
            continue
        if item.status == REFUNDABLE:
            found.append(
                Notice(
                    item.id,
                    REFUNDABLE,
                    f"Contribution #{item.id}: your refund can be claimed now (My contributions → Claim).",
                )
            )
        elif item.status in (AT_RISK, OPEN_TO_ANYONE):
            found.append(
                Notice(
                    item.id,
                    AT_RISK_KIND,
                    f"Contribution #{item.id} is at risk: the model disagrees with its label, so others may "
                    + ("report it, which closes it without a point for you." if pays_points else "take the deposit."),
                )
            )
    return found


def banner_text(notices: list[Notice]) -> str:
    """One line for the banner: the single notice, or a count with the first of them."""
    if not notices:
        return ""
    if len(notices) == 1:
        return notices[0].text
    return f"{notices[0].text} (and {len(notices) - 1} more notice(s) on My contributions)"
