"""One lifecycle for the wallet's transactions (the journal) and contributions: their states, the moves the
tables below allow, and ``apply`` - the only code that writes either table's state.

Each event is applied in one SQLite transaction (BEGIN IMMEDIATE) that re-reads the rows it moves, so two
processes acting on one transaction never interleave half-way, and a move the tables do not allow is refused
with nothing written. A receipt is the chain's word: ``Mined`` may correct an earlier verdict (failed,
dropped, replaced) but nothing ever moves a mined transaction or an added contribution.

Transactions are grouped by ``origin``: an original and its speed-ups and cancel (the same nonce on purpose).
Another group with the same sender and nonce is a rival - another contribution that raced for the nonce, or a
transaction signed elsewhere - never a replacement: when one group is mined the others are dropped, with
their contributions, so no row waits for something that can no longer happen.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum

from dacwallet.errors import DacwalletError
from dacwallet.store import chains, contributions, journal
from dacwallet.store.journal import JournalEntry
from dacwallet.store.states import ContributionState, TxKind, TxState

__all__ = [
    "TxState",
    "TxKind",
    "ContributionState",
    "Stage",
    "Changes",
    "IllegalTransition",
    "NonceInUse",
    "TX_MOVES",
    "CONTRIBUTION_MOVES",
    "apply",
    "drain",
    "NOTHING",
    "EVERYTHING",
    "Drafted",
    "DraftRefused",
    "Journaled",
    "Sent",
    "Refused",
    "Mined",
    "NonceTaken",
    "Orphaned",
    "ChainReset",
    "left_wrong",
]


class Stage(StrEnum):
    """What a send is doing now, reported to ``on_stage`` (and shown by the GUI's dialogs)."""

    CHECKING_PASSWORD = "checking the password"
    CHECKING_PENDING = "checking it is still pending"
    ESTIMATING = "estimating"
    SIGNING = "signing"
    SENDING = "sending"
    WAITING = "waiting for the receipt"
    SENT = "sent"


S, C = TxState, ContributionState
# Allowed moves. Into MINED from a final verdict: a receipt found later corrects it (see the module doc).
TX_MOVES: dict[TxState, frozenset[TxState]] = {
    S.SIGNED: frozenset({S.SENT, S.MINED, S.FAILED, S.DROPPED, S.REPLACED}),
    S.SENT: frozenset({S.MINED, S.FAILED, S.DROPPED, S.REPLACED}),
    S.FAILED: frozenset({S.MINED}),
    S.DROPPED: frozenset({S.MINED, S.FAILED}),
    S.REPLACED: frozenset({S.MINED, S.FAILED}),
    S.MINED: frozenset(),
}
CONTRIBUTION_MOVES: dict[ContributionState, frozenset[ContributionState]] = {
    C.DRAFT: frozenset({C.SENDING, C.FAILED}),
    C.SENDING: frozenset({C.ADDED, C.FAILED, C.DROPPED, C.CANCELLED}),
    C.FAILED: frozenset({C.ADDED}),
    C.DROPPED: frozenset({C.ADDED, C.FAILED, C.CANCELLED}),
    C.CANCELLED: frozenset({C.ADDED}),
    C.ADDED: frozenset(),
}
CHAIN_RESET_DETAIL = "the chain was reset; this transaction is on no chain"
NONCE_TAKEN_DETAIL = "another transaction used its nonce"


class IllegalTransition(DacwalletError):
    """A move the lifecycle does not allow (a stale decision, or a bug); nothing was written."""


class NonceInUse(DacwalletError):
    """Another transaction of this wallet holds the nonce: sign again with ``next_free``."""

    def __init__(self, next_free: int) -> None:
        super().__init__(f"nonce in use; the next free one is {next_free}")
        self.next_free = next_free


@dataclass(frozen=True)
class Changes:
    """What moved: pages refresh these and nothing else. ``everything``: not known (refresh all)."""

    contributions: frozenset[int] = frozenset()
    transactions: frozenset[str] = frozenset()
    accounts: frozenset[str] = frozenset()  # senders and authors whose balance or nonce may have moved
    deployments: frozenset[str] = frozenset()  # trainer addresses
    created: int | None = None  # the id of a contribution a Drafted event made
    everything: bool = False

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            self.contributions | other.contributions,
            self.transactions | other.transactions,
            self.accounts | other.accounts,
            self.deployments | other.deployments,
            self.created if self.created is not None else other.created,
            self.everything or other.everything,
        )

    def __bool__(self) -> bool:
        return self.everything or bool(self.contributions or self.transactions or self.accounts or self.deployments)

    @property
    def touches_contributions(self) -> bool:
        return self.everything or bool(self.contributions or self.deployments)

    @property
    def touches_transactions(self) -> bool:
        return self.everything or bool(self.transactions)

    @property
    def touches_accounts(self) -> bool:
        """Balances and nonces: any transaction that moved may have spent or returned ether."""
        return self.everything or bool(self.accounts or self.transactions)


NOTHING = Changes()
EVERYTHING = Changes(everything=True)
# What the events applied on each connection moved since it was last drained (see ``drain``).
_moved: dict[int, Changes] = {}
_moved_lock = threading.Lock()


def drain(conn: sqlite3.Connection) -> Changes:
    """Everything ``apply`` moved on ``conn`` since the last drain: what a GUI operation changed, for the
    pages to refresh (the CLI has no use for it: each command reads what it prints)."""
    with _moved_lock:
        return _moved.pop(id(conn), NOTHING)


# ------------------------------------------------------------------------------------------- events


@dataclass(frozen=True)
class Drafted:
    """What the user typed, saved before anything is signed."""

    chain_key: str
    trainer: str
    author: str
    text: str
    data: tuple[int, ...]
    label: int


@dataclass(frozen=True)
class DraftRefused:
    """Refused before signing (a revert at estimation, a wrong password): the draft fails, nothing was sent."""

    contribution_id: int
    error: str


@dataclass(frozen=True)
class Journaled:
    """Signed, about to be sent: the entry (state SIGNED) and its contribution's move to sending.

    For an original (``entry.origin == entry.tx_hash``) the nonce must be free in the journal and not below
    ``node_nonce`` (the node's pending count): else NonceInUse says which to sign instead.
    """

    entry: JournalEntry
    node_nonce: int | None = None


@dataclass(frozen=True)
class Sent:
    tx_hash: str


@dataclass(frozen=True)
class Refused:
    """The node refused the first broadcast, and looking it up found it neither mined nor known."""

    tx_hash: str
    error: str


@dataclass(frozen=True)
class Mined:
    """A receipt: the entry is mined (or failed, reverted), its group's others replaced, rival groups dropped."""

    tx_hash: str
    ok: bool
    block_number: int
    added_time: int | None = None  # a contribution's AddData time and deposit, from the receipt's event
    cost: int | None = None
    error: str | None = None  # why a reverted one failed (the revert reason)


@dataclass(frozen=True)
class NonceTaken:
    """The nonce of ``tx_hash``'s group is spent by a transaction outside the group: none of it can be mined."""

    tx_hash: str


@dataclass(frozen=True)
class Orphaned:
    """A contribution sending with no open journal entry (left by an earlier version), none of whose
    transactions has a receipt: nothing will ever move it, so it is dropped, its text kept."""

    contribution_id: int


@dataclass(frozen=True)
class ChainReset:
    """The chain ``old_chain_key`` of ``network`` was reset (applied inside the reset's own transaction)."""

    network: str
    old_chain_key: str


Event = Drafted | DraftRefused | Journaled | Sent | Refused | Mined | NonceTaken | Orphaned | ChainReset


def apply(conn: sqlite3.Connection, event: Event) -> Changes:
    """Applies one event in one SQLite transaction (or inside the caller's, when one is open)."""
    with _transaction(conn):
        changes = _apply(conn, event)
    if changes:
        with _moved_lock:
            _moved[id(conn)] = _moved.get(id(conn), NOTHING) | changes
    return changes


def ensure_schema(conn: sqlite3.Connection) -> None:
    """The tables whose states this lifecycle moves: contributions and the journal."""
    contributions.ensure_schema(conn)
    journal.ensure_schema(conn)


def close_on_reset(conn: sqlite3.Connection, network: str, old_chain_key: str) -> None:
    """The chain ``old_chain_key`` was reset: its open journal entries end dropped, its contributions are kept."""
    apply(conn, ChainReset(network, old_chain_key))


# Run by chains.check_network inside the reset's own transaction; registered on import of this module.
chains.register_kept_on_reset("journal", close_on_reset)


@contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    if conn.in_transaction:  # a chain reset's hook: part of the reset's transaction
        yield
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _apply(conn: sqlite3.Connection, event: Event) -> Changes:
    match event:
        case Drafted():
            cid = contributions.insert_draft(
                conn, event.chain_key, event.trainer, event.author, event.text, list(event.data), event.label
            )
            return Changes(contributions=frozenset({cid}), created=cid)
        case DraftRefused():
            return _move_contribution(conn, event.contribution_id, C.FAILED, error=event.error)
        case Journaled():
            return _journaled(conn, event)
        case Sent():  # an observation that may come late: a receipt may have settled it already
            entry = _entry(conn, event.tx_hash)
            return _move_tx(conn, entry, S.SENT) if entry.state == S.SIGNED else NOTHING
        case Refused():
            entry = _entry(conn, event.tx_hash)
            if entry.state != S.SIGNED:
                raise IllegalTransition(
                    f"only a transaction not yet sent can be refused; {entry.tx_hash} is {entry.state}"
                )
            changes = _move_tx(conn, entry, S.FAILED, event.error)
            if not [e for e in journal.group_of(conn, entry) if e.state in journal.OPEN_STATES]:
                changes |= _close_contribution(conn, entry.contribution_id, C.FAILED, event.error)
            return changes  # a refused speed-up or cancel leaves the original pending
        case Mined():
            return _mined(conn, event)
        case NonceTaken():
            entry = _entry(conn, event.tx_hash)
            group = journal.group_of(conn, entry)
            if any(e.state == S.MINED for e in group):
                return NOTHING  # a receipt settled it meanwhile: the nonce was taken by the group itself
            return _drop_group(conn, group, NONCE_TAKEN_DETAIL)
        case Orphaned():
            if [e for e in journal.for_contribution(conn, event.contribution_id) if e.state in journal.OPEN_STATES]:
                raise IllegalTransition(f"contribution {event.contribution_id} still has a transaction in flight")
            return _close_contribution(
                conn,
                event.contribution_id,
                C.DROPPED,
                "never mined (settled from an older wallet's records); send it again",
            )
        case ChainReset():
            changes = NOTHING
            for entry in journal.open_entries(conn, event.old_chain_key):
                changes |= _move_tx(conn, entry, S.DROPPED, CHAIN_RESET_DETAIL)
            moved = contributions.keep_on_reset(conn, event.network, event.old_chain_key)
            return changes | Changes(contributions=frozenset(moved))
    raise IllegalTransition(f"unknown event {event!r}")


def left_wrong(conn: sqlite3.Connection, chain_key: str) -> list[int]:
    """Contributions an earlier version may have left wrong: sending with no open entry (a same-nonce rival
    taken for its speed-up), or failed after a rebroadcast refused with "nonce too low" (it may be mined)."""
    rows = conn.execute(
        "SELECT c.id FROM contributions c WHERE c.chain_key = ? AND c.reset_at IS NULL AND ("
        "(c.state = ? AND NOT EXISTS (SELECT 1 FROM journal j WHERE j.contribution_id = c.id AND j.state IN (?, ?)))"
        " OR (c.state = ? AND EXISTS (SELECT 1 FROM journal j WHERE j.contribution_id = c.id AND j.state = ? "
        "AND j.detail LIKE '%nonce too low%')))",
        (chain_key, str(C.SENDING), *map(str, journal.OPEN_STATES), str(C.FAILED), str(S.FAILED)),
    ).fetchall()
    return [int(r[0]) for r in rows]


def _journaled(conn: sqlite3.Connection, event: Journaled) -> Changes:
    entry = event.entry
    existing = journal.get(conn, entry.tx_hash)
    if existing is not None and existing.chain_key == entry.chain_key:
        raise IllegalTransition(f"{entry.tx_hash} is journaled already ({existing.state})")
    if entry.state != S.SIGNED:
        raise IllegalTransition(f"a transaction enters the journal signed, not {entry.state}")
    if entry.origin == entry.tx_hash:  # an original: its nonce must be free (a replacement's is its group's)
        free = max(journal.next_nonce(conn, entry.chain_key, entry.sender), event.node_nonce or 0)
        if entry.nonce != free:
            raise NonceInUse(free)
    else:
        origin = journal.get(conn, entry.origin)
        if origin is None or (origin.sender, origin.nonce) != (entry.sender, entry.nonce):
            raise IllegalTransition(f"{entry.tx_hash} replaces {entry.origin}, which has another nonce or none")
    journal.insert(conn, entry)
    changes = Changes(transactions=frozenset({entry.tx_hash}), accounts=frozenset({entry.sender}))
    if entry.contribution_id is not None and entry.kind != TxKind.CANCEL:
        changes |= _move_contribution(conn, entry.contribution_id, C.SENDING, tx_hash=entry.tx_hash)
    return changes


def _mined(conn: sqlite3.Connection, event: Mined) -> Changes:
    winner = _entry(conn, event.tx_hash)
    if winner.state == (S.MINED if event.ok else S.FAILED):
        return NOTHING  # settled already (by this process or another)
    group = journal.group_of(conn, winner)
    changes = _move_tx(
        conn, winner, S.MINED if event.ok else S.FAILED, None if event.ok else f"reverted: {event.error}"
    )
    for rival in group:
        if rival.tx_hash != winner.tx_hash and rival.state in journal.OPEN_STATES:
            changes |= _move_tx(conn, rival, S.REPLACED, f"replaced by {winner.tx_hash}")
    for other in journal.same_nonce(conn, winner.chain_key, winner.sender, winner.nonce):
        if other.origin != winner.origin and other.state in journal.OPEN_STATES:
            changes |= _drop_group(conn, journal.group_of(conn, other), NONCE_TAKEN_DETAIL)
    cid = winner.contribution_id
    if cid is None:
        return changes
    if winner.kind == TxKind.CANCEL:  # whatever its status, the nonce is spent: the contribution never will be
        return changes | _move_contribution(
            conn, cid, C.CANCELLED, error="cancelled before it was mined; the text is kept to send again"
        )
    if not event.ok:
        return changes | _move_contribution(conn, cid, C.FAILED, error=f"the transaction reverted: {event.error}")
    if event.added_time is None or event.cost is None:
        raise IllegalTransition(f"a mined contribution needs its AddData time and cost ({winner.tx_hash})")
    return changes | _move_contribution(
        conn,
        cid,
        C.ADDED,
        tx_hash=winner.tx_hash,
        added_time=event.added_time,
        cost=event.cost,
        block_number=event.block_number,
    )


def _drop_group(conn: sqlite3.Connection, group: list[JournalEntry], detail: str) -> Changes:
    changes = NOTHING
    for entry in group:
        if entry.state in journal.OPEN_STATES:
            changes |= _move_tx(conn, entry, S.DROPPED, detail)
    cid = next((e.contribution_id for e in group if e.contribution_id is not None), None)
    return changes | _close_contribution(
        conn, cid, C.DROPPED, "never mined: another transaction took its place; send it again"
    )


def _close_contribution(
    conn: sqlite3.Connection, contribution_id: int | None, state: ContributionState, error: str
) -> Changes:
    """A group closed without being mined: its contribution, still sending, takes the group's verdict."""
    if contribution_id is None:
        return NOTHING
    current = contributions.get(conn, contribution_id)
    if current is None or current.state != C.SENDING:
        return NOTHING
    return _move_contribution(conn, contribution_id, state, error=error)


def _move_tx(conn: sqlite3.Connection, entry: JournalEntry, to: TxState, detail: str | None = None) -> Changes:
    if to not in TX_MOVES[entry.state]:
        raise IllegalTransition(f"transaction {entry.tx_hash} cannot go from {entry.state} to {to}")
    journal.set_state(conn, entry.tx_hash, to, detail)
    return Changes(transactions=frozenset({entry.tx_hash}), accounts=frozenset({entry.sender}))


def _move_contribution(
    conn: sqlite3.Connection,
    contribution_id: int,
    to: ContributionState,
    *,
    error: str | None = None,
    tx_hash: str | None = None,
    added_time: int | None = None,
    cost: int | None = None,
    block_number: int | None = None,
) -> Changes:
    current = contributions.get(conn, contribution_id)
    if current is None:
        raise IllegalTransition(f"there is no contribution {contribution_id}")
    if to not in CONTRIBUTION_MOVES[current.state] and to != current.state:  # the same state: new details only
        raise IllegalTransition(f"contribution {contribution_id} cannot go from {current.state} to {to}")
    contributions.set_state(
        conn,
        contribution_id,
        to,
        error=error,
        tx_hash=tx_hash,
        added_time=added_time,
        cost=cost,
        block_number=block_number,
    )
    return Changes(
        contributions=frozenset({contribution_id}),
        accounts=frozenset({current.author}),
        deployments=frozenset({current.trainer}),
    )


def _entry(conn: sqlite3.Connection, tx_hash: str) -> JournalEntry:
    entry = journal.get(conn, tx_hash)
    if entry is None:
        raise IllegalTransition(f"no journal entry {tx_hash}")
    return entry
