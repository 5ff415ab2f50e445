"""Fees: what the node suggests (bounded by recent blocks and a fixed cap), a user's override checked
against it, and replacement bumps.

Pure functions over plain numbers (wei), so the GUI can validate a typed fee on its own
thread and the same rules apply in the CLI and the use-cases.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from statistics import median

from dacwallet.errors import InputError

GWEI = 10**9
# A fee more than this many times the node's suggestion is almost surely a typo: it is sent only when
# the user confirms it explicitly (--allow-high-fee, or the dialog's confirmation box).
HIGH_FEE_FACTOR = 10
# Nodes keep a pending transaction unless its replacement raises *both* fees: geth by 10 %, others
# (e.g. Nethermind, and geth for blob transactions) more. 12.5 % satisfies all of them.
BUMP_NUMERATOR, BUMP_DENOMINATOR = 9, 8
# The node's suggestion is not trusted either. Without the user's confirmation no fee per gas goes above
# FEE_CAP, whatever the node says (far above what busy mainnet blocks have paid for years), nor above
# HIGH_FEE_FACTOR x what the last HISTORY_BLOCKS blocks paid (eth_feeHistory: their base fees and median
# tips). The floors keep an ordinary suggestion acceptable on a quiet chain whose blocks paid no tips.
FEE_CAP = 1_000 * GWEI
HISTORY_BLOCKS = 20
TIP_FLOOR = 5 * GWEI
MAX_FEE_FLOOR = 20 * GWEI
CONFIRM_HINT = "confirm it explicitly (--allow-high-fee, or the dialog's confirmation box) if you mean it"


class FeeError(InputError):
    """A fee the user typed cannot be sent as it is; nothing was signed."""


class HighFeeError(FeeError):
    """The fee is far above the node's suggestion; it is sent only when the user confirms it."""


@dataclass(frozen=True)
class FeeBounds:
    """The highest fees per gas sent without the user's confirmation (wei); ``basis`` says where they come from."""

    max_fee: int = FEE_CAP  # also the bound of a legacy gas price
    priority_fee: int = FEE_CAP
    basis: str = "the fixed cap for any network"

    @classmethod
    def from_history(cls, base_fees: Sequence[int], tips: Sequence[int]) -> FeeBounds:
        """From eth_feeHistory: recent blocks' base fees (with the next block's) and each block's median tip."""
        tip = int(median(tips)) if tips else 0
        base = max(base_fees, default=0)
        blocks = max(len(tips), len(base_fees) - 1)  # the base fees include the next block's
        return cls(
            min(FEE_CAP, max(MAX_FEE_FLOOR, HIGH_FEE_FACTOR * (2 * base + tip))),
            min(FEE_CAP, max(TIP_FLOOR, HIGH_FEE_FACTOR * tip)),
            f"what the last {blocks} blocks paid",
        )

    def check(self, fields: dict[str, int], source: str) -> None:
        """HighFeeError when ``fields`` (from ``source``: "the node suggests", "you typed") go past the bounds."""
        tip = fields.get("maxPriorityFeePerGas")
        if tip is not None and tip > self.priority_fee:
            _too_high(source, "priority fee", tip, self.priority_fee, self.basis)
        fee = fields.get("maxFeePerGas", fields.get("gasPrice", 0))
        if fee > self.max_fee:
            _too_high(source, "max fee" if "maxFeePerGas" in fields else "gas price", fee, self.max_fee, self.basis)


def _too_high(source: str, what: str, fee: int, bound: int, basis: str) -> None:
    raise HighFeeError(
        f"{source} a {what} of {gwei(fee)} gwei, more than the {gwei(bound)} gwei sent without a "
        f"confirmation (judged by {basis}). Nothing was signed; {CONFIRM_HINT}."
    )


@dataclass(frozen=True)
class FeeSuggestion:
    """What the node suggests now; ``base_fee`` None means a legacy (gas price) chain. ``bounds`` is what the
    fees may reach without confirmation (from recent blocks when the node gave its fee history)."""

    base_fee: int | None
    priority_fee: int
    max_fee: int
    gas_price: int
    bounds: FeeBounds = field(default_factory=FeeBounds)

    @property
    def eip1559(self) -> bool:
        return self.base_fee is not None

    def fields(self) -> dict[str, int]:
        if self.eip1559:
            return {"maxFeePerGas": self.max_fee, "maxPriorityFeePerGas": self.priority_fee}
        return {"gasPrice": self.gas_price}


@dataclass(frozen=True)
class FeeOverride:
    """Fees the user chose, in wei; None keeps the suggestion. On a legacy chain ``max_fee`` is the gas price."""

    max_fee: int | None = None
    priority_fee: int | None = None
    allow_high: bool = False  # the user confirmed a fee above HIGH_FEE_FACTOR x the suggestion

    @classmethod
    def from_gwei(
        cls, max_fee: str | float | None = None, priority_fee: str | float | None = None, allow_high: bool = False
    ) -> FeeOverride | None:
        """From typed gwei amounts; None when nothing was typed (use the node's suggestion)."""
        if max_fee in (None, "") and priority_fee in (None, ""):
            return cls(allow_high=True) if allow_high else None  # the suggestion, confirmed whatever it is
        return cls(gwei_to_wei(max_fee, "max fee"), gwei_to_wei(priority_fee, "priority fee"), allow_high)


def gwei_to_wei(value: str | float | None, what: str) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise FeeError(f"The {what} must be a number of gwei, e.g. 1.5 (got {value!r}).") from None
    if not amount.is_finite():
        raise FeeError(f"The {what} must be a number of gwei, e.g. 1.5 (got {value!r}).")
    if amount < 0:
        raise FeeError(f"The {what} cannot be negative (got {value} gwei).")
    try:
        wei = int(amount * GWEI)
    except ArithmeticError:  # decimal.Overflow: an exponent past what a Decimal holds (1e999999999)
        wei = None
    if wei is None or wei >= 2**256:
        raise FeeError(f"The {what} is far too large to put in a transaction (got {str(value)[:40]} gwei).")
    return wei


def gwei(wei: int) -> str:
    """Wei as a short gwei string for messages ("1.5", "0.000000001")."""
    text = f"{Decimal(wei) / GWEI:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def short_gwei(wei: int) -> str:
    """'3.083' rather than '3.083352784': three decimals are plenty to read (show ``gwei`` where exactness matters)."""
    return f"{Decimal(wei) / GWEI:,.3f}".rstrip("0").rstrip(".")


def apply_override(suggestion: FeeSuggestion, override: FeeOverride | None) -> dict[str, int]:
    """The fee fields to sign with; FeeError (HighFeeError: confirm it) for a fee that cannot or should not be sent.

    Whoever chose them, the fees must stay within ``suggestion.bounds`` unless the user confirmed them.
    """
    allowed = override is not None and override.allow_high
    if override is None or (override.max_fee is None and override.priority_fee is None):
        if not allowed:
            suggestion.bounds.check(suggestion.fields(), "The node suggests")
        return suggestion.fields()
    fields = _typed_fields(suggestion, override)
    if not allowed:
        suggestion.bounds.check(fields, "This is")
    return fields


def _typed_fields(suggestion: FeeSuggestion, override: FeeOverride) -> dict[str, int]:
    if not suggestion.eip1559:
        if override.max_fee is None:
            raise FeeError("This network uses a single gas price: give it as the max fee (priority fee unused).")
        _check_not_high(override.max_fee, suggestion.gas_price, override.allow_high, "gas price")
        if override.max_fee == 0:
            raise FeeError(
                "A gas price of 0 is never mined; give at least "
                f"{gwei(suggestion.gas_price)} gwei (the node's suggestion)."
            )
        return {"gasPrice": override.max_fee}
    base = suggestion.base_fee or 0
    tip = override.priority_fee if override.priority_fee is not None else suggestion.priority_fee
    max_fee = override.max_fee if override.max_fee is not None else max(suggestion.max_fee, 2 * base + tip)
    if tip > max_fee:
        raise FeeError(f"The priority fee ({gwei(tip)} gwei) cannot be above the max fee ({gwei(max_fee)} gwei).")
    if max_fee < base:
        raise FeeError(
            f"The max fee ({gwei(max_fee)} gwei) is below the current base fee ({gwei(base)} gwei): "
            "the node would refuse it. Give at least the base fee."
        )
    _check_not_high(max_fee, suggestion.max_fee, override.allow_high, "max fee")
    return {"maxFeePerGas": max_fee, "maxPriorityFeePerGas": tip}


def _check_not_high(fee: int, suggested: int, allowed: bool, what: str) -> None:
    if not allowed and suggested > 0 and fee > HIGH_FEE_FACTOR * suggested:
        raise HighFeeError(
            f"The {what} of {gwei(fee)} gwei is more than {HIGH_FEE_FACTOR}x what the node suggests "
            f"({gwei(suggested)} gwei). Nothing was signed; {CONFIRM_HINT}."
        )


def bumped(fee: int) -> int:
    """The smallest fee a node accepts to replace one paying ``fee`` (+12.5 %, rounded up, at least +1 wei)."""
    return max(fee + 1, -(-fee * BUMP_NUMERATOR // BUMP_DENOMINATOR))


def replacement_fees(old: dict[str, int], suggestion: FeeSuggestion, *, allow_high: bool = False) -> dict[str, int]:
    """Fees for a transaction replacing ``old`` (same nonce): both raised enough, never below today's suggestion.

    HighFeeError when the suggestion itself is past its bounds, unless the user confirmed it (``allow_high``);
    the bump of a fee already signed is never refused.
    """
    if not allow_high:
        suggestion.bounds.check(suggestion.fields(), "The node suggests")
    if "gasPrice" in old:
        return {
            "gasPrice": max(
                bumped(old["gasPrice"]), suggestion.gas_price if not suggestion.eip1559 else suggestion.max_fee
            )
        }
    tip = max(bumped(old["maxPriorityFeePerGas"]), suggestion.priority_fee)
    max_fee = max(bumped(old["maxFeePerGas"]), suggestion.max_fee, tip)
    return {"maxFeePerGas": max_fee, "maxPriorityFeePerGas": tip}


def max_cost(gas: int, fees: dict[str, int]) -> int:
    """The most the network fee can cost (wei) for ``gas`` at these fees."""
    return gas * fees.get("maxFeePerGas", fees.get("gasPrice", 0))
