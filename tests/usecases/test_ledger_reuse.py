"""Reads do not sync when nothing can have changed: while the chain's head is the block a ledger view was
built at, the view is reused (with a fresh "now") without asking the indexer; a new block (a contribution) syncs.
And every state write reports what it moved (Changes), drained once per operation."""

from __future__ import annotations

from dacwallet.sync.indexer import Indexer
from dacwallet.usecases.accounts import fund_new_account
from dacwallet.usecases.changes import NOTHING, drain_changes
from dacwallet.usecases.claims import own_contributions
from dacwallet.usecases.contribute import contribute
from dacwallet.usecases.ledger import refresh_ledger
from dacwallet.usecases.sending import signer_for

GOOD = "A wonderful film: brilliant acting, a moving story and a great score."


def test_a_view_is_reused_until_the_head_moves_and_writes_say_what_moved(embedded_ctx, monkeypatch) -> None:
    ctx = embedded_ctx
    alice = ctx.keys.create("alice", "alice-pw")
    fund_new_account(ctx, alice)
    syncs = []
    real_sync = Indexer.sync
    monkeypatch.setattr(Indexer, "sync", lambda self, *a, **k: syncs.append(1) or real_sync(self, *a, **k))

    first = refresh_ledger(ctx)
    again = refresh_ledger(ctx)  # the same index and predictions, with the time a claim sent now would get
    assert again.entries is first.entries and again.now >= first.now
    assert len(own_contributions(ctx)) == 0 and len(syncs) == 1

    drain_changes(ctx)
    added = contribute(ctx, signer_for(ctx, "alice", "alice-pw"), GOOD, "Positive")
    moved = drain_changes(ctx)
    assert added.id in moved.contributions and alice.address in moved.accounts and len(moved.transactions) == 1
    assert moved.touches_contributions and moved.touches_transactions and moved.touches_accounts
    assert drain_changes(ctx) == NOTHING  # drained: the next operation starts from nothing

    [status] = own_contributions(ctx)  # a block was mined: the index is brought up to it, once
    assert status.id == added.id and len(syncs) == 2
    own_contributions(ctx)
    assert len(syncs) == 2 and drain_changes(ctx) == NOTHING  # reading moves nothing
