"""Several processes on one data folder and one real anvil, racing over the same account's transactions.

- A send held at a proxy while other processes (CLI readers, another process's pending list) look at the
  journal: none of them may settle it; the sender records it added, once.
- Several `contribute` at once from one account: each gets its own nonce; none is left "sending".
- A `contribute` waiting for its receipt while another process speeds it up or cancels it: the waiting
  command sees the replacement mined and says what happened.
Every scenario ends with the same checks: no mined transaction recorded failed, no open journal entry or
"sending" row left, each contribution on the chain at most once (and exactly once when stored as added).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from dacwallet.store import contributions, journal
from dacwallet.store.db import DB_NAME
from dacwallet.store.lifecycle import ContributionState, TxState
from dacwallet.usecases.pending import cancel, pending_transactions, speed_up
from dacwallet.usecases.sending import signer_for
from tests.support.chains import needs_anvil
from tests.support.crash_child import vocab_words
from tests.support.pending_chain import PASSWORD, PendingChain, pending_chain
from tests.support.rpc_proxy import RpcProxy

pytestmark = [pytest.mark.anvil, needs_anvil]
REPO = Path(__file__).resolve().parents[2]
CLI = "import sys; from dacwallet.cli import main; sys.exit(main())"
HOLD_S = 3.0
WORDS = vocab_words(400, 200)


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    with pending_chain(tmp_path_factory.mktemp("races")) as made:
        yield made


def review(i: int) -> str:
    return f"A film and a story: {WORDS[3 * i]} {WORDS[3 * i + 1]} {WORDS[3 * i + 2]}"


def cli(chain: PendingChain, url: str, *args: str, stdin: str = "") -> subprocess.Popen:
    """``dacwallet --data-dir D --network URL ARGS`` in a process of its own."""
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
    process = subprocess.Popen(
        [sys.executable, "-c", CLI, "--data-dir", str(chain.data_dir), "--network", url, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env=env,
    )
    process.stdin.write(stdin)
    process.stdin.close()
    return process


def contribute(chain: PendingChain, url: str, text: str) -> subprocess.Popen:
    return cli(
        chain, url, "contribute", "--password-stdin", "--label", "Positive", text, "--json", stdin=f"{PASSWORD}\n"
    )


def finish(process: subprocess.Popen, timeout: float = 90) -> tuple[int, str, str]:
    out, err = process.stdout.read(), process.stderr.read()
    return process.wait(timeout=timeout), out, err


def journal_rows(chain: PendingChain) -> list[sqlite3.Row]:
    db = sqlite3.connect(chain.data_dir / DB_NAME, timeout=30)
    db.row_factory = sqlite3.Row
    try:
        return db.execute("SELECT tx_hash, state, nonce FROM journal ORDER BY created_at").fetchall()
    finally:
        db.close()


def wait_for_entry(chain: PendingChain, seen: int, state: TxState, process: subprocess.Popen) -> str:
    """The hash of the first journal entry after the ``seen`` first ones, once it is in ``state``."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        rows = journal_rows(chain)
        if len(rows) > seen and rows[seen]["state"] == state:
            return rows[seen]["tx_hash"]
        assert process.poll() is None, finish(process)
        time.sleep(0.02)
    raise AssertionError(f"no {state} journal entry appeared")


def assert_settled_truthfully(chain: PendingChain) -> None:
    """No open entry, no row sending, nothing mined recorded otherwise, each contribution on the chain once."""
    ctx = chain.open()
    try:
        pending_transactions(ctx)  # one healthy settle, as the next command would
        assert journal.open_entries(ctx.db, ctx.chain_key) == []
        for entry in (journal.get(ctx.db, r["tx_hash"]) for r in journal_rows(chain)):
            receipt = _receipt(ctx, entry.tx_hash)
            if receipt is not None and receipt["status"] == 1:
                assert entry.state == TxState.MINED, (entry.tx_hash, entry.state, entry.detail)
        for row in contributions.list_for(ctx.db, ctx.chain_key, chain.trainer):
            assert row.state != ContributionState.SENDING, row
            count = chain.add_data_count(row.data, row.author)
            assert count == (1 if row.state == ContributionState.ADDED else 0), (row.id, row.state, row.error, count)
    finally:
        ctx.close()


def _receipt(ctx, tx_hash: str):
    from web3.exceptions import TransactionNotFound

    try:
        return ctx.w3.eth.get_transaction_receipt(tx_hash)
    except TransactionNotFound:
        return None


def hold_first_send(method: str, params: object, n: int) -> str | None:
    return f"delay:{HOLD_S}" if method == "eth_sendRawTransaction" and n == 0 else None


def test_readers_never_settle_a_send_held_in_flight(chain: PendingChain) -> None:
    """While the sender's eth_sendRawTransaction is held, readers in other processes (each of which settles
    the journal first, and would broadcast an unowned entry again) run through the same proxy."""
    with RpcProxy(chain.url) as proxy:
        for round_ in range(2):
            proxy.set_rule(hold_first_send)
            seen = len(journal_rows(chain))
            sender = contribute(chain, proxy.url, review(round_))
            wait_for_entry(chain, seen, TxState.SIGNED, sender)  # journaled; its broadcast is at the proxy
            panel = PendingPanel(chain, proxy.url)  # like the app's pending panel, in this process
            readers = [cli(chain, proxy.url, "contributions", "--json"), cli(chain, proxy.url, "tx", "list", "--json")]
            for reader in readers:
                code, _, err = finish(reader)
                assert code == 0, err
            panel.stop()
            code, out, err = finish(sender)
            assert code == 0, err
            assert json.loads(out)["state"] == "added"
            assert proxy.calls["eth_sendRawTransaction"] == 1, "a reader broadcast the held transaction again"
            assert panel.looks > 0
    assert_settled_truthfully(chain)


class PendingPanel:
    """Lists (and so settles) the pending transactions every 50 ms from a thread, until stopped."""

    def __init__(self, chain: PendingChain, url: str) -> None:
        from dacwallet.chain.connect import NetworkSpec
        from dacwallet.usecases.context import open_wallet

        self.ctx = open_wallet(chain.data_dir, NetworkSpec.parse(url))
        self.looks = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            pending_transactions(self.ctx)
            self.looks += 1
            time.sleep(0.05)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)
        self.ctx.close()


def test_contributions_sent_at_once_from_one_account_each_get_their_own_nonce(chain: PendingChain) -> None:
    """Each broadcast is held long enough that the three have quoted their deposit and signed before the
    first is mined. One whose deposit rose meanwhile is refused (before signing, or by the contract)."""

    def slow_sends(method: str, params: object, n: int) -> str | None:
        return f"delay:{HOLD_S}" if method == "eth_sendRawTransaction" else None

    seen = len(journal_rows(chain))
    with RpcProxy(chain.url, slow_sends) as proxy:
        senders = [contribute(chain, proxy.url, review(10 + i)) for i in range(3)]
        results = [finish(s) for s in senders]
    for code, out, err in results:  # added, or refused in words (the deposit rose: before signing or on chain)
        assert code == 0 or (code == 1 and ("nothing was sent" in err or "refused by the contract" in err)), err
        assert code == 1 or json.loads(out)["state"] == "added"
    sent = journal_rows(chain)[seen:]
    assert len(sent) >= 2 and len({r["nonce"] for r in sent}) == len(sent)  # two or three raced, none shared
    assert sum(code == 0 for code, _, _ in results) >= 1
    assert_settled_truthfully(chain)


@pytest.mark.parametrize("how", ["speed-up", "cancel"])
def test_a_waiting_contribute_sees_the_replacement_another_process_sent(chain: PendingChain, how: str) -> None:
    chain.automine(False)
    try:
        seen = len(journal_rows(chain))
        text = review(20 if how == "speed-up" else 21)
        waiting = contribute(chain, chain.url, text)
        original = wait_for_entry(chain, seen, TxState.SENT, waiting)
        ctx = chain.open()
        try:
            replace = speed_up if how == "speed-up" else cancel
            replacement = replace(ctx, signer_for(ctx, "alice", PASSWORD), original)
        finally:
            ctx.close()
        assert not replacement.mined
        chain.mine()
        started = time.monotonic()
        code, out, err = finish(waiting)
        assert time.monotonic() - started < 15, "the waiting command did not see the replacement mined"
        if how == "speed-up":
            assert code == 0, err
            assert (json.loads(out)["state"], json.loads(out)["tx"]) == ("added", replacement.tx_hash)
        else:
            assert code == 1 and "cancelled before it was mined" in err and "keeps its text" in err, err
    finally:
        chain.automine(True)
    assert_settled_truthfully(chain)
