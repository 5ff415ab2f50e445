"""The app behind the lying proxy in front of a real anvil: a tip the node suggests past its bounds is signed
only once the box is ticked in the confirmation (a contribution's, and the signing dialog of a refund), and a
slow-loris node gets "not answering" in the status bar
while the window stays responsive."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QTimer

from dacwallet.chain import http_provider
from dacwallet.chain.connect import NetworkSpec
from dacwallet.keys.store import KeyStore
from dacwallet.store.lifecycle import ContributionState
from tests.resilience import lying_node as ln
from tests.support.chains import needs_anvil, run_anvil
from tests.support.pending_chain import PASSWORD, pending_chain
from tests.support.rpc_proxy import RpcProxy, no_faults
from tests.ui.helpers import TIMEOUT_MS, active_dialog, click, type_into
from tests.ui.test_pending_gui import GOOD, REFUND_ME, confirmation_for
from ui.app import build, make_application
from ui.dialogs.sign_dialog import SignDialog
from ui.pages.contributions import ContributionsPage

pytestmark = [pytest.mark.anvil, needs_anvil]
GWEI = 10**9


def test_a_tip_past_its_bounds_is_signed_only_with_the_box_ticked(qtbot, tmp_path) -> None:
    with pending_chain(tmp_path) as chain, RpcProxy(chain.url) as proxy:
        make_application()
        session, window = build(chain.data_dir, NetworkSpec.parse(proxy.url))
        window.show()
        try:
            qtbot.waitUntil(lambda: session.connected and session.account is not None, timeout=TIMEOUT_MS)
            proxy.set_rule(ln.suggests_tip(50_000 * GWEI))
            dialog = confirmation_for(qtbot, window, GOOD)
            if dialog.needs_password:
                type_into(qtbot, dialog.password, PASSWORD)
            click(qtbot, dialog.confirm_button)
            qtbot.waitUntil(dialog.error.isVisible, timeout=TIMEOUT_MS)
            assert "node suggests a priority fee of 50000 gwei" in dialog.error.text()
            assert proxy.calls["eth_sendRawTransaction"] == 0 and dialog.result_ is None

            editor = dialog.fee_editor  # opened by the refusal, with the box to confirm the node's fee
            qtbot.waitUntil(lambda: editor.isVisible() and editor.confirm_high.isVisible(), timeout=TIMEOUT_MS)
            assert "priority fee of 50000 gwei" in editor.error.text() and not dialog.confirm_button.isEnabled()
            click(qtbot, editor.confirm_high)
            qtbot.waitUntil(dialog.confirm_button.isEnabled, timeout=TIMEOUT_MS)
            click(qtbot, dialog.confirm_button)
            qtbot.waitUntil(lambda: dialog.result_ is not None or dialog.error.isVisible(), timeout=TIMEOUT_MS)
            assert dialog.result_ is not None, dialog.error.text()
            assert dialog.result_.state == ContributionState.ADDED
            assert chain.node.w3.eth.get_transaction(dialog.result_.tx_hash)["maxPriorityFeePerGas"] == 50_000 * GWEI
        finally:
            window.close()
            session.close()


def test_a_refund_takes_a_tip_past_its_bounds_only_with_the_box_ticked(qtbot, tmp_path) -> None:
    with pending_chain(tmp_path) as chain, RpcProxy(chain.url) as proxy:
        chain.refundable(REFUND_ME)
        make_application()
        session, window = build(chain.data_dir, NetworkSpec.parse(proxy.url))
        window.show()
        try:
            qtbot.waitUntil(lambda: session.connected and session.account is not None, timeout=TIMEOUT_MS)
            mine: ContributionsPage = window.show_page(ContributionsPage)
            mine.refresh()
            qtbot.waitUntil(lambda: any(r.status == "refundable" for r in mine.model.rows), timeout=TIMEOUT_MS)
            mine.table.selectRow(next(i for i, r in enumerate(mine.model.rows) if r.status == "refundable"))
            proxy.set_rule(ln.suggests_tip(50_000 * GWEI))
            click(qtbot, mine.claim_button)
            dialog = active_dialog(qtbot, SignDialog)
            qtbot.waitUntil(dialog.ok.isEnabled, timeout=TIMEOUT_MS)
            assert dialog.confirm_high.isHidden()  # nothing to confirm before the node's fee is refused
            if dialog.needs_password:
                type_into(qtbot, dialog.password, PASSWORD)
            click(qtbot, dialog.ok)
            qtbot.waitUntil(dialog.error.isVisible, timeout=TIMEOUT_MS)
            assert "node suggests a priority fee of 50000 gwei" in dialog.error.text()
            assert proxy.calls["eth_sendRawTransaction"] == 0 and not dialog.done_
            assert dialog.confirm_high.isVisible() and not dialog.ok.isEnabled()  # signing waits for the tick

            click(qtbot, dialog.confirm_high)
            assert dialog.ok.isEnabled()
            click(qtbot, dialog.ok)
            qtbot.waitUntil(lambda: dialog.done_ or dialog.ok.isEnabled(), timeout=TIMEOUT_MS)  # done, or failed
            assert dialog.done_, dialog.error.text()
            tx = chain.node.w3.eth.get_transaction(dialog.result_["transactionHash"])
            assert tx["maxPriorityFeePerGas"] == 50_000 * GWEI and proxy.calls["eth_sendRawTransaction"] == 1
        finally:
            proxy.set_rule(no_faults)
            window.close()
            session.close()


def test_a_slow_loris_node_is_not_answering_and_the_window_stays_responsive(qtbot, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(http_provider, "REQUEST_DEADLINE_S", 2.0)
    make_application()
    KeyStore(tmp_path, scrypt_n=16).create("carol", "carol-pw")
    with run_anvil(n_accounts=1) as node, RpcProxy(node.w3.provider.endpoint_uri, ln.dribbling(0.5)) as proxy:
        ticks: list[float] = []
        beat = QTimer()
        beat.timeout.connect(lambda: ticks.append(time.monotonic()))
        beat.start(20)
        session, window = build(tmp_path, NetworkSpec.parse(proxy.url))
        window.show()
        try:
            started = time.monotonic()
            qtbot.waitUntil(lambda: session.open_error is not None, timeout=TIMEOUT_MS)
            qtbot.waitUntil(lambda: "not answering" in window.status.network.text(), timeout=TIMEOUT_MS)
            took = time.monotonic() - started
            gaps = [b - a for a, b in zip(ticks, ticks[1:], strict=False)]
            assert took < 2.0 + 5, took  # the deadline, not the dribble, ends the wait
            assert gaps and max(gaps) < 0.5, max(gaps)  # the event loop never stopped meanwhile
            proxy.set_rule(no_faults)
            window.refresh()
            qtbot.waitUntil(lambda: session.connected, timeout=TIMEOUT_MS)
        finally:
            beat.stop()
            window.close()
            session.close()
