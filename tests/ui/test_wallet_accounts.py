"""Rename, change password and delete from the Wallet page: real clicks, real keystores on disk, the
embedded chain. Alice and bob are created, alice becomes carol, carol's password changes, bob and then carol
are deleted: each step a test that stands alone, in any order, on a data folder of its own holding the
accounts it starts from (``accounts``, made and funded through the core before the app opens)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

import keyring
import pytest
from keyring.backends import null
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QGridLayout, QPushButton

from dacwallet.keys.memory import SERVICE
from dacwallet.keys.signer import Signer
from dacwallet.keys.store import KeyStore
from dacwallet.usecases.accounts import fund_new_account
from dacwallet.usecases.context import open_wallet
from tests.support.keyring_backend import MemoryKeyring
from tests.ui.conftest import screenshot
from tests.ui.helpers import TIMEOUT_MS, active_dialog, back_up_phrase, click, shown_app, type_into, wait_idle
from ui.dialogs.account_dialogs import NewAccountDialog, UnlockDialog
from ui.dialogs.first_run import FirstRunDialog
from ui.dialogs.manage_account import ChangePasswordDialog, DeleteAccountDialog, RenameDialog
from ui.main_window import MainWindow
from ui.pages.wallet import WalletPage
from ui.session import WalletSession

T = TypeVar("T", bound=QDialog)
OLD_PW, NEW_PW, BOB_PW = "alice-quiet-harbor-71", "carol-velvet-comet-93", "bob-lantern-orbit-42"


ALICE_AND_BOB = (("alice", OLD_PW), ("bob", BOB_PW))
CAROL_AND_BOB = (("carol", OLD_PW), ("bob", BOB_PW))


def starting_with(*accounts: tuple[tuple[str, str], ...]):
    """The accounts (name, password) a test starts from."""
    return pytest.mark.parametrize("accounts", accounts, ids=lambda a: "+".join(name for name, _ in a) or "none")


@pytest.fixture
def accounts() -> tuple[tuple[str, str], ...]:
    return ()


@pytest.fixture
def app_window(tmp_path, gui_env, accounts) -> Iterator[tuple[WalletSession, MainWindow]]:
    if accounts:  # funded, as the app's own new accounts are on the embedded chain
        ctx = open_wallet(tmp_path)
        try:
            for name, password in accounts:
                fund_new_account(ctx, ctx.keys.create(name, password))
        finally:
            ctx.close()
    with shown_app(tmp_path) as opened:
        yield opened


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(null.Keyring())


def keystore(session: WalletSession) -> KeyStore:
    """A second look at the same folder, as another process would have: what is on disk now."""
    return KeyStore(session.data_dir, scrypt_n=16)


def names(session: WalletSession) -> list[str]:
    return [info.name for info in keystore(session).accounts()]


def keystore_file(session: WalletSession, address: str) -> Path:
    return session.data_dir / "keystore" / f"{address[2:].lower()}.json"


def opens(session: WalletSession, address: str, password: str) -> bool:
    return Signer(keystore(session), address).unlock(password)


def wallet_page(qtbot, session: WalletSession, window: MainWindow) -> WalletPage:
    page = window.show_page(WalletPage)
    wait_idle(qtbot, session)
    return page


def address_of(session: WalletSession, name: str) -> str:
    return keystore(session).account(name).address


def select(qtbot, page: WalletPage, address: str) -> None:
    row = next(i for i, view in enumerate(page.model.rows) if view.address == address)
    rect = page.table.visualRect(page.model.index(row, page.model.NAME))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.selected_address() == address


def open_dialog(
    qtbot,
    app_window,
    account: str,
    button: str,
    kind: type[T],
) -> tuple[WalletPage, str, T]:
    """Select ``account`` on the Wallet page, click ``button`` and return the dialog it opens."""
    session, window = app_window
    page = wallet_page(qtbot, session, window)
    address = address_of(session, account)
    select(qtbot, page, address)
    click(qtbot, getattr(page, button))
    return page, address, active_dialog(qtbot, kind)


def create(qtbot, session: WalletSession, page: WalletPage, name: str, password: str) -> str:
    click(qtbot, page.new_button)
    dialog = active_dialog(qtbot, NewAccountDialog)
    type_into(qtbot, dialog.form.name, name)
    type_into(qtbot, dialog.form.password, password)
    type_into(qtbot, dialog.form.confirm, password)
    click(qtbot, dialog.ok_button)
    back_up_phrase(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT_MS)
    wait_idle(qtbot, session)
    qtbot.waitUntil(lambda: name in [v.name for v in page.model.rows], timeout=TIMEOUT_MS)
    return address_of(session, name)


def press(qtbot, widget, key: Qt.Key) -> None:
    widget.setFocus()
    qtbot.keyClick(widget, key)


def wait_error(qtbot, session: WalletSession, dialog) -> str:
    wait_idle(qtbot, session)
    qtbot.waitUntil(
        lambda: dialog.message.isVisible() and "198, 40, 40" in dialog.message.styleSheet(), timeout=TIMEOUT_MS
    )
    assert dialog.isVisible() and dialog.ok_button.isEnabled()
    return dialog.message.text()


def test_manage_buttons_have_their_own_row_and_follow_the_selection(qtbot, app_window) -> None:
    session, window = app_window
    page = wallet_page(qtbot, session, window)
    assert not any(b.isEnabled() for b in (page.rename_button, page.password_button, page.delete_button))
    alice = create(qtbot, session, page, "alice", OLD_PW)
    create(qtbot, session, page, "bob", BOB_PW)
    select(qtbot, page, alice)
    assert all(b.isEnabled() for b in (page.rename_button, page.password_button, page.delete_button))
    grid = next(
        item.layout()
        for item in (page.layout_.itemAt(i) for i in range(page.layout_.count()))
        if isinstance(item.layout(), QGridLayout)
    )
    buttons = [grid.itemAt(i).widget() for i in range(grid.count())]
    assert len(buttons) == 11 and all(isinstance(b, QPushButton) for b in buttons)
    assert {
        grid.getItemPosition(grid.indexOf(b))[0] for b in (page.rename_button, page.password_button, page.delete_button)
    } == {2}
    window.resize(1100, 720)
    qtbot.waitUntil(lambda: page.model.rows[0].balance_wei is not None, timeout=TIMEOUT_MS)
    screenshot(window, "20-wallet-manage-buttons")


@starting_with(ALICE_AND_BOB)
def test_rename_refuses_taken_and_bad_names_in_the_dialog_then_renames(qtbot, app_window) -> None:
    session, _window = app_window
    page, alice, dialog = open_dialog(qtbot, app_window, "alice", "rename_button", RenameDialog)
    assert dialog.new_name.text() == "alice"

    dialog.new_name.clear()
    type_into(qtbot, dialog.new_name, "Bob")
    press(qtbot, dialog.new_name, Qt.Key.Key_Return)
    assert "already an account named 'bob'" in wait_error(qtbot, session, dialog)
    assert dialog.focusWidget() is dialog.new_name and dialog.new_name.selectedText() == "Bob"
    screenshot(dialog, "21-rename-taken")

    type_into(qtbot, dialog.new_name, "a/b")
    press(qtbot, dialog.new_name, Qt.Key.Key_Return)
    assert "cannot contain '/'" in wait_error(qtbot, session, dialog)
    assert names(session) == ["alice", "bob"]

    dialog.new_name.clear()
    type_into(qtbot, dialog.new_name, "carol")
    press(qtbot, dialog.new_name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT_MS)
    wait_idle(qtbot, session)
    assert names(session) == ["carol", "bob"]
    assert address_of(session, "carol") == alice and opens(session, alice, OLD_PW)
    qtbot.waitUntil(lambda: [v.name for v in page.model.rows] == ["carol", "bob"], timeout=TIMEOUT_MS)
    assert page.message.text() == "Renamed to carol."


@starting_with(CAROL_AND_BOB)
def test_escape_cancels_a_rename(qtbot, app_window) -> None:
    session, window = app_window
    page = wallet_page(qtbot, session, window)
    click(qtbot, page.rename_button)
    dialog = active_dialog(qtbot, RenameDialog)
    type_into(qtbot, dialog.new_name, "zed")
    press(qtbot, dialog.new_name, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT_MS)
    wait_idle(qtbot, session)
    assert names(session) == ["carol", "bob"]


@starting_with(CAROL_AND_BOB)
def test_change_password_with_a_wrong_current_one_leaves_the_file_untouched(qtbot, app_window) -> None:
    session, _window = app_window
    before = keystore_file(session, address_of(session, "carol")).read_bytes()
    _page, carol, dialog = open_dialog(qtbot, app_window, "carol", "password_button", ChangePasswordDialog)

    type_into(qtbot, dialog.current, OLD_PW)
    type_into(qtbot, dialog.new, NEW_PW)
    type_into(qtbot, dialog.confirm, NEW_PW + "x")
    click(qtbot, dialog.ok_button)
    assert "two passwords are different" in dialog.message.text() and dialog.focusWidget() is dialog.new

    dialog.current.clear()
    type_into(qtbot, dialog.current, "not-carols-password")
    dialog.confirm.clear()
    type_into(qtbot, dialog.confirm, NEW_PW)
    press(qtbot, dialog.confirm, Qt.Key.Key_Return)
    assert "password does not open account 'carol'" in wait_error(qtbot, session, dialog)
    assert dialog.focusWidget() is dialog.current
    screenshot(dialog, "22-change-password-wrong")
    assert keystore_file(session, carol).read_bytes() == before
    press(qtbot, dialog.current, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT_MS)
    assert opens(session, carol, OLD_PW)


@starting_with(CAROL_AND_BOB)
def test_change_password_keeps_the_session_and_the_keyring_in_step(
    qtbot,
    app_window,
    memory_keyring: MemoryKeyring,
) -> None:
    session, _window = app_window
    page, carol, unlock = open_dialog(qtbot, app_window, "carol", "unlock_button", UnlockDialog)
    type_into(qtbot, unlock.password, OLD_PW)
    click(qtbot, unlock.remember)
    click(qtbot, unlock.ok_button)
    qtbot.waitUntil(lambda: not unlock.isVisible(), timeout=TIMEOUT_MS)
    assert session.passwords.get(carol) == OLD_PW and memory_keyring.entries[(SERVICE, carol)] == OLD_PW

    click(qtbot, page.password_button)
    dialog = active_dialog(qtbot, ChangePasswordDialog)
    type_into(qtbot, dialog.current, OLD_PW)
    type_into(qtbot, dialog.new, NEW_PW)
    type_into(qtbot, dialog.confirm, NEW_PW)
    press(qtbot, dialog.confirm, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT_MS)
    wait_idle(qtbot, session)
    assert not opens(session, carol, OLD_PW) and opens(session, carol, NEW_PW)
    assert session.passwords.get(carol) == NEW_PW
    assert memory_keyring.entries[(SERVICE, carol)] == NEW_PW
    assert "remembers the new one" in page.message.text()
    click(qtbot, page.forget_button)
    wait_idle(qtbot, session)
    assert (SERVICE, carol) not in memory_keyring.entries


@starting_with(CAROL_AND_BOB)
def test_delete_with_a_wrong_password_deletes_nothing_and_offers_an_export(
    qtbot,
    app_window,
    tmp_path,
    monkeypatch,
) -> None:
    session, _window = app_window
    _page, bob, dialog = open_dialog(qtbot, app_window, "bob", "delete_button", DeleteAccountDialog)
    warning = dialog.warning.text()
    assert "for good" in warning and "export the keystore first" in warning and "100 ETH" in warning
    screenshot(dialog, "23-delete")

    type_into(qtbot, dialog.password, "not-bobs-password")
    press(qtbot, dialog.password, Qt.Key.Key_Return)
    assert "password does not open account 'bob'" in wait_error(qtbot, session, dialog)
    assert keystore_file(session, bob).exists() and names(session) == ["carol", "bob"]

    saved = tmp_path / "bob-backup.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(saved), "JSON (*.json)"))
    click(qtbot, dialog.export_button)
    wait_idle(qtbot, session)
    qtbot.waitUntil(lambda: "Saved the encrypted keystore" in dialog.message.text(), timeout=TIMEOUT_MS)
    assert json.loads(saved.read_text())["address"] == bob[2:].lower()
    assert dialog.isVisible()
    click(qtbot, dialog.buttons.button(dialog.buttons.StandardButton.Cancel))
    assert not dialog.isVisible() and keystore_file(session, bob).exists()


@starting_with((("carol", NEW_PW), ("bob", BOB_PW)))
def test_delete_removes_the_keystore_and_moves_the_selection(qtbot, app_window) -> None:
    session, window = app_window
    bob, carol = address_of(session, "bob"), address_of(session, "carol")
    session.passwords.keep(bob, BOB_PW)
    session.passwords.keep(carol, NEW_PW)
    page, _bob, dialog = open_dialog(qtbot, app_window, "bob", "delete_button", DeleteAccountDialog)
    type_into(qtbot, dialog.password, BOB_PW)
    press(qtbot, dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT_MS)
    wait_idle(qtbot, session)
    assert not keystore_file(session, bob).exists() and names(session) == ["carol"]
    assert session.account == carol and page.selected_address() == carol
    assert not session.passwords.is_unlocked(bob) and session.passwords.get(carol) == NEW_PW
    qtbot.waitUntil(lambda: [v.name for v in page.model.rows] == ["carol"], timeout=TIMEOUT_MS)
    assert window.account_chooser.combo.count() == 1
    assert page.message.text() == "Deleted bob from this computer."


@starting_with((("carol", NEW_PW),))
def test_deleting_the_last_account_opens_the_welcome(qtbot, app_window) -> None:
    session, _window = app_window
    page, carol, dialog = open_dialog(qtbot, app_window, "carol", "delete_button", DeleteAccountDialog)
    type_into(qtbot, dialog.password, NEW_PW)
    click(qtbot, dialog.ok_button)
    welcome = active_dialog(qtbot, FirstRunDialog)
    wait_idle(qtbot, session)
    assert not keystore_file(session, carol).exists() and names(session) == []
    assert session.account is None and not session.passwords.is_unlocked(carol)
    qtbot.waitUntil(lambda: not page.model.rows, timeout=TIMEOUT_MS)
    assert not any(b.isEnabled() for b in (page.rename_button, page.password_button, page.delete_button))
    assert page.new_button.isEnabled() and page.import_button.isEnabled()
    welcome.reject()
