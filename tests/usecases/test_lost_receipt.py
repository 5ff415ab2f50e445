"""A send whose mined attempt the node no longer has (its block lost to a reorganisation; here anvil
reverting to a snapshot) is reported as not mined yet: the wait must not hand its caller a missing receipt."""

from __future__ import annotations

import pytest
from web3.exceptions import TransactionNotFound

from dacwallet.store import journal
from dacwallet.store.lifecycle import TxState
from dacwallet.usecases.contribute import contribute
from dacwallet.usecases.sending import NotMinedYet, _receipt_or_raise, follow, signer_for
from tests.support.chains import needs_anvil
from tests.support.pending_chain import PASSWORD, pending_chain

REVIEW = "A wonderful film, brilliant acting and a great score"

pytestmark = [pytest.mark.anvil, needs_anvil]


def test_a_mined_attempt_whose_block_was_lost_is_not_mined_yet(tmp_path) -> None:
    with pending_chain(tmp_path) as chain:
        rpc = chain.node.w3.provider.make_request
        ctx = chain.open()
        try:
            snapshot = rpc("evm_snapshot", [])["result"]
            stored = contribute(ctx, signer_for(ctx, "alice", PASSWORD), REVIEW, "Positive")
            entry = journal.get(ctx.db, stored.tx_hash)
            assert entry.state == TxState.MINED
            chain.automine(False)  # the reverted transaction must not be mined again at once
            assert rpc("evm_revert", [snapshot])["result"] is True
            with pytest.raises(TransactionNotFound):
                ctx.w3.eth.get_transaction_receipt(stored.tx_hash)
            state = follow(ctx, entry, 0)
            assert (state.winner, state.receipt) == (entry, None)  # the journal says mined, the node has no receipt
            with pytest.raises(NotMinedYet, match="not mined within"):
                _receipt_or_raise(state, entry, "The contribution", 0)
        finally:
            ctx.close()
            chain.automine(True)
