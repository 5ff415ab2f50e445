"""The Dashboard after one more contribution: the curves grow by its step. In a module of its own, on a chain of
its own: the contribution it adds would change what every other Dashboard test reads, in whatever order they run."""

from __future__ import annotations

from dacwallet.usecases.chainops import advance_clock
from dacwallet.usecases.contribute import contribute
from dacwallet.usecases.sending import signer_for
from tests.ui import test_dashboard as board_tests
from tests.ui.helpers import wait_idle
from tests.ui.test_dashboard import GOOD, assert_curves_match, curve_points, held_out_ready, shown_after
from ui.pages.dashboard import DashboardPage

# The Dashboard tests' module fixtures, instantiated again for this module: a wallet and chain of its own.
history = board_tests.history
dashboard = board_tests.dashboard


def test_refresh_after_another_contribution_extends_the_curves(qtbot, dashboard, history) -> None:
    session, window, page = dashboard
    _data_dir, alice, _reviews = history
    window.show_page(DashboardPage)
    held_out_ready(qtbot, page)
    wait_idle(qtbot, session)
    before = len(curve_points(page, "pool", "pool_balance")[1])
    deposits_before = len(curve_points(page, "deposit", "deposit_cost")[1])

    def contribute_more() -> None:
        session.call(
            lambda ctx: (
                advance_clock(ctx, 1800),
                contribute(ctx, signer_for(ctx, alice, "alice-pw"), GOOD[2], "Positive"),
            ),
            lambda _r: session.notify_changed(),
        )  # what the Contribute page does after sending

    data = shown_after(qtbot, page, contribute_more, lambda d: len(d.series.contributions) == 4)
    assert len(curve_points(page, "pool", "pool_balance")[1]) == before + 1
    assert len(curve_points(page, "deposit", "deposit_cost")[1]) == deposits_before + 1
    assert list(curve_points(page, "pending", "pending_count")[1])[-1] == 2.0
    wait_idle(qtbot, session)
    assert_curves_match(page, page.data.series, page.data.now)
    assert len(curve_points(page, "accuracy", "evaluation_accuracy")[1]) == 4 + 1
    assert data.series.contributions.values[-1] == 4
    assert data.accuracy.contributions == 4 and len(data.own.ids) == 3
