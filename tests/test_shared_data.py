"""The one guard for the data beside the checkout: a skip on a developer machine, a failure under CI."""

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
