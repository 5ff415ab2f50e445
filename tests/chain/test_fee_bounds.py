"""Bounds on the fees a node suggests (dacwallet.chain.fees): what recent blocks paid and a fixed cap.
Past them nothing is signed unless the user confirms (FeeOverride.allow_high); pure rules over numbers."""

from __future__ import annotations

import pytest

from dacwallet.chain.fees import (
    FEE_CAP,
    GWEI,
    MAX_FEE_FLOOR,
    TIP_FLOOR,
    FeeBounds,
    FeeOverride,
    FeeSuggestion,
    HighFeeError,
    apply_override,
    replacement_fees,
)

QUIET = FeeBounds.from_history([GWEI] * 21, [0] * 20)  # 20 blocks without tips
BUSY = FeeBounds.from_history([30 * GWEI, 40 * GWEI, 35 * GWEI], [2 * GWEI, 1 * GWEI])


def suggestion(tip: int, base: int = GWEI, bounds: FeeBounds = QUIET) -> FeeSuggestion:
    return FeeSuggestion(base, tip, 2 * base + tip, base + tip, bounds)


def test_bounds_follow_recent_blocks_with_floors_and_a_fixed_cap() -> None:
    assert (QUIET.max_fee, QUIET.priority_fee) == (MAX_FEE_FLOOR, TIP_FLOOR)
    assert QUIET.basis == "what the last 20 blocks paid"
    # 10x (2 x the highest base fee + the median tip), 10x the median tip
    assert (BUSY.max_fee, BUSY.priority_fee) == (10 * (80 + 1.5) * GWEI, 15 * GWEI)
    absurd = FeeBounds.from_history([10**6 * GWEI], [10**5 * GWEI])  # a node lying in its history too
    assert (absurd.max_fee, absurd.priority_fee) == (FEE_CAP, FEE_CAP)
    assert FeeBounds() == FeeBounds(FEE_CAP, FEE_CAP)  # a node without eth_feeHistory: only the cap


def test_a_suggestion_past_the_bounds_is_refused_unless_confirmed() -> None:
    lying = suggestion(50_000 * GWEI)
    with pytest.raises(HighFeeError, match="node suggests a priority fee of 50000 gwei, more than the 5 gwei"):
        apply_override(lying, None)
    assert apply_override(suggestion(GWEI), None) == {"maxFeePerGas": 3 * GWEI, "maxPriorityFeePerGas": GWEI}
    confirmed = FeeOverride.from_gwei(None, None, allow_high=True)  # nothing typed, the suggestion confirmed
    assert confirmed == FeeOverride(allow_high=True)
    assert apply_override(lying, confirmed) == lying.fields()
    assert FeeOverride.from_gwei(None, None) is None


def test_typed_fees_are_held_to_the_same_bounds_and_keep_no_absurd_suggested_tip() -> None:
    with pytest.raises(HighFeeError, match="This is a max fee of 25 gwei, more than the 20 gwei"):
        apply_override(suggestion(GWEI, base=5 * GWEI), FeeOverride.from_gwei("25"))
    with pytest.raises(
        HighFeeError, match="priority fee of 50000 gwei"
    ):  # only the max fee typed: the tip is the node's
        apply_override(suggestion(50_000 * GWEI), FeeOverride.from_gwei("100001"))
    legacy = FeeSuggestion(None, 2 * GWEI, 2 * GWEI, 2 * GWEI, QUIET)
    with pytest.raises(HighFeeError, match="gas price of 21 gwei"):
        apply_override(legacy, FeeOverride.from_gwei("21"))


def test_a_replacement_never_takes_an_absurd_suggestion() -> None:
    old = {"maxFeePerGas": 10 * GWEI, "maxPriorityFeePerGas": 2 * GWEI}
    with pytest.raises(HighFeeError, match="node suggests"):
        replacement_fees(old, suggestion(50_000 * GWEI))
    # confirmed by the user (tx speed-up/cancel --allow-high-fee): the suggestion is taken
    assert replacement_fees(old, suggestion(50_000 * GWEI), allow_high=True)["maxPriorityFeePerGas"] == 50_000 * GWEI
    # a fee the user already signed is bumped even past the bounds: it is not the node's suggestion
    high = {"maxFeePerGas": 40 * GWEI, "maxPriorityFeePerGas": 8 * GWEI}
    assert replacement_fees(high, suggestion(GWEI)) == {"maxFeePerGas": 45 * GWEI, "maxPriorityFeePerGas": 9 * GWEI}
