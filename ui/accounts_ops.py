"""Qt-free account operations the GUI runs in the runner (key store + test ether, as one step each)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dacwallet.errors import DacwalletError
from dacwallet.keys.errors import NoDefaultAccountError
from dacwallet.keys.signer import Signer
from dacwallet.keys.store import AccountInfo, KeyStore
from dacwallet.usecases.account_setup import check_new_password, create_from_phrase
from dacwallet.usecases.accounts import AccountView, balance_of, fund_new_account, list_accounts
from dacwallet.usecases.context import WalletContext


@dataclass(frozen=True)
class AccountsSnapshot:
    accounts: list[AccountView]
    remembered: set[str]
    connected: bool


@dataclass(frozen=True)
class Added:
    info: AccountInfo
    funded: bool
    note: str | None  # why it was not funded, or why "remember" failed


def snapshot(keys: KeyStore, ctx: WalletContext | None) -> AccountsSnapshot:
    """Accounts with balances (None when the node does not answer) and which have a remembered password."""
    if ctx is not None:
        views = list_accounts(ctx)
    else:
        views = [AccountView(info.name, info.address, None) for info in keys.accounts()]
    remembered = {v.address for v in views if keys.memory.recall(v.address) is not None}
    return AccountsSnapshot(views, remembered, ctx is not None)


def balance_and_remembered(keys: KeyStore, ctx: WalletContext | None, address: str) -> tuple[int | None, bool]:
    """For the header: the balance (None when the node is away) and whether the keyring remembers the password."""
    return (balance_of(ctx, address) if ctx is not None else None), keys.memory.recall(address) is not None


def finish_new_account(
    keys: KeyStore, ctx: WalletContext | None, info: AccountInfo, password: str, remember: bool
) -> Added:
    """After create/import: remember the password if asked, and fund it on the embedded chain."""
    notes = []
    if remember:
        try:
            Signer(keys, info.address).unlock(password, remember=True)
        except DacwalletError as exc:
            notes.append(exc.user_message)
    funded = False
    if ctx is not None:
        try:
            fund_new_account(ctx, info)
            funded = ctx.connection.embedded is not None
        except DacwalletError as exc:
            notes.append(exc.user_message)
    else:
        notes.append(
            "The network is not answering, so the account has no test ether yet; get some on the "
            "Wallet page once it is back."
        )
    return Added(info, funded, " ".join(notes) or None)


def create_account(
    keys: KeyStore, ctx: WalletContext | None, name: str, password: str, remember: bool, phrase: str
) -> Added:
    """The account of the recovery phrase the user was just shown (the password checked by the policy)."""
    return finish_new_account(keys, ctx, create_from_phrase(keys, name, password, phrase), password, remember)


def import_account(
    keys: KeyStore,
    ctx: WalletContext | None,
    kind: str,
    name: str,
    secret: str,
    password: str,
    remember: bool,
    keystore_password: str = "",
) -> Added:
    """kind: 'key' (hex private key), 'mnemonic' (BIP-39 phrase) or 'keystore' (path or JSON text)."""
    if password or kind != "keystore":  # a keystore may keep its own password; any new one must pass the policy
        check_new_password(password, name)
    if kind == "key":
        info = keys.import_private_key(name, secret, password)
    elif kind == "mnemonic":
        info = keys.import_mnemonic(name, secret, password)
    else:
        text = Path(secret).read_text(encoding="utf-8") if not secret.lstrip().startswith("{") else secret
        info = keys.import_keystore(name, text, keystore_password, password or None)
        password = password or keystore_password
    return finish_new_account(keys, ctx, info, password, remember)


def verify_password(keys: KeyStore, address: str, password: str, remember: bool) -> bool:
    """True when ``password`` opens the account (nothing is kept but, if asked, the keyring entry)."""
    return Signer(keys, address).unlock(password, remember=remember)


def export_keystore(keys: KeyStore, address: str, path: Path) -> Path:
    return keys.export_keystore_file(address, path, replace=True)  # the save dialog asked before replacing


def rename_account(keys: KeyStore, address: str, new_name: str) -> AccountInfo:
    return keys.rename(address, new_name)


def change_password(keys: KeyStore, address: str, old_password: str, new_password: str) -> bool:
    """Re-encrypt with the new password; True when the keyring now remembers the new one.

    A remembered password is replaced by the new one rather than forgotten: the user chose
    "remember" for this account, and changing the password is no reason to start asking for it.
    (KeyStore.change_password does this, and forgets it if the keyring refuses the new one.)
    """
    check_new_password(new_password, keys.account(address).name)
    keys.change_password(address, old_password, new_password)
    return keys.memory.recall(address) is not None


def delete_account(keys: KeyStore, address: str, password: str) -> str | None:
    """Delete after checking the password; the address to select next, or None when none is left."""
    keys.delete(address, password)
    try:
        return keys.default_account().address
    except NoDefaultAccountError:
        remaining = keys.accounts()
        return remaining[0].address if remaining else None
