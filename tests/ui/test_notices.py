"""Issue 15, finding 4 (with 2, and 3's claim and report amounts): every message says what is true now.
Notices are derived from the latest statuses for the selected account, so each stale message of the report is
gone once it stops being true: a claimed refund, another account selected, a deposit already taken (never shown
to the reporter), a refused submit under a review since typed, "Connecting to…" after connecting, a dead node's
error after reconnecting, and a clock message that names a time the chain has since left."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dacwallet.chain.connect import NetworkSpec
from tests.support.chains import free_port
from tests.ui.helpers import TIMEOUT_MS, active_dialog, click, shown_app, sign_in_open_dialog, type_into, wait_idle
from tests.ui.story import make_story
from ui import format as fmt
from ui.dialogs.sign_dialog import SignDialog
from ui.pages.community import CommunityPage
from ui.pages.contribute import ContributePage
from ui.pages.contributions import ContributionsPage
from ui.pages.network import NetworkPage


@pytest.fixture(scope="module")
def story(tmp_path_factory, gui_env) -> tuple[Path, dict[str, str]]:
    data_dir = tmp_path_factory.mktemp("gui-notices-story")
    return data_dir, make_story(data_dir)


@pytest.fixture
def app(story, tmp_path):
    """Each test opens its own copy of the story: one claims, one takes Bob's deposit, one moves the clock, and
    none may see what another did, whatever order they run in."""
    template, addresses = story
    data_dir = tmp_path / "wallet"
    shutil.copytree(template, data_dir)
    with shown_app(data_dir) as (session, window):
        yield session, window, addresses


def select(qtbot, session, window, address: str) -> None:
    combo = window.account_chooser.combo
    qtbot.waitUntil(lambda: combo.findData(address) >= 0, timeout=TIMEOUT_MS)  # the accounts are listed
    combo.setCurrentIndex(combo.findData(address))
    qtbot.waitUntil(lambda: session.account == address, timeout=TIMEOUT_MS)
    window.watcher.refresh()
    wait_idle(qtbot, session)


def banner(window) -> str:
    return window.banner.label.text() if window.banner.isVisible() else ""


def test_notices_follow_the_account_and_the_claim(qtbot, app) -> None:
    session, window, who = app
    select(qtbot, session, window, who["alice"])
    qtbot.waitUntil(lambda: "#2: your refund can be claimed now" in banner(window), timeout=TIMEOUT_MS)
    select(qtbot, session, window, who["bob"])  # Alice's refund is not Bob's business; his own risk is
    qtbot.waitUntil(lambda: "#3 is at risk" in banner(window), timeout=TIMEOUT_MS)
    assert "#2" not in banner(window)
    select(qtbot, session, window, who["carol"])  # nothing of hers is claimable or at risk
    qtbot.waitUntil(lambda: banner(window) == "", timeout=TIMEOUT_MS)

    select(qtbot, session, window, who["alice"])
    qtbot.waitUntil(lambda: "#2: your refund" in banner(window), timeout=TIMEOUT_MS)
    mine: ContributionsPage = window.show_page(ContributionsPage)
    qtbot.waitUntil(lambda: any(r.id == 2 and r.status == "refundable" for r in mine.model.rows), timeout=TIMEOUT_MS)
    claimable = next(r.claimable for r in mine.model.rows if r.id == 2)
    click(qtbot, mine.claim_all_button)  # claim all too: the sum, the fee of every claim and what is left
    claim_all = active_dialog(qtbot, SignDialog)
    qtbot.waitUntil(lambda: "network fee at most" in claim_all.amounts.text(), timeout=TIMEOUT_MS)
    assert claim_all.amounts.isVisible() and f"You get <b>{fmt.eth(claimable)}</b>" in claim_all.amounts.text()
    assert "grows by at least" in claim_all.amounts.text()
    click(qtbot, claim_all.cancel)
    qtbot.waitUntil(lambda: not claim_all.isVisible(), timeout=TIMEOUT_MS)
    claim_alices_refund(qtbot, session, mine)
    qtbot.waitUntil(lambda: banner(window) == "", timeout=TIMEOUT_MS)  # claimed: no longer true


def claim_alices_refund(qtbot, session, mine: ContributionsPage) -> None:
    """Alice (selected) claims #2 from her contributions."""
    qtbot.waitUntil(lambda: any(r.id == 2 and r.status == "refundable" for r in mine.model.rows), timeout=TIMEOUT_MS)
    mine.table.selectRow(next(i for i, r in enumerate(mine.model.rows) if r.id == 2))
    click(qtbot, mine.claim_button)
    claim = active_dialog(qtbot, SignDialog)  # finding 3: the amount, the network fee and what is left
    qtbot.waitUntil(lambda: "network fee at most" in claim.amounts.text(), timeout=TIMEOUT_MS)
    assert "You get" in claim.amounts.text() and "grows by at least" in claim.amounts.text()
    click(qtbot, sign_in_open_dialog(qtbot, "alice-pw").ok)  # Close
    wait_idle(qtbot, session)


def report_the_only_one(qtbot, session, window, address: str, password: str) -> CommunityPage:
    select(qtbot, session, window, address)
    community: CommunityPage = window.show_page(CommunityPage)
    community.refresh()
    qtbot.waitUntil(lambda: len(community.model.rows) == 1, timeout=TIMEOUT_MS)
    assert "at risk" not in banner(window)  # Bob's risk is never a reporter's notice
    community.table.selectRow(0)
    click(qtbot, community.report_button)
    report = active_dialog(qtbot, SignDialog)  # finding 3: the reward, the network fee and what is left
    qtbot.waitUntil(lambda: "network fee at most" in report.amounts.text(), timeout=TIMEOUT_MS)
    click(qtbot, sign_in_open_dialog(qtbot, password).ok)  # Close
    wait_idle(qtbot, session)
    assert "at risk" not in banner(window)
    return community


def test_a_taken_deposit_is_not_at_risk_any_more(qtbot, app) -> None:
    session, window, who = app
    select(qtbot, session, window, who["alice"])  # two refunded contributors: each reporter takes a share
    claim_alices_refund(qtbot, session, window.show_page(ContributionsPage))
    select(qtbot, session, window, who["carol"])
    community: CommunityPage = window.show_page(CommunityPage)
    community.refresh()
    qtbot.waitUntil(lambda: len(community.model.rows) == 1, timeout=TIMEOUT_MS)
    # Finding 2: what was contributed, decoded through the encoder, and the model's view beside the label.
    row = {
        community.model.HEADERS[c]: community.model.data(community.model.index(0, c))
        for c in range(len(community.model.HEADERS))
    }
    words = row["What it says"]
    assert "worst" in words and "boring" in words and "Key" not in community.model.HEADERS
    assert (row["Label"], row["Model says"]) == ("Positive", "Negative")

    report_the_only_one(qtbot, session, window, who["carol"], "carol-pw")  # a share: half of it is left
    select(qtbot, session, window, who["bob"])
    qtbot.waitUntil(lambda: "#3 is at risk" in banner(window), timeout=TIMEOUT_MS)  # still true
    report_the_only_one(qtbot, session, window, who["alice"], "alice-pw")  # takes the rest
    select(qtbot, session, window, who["bob"])
    mine: ContributionsPage = window.show_page(ContributionsPage)
    qtbot.waitUntil(lambda: any(r.id == 3 and r.status == "taken" for r in mine.model.rows), timeout=TIMEOUT_MS)
    assert banner(window) == ""  # nothing is left to take: no longer at risk


def test_a_refused_submit_is_forgotten_once_the_review_is_typed(qtbot, app) -> None:
    _session, window, _who = app
    page: ContributePage = window.show_page(ContributePage)
    page.editor.clear()
    click(qtbot, page.submit_button)
    assert page.message.isVisible() and page.message.text() == "Write a review first."
    type_into(qtbot, page.editor, "A fine film")
    assert not page.message.isVisible()


def test_network_messages_after_a_dead_node_and_back(qtbot, app) -> None:
    session, window, _who = app
    network: NetworkPage = window.show_page(NetworkPage)
    wait_idle(qtbot, session)
    assert network.clock_box.isVisible()
    click(qtbot, network.hour_button)
    wait_idle(qtbot, session)
    assert network.clock_message.text() == "Moved the chain's clock forward by 1 h."  # no time to go stale
    qtbot.waitUntil(lambda: network.chain_time.text() not in ("—", "unknown"), timeout=TIMEOUT_MS)

    dead = f"http://127.0.0.1:{free_port()}"
    network.profile.setCurrentIndex(2)
    network.url.setText(dead)
    click(qtbot, network.connect_button)
    qtbot.waitUntil(lambda: session.open_error is not None and not session.opening, timeout=TIMEOUT_MS)
    assert (network.chain_id.text(), network.block.text(), network.chain_time.text()) == ("unknown",) * 3
    assert not network.clock_box.isVisible()  # only the embedded chain's clock can be moved
    error = session.open_error
    shown = [w for w in window.findChildren(type(window.banner.label)) if w.isVisible() and error in w.text()]
    assert len(shown) == 1, [w.objectName() or type(w).__name__ for w in shown]  # one error, said once
    assert "Connecting to" not in network.switch_message.text()

    network.profile.setCurrentIndex(0)
    click(qtbot, network.connect_button)
    qtbot.waitUntil(lambda: session.connected and not session.opening, timeout=TIMEOUT_MS)
    window.watcher.refresh()
    wait_idle(qtbot, session)
    qtbot.waitUntil(lambda: network.chain_id.text() != "unknown", timeout=TIMEOUT_MS)
    assert "not" not in network.state.text() and not network.switch_message.isVisible()
    assert not window.banner.isVisible() or error not in banner(window)
    assert network.clock_box.isVisible() and session.network.url == NetworkSpec().url
