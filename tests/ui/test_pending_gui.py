"""The fee editor of the confirmation dialog and the pending-transactions panel, with real clicks on a real
anvil: the typed fee is the mined transaction's fee; a stuck contribution is sped up from My contributions."""

from __future__ import annotations

import pytest

from dacwallet.chain.connect import NetworkSpec
from dacwallet.errors import ChainError
from dacwallet.store import contributions
from dacwallet.store.lifecycle import ContributionState
from dacwallet.usecases.contribute import contribute as core_contribute
from dacwallet.usecases.sending import receipt_wait_cap, signer_for
from tests.support.chains import needs_anvil
from tests.support.pending_chain import PASSWORD, PendingChain, pending_chain
from tests.ui.conftest import screenshot
from tests.ui.helpers import TIMEOUT_MS, active_dialog, click, sign_in_open_dialog, type_into, wait_idle
from ui.app import build, make_application
from ui.dialogs import sign_dialog
from ui.dialogs.confirm_contribution import ConfirmContributionDialog
from ui.pages.contribute import ContributePage
from ui.pages.contributions import ContributionsPage

pytestmark = [pytest.mark.anvil, needs_anvil]
GWEI = 10**9
GOOD = "A wonderful film: brilliant acting, a moving story and a great score."
STUCK = "Great camera work, a moving story and the best score this year."
REFUND_ME = "Superb and touching, a brilliant film with wonderful performances."


@pytest.fixture(scope="module")
def app_window(tmp_path_factory, gui_env):
    with pending_chain(tmp_path_factory.mktemp("gui-pending")) as chain:
        make_application()
        session, window = build(chain.data_dir, NetworkSpec.parse(chain.url))
        window.resize(1100, 760)
        window.show()
        yield chain, session, window
        window.close()
        session.close()
        chain.automine(True)


@pytest.fixture(autouse=True)
def mining_again_after(app_window):
    """A test that stopped the chain's mining (a stuck transaction) never leaves it stopped for the next one:
    each test stands alone, in any order."""
    yield
    app_window[0].automine(True)


def confirmation_for(qtbot, window, text: str) -> ConfirmContributionDialog:
    """The Contribute page's confirmation dialog for ``text``, labelled Positive."""
    page: ContributePage = window.show_page(ContributePage)
    page.editor.clear()  # what another test left there
    type_into(qtbot, page.editor, text)
    qtbot.waitUntil(lambda: page.local is not None, timeout=TIMEOUT_MS)
    click(qtbot, next(b for b in page.label_buttons if b.text() == "Positive"))
    click(qtbot, page.submit_button)
    return active_dialog(qtbot, ConfirmContributionDialog)


def test_the_fee_typed_in_the_confirmation_is_the_fee_signed(qtbot, app_window) -> None:
    chain, session, window = app_window
    qtbot.waitUntil(lambda: session.connected and session.account is not None, timeout=TIMEOUT_MS)
    dialog = confirmation_for(qtbot, window, GOOD)
    assert not dialog.fee_editor.isVisible()
    click(qtbot, dialog.edit_fee_button)
    editor = dialog.fee_editor
    qtbot.waitUntil(lambda: editor.suggestion is not None, timeout=TIMEOUT_MS)
    assert "The node suggests a max fee" in editor.suggested.text() and "Network fee at most" in editor.cost.text()

    type_into(qtbot, editor.max_fee, "-1")
    assert "cannot be negative" in editor.error.text() and not dialog.confirm_button.isEnabled()
    editor.max_fee.clear()
    type_into(qtbot, editor.max_fee, "1000")
    assert "more than 10x" in editor.error.text() and editor.confirm_high.isVisible()
    assert not dialog.confirm_button.isEnabled()
    editor.max_fee.clear()
    type_into(qtbot, editor.max_fee, "7")
    type_into(qtbot, editor.priority_fee, "2")
    assert not editor.error.isVisible() and dialog.confirm_button.isEnabled()
    assert "Network fee at most" in editor.cost.text() and "total with the deposit" in editor.cost.text()
    if dialog.needs_password:
        type_into(qtbot, dialog.password, PASSWORD)
    screenshot(dialog, "pending-01-edit-fee")
    click(qtbot, dialog.confirm_button)
    qtbot.waitUntil(lambda: dialog.result_ is not None or dialog.error.isVisible(), timeout=TIMEOUT_MS)
    assert dialog.result_ is not None, dialog.error.text()
    mined = chain.node.w3.eth.get_transaction(dialog.result_.tx_hash)
    assert (mined["maxFeePerGas"], mined["maxPriorityFeePerGas"]) == (7 * GWEI, 2 * GWEI)
    assert dialog.result_.state == ContributionState.ADDED
    click(qtbot, dialog.confirm_button)


def stuck(chain: PendingChain) -> contributions.StoredContribution:
    """A contribution left pending by another process (as if its receipt wait had timed out)."""
    ctx = chain.open()
    try:
        chain.automine(False)
        with pytest.raises(ChainError):
            with receipt_wait_cap(0.5):
                core_contribute(ctx, signer_for(ctx, "alice", PASSWORD), STUCK, "Positive")
        return next(c for c in contributions.list_for(ctx.db, ctx.chain_key, chain.trainer) if c.text == STUCK)
    finally:
        ctx.close()


def test_speed_up_a_pending_contribution_from_my_contributions(qtbot, app_window) -> None:
    chain, session, window = app_window
    stored = stuck(chain)
    mine: ContributionsPage = window.show_page(ContributionsPage)
    panel = mine.pending
    qtbot.waitUntil(lambda: panel.isVisible() and len(panel.model.rows) == 1, timeout=TIMEOUT_MS)
    assert panel.model.rows[0].tx_hash == stored.tx_hash and panel.speed_up_button.isEnabled()
    qtbot.waitUntil(lambda: any(c.id == stored.id for c in mine.model.rows), timeout=TIMEOUT_MS)
    screenshot(window, "pending-02-contributions-with-pending")
    click(qtbot, panel.speed_up_button)
    dialog = sign_in_open_dialog(qtbot, PASSWORD)
    replacement = dialog.result_
    assert replacement.replaced == stored.tx_hash and not replacement.mined
    screenshot(dialog, "pending-03-sped-up")
    click(qtbot, dialog.ok)
    wait_idle(qtbot, session)
    qtbot.waitUntil(lambda: panel.model.rows and panel.model.rows[0].tx_hash == replacement.tx_hash, timeout=TIMEOUT_MS)

    chain.mine()
    mine.refresh()
    qtbot.waitUntil(lambda: not panel.isVisible(), timeout=TIMEOUT_MS)
    wait_idle(qtbot, session)
    qtbot.waitUntil(
        lambda: next(c for c in mine.model.rows if c.id == stored.id).status == "waiting", timeout=TIMEOUT_MS
    )
    ctx = chain.open()
    try:
        row = contributions.get(ctx.db, stored.id)
        assert (row.state, row.tx_hash) == (ContributionState.ADDED, replacement.tx_hash)
        assert chain.add_data_count(row.data, row.author) == 1
    finally:
        ctx.close()


LATE = "A brilliant story and a wonderful cast, the best film of the year."


def test_a_contribution_not_mined_in_time_frees_the_runner_and_settles_later(
    qtbot,
    app_window,
    monkeypatch,
) -> None:
    chain, session, window = app_window
    monkeypatch.setattr(sign_dialog, "RECEIPT_WAIT_S", 2.0)  # the GUI's short wait, shortened for the test
    # Open (and the account funded) while blocks are still mined, also when this test runs alone.
    qtbot.waitUntil(lambda: session.connected and session.account is not None, timeout=TIMEOUT_MS)
    chain.automine(False)
    try:
        dialog = confirmation_for(qtbot, window, LATE)
        if dialog.needs_password:
            type_into(qtbot, dialog.password, PASSWORD)
        click(qtbot, dialog.confirm_button)
        qtbot.waitUntil(lambda: dialog.result_ is not None or dialog.error.isVisible(), timeout=TIMEOUT_MS)
        assert dialog.result_ is not None, dialog.error.text()
        assert dialog.result_.state == ContributionState.SENDING
        text = dialog.progress.text()
        assert "Sent, waiting to be mined" in text and "Nothing is lost" in text and "Pending transactions" in text
        screenshot(dialog, "pending-04-sent-waiting-to-be-mined")
        stored = dialog.result_

        mine: ContributionsPage = window.page(ContributionsPage)
        panel = mine.pending  # the runner is free: the panel's refresh ran and lists it
        qtbot.waitUntil(lambda: any(r.tx_hash == stored.tx_hash for r in panel.model.rows), timeout=TIMEOUT_MS)
        click(qtbot, dialog.follow_button)
        assert window.stack.currentWidget() is mine and not dialog.isVisible()
        note = window.page(ContributePage).message.text()  # the page does not claim it was added
        assert "sent and waiting to be mined" in note and "added" not in note

        chain.mine()  # no restart, no click: the periodic refresh settles it
        qtbot.waitUntil(
            lambda: any(c.id == stored.id and c.status == "waiting" for c in mine.model.rows), timeout=TIMEOUT_MS
        )
        qtbot.waitUntil(lambda: not any(r.tx_hash == stored.tx_hash for r in panel.model.rows), timeout=TIMEOUT_MS)
    finally:
        chain.automine(True)


def test_a_refund_not_mined_in_time_is_followed_and_settles_later(qtbot, app_window, monkeypatch) -> None:
    chain, session, window = app_window
    monkeypatch.setattr(sign_dialog, "RECEIPT_WAIT_S", 2.0)
    qtbot.waitUntil(lambda: session.connected and session.account is not None, timeout=TIMEOUT_MS)
    chain.refundable(REFUND_ME)  # one contribution of its own, so the test also runs alone
    mine: ContributionsPage = window.show_page(ContributionsPage)
    mine.refresh()
    qtbot.waitUntil(lambda: any(r.status == "refundable" for r in mine.model.rows), timeout=TIMEOUT_MS)
    row = next(i for i, r in enumerate(mine.model.rows) if r.status == "refundable")
    claimed = mine.model.rows[row].id
    mine.table.selectRow(row)
    chain.automine(False)
    try:
        click(qtbot, mine.claim_button)
        dialog = sign_in_open_dialog(qtbot, PASSWORD)
        text = dialog.progress.text()
        assert "Sent, waiting to be mined" in text and "Nothing is lost" in text and not dialog.error.isVisible()
        assert chain.pool_size() == 1  # sent once, not retried
        click(qtbot, dialog.follow_button)
        assert window.stack.currentWidget() is mine and not dialog.isVisible()
        qtbot.waitUntil(lambda: len(mine.pending.model.rows) == 1, timeout=TIMEOUT_MS)

        chain.mine()  # no restart, no click: the periodic refresh settles it
        qtbot.waitUntil(
            lambda: next(c for c in mine.model.rows if c.id == claimed).status == "refunded", timeout=TIMEOUT_MS
        )
        qtbot.waitUntil(lambda: not mine.pending.model.rows, timeout=TIMEOUT_MS)  # its own refresh may come next
    finally:
        chain.automine(True)
