"""Issue 15, findings 6 and 7: the shortcuts are listed in the Help menu, Ctrl+1 puts the cursor in the review,
Tab walks the Contribute page in reading order (the label group entered once, arrows inside it), Tab reaches
every action of every page (test_focus_ring.py: each shows its focus), and a notice appearing in the banner
moves nothing under the mouse."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QMessageBox, QTableView

from tests.ui.helpers import TIMEOUT_MS, shown_app, wait_idle
from tests.ui.story import make_story
from ui.pages.community import CommunityPage
from ui.pages.contribute import ContributePage
from ui.pages.network import NetworkPage


@pytest.fixture(scope="module")
def app(tmp_path_factory, gui_env):
    with shown_app(tmp_path_factory.mktemp("gui-keyboard")) as opened:
        yield opened


def test_help_lists_every_shortcut(qtbot, app) -> None:
    _session, window = app
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    help_menu.actions()[0].trigger()
    box = window.shortcuts_box
    qtbot.waitUntil(box.isVisible, timeout=TIMEOUT_MS)
    assert isinstance(box, QMessageBox)
    for number, page in enumerate(window.pages, start=1):
        assert f"<b>Ctrl+{number}</b></td><td>&nbsp;&nbsp;{page.title}<" in box.text()
    assert "Ctrl+Enter" in box.text() and "F5" in box.text()
    box.close()


def test_ctrl_1_puts_the_cursor_in_the_review_and_tab_follows_the_page(qtbot, app) -> None:
    session, window = app
    window.show_page(NetworkPage)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=TIMEOUT_MS)
    window.account_chooser.combo.setFocus()  # where typing landed before
    qtbot.keyClick(window.windowHandle(), Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    page: ContributePage = window.stack.currentWidget()
    assert isinstance(page, ContributePage)
    assert QApplication.focusWidget() is page.editor
    qtbot.keyClicks(QApplication.focusWidget(), "Great")
    assert page.editor.toPlainText() == "Great"
    qtbot.waitUntil(
        lambda: len(page.label_buttons) == 2 and all(b.isVisible() for b in page.label_buttons), timeout=TIMEOUT_MS
    )
    # Tab enters the label group once (like radio buttons, the arrows move inside it), then reaches the button.
    order = []
    for key in (Qt.Key.Key_Tab, Qt.Key.Key_Right, Qt.Key.Key_Tab):
        qtbot.keyClick(QApplication.focusWidget(), key)
        order.append(QApplication.focusWidget())
    assert order == [*page.label_buttons, page.submit_button], [getattr(w, "text", str)() for w in order]
    page.editor.clear()
    wait_idle(qtbot, session)


def test_a_notice_moves_nothing(qtbot, app) -> None:
    _session, window = app
    window.resize(1024, 700)
    qtbot.wait(50)
    before = window.stack.geometry()
    window.banner.show_message("Contribution #7: your refund can be claimed now (My contributions → Claim).")
    qtbot.wait(50)
    assert window.banner.isVisible() and window.stack.geometry() == before
    window.banner.hide()
    qtbot.wait(50)
    assert window.stack.geometry() == before


def test_tab_reaches_every_action_of_every_page(qtbot, tmp_path, gui_env) -> None:
    """With real data (a row selected wherever there is a table, so its actions are enabled), Tab from a page's
    first control reaches each of its enabled buttons. A table used to keep Tab walking its cells, so nothing
    after it (Claim, Send…, Remove…) was reachable without the mouse."""
    who = make_story(tmp_path)
    with shown_app(tmp_path) as (session, window):
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=TIMEOUT_MS)
        combo = window.account_chooser.combo
        qtbot.waitUntil(lambda: combo.findData(who["alice"]) >= 0, timeout=TIMEOUT_MS)
        checked: list[str] = []
        unreachable: list[str] = []
        for page in window.pages:
            # Alice has a refund to claim; only Carol, whose deposit came back, may report (Community).
            name = "carol" if isinstance(page, CommunityPage) else "alice"
            combo.setCurrentIndex(combo.findData(who[name]))
            qtbot.waitUntil(lambda name=name: session.account == who[name], timeout=TIMEOUT_MS)
            window.show_page(type(page))
            window.watcher.refresh()
            page.refresh()
            wait_idle(qtbot, session)
            for table in page.findChildren(QTableView):
                if table.isVisible() and table.model() is not None and table.model().rowCount():
                    table.selectRow(0)
            wait_idle(qtbot, session)
            page.focus_first()
            start, reached = QApplication.focusWidget(), set()
            for _ in range(200):  # around the whole window, back to where it started
                qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
                reached.add(QApplication.focusWidget())
                if QApplication.focusWidget() is start:
                    break
            labels = getattr(page, "label_buttons", [])  # a group: Tab enters it once, the arrows move inside
            if reached & set(labels):
                reached |= set(labels)
            buttons = [b for b in page.findChildren(QAbstractButton) if b.isVisible() and b.isEnabled()]
            checked += [f"{page.title}: {b.text()}" for b in buttons]
            unreachable += [f"{page.title}: {b.text()}" for b in buttons if b not in reached]
        # The row actions were enabled, so the walk past each table was really checked.
        assert {
            "My contributions: Claim refund",
            "Community: Report",
            "Wallet: Send…",
            "Model: Remove",
            "Activity: Copy transaction hash",
        } <= set(checked), checked
        assert not unreachable, "not reachable by Tab:\n" + "\n".join(unreachable)
