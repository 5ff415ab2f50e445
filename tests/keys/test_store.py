"""Account operations on real files: each one, each error, and "nothing changed" after a failure."""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
from eth_account import Account

from dacwallet.disk import DiskError
from dacwallet.errors import InputError
from dacwallet.keys import (
    BadMnemonicError,
    BadNameError,
    BadPrivateKeyError,
    CorruptKeystoreError,
    DuplicateAccountError,
    KeyStore,
    NoDefaultAccountError,
    PasswordMemory,
    PasswordRequiredError,
    UnknownAccountError,
    WrongPasswordError,
)
from dacwallet.keys.keyfile import encrypt_key
from tests.keys.conftest import ANVIL_0, ANVIL_0_KEY, ANVIL_1, FAST_N, PASSWORD, TEST_MNEMONIC, MemoryKeyring


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_create_writes_one_private_scrypt_keystore(store: KeyStore, data_dir: Path) -> None:
    before = datetime.now(UTC)
    info = store.create("main", PASSWORD)
    files = list((data_dir / "keystore").iterdir())
    assert [f.name for f in files] == [f"{info.address[2:].lower()}.json"]
    assert _mode(data_dir / "keystore") == 0o700
    assert _mode(files[0]) == 0o600
    document = json.loads(files[0].read_text())
    assert document["version"] == 3
    assert document["crypto"]["kdf"] == "scrypt"
    assert document["dacwallet"]["name"] == "main"
    assert info.address == Account.from_key(bytes(Account.decrypt(document, PASSWORD))).address
    assert before <= info.created <= datetime.now(UTC)
    assert store.accounts() == [info]


def test_default_scrypt_cost_is_the_standard_one(data_dir: Path) -> None:
    assert KeyStore(data_dir).scrypt_n == 2**18


def test_import_private_key_and_mnemonic(store: KeyStore) -> None:
    first = store.import_private_key("anvil0", "0x" + ANVIL_0_KEY, PASSWORD)
    second = store.import_mnemonic("anvil1", TEST_MNEMONIC, PASSWORD, index=1)
    assert (first.address, second.address) == (ANVIL_0, ANVIL_1)
    assert [a.name for a in store.accounts()] == ["anvil0", "anvil1"]
    assert store.account("ANVIL1") == second
    assert store.account(ANVIL_1.lower()) == second


@pytest.mark.parametrize(
    ("operation", "error"),
    [
        (lambda s: s.import_private_key("x", "0x1234", PASSWORD), BadPrivateKeyError),
        (lambda s: s.import_private_key("x", "00" * 32, PASSWORD), BadPrivateKeyError),
        (lambda s: s.import_mnemonic("x", "test " * 12, PASSWORD), BadMnemonicError),
        (lambda s: s.import_mnemonic("x", "test " * 5, PASSWORD), BadMnemonicError),
        (lambda s: s.import_mnemonic("x", "tset " * 12, PASSWORD), BadMnemonicError),
        (lambda s: s.import_private_key("a/b", ANVIL_0_KEY, PASSWORD), BadNameError),
        (lambda s: s.create("", PASSWORD), BadNameError),
        (lambda s: s.create("x", ""), PasswordRequiredError),
        (lambda s: s.create("Existing", PASSWORD), DuplicateAccountError),
        (lambda s: s.import_mnemonic("other", TEST_MNEMONIC, PASSWORD, 1), DuplicateAccountError),
        (lambda s: s.rename("nobody", "x"), UnknownAccountError),
        (lambda s: s.rename("existing", "../x"), BadNameError),
        (lambda s: s.export_keystore("nobody"), UnknownAccountError),
        (lambda s: s.delete("existing", "wrong"), WrongPasswordError),
        (lambda s: s.delete("existing", ""), PasswordRequiredError),
        (lambda s: s.change_password("existing", "wrong", "new"), WrongPasswordError),
        (lambda s: s.change_password("existing", PASSWORD, ""), PasswordRequiredError),
        (lambda s: s.import_keystore("x", "{not json", PASSWORD), CorruptKeystoreError),
    ],
)
def test_failed_operations_change_nothing(store: KeyStore, data_dir: Path, operation, error) -> None:
    store.import_mnemonic("existing", TEST_MNEMONIC, PASSWORD, 1)
    before = _snapshot(data_dir)
    with pytest.raises(error) as caught:
        operation(store)
    assert caught.value.user_message
    assert _snapshot(data_dir) == before


def test_unknown_account_lists_the_names(store: KeyStore) -> None:
    store.create("alice", PASSWORD)
    with pytest.raises(UnknownAccountError, match="'alice'"):
        store.account("bob")


def test_keystore_export_import_round_trip_keeping_encryption(store: KeyStore, tmp_path: Path) -> None:
    original = store.import_private_key("main", ANVIL_0_KEY, PASSWORD)
    exported = store.export_keystore("main")
    assert "dacwallet" not in json.loads(exported)
    other = KeyStore(tmp_path / "other", scrypt_n=FAST_N, memory=PasswordMemory())
    imported = other.import_keystore("copy", exported, PASSWORD)
    assert imported.address == original.address
    assert json.loads(other.export_keystore("copy"))["crypto"] == json.loads(exported)["crypto"]


def test_keystore_file_export_is_private_and_keeps_an_existing_file(store: KeyStore, tmp_path: Path) -> None:
    store.import_private_key("main", ANVIL_0_KEY, PASSWORD)
    target = tmp_path / "main.json"
    store.export_keystore_file("main", target)
    assert _mode(target) == 0o600
    assert json.loads(target.read_text()) == json.loads(store.export_keystore("main"))
    target.write_text("someone else's file")
    with pytest.raises(InputError, match="already exists"):
        store.export_keystore_file("main", target)
    assert target.read_text() == "someone else's file"
    store.export_keystore_file("main", target, replace=True)
    assert json.loads(target.read_text())["address"] == json.loads(store.export_keystore("main"))["address"]
    assert _mode(target) == 0o600


def test_import_keystore_re_encrypts_with_the_wallet_password(store: KeyStore) -> None:
    foreign = Account.encrypt(bytes.fromhex(ANVIL_0_KEY), "their password", kdf="pbkdf2", iterations=2)
    info = store.import_keystore("theirs", json.dumps(foreign), "their password", new_password=PASSWORD)
    assert info.address == ANVIL_0
    stored = json.loads(store.export_keystore("theirs"))
    assert stored["crypto"]["kdf"] == "scrypt"
    assert stored["crypto"]["kdfparams"]["n"] == FAST_N
    assert bytes(Account.decrypt(stored, PASSWORD)).hex() == ANVIL_0_KEY


def test_import_keystore_errors_change_nothing(store: KeyStore, data_dir: Path) -> None:
    foreign = json.dumps(encrypt_key(bytes.fromhex(ANVIL_0_KEY), "theirs", FAST_N))
    with pytest.raises(WrongPasswordError):
        store.import_keystore("x", foreign, "wrong")
    empty = json.dumps(Account.encrypt(bytes.fromhex(ANVIL_0_KEY), "", kdf="pbkdf2", iterations=2))
    with pytest.raises(PasswordRequiredError, match="empty password"):
        store.import_keystore("x", empty, "")
    with pytest.raises(CorruptKeystoreError):
        store.import_keystore("x", json.dumps({"version": 1}), "theirs")
    assert not data_dir.exists() or _snapshot(data_dir) == {}
    assert store.import_keystore("x", empty, "", new_password=PASSWORD).address == ANVIL_0


def test_rename_keeps_key_and_address(store: KeyStore, data_dir: Path) -> None:
    info = store.create("old", PASSWORD)
    keyfile_before = json.loads(store.export_keystore("old"))
    renamed = store.rename("old", "  New name ")
    assert (renamed.name, renamed.address, renamed.created) == ("New name", info.address, info.created)
    assert [a.name for a in store.accounts()] == ["New name"]
    assert json.loads(store.export_keystore("new NAME")) == keyfile_before
    assert store.rename("new name", "NEW NAME").name == "NEW NAME"  # a case change of one's own name
    store.create("other", PASSWORD)
    with pytest.raises(DuplicateAccountError):
        store.rename("other", "new name")


def test_change_password(store: KeyStore, data_dir: Path) -> None:
    info = store.create("main", PASSWORD)
    store.change_password("main", PASSWORD, "new secret")
    stored = json.loads(store.export_keystore("main"))
    assert Account.from_key(bytes(Account.decrypt(stored, "new secret"))).address == info.address
    with pytest.raises(ValueError, match="MAC"):
        Account.decrypt(stored, PASSWORD)
    assert store.account("main") == info


def test_delete_needs_the_password(store: KeyStore, data_dir: Path) -> None:
    store.create("keep", PASSWORD)
    store.create("gone", PASSWORD)
    store.delete("gone", PASSWORD)
    assert [a.name for a in store.accounts()] == ["keep"]
    assert len(list((data_dir / "keystore").iterdir())) == 1
    with pytest.raises(UnknownAccountError):
        store.delete("gone", PASSWORD)


def test_default_account(store: KeyStore, data_dir: Path) -> None:
    with pytest.raises(NoDefaultAccountError, match="no accounts"):
        store.default_account()
    alice = store.create("alice", PASSWORD)
    assert store.default_account() == alice
    bob = store.create("bob", PASSWORD)
    assert store.default_account() == bob  # created last, so used last
    store.mark_used("alice")
    assert _mode(data_dir / "last_account") == 0o600
    assert store.default_account() == alice
    store.delete("alice", PASSWORD)
    assert store.default_account() == bob  # the only one left
    store.create("carol", PASSWORD)
    store.delete("carol", PASSWORD)
    store.create("dave", PASSWORD)
    (data_dir / "last_account").unlink()
    with pytest.raises(NoDefaultAccountError) as caught:
        store.default_account()
    assert "'bob'" in caught.value.user_message and "'dave'" in caught.value.user_message


def test_damaged_file_is_skipped_not_fatal(store: KeyStore, data_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    info = store.create("good", PASSWORD)
    (data_dir / "keystore" / ("ab" * 20 + ".json")).write_text("{half a file")
    (data_dir / "keystore" / ".leftover.json.tmp").write_text("{}")
    assert store.accounts() == [info]
    assert "Skipping keystore file" in caplog.text


@pytest.mark.parametrize(
    "operation",
    [
        lambda s: s.rename("main", "renamed"),
        lambda s: s.change_password("main", PASSWORD, "new secret"),
    ],
)
def test_crash_during_rewrite_leaves_the_old_keystore(
    store: KeyStore, data_dir: Path, monkeypatch: pytest.MonkeyPatch, operation
) -> None:
    store.create("main", PASSWORD)
    before = _snapshot(data_dir)

    def crash(*_: object) -> None:
        raise OSError("power cut")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(DiskError, match="power cut"):  # the OSError, said as what to do
        operation(store)
    monkeypatch.undo()
    assert _snapshot(data_dir) == before
    assert [a.name for a in store.accounts()] == ["main"]
    assert bytes(Account.decrypt(store.export_keystore("main"), PASSWORD))


def test_crash_during_create_leaves_no_account(
    store: KeyStore, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*_: object) -> None:
        raise OSError("power cut")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(DiskError):
        store.create("main", PASSWORD)
    monkeypatch.undo()
    assert store.accounts() == []
    assert list((data_dir / "keystore").iterdir()) == []


def test_keyring_follows_password_change_and_delete(store: KeyStore, memory_keyring: MemoryKeyring) -> None:
    info = store.create("main", PASSWORD)
    store.memory.remember(info.address, PASSWORD)
    store.change_password("main", PASSWORD, "new secret")
    assert memory_keyring.entries == {("dacwallet", info.address): "new secret"}
    store.rename("main", "renamed")
    assert store.memory.recall(info.address) == "new secret"
    store.forget_password("renamed")
    assert memory_keyring.entries == {}
    store.memory.remember(info.address, "new secret")
    store.delete("renamed", "new secret")
    assert memory_keyring.entries == {}


def test_password_change_does_not_remember_an_unremembered_password(
    store: KeyStore, memory_keyring: MemoryKeyring
) -> None:
    store.create("main", PASSWORD)
    store.change_password("main", PASSWORD, "new secret")
    assert memory_keyring.entries == {}


def test_reprs_hold_no_secrets(store: KeyStore) -> None:
    info = store.import_private_key("main", ANVIL_0_KEY, PASSWORD)
    for text in (repr(store), repr(info), repr(store.memory), str(store.accounts())):
        assert ANVIL_0_KEY not in text.lower() and PASSWORD not in text
