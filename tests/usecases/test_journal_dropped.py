"""The journal's "dropped" outcome on a real anvil with automine off: a contribution is sent and journaled,
then another transaction signed with the same key (another wallet holding it, say) takes its nonce and is
mined instead. The next start settles the journal entry as dropped: the contribution keeps its text, marked
dropped, is on the chain zero times, and sending it again adds it exactly once."""

from __future__ import annotations

import pytest

from dacwallet.errors import ChainError
from dacwallet.store import contributions, journal
from dacwallet.store.lifecycle import ContributionState, TxState
from dacwallet.usecases.contribute import contribute
from dacwallet.usecases.pending import pending_transactions
from dacwallet.usecases.sending import receipt_wait_cap, signer_for
from dacwallet.usecases.settle import resolve_journal
from tests.support.chains import needs_anvil
from tests.support.pending_chain import PASSWORD, PendingChain, pending_chain

GWEI = 10**9
REVIEW = "A wonderful film, brilliant acting and a great score"

pytestmark = [pytest.mark.anvil, needs_anvil]


def test_a_nonce_taken_by_another_transaction_is_settled_as_dropped(tmp_path) -> None:
    with pending_chain(tmp_path) as chain:
        settled_as_dropped(chain)


def settled_as_dropped(chain: PendingChain) -> None:
    ctx = chain.open()
    try:
        chain.automine(False)
        alice = signer_for(ctx, "alice", PASSWORD)
        with pytest.raises(ChainError, match="not mined within"), receipt_wait_cap(0.5):
            contribute(ctx, alice, REVIEW, "Positive")
        [stored] = [c for c in contributions.list_for(ctx.db, ctx.chain_key, chain.trainer) if c.text == REVIEW]
        entry = journal.get(ctx.db, stored.tx_hash)
        assert (stored.state, entry.state) == (ContributionState.SENDING, TxState.SENT)
        sent = ctx.w3.eth.get_transaction(stored.tx_hash)

        # The same key signs another transaction for that nonce, outside this wallet, with higher fees:
        # the node replaces the contribution in its pool and mines the other one.
        rival = alice.sign_transaction(
            {
                "type": 2,
                "chainId": ctx.w3.eth.chain_id,
                "nonce": entry.nonce,
                "to": alice.address,
                "value": 1,
                "gas": 21_000,
                "maxFeePerGas": 2 * sent["maxFeePerGas"] + GWEI,
                "maxPriorityFeePerGas": 2 * sent["maxPriorityFeePerGas"] + GWEI,
            }
        )
        rival_hash = ctx.w3.eth.send_raw_transaction(rival.raw_transaction)
        assert chain.pool_size() == 1
        chain.mine()
        assert ctx.w3.eth.get_transaction_receipt(rival_hash)["status"] == 1
        assert ctx.w3.eth.get_transaction_count(alice.address, "latest") == entry.nonce + 1
    finally:
        ctx.close()
        chain.automine(True)

    ctx = chain.open()  # the next start
    try:
        assert [(r.tx_hash, r.kind, r.outcome) for r in resolve_journal(ctx)] == [
            (stored.tx_hash, "contribute", "dropped")
        ]
        assert journal.get(ctx.db, stored.tx_hash).state == TxState.DROPPED
        row = contributions.get(ctx.db, stored.id)
        assert (row.state, row.text, row.data) == (ContributionState.DROPPED, REVIEW, stored.data)  # not lost
        assert "send it again" in row.error
        assert chain.add_data_count(row.data, alice.address) == 0
        assert resolve_journal(ctx) == [] and pending_transactions(ctx) == [] and chain.pool_size() == 0
        assert journal.open_entries(ctx.db, ctx.chain_key) == []  # never rebroadcast: that nonce is spent

        again = contribute(ctx, signer_for(ctx, "alice", PASSWORD), row.text, "Positive")
        assert again.state == ContributionState.ADDED and again.tx_hash != stored.tx_hash
        assert chain.add_data_count(row.data, alice.address) == 1  # sent again once, added once
        assert contributions.get(ctx.db, stored.id).state == ContributionState.DROPPED
    finally:
        ctx.close()
