"""The accounts already there, as the app manages them: list, balance, password checks, export, rename,
re-password, delete. Key operations take the key store alone, so they work while the node is away."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from dacwallet.errors import DacwalletError
from dacwallet.keys.errors import NoDefaultAccountError, WrongPasswordError
from dacwallet.keys.signer import Signer
from dacwallet.keys.store import AccountInfo, KeyStore
from dacwallet.usecases.account_setup import check_new_password
from dacwallet.usecases.accounts import AccountView, balance_of, list_accounts
from dacwallet.usecases.context import TEST_SCRYPT_ENV, WalletContext
from dacwallet.usecases.sending import UnlockedSigner, signer_for


@dataclass(frozen=True)
class AccountsSnapshot:
    accounts: list[AccountView]
    remembered: set[str]
    connected: bool


def open_key_store(data_dir: Path) -> KeyStore:
    """The key store of ``data_dir`` without a network (as ``open_wallet`` opens it, test scrypt cost included)."""
    scrypt_n = int(os.environ.get(TEST_SCRYPT_ENV, "0"))
    return KeyStore(data_dir, scrypt_n=scrypt_n) if scrypt_n else KeyStore(data_dir)


def is_remembered(keys: KeyStore, address: str) -> bool:
    """Whether the keyring remembers the account's password (signing then needs none)."""
    return keys.memory.recall(address) is not None


def snapshot(keys: KeyStore, ctx: WalletContext | None) -> AccountsSnapshot:
    """Accounts with balances (None when the node does not answer) and which have a remembered password."""
    if ctx is not None:
        views = list_accounts(ctx)
    else:
        views = [AccountView(info.name, info.address, None) for info in keys.accounts()]
    remembered = {v.address for v in views if is_remembered(keys, v.address)}
    return AccountsSnapshot(views, remembered, ctx is not None)


def accounts_and_default(keys: KeyStore, _ctx: WalletContext | None) -> tuple[list[AccountInfo], str | None]:
    """Every account, and the one to select first: the default, else the newest."""
    accounts = keys.accounts()
    try:
        default: str | None = keys.default_account().address
    except DacwalletError:
        default = accounts[-1].address if accounts else None
    return accounts, default


def account_names(ctx: WalletContext) -> dict[str, str]:
    """address -> account name, for every account of the wallet."""
    return {info.address: info.name for info in ctx.keys.accounts()}


def balance_and_remembered(keys: KeyStore, ctx: WalletContext | None, address: str) -> tuple[int | None, bool]:
    """For the header: the balance (None when the node is away) and whether the keyring remembers the password."""
    return (balance_of(ctx, address) if ctx is not None else None), is_remembered(keys, address)


def verify_password(keys: KeyStore, address: str, password: str, remember: bool) -> bool:
    """True when ``password`` opens the account (nothing is kept but, if asked, the keyring entry)."""
    return Signer(keys, address).unlock(password, remember=remember)


def unlocked_signer(ctx: WalletContext, address: str, password: str | None) -> UnlockedSigner:
    """The signer for ``address``; a typed password is checked first, so a wrong one signs nothing (None: the
    remembered one)."""
    signer = signer_for(ctx, address, password)
    if password is not None and not signer.signer.unlock(password):
        raise WrongPasswordError(f"account '{ctx.keys.account(address).name}'")
    return signer


def forget_password(keys: KeyStore, address: str) -> None:
    keys.forget_password(address)


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
    return is_remembered(keys, address)


def delete_account(keys: KeyStore, address: str, password: str) -> str | None:
    """Delete after checking the password; the address to select next, or None when none is left."""
    keys.delete(address, password)
    try:
        return keys.default_account().address
    except NoDefaultAccountError:
        remaining = keys.accounts()
        return remaining[0].address if remaining else None
