"""Issue 15, findings 3 and 6: at the minimum window size (1024x700) and at 1.25x the font, with real data,
every page and every signing dialog shows each label and button whole (size hint against geometry), and the
window keeps the size it was given while pages fill, refresh and show their messages."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QDialog

from tests.ui.helpers import TIMEOUT_MS, active_dialog, click, shown_app, type_into, wait_idle
from tests.ui.layout_check import clipped, empty_band, off_screen
from tests.ui.story import GOOD, make_story
from ui.app import make_application
from ui.dialogs.account_dialogs import ImportAccountDialog, NewAccountDialog, UnlockDialog
from ui.dialogs.confirm_contribution import ConfirmContributionDialog
from ui.dialogs.first_run import FirstRunDialog
from ui.dialogs.manage_account import ChangePasswordDialog, DeleteAccountDialog, RenameDialog
from ui.dialogs.send_dialog import SendDialog
from ui.dialogs.sign_dialog import SignDialog
from ui.pages.community import CommunityPage
from ui.pages.contribute import ContributePage
from ui.pages.contributions import ContributionsPage
from ui.pages.wallet import WalletPage

MINIMUM = QSize(1024, 700)


@pytest.fixture(scope="module")
def story(tmp_path_factory, gui_env):
    data_dir = tmp_path_factory.mktemp("gui-layout")
    return data_dir, make_story(data_dir)


@pytest.fixture(params=(1.0, 1.25), ids=("font-1x", "font-1.25x"))
def font_scale(request):
    app = make_application()
    normal = QFont(app.font())
    scaled = QFont(normal)
    scaled.setPointSizeF(normal.pointSizeF() * request.param)
    app.setFont(scaled)
    yield request.param
    app.setFont(normal)


def select(qtbot, session, window, address: str) -> None:
    combo = window.account_chooser.combo
    qtbot.waitUntil(lambda: combo.findData(address) >= 0, timeout=TIMEOUT_MS)
    combo.setCurrentIndex(combo.findData(address))
    qtbot.waitUntil(lambda: session.account == address, timeout=TIMEOUT_MS)
    wait_idle(qtbot, session)


def settle(qtbot, session) -> None:
    wait_idle(qtbot, session)
    QApplication.processEvents()
    qtbot.wait(30)  # queued layout requests


def dialog_problems(qtbot, session, dialog: QDialog, close: bool = True) -> list[str]:
    """What is clipped in ``dialog``, cut off by the edge of the smallest screen (1024x700), or left empty."""
    settle(qtbot, session)
    found = clipped(dialog) + off_screen(dialog, MINIMUM) + empty_band(dialog)
    if close:
        dialog.reject()
    return found


def test_nothing_clipped_at_the_minimum_size(qtbot, story, font_scale) -> None:
    data_dir, who = story
    with shown_app(data_dir) as (session, window):
        assert window.minimumSizeHint().width() <= MINIMUM.width()
        assert window.minimumSizeHint().height() <= MINIMUM.height()
        window.resize(MINIMUM)
        qtbot.waitUntil(lambda: session.connected, timeout=TIMEOUT_MS)
        select(qtbot, session, window, who["alice"])
        window.watcher.refresh()
        problems: list[str] = []
        for page in window.pages:
            window.show_page(type(page))
            settle(qtbot, session)
            problems += clipped(window)
            if page.scroll_area.horizontalScrollBar().isVisible():  # a row wider than the window
                problems.append(f"{page.title}: the page scrolls sideways")
            assert window.size() == MINIMUM, f"the window resized itself on {page.title}"

        contribute: ContributePage = window.show_page(ContributePage)
        type_into(qtbot, contribute.editor, GOOD)
        qtbot.waitUntil(lambda: contribute.local is not None, timeout=TIMEOUT_MS)
        click(qtbot, contribute.label_buttons[1])
        qtbot.waitUntil(lambda: contribute.chain is not None, timeout=TIMEOUT_MS)
        settle(qtbot, session)
        problems += clipped(window)  # with the deposit story and its curve
        click(qtbot, contribute.submit_button)
        confirm = active_dialog(qtbot, ConfirmContributionDialog)
        problems += dialog_problems(qtbot, session, confirm, close=False)
        click(qtbot, confirm.edit_fee_button)  # the advanced fee fields, with the node's suggestion in
        qtbot.waitUntil(lambda: confirm.fee_editor.suggestion is not None, timeout=TIMEOUT_MS)
        type_into(qtbot, confirm.fee_editor.max_fee, "900")  # far above: the confirming check box shows too
        qtbot.waitUntil(confirm.fee_editor.confirm_high.isVisible, timeout=TIMEOUT_MS)
        problems += dialog_problems(qtbot, session, confirm, close=False)
        click(qtbot, confirm.edit_fee_button)  # back to the suggestion: the fields go, and their room with them
        problems += dialog_problems(qtbot, session, confirm)

        mine: ContributionsPage = window.show_page(ContributionsPage)
        qtbot.waitUntil(lambda: any(r.status == "refundable" for r in mine.model.rows), timeout=TIMEOUT_MS)
        mine.table.selectRow(next(i for i, r in enumerate(mine.model.rows) if r.status == "refundable"))
        click(qtbot, mine.claim_button)
        claim = active_dialog(qtbot, SignDialog)
        qtbot.waitUntil(lambda: "network fee at most" in claim.amounts.text(), timeout=TIMEOUT_MS)
        problems += dialog_problems(qtbot, session, claim)
        click(qtbot, mine.claim_all_button)
        problems += dialog_problems(qtbot, session, active_dialog(qtbot, SignDialog))

        select(qtbot, session, window, who["carol"])
        community: CommunityPage = window.show_page(CommunityPage)
        qtbot.waitUntil(lambda: len(community.model.rows) == 1, timeout=TIMEOUT_MS)
        community.table.selectRow(0)
        click(qtbot, community.report_button)
        report = active_dialog(qtbot, SignDialog)
        qtbot.waitUntil(lambda: "network fee at most" in report.amounts.text(), timeout=TIMEOUT_MS)
        problems += dialog_problems(qtbot, session, report)
        assert window.size() == MINIMUM
    assert not problems, "clipped:\n" + "\n".join(problems)


def test_account_and_send_dialogs_fit_at_the_minimum_size(qtbot, story, font_scale) -> None:
    """The new account's three steps (the form with a refused password's reason, the recovery phrase, the
    words asked back) and Send's two (who and how much, then the confirmation with fee and total)."""
    data_dir, who = story
    with shown_app(data_dir) as (session, window):
        window.resize(MINIMUM)
        qtbot.waitUntil(lambda: session.connected, timeout=TIMEOUT_MS)
        select(qtbot, session, window, who["alice"])
        wallet: WalletPage = window.show_page(WalletPage)
        problems: list[str] = []

        click(qtbot, wallet.new_button)
        new = active_dialog(qtbot, NewAccountDialog)
        problems += dialog_problems(qtbot, session, new, close=False)
        type_into(qtbot, new.form.name, "dave")
        for field in (new.form.password, new.form.confirm):
            type_into(qtbot, field, "dave123")
        click(qtbot, new.ok_button)
        qtbot.waitUntil(new.message.isVisible, timeout=TIMEOUT_MS)  # refused, with its reason
        problems += dialog_problems(qtbot, session, new, close=False)
        for field in (new.form.password, new.form.confirm):
            field.clear()
            type_into(qtbot, field, "dave-amber-fjord-27")
        click(qtbot, new.ok_button)
        qtbot.waitUntil(lambda: new.phrase_view is not None and new.phrase_view.isVisible(), timeout=TIMEOUT_MS)
        problems += dialog_problems(qtbot, session, new, close=False)
        click(qtbot, new.ok_button)
        qtbot.waitUntil(lambda: new.quiz is not None and new.quiz.isVisible(), timeout=TIMEOUT_MS)
        problems += dialog_problems(qtbot, session, new)  # cancelled: nothing is written

        qtbot.waitUntil(lambda: wallet.selected_address() == who["alice"], timeout=TIMEOUT_MS)
        click(qtbot, wallet.send_button)
        send = active_dialog(qtbot, SendDialog)
        type_into(qtbot, send.to, who["bob"])
        type_into(qtbot, send.amount, "0.25")
        problems += dialog_problems(qtbot, session, send, close=False)
        click(qtbot, send.ok_button)
        qtbot.waitUntil(lambda: send.sign_dialog is not None, timeout=TIMEOUT_MS)
        confirm = send.sign_dialog
        qtbot.waitUntil(confirm.ok.isEnabled, timeout=TIMEOUT_MS)
        problems += dialog_problems(qtbot, session, confirm)
        assert window.size() == MINIMUM
    assert not problems, "clipped:\n" + "\n".join(problems)


def test_every_other_account_dialog_fits_at_the_minimum_size(qtbot, story, font_scale) -> None:
    """The welcome, import, unlock, rename, change-password and delete dialogs, as the Wallet page opens them
    (delete with the balance it warns about), each with a refused entry's message shown."""
    data_dir, who = story
    with shown_app(data_dir) as (session, window):
        window.resize(MINIMUM)
        qtbot.waitUntil(lambda: session.connected, timeout=TIMEOUT_MS)
        wallet: WalletPage = window.show_page(WalletPage)
        alice = who["alice"]
        dialogs: list[QDialog] = [
            FirstRunDialog(session, window),
            ImportAccountDialog(session, wallet),
            UnlockDialog(session, alice, "alice", wallet),
            RenameDialog(session, alice, "alice", wallet),
            ChangePasswordDialog(session, alice, "alice", wallet),
            DeleteAccountDialog(session, alice, "alice", "99.8 ETH", wallet),
        ]
        problems: list[str] = []
        for dialog in dialogs:
            dialog.show()
            dialog.message.show_error("The password is not right for this account: nothing was changed.")
            problems += [f"{type(dialog).__name__}: {p}" for p in dialog_problems(qtbot, session, dialog)]
        assert window.size() == MINIMUM
    assert not problems, "clipped:\n" + "\n".join(problems)
