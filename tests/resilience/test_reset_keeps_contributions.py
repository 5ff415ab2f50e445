"""A dev node restarted with nothing in it (a new chain at the same URL): the user's contribution made on
the old chain is kept with its text, label and tx hash, marked "chain reset", never pending or refundable;
the old journal is not replayed on the new chain; contributing it again on the new chain works as before."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from eth_account import Account

from dacwallet.chain.connect import NetworkSpec
from dacwallet.store import contributions, journal
from dacwallet.store.lifecycle import Journaled, TxKind, TxState, apply
from dacwallet.usecases.claims import CHAIN_RESET, REFUNDABLE, own_contributions, reset_contributions
from dacwallet.usecases.context import open_wallet
from dacwallet.usecases.settle import resolve_journal
from tests.resilience import node_faults as nf
from tests.resilience.harness import DEV_KEYS, deploy_default, http_w3
from tests.resilience.nodes import AnvilProcess
from tests.support.rpc_proxy import RpcProxy

pytestmark = pytest.mark.anvil

OLD_TEXT = "a wonderful brilliant film, kept across the reset"


def _journal_a_signed_transfer(setup: nf.WalletSetup) -> str:
    """An open journal entry on the old chain: alice's next nonce, signed, never broadcast.
    Sent to the new chain it would be mined there (alice's nonce starts again at 0)."""
    ctx = open_wallet(setup.data_dir, NetworkSpec.parse(setup.proxy.url))
    try:
        alice = Account.from_key(DEV_KEYS[1])
        nonce = ctx.w3.eth.get_transaction_count(alice.address, "pending")
        signed = alice.sign_transaction(
            {
                "to": alice.address,
                "value": 1,
                "nonce": nonce,
                "gas": 21_000,
                "maxFeePerGas": 10**10,
                "maxPriorityFeePerGas": 10**9,
                "chainId": ctx.connection.chain_id,
            }
        )
        tx_hash = signed.hash.to_0x_hex()
        apply(
            ctx.db,
            Journaled(
                journal.JournalEntry(
                    tx_hash,
                    ctx.chain_key,
                    alice.address,
                    nonce,
                    bytes(signed.raw_transaction),
                    TxKind.CALL,
                    None,
                    TxState.SIGNED,
                    None,
                )
            ),
        )
        return tx_hash
    finally:
        ctx.close()


def test_a_reset_keeps_the_contribution_and_sends_nothing_old(tmp_path: Path) -> None:
    with AnvilProcess() as node, RpcProxy(node.url) as proxy:
        setup = nf.wallet_on(node.url, proxy, tmp_path / "wallet")
        added = setup.cli(
            "contribute", "--password-stdin", "--label", "Positive", OLD_TEXT, "--json", stdin=setup.password + "\n"
        )
        assert added.code == 0, (added.err, added.crash)
        old = added.json_value()
        stuck = _journal_a_signed_transfer(setup)
        node.stop()
        time.sleep(1.1)  # anvil's genesis carries its start second: the new chain is another one
        node.start()

        status = setup.cli("status", "--json")  # the first open after the restart reports it, once
        assert status.code == 0, (status.err, status.crash)
        assert status.json_value()["reset_from"] is not None
        assert status.json_value()["reset_kept_contributions"] == 1
        assert "1 contribution you made on the old chain is kept" in status.err
        again = setup.cli("status", "--json")
        assert again.json_value()["reset_from"] is None and "reset" not in again.err

        ctx = open_wallet(setup.data_dir, NetworkSpec.parse(proxy.url))
        try:
            kept = contributions.get(ctx.db, old["id"])
            assert kept is not None and kept.reset_at is not None
            assert (kept.text, kept.label, kept.tx_hash) == (OLD_TEXT, 1, old["tx"])
            entry = journal.get(ctx.db, stuck)
            assert entry is not None and entry.state == TxState.DROPPED
            assert resolve_journal(ctx) == []
            alice = Account.from_key(DEV_KEYS[1]).address
            assert ctx.w3.eth.get_transaction_count(alice, "pending") == 0  # nothing old was broadcast
            [listed] = reset_contributions(ctx)
            assert listed.status == CHAIN_RESET and listed.label_name == "Positive" and listed.claimable == 0
        finally:
            ctx.close()

        stale = setup.cli("contributions")  # no model on the new chain yet: say what to do, and what is kept
        assert stale.code == 1 and "deployment add" in stale.err and "--reset" in stale.err
        only_kept = setup.cli("contributions", "--reset", "--json")
        assert only_kept.code == 0, (only_kept.err, only_kept.crash)
        assert [(r["id"], r["status"], r["text"], r["label"]) for r in only_kept.json_value()] == [
            (old["id"], CHAIN_RESET, OLD_TEXT, "Positive")
        ]

        redeployed = deploy_default(http_w3(node.url))
        assert setup.cli("deployment", "add", redeployed.trainer, "--model-file", "default").code == 0
        # The same review again: same sender, nonce, chain id and contract, so the very same signed bytes.
        redo = setup.cli(
            "contribute", "--password-stdin", "--label", "Positive", OLD_TEXT, "--json", stdin=setup.password + "\n"
        )
        assert redo.code == 0, (redo.err, redo.crash)
        listed = setup.cli("contributions", "--json")
        assert listed.code == 0, (listed.err, listed.crash)
        rows = {r["id"]: r for r in listed.json_value()}
        assert rows[old["id"]]["status"] == CHAIN_RESET and rows[old["id"]]["tx"] == old["tx"]
        assert rows[old["id"]]["text"] == OLD_TEXT and "chain reset" in rows[old["id"]]["note"]
        assert rows[redo.json_value()["id"]]["status"] == "waiting"

        ctx = open_wallet(setup.data_dir, NetworkSpec.parse(proxy.url))
        try:
            statuses = {s.id: s.status for s in own_contributions(ctx)}
            assert statuses[old["id"]] == CHAIN_RESET and REFUNDABLE not in statuses.values()
            assert journal.open_entries(ctx.db, ctx.chain_key) == []
        finally:
            ctx.close()
