"""Ether amounts in words, the same in the GUI and the CLI's text."""

from __future__ import annotations

from decimal import Decimal

WEI_PER_ETH = 10**18


def eth(wei: int | None, digits: int = 6) -> str:
    """'0.012 ETH' with sensible precision: up to ``digits`` decimals, trailing zeros dropped."""
    if wei is None:
        return "—"
    if wei == 0:
        return "0 ETH"
    value = Decimal(wei) / WEI_PER_ETH
    if abs(value) < Decimal(10) ** -digits:
        return f"{wei:,} wei"
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    if abs(value) >= 1000:
        whole, _, frac = text.partition(".")
        text = f"{int(whole):,}" + (f".{frac[:2]}" if frac else "")
    return f"{text} ETH"
