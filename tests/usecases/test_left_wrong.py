"""Stores written by an earlier version can hold the rows the races left wrong: a contribution "failed"
after a rebroadcast refused with "nonce too low" while its AddData is on the chain, and a contribution
"sending" whose only transaction is final. Settling the journal looks their transactions up: the first is
added again (its refund reachable), the second dropped (nothing would ever move it), its text kept."""

from __future__ import annotations

from dacwallet.store import contributions, journal
from dacwallet.store.lifecycle import ContributionState, TxState
from dacwallet.usecases.accounts import fund_new_account
from dacwallet.usecases.contribute import contribute
from dacwallet.usecases.sending import signer_for
from dacwallet.usecases.settle import resolve_journal

GOOD = "A wonderful film: brilliant acting, a moving story and a great score."
OTHER = "Great camera work, a moving story and the best score this year."


def test_rows_an_older_version_left_wrong_are_settled_by_looking_them_up(embedded_ctx) -> None:
    ctx = embedded_ctx
    fund_new_account(ctx, ctx.keys.create("alice", "alice-pw"))
    alice = signer_for(ctx, "alice", "alice-pw")
    mined = contribute(ctx, alice, GOOD, "Positive")
    lost = contribute(ctx, alice, OTHER, "Positive")
    # What the old code wrote: the mined one failed "for good"; the other sending, its entry settled.
    ctx.db.execute(
        "UPDATE journal SET state = 'failed', detail = 'The node refused the transaction: nonce too low.' "
        "WHERE tx_hash = ?",
        (mined.tx_hash,),
    )
    ctx.db.execute("UPDATE contributions SET state = 'failed', error = 'nonce too low' WHERE id = ?", (mined.id,))
    ctx.db.execute(
        "UPDATE journal SET state = 'replaced', tx_hash = ? WHERE tx_hash = ?", ("0x" + "ab" * 32, lost.tx_hash)
    )
    ctx.db.execute("UPDATE contributions SET state = 'sending' WHERE id = ?", (lost.id,))

    outcomes = {(r.tx_hash, r.outcome) for r in resolve_journal(ctx)}
    assert outcomes == {(mined.tx_hash, "mined"), ("0x" + "ab" * 32, "dropped")}
    row = contributions.get(ctx.db, mined.id)
    assert (row.state, row.added_time, journal.get(ctx.db, mined.tx_hash).state) == (
        ContributionState.ADDED,
        mined.added_time,
        TxState.MINED,
    )
    row = contributions.get(ctx.db, lost.id)
    assert (row.state, row.text) == (ContributionState.DROPPED, OTHER) and "send it again" in row.error
    assert resolve_journal(ctx) == []  # settled once: nothing left to look at
