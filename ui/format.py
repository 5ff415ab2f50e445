"""Qt-free formatting: ether amounts, dates, countdowns, addresses, review excerpts."""

from __future__ import annotations

from datetime import datetime

# Re-exported: one ether formatter for GUI and CLI.
from dacwallet.usecases.amounts import WEI_PER_ETH as WEI_PER_ETH
from dacwallet.usecases.amounts import eth as eth
from dacwallet.usecases.chainops import describe_duration

UNKNOWN_BALANCE = "unknown — node not answering"


def wei_tooltip(wei: int | None) -> str:
    return "" if wei is None else f"{wei:,} wei"


def balance(wei: int | None) -> str:
    """A balance; None means the node did not answer, which is never shown as zero."""
    return UNKNOWN_BALANCE if wei is None else eth(wei, 4)


def when(timestamp: int | None) -> str:
    """'3 Dec 14:02' in local time."""
    if timestamp is None:
        return "—"
    try:
        moment = datetime.fromtimestamp(timestamp)
    except (OverflowError, ValueError, OSError):  # a node's clock moved past any date
        return f"{timestamp} s after 1970"
    return f"{moment.day} {moment:%b %H:%M}" + (f" {moment.year}" if moment.year != datetime.now().year else "")


def countdown(seconds: int | None) -> str:
    """'in 23 h 59 min', 'in 42 s', 'now'."""
    if seconds is None:
        return ""
    if seconds <= 0:
        return "now"
    days, rest = divmod(int(seconds), 86_400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"in {days} d {hours} h"
    if hours:
        return f"in {hours} h {minutes:02d} min"
    if minutes:
        return f"in {minutes} min {secs:02d} s"
    return f"in {secs} s"


def short_address(address: str | None) -> str:
    if not address:
        return "—"
    return f"{address[:6]}…{address[-4:]}"


def duration(seconds: int) -> str:
    return describe_duration(seconds)


def excerpt(text: str, length: int) -> str:
    """The start of a review on one line, with '…' when it goes on (a quote cut mid-sentence without it
    read as the whole review: "… One of the")."""
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[:length].rstrip() + "…"
