"""The guards for what lives beside the checkout (the shared data, anvil): a skip on a developer machine, a
failure under CI."""

from __future__ import annotations

import pytest

from tests.support.shared_data import need_shared


def test_missing_shared_data_skips_here_and_fails_under_ci(tmp_path, monkeypatch) -> None:
    missing = tmp_path / "shared" / "data" / "imdb" / "imdb_train.jsonl.gz"
    assert need_shared(tmp_path) == tmp_path
    for unset in (None, "", "0", "false"):
        if unset is None:
            monkeypatch.delenv("CI", raising=False)
        else:
            monkeypatch.setenv("CI", unset)
        with pytest.raises(pytest.skip.Exception, match="shared data missing"):
            need_shared(missing)
    for value in ("true", "1", "yes"):
        monkeypatch.setenv("CI", value)
        with pytest.raises(pytest.fail.Exception, match="CI is set"):
            need_shared(missing)


def test_a_missing_anvil_skips_here_and_fails_under_ci(monkeypatch) -> None:
    from tests.support import chains

    monkeypatch.setattr(chains, "anvil_binary", lambda: None)
    monkeypatch.delenv("CI", raising=False)
    assert chains.anvil_missing()
    monkeypatch.setenv("CI", "true")
    assert not chains.anvil_missing()
    with pytest.raises(RuntimeError, match="anvil is not installed"):
        with chains.run_anvil():
            pass
