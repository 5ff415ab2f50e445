"""The chain as a whole: where we are, and moving the embedded chain's clock."""

from __future__ import annotations

import re
from dataclasses import dataclass

from dacwallet.chain.mining_time import next_block_time
from dacwallet.contracts.calls import read
from dacwallet.contracts.deployment import incentive_contract
from dacwallet.errors import ChainError, InputError
from dacwallet.usecases.context import WalletContext

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800}
# One number and its unit; nothing in it can backtrack (a number is followed by an optional letter), so parsing
# is one left-to-right pass in linear time whatever is typed (the Network and Simulation pages parse as you type).
_PART = re.compile(r"([0-9]+)[ \t]*([smhdw]?)[ \t]*", re.ASCII)
MAX_DURATION_S = 100 * 365 * 86_400  # longer than any wait a contract has, and a clock jump that stays sane
_MAX_DIGITS = len(str(MAX_DURATION_S))
# The embedded chain's clock stays before this (9000-01-01 UTC): every time the wallet shows, a refund date
# included (at most 2**32 s of waiting later), stays one a date can hold (datetime ends with the year 9999).
MAX_CHAIN_TIME_S = 221_845_392_000


def parse_duration(text: str) -> int:
    """'90', '90s', '15m', '2h', '1d', '1w', or combinations like '1d12h' -> seconds (1 s to 100 years)."""
    wanted = text.strip().lower()
    example = "use e.g. 90s, 15m, 2h, 1d or 1d12h"
    if not wanted:
        raise InputError(f"Give a duration; {example}.")
    seconds, position = 0, 0
    while position < len(wanted):
        part = _PART.match(wanted, position)
        if part is None:
            shown = text if len(text) <= 40 else text[:40] + "…"
            raise InputError(f"{shown!r} is not a duration; {example}.")
        number, unit = part.groups()
        if len(number.lstrip("0")) > _MAX_DIGITS:
            raise _too_long()
        seconds += int(number) * _UNITS[unit or "s"]
        if seconds > MAX_DURATION_S:
            raise _too_long()
        position = part.end()
    if seconds <= 0:
        raise InputError("The duration must be positive.")
    return seconds


def describe_duration(seconds: int) -> str:
    """A span as a person reads it, to the minute: "1 day 2 h", "3 days", "45 min"; under a minute, in seconds."""
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = [
        f"{days} day{'s' if days > 1 else ''}" if days else "",
        f"{hours} h" if hours else "",
        f"{minutes} min" if minutes else "",
    ]
    return " ".join(p for p in parts if p) or f"{seconds} s"


def _too_long() -> InputError:
    return InputError(
        f"The duration is too long: at most {MAX_DURATION_S // (365 * 86_400)} years ({MAX_DURATION_S:,} s)."
    )


@dataclass(frozen=True)
class ChainStatus:
    network: str
    chain_id: int
    block: int
    time: int
    model: str | None
    trainer: str | None
    deposit_wei: int | None
    contributions: int | None
    reset_from: str | None


def status(ctx: WalletContext) -> ChainStatus:
    latest = ctx.w3.eth.get_block("latest")
    deployment = ctx.deployment
    deposit = submitted = None
    if deployment is not None:
        incentive = incentive_contract(ctx.w3, deployment.incentive_mechanism).functions
        deposit = read(incentive.getNextAddDataCost(next_block_time(ctx.w3)), "The next deposit")  # the deposit now
        submitted = read(incentive.totalSubmitted(), "The number of contributions")
    return ChainStatus(
        ctx.connection.spec.url,
        ctx.connection.chain_id,
        latest["number"],
        latest["timestamp"],
        deployment.name if deployment else None,
        deployment.trainer if deployment else None,
        deposit,
        submitted,
        ctx.reset_from,
    )


def advance_clock(ctx: WalletContext, seconds: int) -> int:
    """Moves the embedded chain's clock forward; returns the new chain time."""
    chain = ctx.connection.embedded
    if chain is None:
        raise ChainError("Only the embedded chain's clock can be moved; a real network keeps its own time.")
    if seconds <= 0 or chain.now() + seconds > MAX_CHAIN_TIME_S:
        raise InputError(
            "The embedded chain's clock cannot go that far: it stays before the year 9000, so every "
            "date the wallet shows (refunds included) can still be written. Choose a shorter duration."
        )
    return chain.advance(seconds)
