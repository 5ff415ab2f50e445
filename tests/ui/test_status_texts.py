"""Every status a contribution row can show has its own words: no raw code reaches the table."""

from __future__ import annotations

from dacwallet.store.lifecycle import ContributionState
from dacwallet.usecases.claims import Standing
from ui.models.contributions_model import STATUS_TEXT


def test_every_standing_and_local_state_has_a_text() -> None:
    missing = [m for m in (*Standing, *ContributionState) if m not in STATUS_TEXT]
    assert missing == []
    assert all(text.strip() for text in STATUS_TEXT.values())
