"""A wallet's basics in the app, with real clicks on the embedded chain and real keystores on disk: a new
account's recovery phrase shown and asked back (or the check skipped, with its warning), the password policy
with its reason, masked secrets on import, the header's balance and lock state, auto-lock, Send with its
confirmation (amount, fee, total), and the Activity page.

Each test stands alone, in any order: the accounts a test does not create itself (alice and bob for Send and
the lock, mia who sent nina 2.5 ETH for Activity) are made through the core before the app opens, and a test
that creates one through the app gives it a name of its own."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from eth_account import Account
from keyring.backends import null
from PySide6.QtWidgets import QApplication, QLineEdit

from dacwallet.chain.connect import NetworkSpec
from dacwallet.keys.store import KeyStore
from dacwallet.usecases.accounts import fund_new_account
from dacwallet.usecases.context import open_wallet
from dacwallet.usecases.sending import signer_for
from dacwallet.usecases.transfer import SendResult, send_ether
from tests.support.chains import free_port
from tests.support.keyring_backend import MemoryKeyring
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
from ui.dialogs.account_dialogs import ImportAccountDialog, NewAccountDialog, UnlockDialog
from ui.dialogs.send_dialog import SendDialog
from ui.main_window import MainWindow
from ui.pages.activity import ActivityPage
from ui.pages.wallet import WalletPage
from ui.session import WalletSession

ALICE_PW, BOB_PW, DAVE_PW = "alice-quiet-harbor-71", "bob-lantern-orbit-42", "dave-amber-fjord-27"
AMY_PW = "amy-velvet-canyon-53"
DAVE_KEY = "0x" + "5a" * 32
ETH = 10**18
MIA_PW = "mia-pw"


@pytest.fixture(scope="module")
def made(tmp_path_factory, gui_env) -> tuple[Path, SendResult]:
    """A data folder with alice, bob, mia and nina funded, and mia's 2.5 ETH sent to nina."""
    data_dir = tmp_path_factory.mktemp("gui-basics")
    ctx = open_wallet(data_dir)
    try:
        for name, password in (("alice", ALICE_PW), ("bob", BOB_PW), ("mia", MIA_PW), ("nina", "nina-pw")):
            fund_new_account(ctx, ctx.keys.create(name, password))
        sent = send_ether(ctx, signer_for(ctx, "mia", MIA_PW), ctx.keys.account("nina").address, 5 * ETH // 2)
        return data_dir, sent
    finally:
        ctx.close()


@pytest.fixture(scope="module")
def app_window(made) -> Iterator[tuple[WalletSession, MainWindow]]:
    with shown_app(made[0]) as opened:
        yield opened


def names(session: WalletSession) -> list[str]:
    return [a.name for a in on_disk(session).accounts()]


def on_disk(session: WalletSession) -> KeyStore:
    return KeyStore(session.data_dir, scrypt_n=16)


def wallet_page(qtbot, app_window) -> WalletPage:
    session, window = app_window
    page = window.show_page(WalletPage)
    qtbot.waitUntil(lambda: session.connected, timeout=TIMEOUT_MS)
    wait_idle(qtbot, session)
    return page


def new_account_form(qtbot, page: WalletPage, name: str, password: str) -> NewAccountDialog:
    click(qtbot, page.new_button)
    dialog = active_dialog(qtbot, NewAccountDialog)
    type_into(qtbot, dialog.form.name, name)
    type_into(qtbot, dialog.form.password, password)
    type_into(qtbot, dialog.form.confirm, password)
    return dialog


def test_a_weak_password_is_refused_with_its_reason(qtbot, app_window) -> None:
    page = wallet_page(qtbot, app_window)
    dialog = new_account_form(qtbot, page, "wendy", "wendy123")
    qtbot.waitUntil(lambda: "weak" in dialog.form.strength.text(), timeout=TIMEOUT_MS)  # once typing pauses
    click(qtbot, dialog.ok_button)
    assert dialog.message.isVisible() and "too easy to guess" in dialog.message.text()
    assert dialog.phrase_view is None  # still on the form: nothing shown, nothing written
    for field in (dialog.form.password, dialog.form.confirm):
        field.clear()
    type_into(qtbot, dialog.form.password, "short")
    type_into(qtbot, dialog.form.confirm, "short")
    click(qtbot, dialog.ok_button)
    assert "too short" in dialog.message.text() and "at least 8" in dialog.message.text()
    dialog.reject()
    assert "wendy" not in names(app_window[0])


def test_a_new_account_shows_its_phrase_and_asks_words_back(qtbot, app_window) -> None:
    session, window = app_window
    page = wallet_page(qtbot, app_window)
    dialog = new_account_form(qtbot, page, "amy", AMY_PW)
    qtbot.waitUntil(lambda: "strong" in dialog.form.strength.text(), timeout=TIMEOUT_MS)
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: dialog.phrase_view is not None and dialog.phrase_view.isVisible(), timeout=TIMEOUT_MS)
    words = [label.text().split(". ", 1)[1] for label in dialog.phrase_view.word_labels]
    assert len(words) == 12 and not dialog.form.isVisible()
    screenshot(dialog, "30-recovery-phrase")
    assert dialog.skip_button.isVisible() and "nothing real is at stake" in dialog.message.text()
    click(qtbot, dialog.ok_button)
    asked = list(dialog.quiz.fields)
    assert len(asked) == 3 and not dialog.phrase_view.isVisible()
    for number, field in dialog.quiz.fields.items():
        type_into(qtbot, field, "zoo" if words[number - 1] != "zoo" else "abandon")
    click(qtbot, dialog.ok_button)
    assert dialog.isVisible() and f"Word {', '.join(map(str, asked))} does not match" in dialog.message.text()
    assert "amy" not in names(session)  # a wrong answer writes nothing

    click(qtbot, dialog.back_button)  # look at the words again, then answer right
    assert dialog.phrase_view.isVisible() and dialog.quiz is None
    assert back_up_phrase(qtbot, dialog) == words
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT_MS)
    wait_idle(qtbot, session)
    Account.enable_unaudited_hdwallet_features()
    amy = on_disk(session).account("amy").address
    assert Account.from_mnemonic(" ".join(words)).address == amy  # the words restore it in any wallet
    assert session.account == amy
    qtbot.waitUntil(lambda: window.header.balance_wei == 100 * ETH, timeout=TIMEOUT_MS)
    assert "100 ETH" in window.header.balance.text() and window.header.lock_state.text() == "Locked"


def test_skipping_the_check_on_the_embedded_chain(qtbot, app_window) -> None:
    session, window = app_window
    page = wallet_page(qtbot, app_window)
    dialog = new_account_form(qtbot, page, "beth", BOB_PW)
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: dialog.phrase_view is not None, timeout=TIMEOUT_MS)
    assert "a forgotten password or a lost computer means the account is gone" in dialog.message.text()
    click(qtbot, dialog.skip_button)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT_MS)
    wait_idle(qtbot, session)
    assert "beth" in names(session)
    assert session.account == on_disk(session).account("beth").address


def test_import_masks_the_key_with_a_show_toggle(qtbot, app_window) -> None:
    session, _window = app_window
    page = wallet_page(qtbot, app_window)
    click(qtbot, page.import_button)
    dialog = active_dialog(qtbot, ImportAccountDialog)
    type_into(qtbot, dialog.secret.edit, DAVE_KEY)
    assert dialog.secret.edit.echoMode() == QLineEdit.EchoMode.Password
    assert DAVE_KEY not in dialog.secret.edit.displayText()
    click(qtbot, dialog.secret.show_box)
    assert dialog.secret.edit.displayText() == DAVE_KEY
    click(qtbot, dialog.secret.show_box)
    assert dialog.secret.edit.echoMode() == QLineEdit.EchoMode.Password
    type_into(qtbot, dialog.name, "dave")
    type_into(qtbot, dialog.password, "dave")  # the policy applies to an import's new password too
    click(qtbot, dialog.ok_button)
    wait_idle(qtbot, session)
    qtbot.waitUntil(lambda: "too short" in dialog.message.text(), timeout=TIMEOUT_MS)
    dialog.password.clear()
    type_into(qtbot, dialog.password, DAVE_PW)
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT_MS)
    assert on_disk(session).account("dave").address == Account.from_key(DAVE_KEY).address


def select_account(qtbot, app_window, name: str) -> str:
    session, window = app_window
    address = on_disk(session).account(name).address
    combo = window.account_chooser.combo
    qtbot.waitUntil(lambda: combo.findData(address) >= 0, timeout=TIMEOUT_MS)  # the first test: still filling
    combo.setCurrentIndex(combo.findData(address))
    qtbot.waitUntil(lambda: session.account == address, timeout=TIMEOUT_MS)
    return address


def test_send_checks_confirms_fee_and_total_then_sends(qtbot, app_window) -> None:
    session, window = app_window
    alice = select_account(qtbot, app_window, "alice")
    bob = on_disk(session).account("bob").address
    page = wallet_page(qtbot, app_window)
    qtbot.waitUntil(lambda: page.selected_address() == alice, timeout=TIMEOUT_MS)
    click(qtbot, page.send_button)
    dialog = active_dialog(qtbot, SendDialog)
    type_into(qtbot, dialog.to, bob[:2] + bob[2:].swapcase())  # every letter's case flipped: a bad checksum
    type_into(qtbot, dialog.amount, "2.5")
    click(qtbot, dialog.ok_button)
    assert "checksum" in dialog.message.text()
    dialog.to.clear()
    type_into(qtbot, dialog.to, bob)
    dialog.amount.clear()
    type_into(qtbot, dialog.amount, "100")  # all of it: the fee does not fit on top
    click(qtbot, dialog.ok_button)
    wait_idle(qtbot, session)
    qtbot.waitUntil(lambda: "more than the account's" in dialog.message.text(), timeout=TIMEOUT_MS)
    dialog.amount.clear()
    type_into(qtbot, dialog.amount, "2.5")
    click(qtbot, dialog.ok_button)
    wait_idle(qtbot, session)
    qtbot.waitUntil(lambda: dialog.sign_dialog is not None, timeout=TIMEOUT_MS)
    what = dialog.sign_dialog.findChildren(type(window.header.balance))[0].text()
    assert "Send <b>2.5 ETH</b>" in what and "Network fee: up to" in what and "Total: up to <b>2.5000" in what
    screenshot(dialog.sign_dialog, "31-send-confirm")
    signed = sign_in_open_dialog(qtbot, ALICE_PW)
    result = signed.result_
    assert result.to == bob and result.amount_wei == 5 * ETH // 2 and result.fee_wei > 0
    assert "Sent." in signed.progress.text() and result.tx_hash in signed.progress.text()
    click(qtbot, signed.ok)
    spent = 5 * ETH // 2 + result.fee_wei
    qtbot.waitUntil(lambda: window.header.balance_wei == 100 * ETH - spent, timeout=TIMEOUT_MS)
    select_account(qtbot, app_window, "bob")
    qtbot.waitUntil(lambda: window.header.balance_wei == 100 * ETH + 5 * ETH // 2, timeout=TIMEOUT_MS)


def test_activity_lists_the_send_with_its_fee(qtbot, app_window, made) -> None:
    session, window = app_window
    sent = made[1]
    select_account(qtbot, app_window, "mia")
    page: ActivityPage = window.show_page(ActivityPage)
    wait_idle(qtbot, session)
    qtbot.waitUntil(lambda: len(page.model.rows) == 1, timeout=TIMEOUT_MS)
    row = page.model.rows[0]
    assert (row.kind, row.state, row.amount_wei, row.fee_wei, row.tx_hash) == (
        "send",
        "mined",
        sent.amount_wei,
        sent.fee_wei,
        sent.tx_hash,
    )
    texts = [page.model.index(0, c).data() for c in range(page.model.columnCount())]
    assert texts[1:4] == ["send", "mined", "2.5 ETH"]
    page.table.selectRow(0)
    screenshot(window, "32-activity")
    click(qtbot, page.copy_button)
    assert QApplication.clipboard().text() == sent.tx_hash
    select_account(qtbot, app_window, "nina")  # receiving is not a transaction of nina's
    wait_idle(qtbot, session)
    qtbot.waitUntil(lambda: page.model.rows == [] and page.summary.text() == "No transactions yet.", timeout=TIMEOUT_MS)


def test_the_header_shows_the_lock_and_auto_lock_forgets_passwords(qtbot, app_window) -> None:
    session, window = app_window
    alice = select_account(qtbot, app_window, "alice")
    page = wallet_page(qtbot, app_window)
    qtbot.waitUntil(lambda: page.selected_address() == alice, timeout=TIMEOUT_MS)
    assert window.header.lock_state.text() == "Locked" and not window.header.lock_button.isEnabled()
    click(qtbot, page.unlock_button)
    dialog = active_dialog(qtbot, UnlockDialog)
    type_into(qtbot, dialog.password, ALICE_PW)
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: session.passwords.is_unlocked(alice), timeout=TIMEOUT_MS)
    assert window.header.lock_state.text() == "Unlocked" and window.header.lock_button.isEnabled()
    click(qtbot, window.header.lock_button)
    assert not session.passwords.is_unlocked(alice) and window.header.lock_state.text() == "Locked"

    page.auto_lock.setCurrentIndex(page.auto_lock.findData(1))  # the user picks "1 min"
    assert session.passwords.idle_lock_ms == 60_000
    assert json.loads((session.data_dir / "preferences.json").read_text())["auto_lock_minutes"] == 1
    session.passwords.keep(alice, ALICE_PW)
    assert "1 min" in window.header.lock_state.toolTip()
    session.passwords.set_idle_lock_ms(300)  # the same timer, shortened so the test need not idle a minute
    qtbot.waitUntil(lambda: not session.passwords.is_unlocked(alice), timeout=5_000)
    assert window.header.lock_state.text() == "Locked"


def test_the_header_says_when_the_keyring_remembers_the_password(qtbot, app_window) -> None:
    session, window = app_window
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        alice = select_account(qtbot, app_window, "alice")
        page = wallet_page(qtbot, app_window)
        qtbot.waitUntil(lambda: page.selected_address() == alice, timeout=TIMEOUT_MS)
        click(qtbot, page.unlock_button)
        dialog = active_dialog(qtbot, UnlockDialog)
        type_into(qtbot, dialog.password, ALICE_PW)
        click(qtbot, dialog.remember)
        click(qtbot, dialog.ok_button)
        qtbot.waitUntil(lambda: session.passwords.is_unlocked(alice), timeout=TIMEOUT_MS)
        click(qtbot, window.header.lock_button)
        wait_idle(qtbot, session)
        qtbot.waitUntil(lambda: window.header.lock_state.text() == "Password remembered", timeout=TIMEOUT_MS)
        assert "keyring" in window.header.lock_state.toolTip()
        select_account(qtbot, app_window, "bob")  # bob's password is not remembered
        qtbot.waitUntil(lambda: window.header.lock_state.text() == "Locked", timeout=TIMEOUT_MS)
    finally:
        keyring.set_keyring(null.Keyring())


def test_off_the_embedded_chain_the_words_must_be_typed_back(qtbot, tmp_path) -> None:
    """On any other network there is no skip: an account is only created once its words were typed back.
    (The node here does not answer: keys work without it, and the header says the balance is unknown.)"""
    with shown_app(tmp_path, NetworkSpec.parse(f"http://127.0.0.1:{free_port()}")) as (session, window):
        page: WalletPage = window.show_page(WalletPage)
        dialog = new_account_form(qtbot, page, "erin", "erin-copper-lagoon-86")
        click(qtbot, dialog.ok_button)
        qtbot.waitUntil(lambda: dialog.phrase_view is not None, timeout=TIMEOUT_MS)
        assert getattr(dialog, "skip_button", None) is None and not dialog.message.isVisible()
        words = back_up_phrase(qtbot, dialog)
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT_MS)
        Account.enable_unaudited_hdwallet_features()
        erin = on_disk(session).account("erin").address
        assert Account.from_mnemonic(" ".join(words)).address == erin
        qtbot.waitUntil(lambda: session.account == erin, timeout=TIMEOUT_MS)
        qtbot.waitUntil(lambda: "unknown" in window.header.balance.text(), timeout=TIMEOUT_MS)
        assert window.header.balance_wei is None
