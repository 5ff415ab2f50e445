"""A network that does not answer: balances say "unknown — node not answering" (never 0), and the
wallet recovers by itself once a node listens at that address (a real anvil started later)."""

from __future__ import annotations

import pytest

from dacwallet.chain.connect import NetworkSpec
from dacwallet.keys.store import KeyStore
from tests.support import chains
from tests.support.chains import free_port, needs_anvil, run_anvil
from tests.ui.conftest import screenshot
from tests.ui.helpers import TIMEOUT_MS, wait_idle
from ui import format as fmt
from ui.app import build, make_application
from ui.pages.wallet import WalletPage


@pytest.mark.anvil
@needs_anvil
def test_balance_unknown_while_node_is_away_then_recovers(qtbot, tmp_path, monkeypatch) -> None:
    make_application()
    KeyStore(tmp_path, scrypt_n=16).create("carol", "carol-pw")
    port = free_port()
    session, window = build(tmp_path, NetworkSpec.parse(f"http://127.0.0.1:{port}"))
    window.show()
    try:
        wallet: WalletPage = window.show_page(WalletPage)
        qtbot.waitUntil(lambda: session.open_error is not None, timeout=TIMEOUT_MS)
        window.refresh()
        wait_idle(qtbot, session)
        qtbot.waitUntil(lambda: len(wallet.model.rows) == 1, timeout=TIMEOUT_MS)
        shown = wallet.model.data(wallet.model.index(0, wallet.model.BALANCE))
        assert shown == fmt.UNKNOWN_BALANCE and "0 ETH" not in shown
        assert window.banner.isVisible() and "Not connected" in window.banner.label.text()
        assert "not answering" in window.status.network.text()
        screenshot(window, "12-node-not-answering")

        monkeypatch.setattr(chains, "free_port", lambda: port)
        with run_anvil():
            window.refresh()  # F5; the session also retries by itself every few seconds
            qtbot.waitUntil(lambda: session.connected, timeout=TIMEOUT_MS)
            wait_idle(qtbot, session)
            qtbot.waitUntil(lambda: wallet.model.rows[0].balance_wei is not None, timeout=TIMEOUT_MS)
            assert wallet.model.data(wallet.model.index(0, wallet.model.BALANCE)) == "0 ETH"
            assert not window.banner.isVisible()
    finally:
        window.close()
        session.close()
