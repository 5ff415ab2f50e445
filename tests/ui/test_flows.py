"""End to end through the GUI on the embedded chain, with real clicks and the real runner:
first run, contribute, advance the clock, claim the refund, a wrong password, a second account's
bad contribution reported from Community.

Each test stands alone, in any order: the first run gets an empty data folder of its own; the others share
one whose accounts were made through the core before the app opened, each test acting through its own
account (alice contributes, dave has a contribution to claim, carol has the reputation to report)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocumentFragment

from dacwallet.usecases.accounts import fund_new_account
from dacwallet.usecases.claims import claim_refund
from dacwallet.usecases.context import open_wallet
from dacwallet.usecases.contribute import contribute as contribute_now
from dacwallet.usecases.sending import signer_for
from tests.ui.conftest import screenshot
from tests.ui.helpers import (
    TIMEOUT_MS,
    active_dialog,
    back_up_phrase,
    click,
    shown_app,
    sign_in_open_dialog,
    type_into,
    wait_idle,
)
from tests.ui.story import BAD, DAY, GOOD
from ui.app import needs_welcome, show_welcome
from ui.dialogs.account_dialogs import NewAccountDialog
from ui.dialogs.confirm_contribution import ConfirmContributionDialog
from ui.pages.community import CommunityPage
from ui.pages.contribute import ContributePage
from ui.pages.contributions import ContributionsPage
from ui.pages.model import ModelPage
from ui.pages.network import NetworkPage
from ui.pages.wallet import WalletPage

PASSWORD = "alice-quiet-harbor-71"


def funded(
    data_dir: Path, names: tuple[str, ...], refunded: str | None = None, waiting: str | None = None
) -> dict[str, str]:
    """Accounts made through the core before the app opens: ``refunded`` gets a refunded contribution (the
    reputation to report), ``waiting`` a good one a day from refundable. Returns name -> address."""
    ctx = open_wallet(data_dir)
    try:
        for name in names:
            fund_new_account(ctx, ctx.keys.create(name, PASSWORD))
        if refunded:
            contribute_now(
                ctx, signer_for(ctx, refunded, PASSWORD), "A moving, brilliant and wonderful story.", "Positive"
            )
            ctx.connection.embedded.advance(DAY + 60)
            claim_refund(ctx, signer_for(ctx, refunded, PASSWORD), 1)
        if waiting:
            contribute_now(ctx, signer_for(ctx, waiting, PASSWORD), GOOD, "Positive")
        return {info.name: info.address for info in ctx.keys.accounts()}
    finally:
        ctx.close()


@pytest.fixture(scope="module")
def accounts(tmp_path_factory, gui_env) -> tuple[Path, dict[str, str]]:
    """Carol's refunded contribution gives her the reputation to report; alice has none yet. A test that
    changes what every account shares (a refund adds reputation, so a report's share) gets a chain of its own."""
    data_dir = tmp_path_factory.mktemp("gui-wallet")
    return data_dir, funded(data_dir, ("carol", "alice"), refunded="carol")


@pytest.fixture(scope="module")
def app_window(accounts):
    with shown_app(accounts[0]) as opened:
        yield opened


def use_account(qtbot, app_window, accounts, name: str) -> str:
    session, window = app_window
    address = accounts[1][name]
    combo = window.account_chooser.combo
    qtbot.waitUntil(lambda: combo.findData(address) >= 0, timeout=TIMEOUT_MS)
    combo.setCurrentIndex(combo.findData(address))
    qtbot.waitUntil(lambda: session.account == address, timeout=TIMEOUT_MS)
    wait_idle(qtbot, session)
    return address


def contribute(qtbot, session, window, text: str, label: str, password: str) -> ConfirmContributionDialog:
    page: ContributePage = window.show_page(ContributePage)
    page.editor.clear()
    type_into(qtbot, page.editor, text)
    qtbot.waitUntil(lambda: page.local is not None, timeout=TIMEOUT_MS)
    click(qtbot, next(b for b in page.label_buttons if b.text() == label))
    click(qtbot, page.submit_button)
    dialog = active_dialog(qtbot, ConfirmContributionDialog)
    if dialog.needs_password:
        type_into(qtbot, dialog.password, password)
    return dialog


def test_first_run_creates_a_funded_account(qtbot, tmp_path, gui_env) -> None:
    with shown_app(tmp_path) as (session, window):
        first_run(qtbot, session, window)


def first_run(qtbot, session, window) -> None:
    assert needs_welcome(session)
    dialog = show_welcome(session, window)
    screenshot(dialog, "01-welcome")
    dialog.form.name.clear()
    type_into(qtbot, dialog.form.name, "alice")
    type_into(qtbot, dialog.form.password, PASSWORD)
    type_into(qtbot, dialog.form.confirm, PASSWORD)
    click(qtbot, dialog.ok_button)
    back_up_phrase(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT_MS)
    wait_idle(qtbot, session)
    assert session.connected and session.account is not None
    # Found walking the app: the account picker had the keyboard, so the first review typed went nowhere.
    assert window.stack.currentWidget().focusWidget() is window.page(ContributePage).editor
    wallet: WalletPage = window.show_page(WalletPage)
    wait_idle(qtbot, session)
    qtbot.waitUntil(lambda: bool(wallet.model.rows and wallet.model.rows[0].balance_wei), timeout=TIMEOUT_MS)
    assert wallet.model.rows[0].name == "alice"
    assert wallet.model.data(wallet.model.index(0, wallet.model.BALANCE)) == "100 ETH"


def test_contribute_with_instant_preview_and_receipt(qtbot, app_window, accounts) -> None:
    session, window = app_window
    use_account(qtbot, app_window, accounts, "alice")  # her first contribution
    page: ContributePage = window.show_page(ContributePage)
    page.editor.clear()  # what another test left there
    type_into(qtbot, page.editor, "A wonderful film")
    assert page.local is not None and page.local.class_name == "Positive"  # instant, no runner involved
    assert "Positive" in page.prediction.text()
    assert "#2e7d32" in page.rendering.toHtml()  # 'wonderful' coloured toward Positive
    page.editor.clear()
    dialog = contribute(qtbot, session, window, GOOD, "Positive", PASSWORD)
    qtbot.waitUntil(lambda: "Deposit" in page.chain_line.text(), timeout=TIMEOUT_MS)
    screenshot(window, "02-contribute")
    assert "The deposit is" in dialog.stake.text() and "you get the deposit back" in dialog.stake.text()
    assert dialog.confirm_button.isEnabled()
    screenshot(dialog, "03-confirm")
    click(qtbot, dialog.confirm_button)
    qtbot.waitUntil(lambda: dialog.result_ is not None, timeout=TIMEOUT_MS)
    assert dialog.result_.state == "added"
    assert "Done." in dialog.progress.text()
    screenshot(dialog, "04-receipt")
    click(qtbot, dialog.confirm_button)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT_MS)
    mine: ContributionsPage = window.show_page(ContributionsPage)
    wait_idle(qtbot, session)
    qtbot.waitUntil(lambda: len(mine.model.rows) == 1, timeout=TIMEOUT_MS)
    assert mine.model.rows[0].status == "waiting"
    assert mine.model.data(mine.model.index(0, mine.model.REFUND)).startswith("in ")
    assert not mine.claim_button.isEnabled()
    screenshot(window, "05-contributions-waiting")


def test_wrong_password_shows_inline_error_and_changes_nothing(qtbot, app_window, accounts) -> None:
    session, window = app_window
    alice = use_account(qtbot, app_window, accounts, "alice")
    mine: ContributionsPage = window.show_page(ContributionsPage)
    wait_idle(qtbot, session)
    before = len(mine.model.rows)
    wallet: WalletPage = window.show_page(WalletPage)
    wait_idle(qtbot, session)
    balance = next(r.balance_wei for r in wallet.model.rows if r.address == alice)
    dialog = contribute(qtbot, session, window, "Boring and dreadful, the worst film", "Negative", "not-her-password")
    click(qtbot, dialog.confirm_button)
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=TIMEOUT_MS)
    assert "password does not open" in dialog.error.text()
    assert dialog.result_ is None and dialog.isVisible() and dialog.confirm_button.isEnabled()
    screenshot(dialog, "06-wrong-password")
    dialog.reject()
    window.show_page(ContributionsPage)
    session.notify_changed()
    wait_idle(qtbot, session)
    assert len(mine.model.rows) == before
    window.show_page(WalletPage)
    wait_idle(qtbot, session)
    assert next(r.balance_wei for r in wallet.model.rows if r.address == alice) == balance


def test_advance_clock_then_claim_refund(qtbot, tmp_path, gui_env) -> None:
    dave = funded(tmp_path, ("dave",), waiting="dave")  # his contribution, a day from refundable
    with shown_app(tmp_path) as opened:
        use_account(qtbot, opened, (tmp_path, dave), "dave")
        advance_and_claim(qtbot, *opened)


def advance_and_claim(qtbot, session, window) -> None:
    notices: list = []
    window.watcher.sig_notices.connect(notices.append)
    network: NetworkPage = window.show_page(NetworkPage)
    wait_idle(qtbot, session)
    screenshot(window, "07-network")
    click(qtbot, network.day_button)
    wait_idle(qtbot, session)
    qtbot.waitUntil(lambda: "forward by 1 day" in network.clock_message.text(), timeout=TIMEOUT_MS)
    mine: ContributionsPage = window.show_page(ContributionsPage)
    wait_idle(qtbot, session)
    qtbot.waitUntil(lambda: any(r.status == "refundable" for r in mine.model.rows), timeout=TIMEOUT_MS)
    assert [n.kind for n in notices[-1]] == ["refundable"] and window.banner.isVisible()
    row = next(i for i, r in enumerate(mine.model.rows) if r.status == "refundable")
    mine.table.selectRow(row)
    screenshot(window, "08-contributions-refundable")
    click(qtbot, mine.claim_button)
    dialog = sign_in_open_dialog(qtbot, PASSWORD)
    assert dialog.needs_password  # locked account: the password was asked for
    assert "Refund claimed" in dialog.progress.text()
    click(qtbot, dialog.ok)
    wait_idle(qtbot, session)
    qtbot.waitUntil(lambda: mine.model.rows[row].status == "refunded", timeout=TIMEOUT_MS)
    assert notices[-1] == [] and not window.banner.isVisible()  # claimed: the notice is no longer true


def test_second_account_bad_label_is_reported_from_community(qtbot, app_window, accounts) -> None:
    session, window = app_window
    carol = use_account(qtbot, app_window, accounts, "carol")  # her refunded contribution: she may report
    wallet: WalletPage = window.show_page(WalletPage)
    wait_idle(qtbot, session)
    click(qtbot, wallet.new_button)
    dialog = active_dialog(qtbot, NewAccountDialog)
    type_into(qtbot, dialog.form.name, "bob")
    type_into(qtbot, dialog.form.password, "bob-lantern-orbit-42")
    type_into(qtbot, dialog.form.confirm, "bob-lantern-orbit-42")
    click(qtbot, dialog.ok_button)
    back_up_phrase(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT_MS)
    wait_idle(qtbot, session)
    bob = session.account
    assert bob != carol
    qtbot.waitUntil(lambda: bob in {r.address for r in wallet.model.rows}, timeout=TIMEOUT_MS)
    screenshot(window, "09-wallet")

    confirm = contribute(qtbot, session, window, BAD, "Positive", "bob-lantern-orbit-42")
    assert "Right now it says <b>Negative</b>" in confirm.stake.text() and confirm.advice.isVisible()
    click(qtbot, confirm.confirm_button)
    qtbot.waitUntil(lambda: confirm.result_ is not None, timeout=TIMEOUT_MS)
    click(qtbot, confirm.confirm_button)

    network: NetworkPage = window.show_page(NetworkPage)
    type_into(qtbot, network.custom, "1d1h")
    click(qtbot, network.custom_button)
    wait_idle(qtbot, session)

    window.account_chooser.combo.setCurrentIndex(window.account_chooser.combo.findData(carol))
    community: CommunityPage = window.show_page(CommunityPage)
    wait_idle(qtbot, session)
    qtbot.waitUntil(lambda: len(community.model.rows) == 1, timeout=TIMEOUT_MS)
    community.table.selectRow(0)
    screenshot(window, "10-community")
    click(qtbot, community.report_button)
    sign = sign_in_open_dialog(qtbot, PASSWORD)
    assert sign.needs_password  # locked account: the password was asked for
    click(qtbot, sign.ok)
    wait_idle(qtbot, session)
    qtbot.waitUntil(lambda: len(community.model.rows) == 0, timeout=TIMEOUT_MS)
    mine: ContributionsPage = window.show_page(ContributionsPage)
    wait_idle(qtbot, session)
    assert {r.stored.author for r in mine.model.rows} == {carol}  # the selected account's, as the header says
    assert not any(r.status == "taken" for r in mine.model.rows)
    mine.all_accounts.setChecked(True)  # every account's: Bob's taken one too
    qtbot.waitUntil(lambda: any(r.status == "taken" for r in mine.model.rows), timeout=TIMEOUT_MS)
    mine.all_accounts.setChecked(False)


def test_model_page_and_shortcuts(qtbot, app_window) -> None:
    session, window = app_window
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=TIMEOUT_MS)
    qtbot.keyClick(window.windowHandle(), Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    page = window.stack.currentWidget()
    assert isinstance(page, ModelPage)
    wait_idle(qtbot, session)
    qtbot.waitUntil(lambda: page.fields["Samples seen"].text() != "—", timeout=TIMEOUT_MS)
    assert page.positive.count() > 0 and page.negative.count() > 0
    assert page.fields["Classes"].text() == "Negative, Positive"
    encoder = page.fields["Encoder"]  # as drawn: it showed "the model&#x27;s vocabulary"
    assert encoder.textFormat() == Qt.TextFormat.RichText
    assert "model's vocabulary" in QTextDocumentFragment.fromHtml(encoder.text()).toPlainText()
    screenshot(window, "11-model")


def test_dark_palette_screenshots(qtbot, app_window) -> None:
    from PySide6.QtWidgets import QApplication

    from ui.app import dark_palette

    session, window = app_window
    app = QApplication.instance()
    light = app.palette()
    app.setPalette(dark_palette())
    try:
        page: ContributePage = window.show_page(ContributePage)
        page.editor.clear()
        type_into(qtbot, page.editor, "Boring plot, but a wonderful and moving score.")
        wait_idle(qtbot, session)
        qtbot.waitUntil(lambda: "Deposit" in page.chain_line.text(), timeout=TIMEOUT_MS)
        screenshot(window, "13-contribute-dark")
        window.show_page(ContributionsPage)
        wait_idle(qtbot, session)
        screenshot(window, "14-contributions-dark")
    finally:
        app.setPalette(light)
        page.editor.clear()
