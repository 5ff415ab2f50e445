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


def parse_duration(text: str) -> int:
    """'90', '90s', '15m', '2h', '1d', '1w', or combinations like '1d12h' -> seconds."""
    parts = re.fullmatch(r"\s*((\d+)\s*([smhdw]?)\s*)+", text.lower())
    if not parts:
        raise InputError(f"{text!r} is not a duration; use e.g. 90s, 15m, 2h, 1d or 1d12h.")
    seconds = sum(int(n) * _UNITS[u or "s"] for n, u in re.findall(r"(\d+)\s*([smhdw]?)", text.lower()))
    if seconds <= 0:
        raise InputError("The duration must be positive.")
    return seconds


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
    return ChainStatus(ctx.connection.spec.url, ctx.connection.chain_id, latest["number"], latest["timestamp"],
                       deployment.name if deployment else None, deployment.trainer if deployment else None,
                       deposit, submitted, ctx.reset_from)


def advance_clock(ctx: WalletContext, seconds: int) -> int:
    """Moves the embedded chain's clock forward; returns the new chain time."""
    if ctx.connection.embedded is None:
        raise ChainError("Only the embedded chain's clock can be moved; a real network keeps its own time.")
    return ctx.connection.embedded.advance(seconds)
