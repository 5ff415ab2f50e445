"""A reset chain (new chain id or genesis on the same network) keeps the user's own data: contributions
are marked, open journal entries end dropped; older databases gain the new columns on open."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from dacwallet.store import chains, contributions, journal
from dacwallet.store.db import open_database
from dacwallet.store.lifecycle import CHAIN_RESET_DETAIL, Drafted, Journaled, Sent, TxKind, TxState, apply

NET = "http://127.0.0.1:8545"
OLD_SCHEMA = """CREATE TABLE contributions (id INTEGER PRIMARY KEY AUTOINCREMENT, chain_key TEXT NOT NULL,
trainer TEXT NOT NULL, author TEXT NOT NULL, text TEXT NOT NULL, data TEXT NOT NULL, label INTEGER NOT NULL,
state TEXT NOT NULL, tx_hash TEXT, added_time INTEGER, cost TEXT, block_number INTEGER, error TEXT,
created_at REAL NOT NULL)"""


def _db(tmp_path: Path) -> sqlite3.Connection:
    db = open_database(tmp_path)
    for module in (chains, contributions, journal):
        module.ensure_schema(db)
    return db


def test_a_reset_keeps_contributions_and_closes_the_old_journal(tmp_path: Path) -> None:
    db = _db(tmp_path)
    assert chains.check_network(db, NET, "1:aaa") is None
    cid = apply(db, Drafted("1:aaa", "0xT", "0xA", "a fine film", (1, 2), 1)).created
    apply(
        db,
        Journaled(
            journal.JournalEntry("0xhash", "1:aaa", "0xA", 0, b"raw", TxKind.CONTRIBUTE, cid, TxState.SIGNED, None)
        ),
    )
    apply(db, Sent("0xhash"))
    assert chains.check_network(db, NET, "1:bbb") == "1:aaa"
    kept = contributions.get(db, cid)
    assert kept is not None and kept.reset_at is not None and kept.reset_network == NET
    assert (kept.text, kept.label, kept.tx_hash) == ("a fine film", 1, "0xhash")
    assert contributions.list_reset(db, NET) == [kept] and contributions.list_reset(db, "other") == []
    assert contributions.count_reset(db, NET, "1:aaa") == 1
    assert journal.open_entries(db, "1:aaa") == [] and journal.open_entries(db, "1:bbb") == []
    entry = journal.get(db, "0xhash")
    assert entry is not None and entry.state == TxState.DROPPED and entry.detail == CHAIN_RESET_DETAIL


def test_a_reset_chain_key_coming_back_does_not_list_its_rows_twice(tmp_path: Path) -> None:
    db = _db(tmp_path)
    chains.check_network(db, NET, "1:aaa")
    apply(db, Drafted("1:aaa", "0xT", "0xA", "text", (1,), 0))
    chains.check_network(db, NET, "1:bbb")
    chains.check_network(db, NET, "1:aaa")  # e.g. a node restarted from a saved state
    assert contributions.list_for(db, "1:aaa", "0xT") == []
    assert len(contributions.list_reset(db, NET)) == 1


def test_an_older_database_opens_and_gains_the_reset_columns(tmp_path: Path) -> None:
    db = open_database(tmp_path)
    db.execute(OLD_SCHEMA)
    db.execute(
        "INSERT INTO contributions (chain_key, trainer, author, text, data, label, state, created_at) "
        "VALUES ('1:aaa', '0xT', '0xA', 'old text', '[3]', 0, 'added', 1.0)"
    )
    contributions.ensure_schema(db)
    contributions.ensure_schema(db)  # twice: idempotent
    [row] = contributions.list_for(db, "1:aaa", "0xT")
    assert row.text == "old text" and row.reset_at is None


def test_the_same_signed_bytes_on_the_new_chain_replace_the_reset_entry(tmp_path: Path) -> None:
    db = _db(tmp_path)
    chains.check_network(db, NET, "1:aaa")
    entry = journal.JournalEntry("0xsame", "1:aaa", "0xA", 0, b"raw", TxKind.CONTRIBUTE, None, TxState.SIGNED, None)
    apply(db, Journaled(entry))
    chains.check_network(db, NET, "1:bbb")
    apply(db, Journaled(journal.JournalEntry(**{**entry.__dict__, "chain_key": "1:bbb"})))
    assert [e.tx_hash for e in journal.open_entries(db, "1:bbb")] == ["0xsame"]
