"""The account list: one keystore v3 file per account in ``<data_dir>/keystore/``.

Each file is named after the account's address (so a rename rewrites one file atomically) and
carries the account's name and creation time under the extra top-level key ``"dacwallet"``.
Every operation checks all its inputs before it touches the disk, and each change is a single
atomic file replacement, so a failed or interrupted operation leaves the previous state.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from dacwallet.disk import PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, FileRefused, disk_error, read_bounded, tighten
from dacwallet.errors import InputError
from dacwallet.keys.atomic import TEMP_SUFFIX, ensure_private_dir, remove_file, write_private_file
from dacwallet.keys.errors import (
    BadNameError,
    CorruptKeystoreError,
    DuplicateAccountError,
    KeyringUnavailableError,
    NoDefaultAccountError,
    PasswordRequiredError,
    UnknownAccountError,
)
from dacwallet.keys.keyfile import (
    DEFAULT_SCRYPT_N,
    MAX_KEYFILE_BYTES,
    Keyfile,
    address_of,
    check_keyfile,
    checksum_address,
    decrypt_key,
    encrypt_key,
    load_json,
)
from dacwallet.keys.material import key_from_mnemonic, new_private_key, parse_private_key
from dacwallet.keys.memory import PasswordMemory
from dacwallet.keys.rules import require_password, validate_name
from dacwallet.paths import default_data_dir

log = logging.getLogger(__name__)

METADATA_KEY = "dacwallet"
LAST_USED_FILE = "last_account"


@dataclass(frozen=True)
class AccountInfo:
    """What the UI lists: no secret in here."""

    name: str
    address: str
    created: datetime


class KeyStore:
    """Create, import, export, rename, re-password and delete accounts kept as keystore files."""

    def __init__(
        self,
        data_dir: Path | None = None,
        *,
        scrypt_n: int = DEFAULT_SCRYPT_N,
        memory: PasswordMemory | None = None,
    ) -> None:
        self.data_dir = Path(data_dir) if data_dir is not None else default_data_dir()
        self.keystore_dir = self.data_dir / "keystore"
        self.scrypt_n = scrypt_n
        self.memory = memory if memory is not None else PasswordMemory()

    def __repr__(self) -> str:
        return f"KeyStore({str(self.data_dir)!r})"

    # --- reading -------------------------------------------------------------------------------

    def accounts(self) -> list[AccountInfo]:
        """All accounts, oldest first."""
        return [info for info, _ in self._entries()]

    def account(self, name_or_address: str) -> AccountInfo:
        """The account with this name (case-insensitive) or address."""
        return self.keyfile(name_or_address)[0]

    def keyfile(self, name_or_address: str) -> tuple[AccountInfo, Keyfile]:
        """The account and its (encrypted) keystore, checked."""
        entries = self._entries()
        wanted = name_or_address.strip()
        for info, keyfile in entries:
            if info.name.casefold() == wanted.casefold():
                return info, keyfile
        for info, keyfile in entries:
            if info.address.lower() == wanted.lower():
                return info, keyfile
        raise UnknownAccountError(wanted, [info.name for info, _ in entries])

    def export_keystore(self, name: str) -> str:
        """The account's keystore v3 JSON, encrypted with the account's password, without our metadata."""
        return json.dumps(self.keyfile(name)[1], indent=2)

    def export_keystore_file(self, name: str, path: Path, *, replace: bool = False) -> Path:
        """Write the keystore JSON to ``path``, mode 0600 from the first byte; an existing file is kept
        unless ``replace`` (a file dialog has already asked)."""
        text = self.export_keystore(name)
        if path.exists() and not replace:
            raise InputError(f"{path} already exists. Choose another file, or add --force to replace it.")
        try:
            write_private_file(path, text.encode("utf-8"))
        except OSError as exc:
            raise InputError(f"Cannot write {path}: {exc.strerror or exc}. Choose another file.") from exc
        return path

    def default_account(self) -> AccountInfo:
        """The only account, else the one used last, else ``NoDefaultAccountError`` naming them all."""
        accounts = self.accounts()
        if len(accounts) == 1:
            return accounts[0]
        last = self._last_used_address()
        for info in accounts:
            if info.address == last:
                return info
        raise NoDefaultAccountError([info.name for info in accounts])

    # --- adding --------------------------------------------------------------------------------

    def create(self, name: str, password: str) -> AccountInfo:
        """A new account with a fresh random key."""
        return self._add(name, new_private_key(), password)

    def import_private_key(self, name: str, private_key_hex: str, password: str) -> AccountInfo:
        """An account from 64 hex digits (``0x`` optional), encrypted with ``password``."""
        return self._add(name, parse_private_key(private_key_hex), password)

    def import_mnemonic(self, name: str, phrase: str, password: str, index: int = 0) -> AccountInfo:
        """The account at m/44'/60'/0'/0/``index`` of an English BIP-39 phrase."""
        return self._add(name, key_from_mnemonic(phrase, index), password)

    def import_keystore(
        self,
        name: str,
        keystore_json: str | bytes,
        keystore_password: str,
        new_password: str | None = None,
    ) -> AccountInfo:
        """An account from another wallet's keystore v3 file.

        With ``new_password`` the key is re-encrypted with it (and our scrypt cost); without, the
        file's encryption is kept and ``keystore_password`` becomes the account's password.
        """
        what = "the imported keystore"
        keyfile = check_keyfile(load_json(keystore_json, what), what)
        name = validate_name(name)
        if new_password is None and not keystore_password:
            raise PasswordRequiredError(
                "This keystore has an empty password. Give a new password to re-encrypt it with."
            )
        require_password(keystore_password if new_password is None else new_password)
        self._check_free(name, None)
        key = decrypt_key(keyfile, keystore_password, what)
        try:
            if new_password is None:
                keyfile["address"] = address_of(key)[2:].lower()
                return self._store(name, keyfile)
            return self._add(name, key, new_password)
        finally:
            del key

    # --- changing ------------------------------------------------------------------------------

    def rename(self, name: str, new_name: str) -> AccountInfo:
        """Give the account a new name; its address, key and remembered password stay."""
        info, keyfile = self.keyfile(name)
        new_name = validate_name(new_name)
        self._check_free(new_name, info.address)
        renamed = AccountInfo(new_name, info.address, info.created)
        self._write(renamed, keyfile)
        return renamed

    def change_password(self, name: str, old_password: str, new_password: str) -> None:
        """Re-encrypt the key with ``new_password``; a remembered password is updated too."""
        require_password(new_password, "the new password")
        info, keyfile = self.keyfile(name)
        key = decrypt_key(keyfile, old_password, f"account '{info.name}'")
        try:
            self._write(info, encrypt_key(key, new_password, self.scrypt_n))
        finally:
            del key
        if self.memory.recall(info.address) is not None:
            try:
                self.memory.remember(info.address, new_password)
            except KeyringUnavailableError:
                # The file is already re-encrypted; a stale remembered password must not survive.
                self.memory.forget(info.address)

    def delete(self, name: str, password: str) -> None:
        """Delete the account's keystore after checking its password; forget its remembered password."""
        require_password(password, f"account '{name}' to confirm the deletion")
        info, keyfile = self.keyfile(name)
        # Decrypting is the password check; the key is dropped at once.
        decrypt_key(keyfile, password, f"account '{info.name}'")
        remove_file(self._path(info.address))
        self.memory.forget(info.address)
        if self._last_used_address() == info.address:
            remove_file(self.data_dir / LAST_USED_FILE)

    def forget_password(self, name: str) -> None:
        """Remove the account's remembered password from the keyring (if any)."""
        self.memory.forget(self.account(name).address)

    def mark_used(self, name: str) -> None:
        """Record the account as the one used last (``default_account`` falls back to it)."""
        address = self.account(name).address
        if self._last_used_address() == address:  # already recorded: spare the two fsyncs of every signature
            return
        self.data_dir.mkdir(parents=True, exist_ok=True)
        write_private_file(self.data_dir / LAST_USED_FILE, address.encode("ascii"))

    # --- internals -----------------------------------------------------------------------------

    def _add(self, name: str, key: bytes, password: str) -> AccountInfo:
        name = validate_name(name)
        require_password(password)
        self._check_free(name, None)
        # Checked before the (slow) encryption; _store checks again for keystores imported as they are.
        self._check_new_address(address_of(key))
        return self._store(name, encrypt_key(key, password, self.scrypt_n))

    def _store(self, name: str, keyfile: Keyfile) -> AccountInfo:
        address = checksum_address(keyfile)
        self._check_new_address(address)
        info = AccountInfo(name, address, datetime.now(UTC))
        self._write(info, keyfile)
        self.mark_used(info.name)
        return info

    def _check_free(self, name: str, own_address: str | None) -> None:
        for info in self.accounts():
            if info.name.casefold() == name.casefold() and info.address != own_address:
                raise DuplicateAccountError(f"There is already an account named '{info.name}'. Choose another name.")

    def _check_new_address(self, address: str) -> None:
        if self._path(address).exists():
            existing = self.account(address).name
            raise DuplicateAccountError(f"This key is already in the wallet as account '{existing}'.")

    def _write(self, info: AccountInfo, keyfile: Keyfile) -> None:
        document: dict[str, Any] = {
            **keyfile,
            METADATA_KEY: {"name": info.name, "created": info.created.isoformat()},
        }
        try:
            ensure_private_dir(self.keystore_dir)
            write_private_file(self._path(info.address), json.dumps(document, indent=2).encode("utf-8"))
        except OSError as exc:  # a full disk or a read-only folder: the previous file is untouched
            raise disk_error(exc, "the keystore folder", self.keystore_dir) from exc

    def _path(self, address: str) -> Path:
        return self.keystore_dir / f"{address[2:].lower()}.json"

    def _entries(self) -> list[tuple[AccountInfo, Keyfile]]:
        if not self.keystore_dir.is_dir():
            return []
        self._make_private(self.keystore_dir, PRIVATE_DIR_MODE)
        entries = []
        for path in sorted(self.keystore_dir.glob("*.json")):
            if path.name.startswith(".") or path.name.endswith(TEMP_SUFFIX):
                continue
            self._make_private(path, PRIVATE_FILE_MODE)
            try:
                entries.append(self._read(path))
            except (CorruptKeystoreError, FileRefused, OSError) as error:
                # One damaged file must not hide the other accounts; it stays on disk untouched.
                log.warning("Skipping keystore file %s: %s", path.name, error)
        return sorted(entries, key=lambda entry: (entry[0].created, entry[0].name.casefold()))

    @staticmethod
    def _make_private(path: Path, mode: int) -> None:
        """Keys are only the owner's: a keystore folder or file open to others is said and closed."""
        if tighten(path, mode):
            log.warning(
                "%s was readable or writable by other users of this computer; it is now owner-only (%o).", path, mode
            )

    def _read(self, path: Path) -> tuple[AccountInfo, Keyfile]:
        what = f"the keystore file {path.name}"
        # Bounded, regular files only: a keystore linked to /dev/zero or a pipe must not hang the account list.
        data = load_json(read_bounded(path, MAX_KEYFILE_BYTES, "keystore"), what)
        keyfile = check_keyfile(data, what)
        if "address" not in keyfile:
            raise CorruptKeystoreError(what, "it does not state its address")
        meta: Any = data.get(METADATA_KEY)  # untrusted JSON: a wrong shape raises below
        try:
            name = validate_name(meta["name"])
            created = datetime.fromisoformat(meta["created"])
        except (TypeError, KeyError, ValueError, BadNameError):
            raise CorruptKeystoreError(what, "its dacwallet name or date is missing") from None
        if created.tzinfo is None:
            created = created.replace(tzinfo=UTC)
        info = AccountInfo(name, checksum_address(keyfile), created)
        if path != self._path(info.address):
            raise CorruptKeystoreError(what, "its file name does not match its address")
        return info, keyfile

    def _last_used_address(self) -> str | None:
        try:
            return (self.data_dir / LAST_USED_FILE).read_text("ascii").strip()
        except (OSError, UnicodeDecodeError):
            return None
