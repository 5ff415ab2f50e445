"""Speed-up of a contribution after the required deposit rose (someone contributed since it was signed):
the replacement carries the contract's new figure and is mined; one contribution on chain, not a revert."""

from __future__ import annotations

import pytest

from dacwallet.chain.fees import FeeOverride
from dacwallet.errors import ChainError
from dacwallet.store import contributions
from dacwallet.store.lifecycle import ContributionState
from dacwallet.usecases.contribute import contribute, required_deposit
from dacwallet.usecases.pending import speed_up, speed_up_deposit
from dacwallet.usecases.sending import receipt_wait_cap, signer_for
from dacwallet.usecases.settle import resolve_journal
from tests.support.chains import needs_anvil
from tests.support.pending_chain import PASSWORD, PendingChain, pending_chain

pytestmark = [pytest.mark.anvil, needs_anvil]
GWEI = 10**9
MINE = "A wonderful film, brilliant acting and a great score"
THEIRS = "A moving story, the best this year"


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    with pending_chain(tmp_path_factory.mktemp("wallet")) as made:
        yield made


def rpc(chain: PendingChain, method: str, *params: object) -> None:
    chain.node.w3.provider.make_request(method, list(params))


def stuck_cheap_contribution(chain: PendingChain, ctx) -> contributions.StoredContribution:
    """Signed long after the last contribution (a low deposit), at the lowest fee: it stays pending."""
    rpc(chain, "evm_increaseTime", 10**6)  # the deposit falls with the square root of the time since
    chain.mine()
    chain.automine(False)
    base = ctx.w3.eth.get_block("latest")["baseFeePerGas"]
    with pytest.raises(ChainError, match="not mined within"), receipt_wait_cap(0.5):
        contribute(
            ctx, signer_for(ctx, "alice", PASSWORD), MINE, "Positive", fee=FeeOverride(max_fee=base, priority_fee=0)
        )
    [stored] = [c for c in contributions.list_for(ctx.db, ctx.chain_key, chain.trainer) if c.text == MINE]
    return stored


def someone_else_contributes(chain: PendingChain, ctx) -> None:
    """Another account's contribution is mined while ours waits: it pays more, and a block has room for one."""
    w3, trainer = chain.node.w3, chain.trainer
    limit = w3.eth.get_block("latest")["gasLimit"]
    from dacwallet.contracts.deployment import trainer_contract

    data = trainer_contract(w3, trainer).encode_abi("addData", args=[ctx.bundle.encoder.encode(THEIRS), 1])
    other = chain.node.w3.eth.accounts[0]
    gas = w3.eth.estimate_gas({"from": other, "to": trainer, "value": 10**18, "data": data})
    w3.eth.send_transaction(
        {
            "from": other,
            "to": trainer,
            "value": required_deposit(ctx, trainer),
            "data": data,
            "gas": gas,
            "maxFeePerGas": 200 * GWEI,
            "maxPriorityFeePerGas": 2 * GWEI,
        }
    )
    rpc(chain, "evm_setBlockGasLimit", hex(gas + 30_000))  # anvil would evict ours if it raised the base fee
    try:
        chain.mine()
    finally:
        rpc(chain, "evm_setBlockGasLimit", hex(limit))


def test_speed_up_carries_the_deposit_that_rose(chain: PendingChain) -> None:
    ctx = chain.open()
    try:
        stored = stuck_cheap_contribution(chain, ctx)
        signed = ctx.w3.eth.get_transaction(stored.tx_hash)["value"]
        someone_else_contributes(chain, ctx)
        assert ctx.w3.eth.get_transaction(stored.tx_hash)["blockNumber"] is None  # ours is still waiting
        now = required_deposit(ctx, chain.trainer)
        assert now > signed

        preview = speed_up_deposit(ctx, stored.tx_hash)  # what the GUI shows before signing
        assert preview is not None and preview.rose and (preview.signed_wei, preview.required_wei) == (signed, now)
        faster = speed_up(ctx, signer_for(ctx, "alice", PASSWORD), stored.tx_hash)
        assert faster.deposit is not None and faster.deposit.rose and faster.deposit.carried_wei >= now
        assert ctx.w3.eth.get_transaction(faster.tx_hash)["value"] == faster.deposit.carried_wei

        chain.mine()
        outcomes = {r.tx_hash: r.outcome for r in resolve_journal(ctx)}
        assert outcomes == {faster.tx_hash: "mined", stored.tx_hash: "replaced"}
        row = contributions.get(ctx.db, stored.id)
        assert (row.state, row.tx_hash) == (ContributionState.ADDED, faster.tx_hash)
        assert chain.add_data_count(row.data, row.author) == 1
    finally:
        ctx.close()
        chain.automine(True)
