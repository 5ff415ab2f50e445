"""Private, atomic files."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from dacwallet.keys.atomic import ensure_private_dir, remove_file, write_private_file


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_private_dir_and_file_modes(tmp_path: Path) -> None:
    folder = ensure_private_dir(tmp_path / "a" / "keystore")
    folder.chmod(0o755)
    ensure_private_dir(folder)  # tightens an existing folder too
    target = folder / "f.json"
    write_private_file(target, b"one")
    assert _mode(folder) == 0o700
    assert _mode(target) == 0o600
    assert target.read_bytes() == b"one"


def test_failed_replace_keeps_old_file_and_leaves_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "f.json"
    write_private_file(target, b"old")

    def crash(*_: object) -> None:
        raise OSError("disk gone")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk gone"):
        write_private_file(target, b"new")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.json"]


def test_failed_write_keeps_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "f.json"
    write_private_file(target, b"old")

    def crash(_fd: int) -> None:
        raise OSError("fsync failed")

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(OSError, match="fsync failed"):
        write_private_file(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.json"]


def test_remove_file(tmp_path: Path) -> None:
    target = tmp_path / "f.json"
    write_private_file(target, b"x")
    remove_file(target)
    assert not target.exists()
