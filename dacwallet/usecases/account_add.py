"""Adding an account, the step the CLI and the app share: create or import it, then remember its password if
asked and give it test ether on the embedded chain. What failed after the account exists is said, not raised:
the account is there either way."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from dacwallet.disk import read_bounded
from dacwallet.errors import DacwalletError
from dacwallet.keys.keyfile import MAX_KEYFILE_BYTES
from dacwallet.keys.signer import Signer
from dacwallet.keys.store import AccountInfo, KeyStore
from dacwallet.usecases.account_setup import check_new_password, create_from_phrase
from dacwallet.usecases.accounts import fund_new_account
from dacwallet.usecases.context import WalletContext

ImportKind = Literal["key", "mnemonic", "keystore"]
NO_NETWORK_NOTE = (
    "The network is not answering, so the account has no test ether yet; get some on the Wallet page once it is back."
)


@dataclass(frozen=True)
class Added:
    info: AccountInfo
    funded: bool
    note: str | None  # why it was not funded, or why "remember" failed


def finish_new_account(
    keys: KeyStore, ctx: WalletContext | None, info: AccountInfo, password: str, remember: bool
) -> Added:
    """After create/import: remember the password if asked, and fund it on the embedded chain (``ctx`` None:
    the node is away)."""
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
        notes.append(NO_NETWORK_NOTE)
    return Added(info, funded, " ".join(notes) or None)


def add_created(
    keys: KeyStore, ctx: WalletContext | None, name: str, password: str, remember: bool, phrase: str
) -> Added:
    """The account of the recovery phrase the user was just shown (the password checked by the policy)."""
    return finish_new_account(keys, ctx, create_from_phrase(keys, name, password, phrase), password, remember)


def add_imported(
    keys: KeyStore,
    ctx: WalletContext | None,
    kind: ImportKind,
    name: str,
    secret: str,
    password: str,
    remember: bool,
    keystore_password: str = "",
    index: int = 0,
) -> Added:
    """``secret`` is a hex private key, a BIP-39 phrase (its account ``index``) or a keystore's JSON text.

    A keystore may keep its own password (``password`` empty); any new password must pass the policy.
    """
    if password or kind != "keystore":
        check_new_password(password, name)
    if kind == "key":
        info = keys.import_private_key(name, secret, password)
    elif kind == "mnemonic":
        info = keys.import_mnemonic(name, secret, password, index=index)
    else:
        info = keys.import_keystore(name, secret, keystore_password, password or None)
        password = password or keystore_password
    return finish_new_account(keys, ctx, info, password, remember)


def keystore_text(path_or_json: str) -> str:
    """A keystore the user pasted (JSON text) or named (a file of at most a keystore's size)."""
    if path_or_json.lstrip().startswith("{"):
        return path_or_json
    return read_bounded(Path(path_or_json), MAX_KEYFILE_BYTES, "keystore").decode("utf-8", errors="replace")
