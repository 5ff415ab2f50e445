"""Issue 15, findings 3 and 6: at the minimum window size (1024x700) and at 1.25x the font, with real data,
every page and every signing dialog shows each label and button whole (size hint against geometry), and the
window keeps the size it was given while pages fill, refresh and show their messages."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QDialog

from tests.ui.helpers import TIMEOUT_MS, active_dialog, click, shown_app, type_into, wait_idle
from tests.ui.layout_check import clipped
from tests.ui.story import GOOD, make_story
from ui.app import make_application
from ui.dialogs.confirm_contribution import ConfirmContributionDialog
from ui.dialogs.sign_dialog import SignDialog
from ui.pages.community import CommunityPage
from ui.pages.contribute import ContributePage
from ui.pages.contributions import ContributionsPage

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


def dialog_problems(qtbot, session, dialog: QDialog) -> list[str]:
    settle(qtbot, session)
    found = clipped(dialog)
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
