"""The lifecycle's transition tables, driven by hypothesis: random events against a real SQLite store.

After every step: each row moved only along the tables (or not at all), a refused event (IllegalTransition,
NonceInUse) wrote nothing, at most one transaction of a nonce is mined, a mined contribution transaction's
row is added, and no contribution is left "sending" without an open journal entry that can still move it.
A kill at any SQL statement of an event (the connection dropped mid-transaction, as SIGKILL would) leaves
the store exactly as before the event, and the machine goes on from there.
"""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, consumes, invariant, precondition, rule

from dacwallet.store import chains, contributions, journal
from dacwallet.store.db import DB_NAME
from dacwallet.store.journal import JournalEntry
from dacwallet.store.lifecycle import (
    CONTRIBUTION_MOVES,
    TX_MOVES,
    ChainReset,
    ContributionState,
    Drafted,
    DraftRefused,
    IllegalTransition,
    Journaled,
    Mined,
    NonceInUse,
    NonceTaken,
    Refused,
    Sent,
    TxKind,
    TxState,
    apply,
)

SENDERS = ("0xA1", "0xB2")
NETWORK = "http://127.0.0.1:8545"


class Killed(BaseException):
    """The process died at this statement."""


class KillableConnection(sqlite3.Connection):
    """Counts statements; raises Killed at the ``kill_at``-th one (None: never)."""

    kill_at: int | None = None
    statements = 0

    def execute(self, *args, **kwargs):  # type: ignore[override]
        if self.kill_at is not None:
            self.statements += 1
            if self.statements >= self.kill_at and not args[0].startswith(("ROLLBACK", "COMMIT")):
                raise Killed()
        return super().execute(*args, **kwargs)


def connect(folder: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(folder / DB_NAME, isolation_level=None, factory=KillableConnection)
    conn.row_factory = sqlite3.Row
    return conn


def snapshot(conn: sqlite3.Connection) -> tuple[dict[str, tuple], dict[int, tuple]]:
    txs = {r["tx_hash"]: (r["state"], r["detail"]) for r in conn.execute("SELECT * FROM journal")}
    rows = {
        r["id"]: (r["state"], r["tx_hash"], r["error"], r["reset_at"])
        for r in conn.execute("SELECT * FROM contributions")
    }
    return txs, rows


class Lifecycle(RuleBasedStateMachine):
    drafts = Bundle("drafts")
    entries = Bundle("entries")

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp())
        self.conn = connect(self.folder)
        for module in (chains, contributions, journal):
            module.ensure_schema(self.conn)
        self.generation = 0
        chains.check_network(self.conn, NETWORK, self.chain_key)
        self.hashes = 0

    @property
    def chain_key(self) -> str:
        return f"1:{self.generation}"

    def teardown(self) -> None:
        self.conn.close()

    # ------------------------------------------------------------------------------- applying

    def attempt(self, event, kill_at: int | None = None):
        """Applies ``event``; checks what it wrote against the tables, or that a refusal wrote nothing."""
        before = snapshot(self.conn)
        self.conn.kill_at, self.conn.statements = kill_at, 0
        try:
            try:
                changes = apply(self.conn, event)
            finally:
                self.conn.kill_at = None
        except (IllegalTransition, NonceInUse) as exc:
            assert snapshot(self.conn) == before
            return exc
        except Killed:
            self.conn.close()  # died: nothing committed survives but what was committed
            self.conn = connect(self.folder)
            assert snapshot(self.conn) == before
            return None
        after = snapshot(self.conn)
        for tx_hash, (state, _) in after[0].items():
            if tx_hash in before[0] and before[0][tx_hash][0] != state:
                assert TxState(state) in TX_MOVES[TxState(before[0][tx_hash][0])], (tx_hash, before[0][tx_hash], state)
                assert tx_hash in changes.transactions
        for cid, (state, *_rest) in after[1].items():
            if cid in before[1] and before[1][cid][0] != state:
                old = ContributionState(before[1][cid][0])
                assert ContributionState(state) in CONTRIBUTION_MOVES[old], (cid, old, state)
                assert cid in changes.contributions
        return changes

    # ------------------------------------------------------------------------------- rules

    @rule(target=drafts, label=st.integers(0, 1))
    def draft(self, label: int) -> int:
        changes = self.attempt(Drafted(self.chain_key, "0xT", SENDERS[label], f"text {label}", (label, 7), label))
        return changes.created

    @rule(cid=drafts)
    def refuse_draft(self, cid: int) -> None:
        state = contributions.get(self.conn, cid).state
        result = self.attempt(DraftRefused(cid, "refused before signing"))
        assert isinstance(result, IllegalTransition) == (
            state not in (ContributionState.DRAFT, ContributionState.FAILED)
        )

    @rule(
        target=entries,
        cid=st.one_of(st.none(), consumes(drafts)),
        sender=st.sampled_from(SENDERS),
        nonce=st.integers(0, 3),
        kill_at=st.one_of(st.none(), st.integers(1, 6)),
    )
    def journal_original(self, cid: int | None, sender: str, nonce: int, kill_at: int | None):
        if cid is not None:
            stored = contributions.get(self.conn, cid)
            if stored.state != ContributionState.DRAFT or stored.chain_key != self.chain_key:
                cid = None  # only a draft on this chain is ever sent
        entry = self._entry(sender, nonce, TxKind.CONTRIBUTE if cid is not None else TxKind.REFUND, cid)
        result = self.attempt(Journaled(entry), kill_at)
        if isinstance(result, NonceInUse):
            assert result.next_free == journal.next_nonce(self.conn, self.chain_key, sender) != nonce
        if journal.get(self.conn, entry.tx_hash) is None:
            return None
        return entry.tx_hash

    @rule(target=entries, of=entries, cancel=st.booleans())
    def journal_replacement(self, of: str | None, cancel: bool):
        original = journal.get(self.conn, of) if of else None
        if original is None or original.chain_key != self.chain_key:
            return None
        kind = TxKind.CANCEL if cancel else original.kind
        entry = self._entry(original.sender, original.nonce, kind, original.contribution_id, origin=original.origin)
        result = self.attempt(Journaled(entry))
        assert not isinstance(result, NonceInUse)
        return entry.tx_hash if journal.get(self.conn, entry.tx_hash) is not None else None

    @rule(tx=entries, kill_at=st.one_of(st.none(), st.integers(1, 4)))
    def sent(self, tx: str | None, kill_at: int | None) -> None:
        if tx:
            state = journal.get(self.conn, tx).state
            result = self.attempt(Sent(tx), kill_at)
            if kill_at is None:  # a late observation: only a signed entry moves; a settled one stays as it is
                assert not isinstance(result, IllegalTransition)
                assert journal.get(self.conn, tx).state == (TxState.SENT if state == TxState.SIGNED else state)

    @rule(tx=entries)
    def refused(self, tx: str | None) -> None:
        if tx:
            state = journal.get(self.conn, tx).state
            result = self.attempt(Refused(tx, "the node refused it"))
            assert isinstance(result, IllegalTransition) == (state != TxState.SIGNED)

    @rule(tx=entries, ok=st.booleans(), kill_at=st.one_of(st.none(), st.integers(1, 12)))
    def mined(self, tx: str | None, ok: bool, kill_at: int | None) -> None:
        if not tx:
            return
        entry = journal.get(self.conn, tx)
        rival_mined = [
            e
            for e in journal.same_nonce(self.conn, entry.chain_key, entry.sender, entry.nonce)
            if e.state == TxState.MINED and e.tx_hash != tx
        ]
        if rival_mined or entry.chain_key != self.chain_key:
            return  # the chain mines one transaction of a nonce, and none of a chain that is gone
        self.attempt(Mined(tx, ok, 7, added_time=100, cost=5, error=None if ok else "no reason given"), kill_at)

    @rule(tx=entries)
    def nonce_taken(self, tx: str | None) -> None:
        if tx:
            self.attempt(NonceTaken(tx))

    @precondition(lambda self: self.generation < 3)
    @rule()
    def chain_reset(self) -> None:
        old = self.chain_key
        self.generation += 1
        chains.check_network(self.conn, NETWORK, self.chain_key)  # runs the lifecycle's ChainReset inside
        assert journal.open_entries(self.conn, old) == []
        assert not self.attempt(ChainReset(NETWORK, old))  # once is enough: again, nothing moves

    # ------------------------------------------------------------------------------- invariants

    @invariant()
    def one_mined_per_nonce(self) -> None:
        rows = self.conn.execute(
            "SELECT chain_key, sender, nonce, COUNT(*) AS n FROM journal WHERE state = 'mined' "
            "GROUP BY chain_key, sender, nonce"
        ).fetchall()
        assert all(r["n"] == 1 for r in rows)

    @invariant()
    def mined_contributions_are_added(self) -> None:
        for r in self.conn.execute(
            "SELECT contribution_id FROM journal WHERE state = 'mined' AND kind = 'contribute' "
            "AND contribution_id IS NOT NULL"
        ):
            assert contributions.get(self.conn, r[0]).state == ContributionState.ADDED

    @invariant()
    def nothing_waits_for_nothing(self) -> None:
        """A row sending on a live chain has an open entry that a receipt, a drop or a refusal will settle."""
        for row in self.conn.execute("SELECT id FROM contributions WHERE state = 'sending' AND reset_at IS NULL"):
            assert [e for e in journal.for_contribution(self.conn, row[0]) if e.state in journal.OPEN_STATES], row[0]

    def _entry(self, sender: str, nonce: int, kind: TxKind, cid: int | None, origin: str = "") -> JournalEntry:
        self.hashes += 1
        return JournalEntry(
            f"0x{self.hashes:064x}",
            self.chain_key,
            sender,
            nonce,
            b"raw",
            kind,
            cid,
            TxState.SIGNED,
            None,
            origin=origin,
        )


Lifecycle.TestCase.settings = settings(max_examples=50, stateful_step_count=30, deadline=None)
TestLifecycle = Lifecycle.TestCase
