"""Found walking the app: the confirmation may stay open while the chain's clock goes on. The receipt then said
the contract kept less than the deposit quoted, without a word on why, and the note on the Contribute page gave
the preview's refund time, minutes before the one the contract keeps (and My contributions shows). That note
then stayed under the next account's review a day later: it goes when the account changes. A fee typed by hand
is the one fee and total the whole confirmation shows."""

from __future__ import annotations

from dacwallet.usecases.accounts import fund_new_account
from dacwallet.usecases.chainops import advance_clock
from dacwallet.usecases.context import open_wallet
from tests.ui.helpers import TIMEOUT_MS, active_dialog, click, shown_app, type_into, wait_idle
from tests.ui.story import GOOD
from ui import format as fmt
from ui.dialogs.confirm_contribution import ConfirmContributionDialog
from ui.pages.contribute import ContributePage

LEFT_OPEN_S = 5 * 60


def test_a_confirmation_left_open_tells_what_the_mined_block_did(qtbot, tmp_path, gui_env) -> None:
    ctx = open_wallet(tmp_path)
    try:
        bob = ctx.keys.create("bob", "bob-pw")
        fund_new_account(ctx, bob)
        fund_new_account(ctx, ctx.keys.create("alice", "alice-pw"))
    finally:
        ctx.close()
    with shown_app(tmp_path) as (session, window):
        qtbot.waitUntil(lambda: session.connected and session.account is not None, timeout=TIMEOUT_MS)
        page: ContributePage = window.show_page(ContributePage)
        type_into(qtbot, page.editor, GOOD)
        qtbot.waitUntil(lambda: page.local is not None, timeout=TIMEOUT_MS)
        click(qtbot, next(b for b in page.label_buttons if b.text() == "Positive"))
        qtbot.waitUntil(lambda: page.chain is not None, timeout=TIMEOUT_MS)
        click(qtbot, page.submit_button)
        dialog = active_dialog(qtbot, ConfirmContributionDialog)
        preview = dialog.prepared.preview
        moved: list[int] = []
        session.call(lambda ctx: advance_clock(ctx, LEFT_OPEN_S), moved.append, lambda e: moved.append(-1))
        qtbot.waitUntil(lambda: bool(moved), timeout=TIMEOUT_MS)
        assert moved[0] > 0
        type_into(qtbot, dialog.password, "alice-pw")
        click(qtbot, dialog.confirm_button)
        qtbot.waitUntil(lambda: dialog.result_ is not None, timeout=TIMEOUT_MS)
        stored = dialog.result_
        assert stored.cost < preview.deposit.now_wei  # the deposit fell in those minutes
        assert f"less than the {fmt.eth(preview.deposit.now_wei)} quoted" in dialog.progress.text()
        click(qtbot, dialog.confirm_button)
        qtbot.waitUntil(lambda: page.message.isVisible(), timeout=TIMEOUT_MS)
        wait = preview.refund_at - preview.deposit.at
        assert stored.added_time >= preview.deposit.at + LEFT_OPEN_S
        assert f"can be claimed from {fmt.when(stored.added_time + wait)} " in page.message.text()

        combo = window.account_chooser.combo
        combo.setCurrentIndex(combo.findData(bob.address))
        qtbot.waitUntil(lambda: session.account == bob.address, timeout=TIMEOUT_MS)
        assert not page.message.isVisible()  # alice's contribution is not bob's news
        wait_idle(qtbot, session)


def test_a_fee_typed_by_hand_is_the_one_fee_and_total_on_screen(qtbot, tmp_path, gui_env) -> None:
    """The confirmation's summary said the suggested fee and total while the fee editor under it said the
    typed one's: two totals for one contribution."""
    ctx = open_wallet(tmp_path)
    try:
        fund_new_account(ctx, ctx.keys.create("alice", "alice-pw"))
    finally:
        ctx.close()
    with shown_app(tmp_path) as (session, window):
        qtbot.waitUntil(lambda: session.connected and session.account is not None, timeout=TIMEOUT_MS)
        page: ContributePage = window.show_page(ContributePage)
        type_into(qtbot, page.editor, GOOD)
        qtbot.waitUntil(lambda: page.local is not None, timeout=TIMEOUT_MS)
        click(qtbot, next(b for b in page.label_buttons if b.text() == "Positive"))
        click(qtbot, page.submit_button)
        dialog = active_dialog(qtbot, ConfirmContributionDialog)
        suggested = dialog.prepared.preview.max_fee_wei
        assert f"network fee at most {fmt.eth(suggested)}" in dialog.details.text()
        click(qtbot, dialog.edit_fee_button)
        qtbot.waitUntil(lambda: dialog.fee_editor.fee_wei is not None, timeout=TIMEOUT_MS)
        type_into(qtbot, dialog.fee_editor.max_fee, "7")
        typed = dialog.fee_editor.fee_wei
        assert typed is not None and typed != suggested
        total = fmt.eth(dialog.prepared.preview.deposit.send_wei + typed)
        assert f"network fee at most {fmt.eth(typed)}" in dialog.details.text()
        assert f"total at most <b>{total}</b>" in dialog.details.text() and total in dialog.fee_editor.cost.text()
        click(qtbot, dialog.edit_fee_button)  # back to the suggestion
        assert f"network fee at most {fmt.eth(suggested)}" in dialog.details.text()
        dialog.reject()
        wait_idle(qtbot, session)
