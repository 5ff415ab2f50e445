"""What an operation moved reaches the pages that show it, and only those: the session drains the lifecycle's
Changes after each runner operation and every listener refreshes for its part (the pending panel for
transactions, the contributions watcher for contributions, transactions and balances)."""

from __future__ import annotations

from dacwallet.store.lifecycle import Drafted, apply
from dacwallet.usecases.changes import NOTHING, Changes
from tests.ui.helpers import TIMEOUT_MS, shown_app, wait_idle
from ui.pages.contributions import ContributionsPage


def test_each_listener_refreshes_for_what_moved_only(qtbot, tmp_path, gui_env, monkeypatch) -> None:
    with shown_app(tmp_path) as (session, window):
        qtbot.waitUntil(lambda: session.connected, timeout=TIMEOUT_MS)
        wait_idle(qtbot, session)
        watcher, pending = window.watcher, window.page(ContributionsPage).pending
        calls: list[str] = []
        monkeypatch.setattr(watcher, "refresh", lambda: calls.append("watcher"))
        monkeypatch.setattr(pending, "refresh", lambda: calls.append("pending"))

        session.notify_changed(Changes(contributions=frozenset({1})))
        assert calls == ["watcher"]
        calls.clear()
        session.notify_changed(Changes(transactions=frozenset({"0x01"}), accounts=frozenset({"0xA"})))
        assert sorted(calls) == ["pending", "watcher"]
        calls.clear()
        session.notify_changed(NOTHING)
        assert calls == []

        # A real operation's state write, drained by the session when the runner finishes it.
        def draft(ctx) -> int:
            return apply(ctx.db, Drafted(ctx.chain_key, "0xT", "0xA", "a review", (1, 2), 0)).created

        done: list[int] = []
        session.call(draft, done.append)
        qtbot.waitUntil(lambda: bool(done) and calls == ["watcher"], timeout=TIMEOUT_MS)
        session.call(lambda ctx: None, done.append)  # an operation that moves nothing
        qtbot.waitUntil(lambda: len(done) == 2, timeout=TIMEOUT_MS)
        qtbot.wait(50)
        assert calls == ["watcher"]
