"""A wallet with a history, made through the core on the embedded chain before the app opens it: Carol has a
refunded contribution (so she may report), Alice's good review is refundable, Bob's wrongly labelled one is
at risk (contributions #1, #2, #3)."""

from __future__ import annotations

from pathlib import Path

from dacwallet.usecases.accounts import fund_new_account
from dacwallet.usecases.claims import claim_refund
from dacwallet.usecases.context import open_wallet
from dacwallet.usecases.contribute import contribute
from dacwallet.usecases.sending import signer_for

GOOD = "A wonderful film: brilliant acting, a moving story and a great score. One of the best this year."
BAD = "Dreadful and boring. The worst acting, a stupid plot, a waste of time; awful from start to end."
DAY = 86_400


def make_story(data_dir: Path) -> dict[str, str]:
    """Builds the history in ``data_dir``; returns name -> address (passwords are NAME-pw)."""
    ctx = open_wallet(data_dir)
    try:
        for name in ("carol", "bob", "alice"):
            fund_new_account(ctx, ctx.keys.create(name, f"{name}-pw"))
        contribute(ctx, signer_for(ctx, "carol", "carol-pw"), "A moving, brilliant and wonderful story.", "Positive")
        ctx.connection.embedded.advance(DAY + 60)
        claim_refund(ctx, signer_for(ctx, "carol", "carol-pw"), 1)
        contribute(ctx, signer_for(ctx, "alice", "alice-pw"), GOOD, "Positive")
        contribute(ctx, signer_for(ctx, "bob", "bob-pw"), BAD, "Positive")
        ctx.connection.embedded.advance(DAY + 60)
        return {info.name: info.address for info in ctx.keys.accounts()}
    finally:
        ctx.close()
