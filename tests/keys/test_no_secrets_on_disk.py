"""After every operation, no key, password or recovery phrase is on disk or in the logs in plaintext."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dacwallet.errors import KeyStoreError
from dacwallet.keys import KeyStore, PasswordMemory, Signer
from dacwallet.keys.material import key_from_mnemonic
from tests.keys.conftest import ANVIL_0_KEY, FAST_N, TEST_MNEMONIC
from tests.keys.test_signer import TX

PASSWORDS = ["first pässword", "second-secret", "third.secret", "keystore-own-pw"]


def test_no_secret_reaches_the_data_dir_or_logs(
    store: KeyStore, data_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    first, second, third, own = PASSWORDS
    store.create("created", first)
    store.import_private_key("hex", ANVIL_0_KEY, first)
    store.import_mnemonic("phrase", TEST_MNEMONIC, first, index=1)
    foreign = KeyStore(tmp_path / "foreign", scrypt_n=FAST_N, memory=PasswordMemory())
    foreign.import_mnemonic("f", TEST_MNEMONIC, own, index=2)
    store.import_keystore("kept", foreign.export_keystore("f"), own)
    foreign.import_mnemonic("g", TEST_MNEMONIC, own, index=3)
    store.import_keystore("re-encrypted", foreign.export_keystore("g"), own, new_password=first)
    store.rename("hex", "hex renamed")
    store.change_password("hex renamed", first, second)
    signer = Signer(store, "hex renamed")
    signer.unlock(second, remember=True)
    signer.sign_transaction(TX)
    signer.sign_message("hello", second)
    store.change_password("hex renamed", second, third)
    for bad in ("wrong", ""):
        with pytest.raises(KeyStoreError):
            store.delete("created", bad)
    with pytest.raises(KeyStoreError):
        store.import_private_key("dup", ANVIL_0_KEY, first)
    store.delete("created", first)
    store.export_keystore("phrase")

    keys = [bytes.fromhex(ANVIL_0_KEY)] + [key_from_mnemonic(TEST_MNEMONIC, i) for i in range(4)]
    secrets = [*PASSWORDS, TEST_MNEMONIC, "test test", "junk"]
    needles = [n.encode() for n in secrets] + keys
    needles += [k.hex().encode() for k in keys] + [k.hex().upper().encode() for k in keys]
    files = [p for p in data_dir.rglob("*") if p.is_file()]
    assert len(files) >= 5
    for path in files:
        content = path.read_bytes()
        for needle in needles:
            assert needle not in content, f"secret found in {path.name}"
    for needle in needles:
        assert needle.decode("latin-1") not in caplog.text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=200), st.text(max_size=20))
def test_fuzz_imports_from_user_text_raise_keystore_errors(store: KeyStore, text: str, password: str) -> None:
    for attempt in (
        lambda: store.import_keystore("fuzz", text, password),
        lambda: store.import_keystore("fuzz", text, password, new_password=password),
        lambda: store.import_mnemonic("fuzz", text, password),
    ):
        with pytest.raises(KeyStoreError):
            attempt()
    try:
        info = store.import_private_key("fuzz", text, password)
    except KeyStoreError:
        return
    store.delete(info.name, password)
