"""A damaged or hostile data folder and absurd input, through the CLI on the real embedded chain: every case
ends in a message (exit 1, or 2 for usage), loses nothing and leaves the wallet usable; files are private."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from dacwallet.chain.embedded import open_embedded_chain
from dacwallet.cli.output import format_time
from dacwallet.usecases.chainops import MAX_CHAIN_TIME_S
from tests.resilience.harness import CliRun, cheap_test_env, run_argv

PASSWORD = "alice-pw-123"
GOOD = "A wonderful film: brilliant acting, a moving story and a great score."
DISCARDING = ("aside", "delete", "fresh one", "start over")


@pytest.fixture(scope="module")
def prepared(tmp_path_factory) -> Path:
    """An embedded wallet (default model deployed) with account alice and one contribution; tests copy it."""
    folder = tmp_path_factory.mktemp("prepared") / "data"
    with cheap_test_env():  # a module fixture runs before the autouse ones
        assert cli(folder, "account", "new", "alice", stdin=PASSWORD + "\n").code == 0
        assert contribute(folder, GOOD).code == 0
    return folder


@pytest.fixture
def data(prepared, tmp_path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(prepared, copy)
    return copy


def cli(data_dir: Path, *args: str, stdin: str = "") -> CliRun:
    return run_argv(["--data-dir", str(data_dir), *args], stdin=stdin)


def contribute(data_dir: Path, text: str, *extra: str) -> CliRun:
    return cli(data_dir, "contribute", "--password-stdin", "--label", "Positive", *extra, text, stdin=PASSWORD + "\n")


def refused(run: CliRun, code: int = 1) -> bool:
    return run.crash is None and run.code == code and run.err.startswith("dacwallet: ")


def usable(data_dir: Path) -> list[dict]:
    """The wallet opens and lists its contributions."""
    run = cli(data_dir, "contributions", "--json")
    assert run.code == 0, (run.err, run.crash)
    return run.json_value()


def stored(rows: list[dict]) -> list[tuple]:
    """What a listing says of each contribution, without the countdowns that move with the clock."""
    return [(c["id"], c["status"], c["text"], c["claimable_wei"], c["error"]) for c in rows]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# ----------------------------------------------------------------------------- permissions


def test_the_store_the_chain_and_the_keys_are_owner_only(prepared) -> None:
    assert mode(prepared) == mode(prepared / "chain") == mode(prepared / "keystore") == 0o700
    files = [prepared / "wallet.sqlite3", prepared / "chain" / "chain.sqlite3", *prepared.glob("keystore/*.json")]
    files += [p for p in prepared.rglob("*.sqlite3-*")]
    assert files and {mode(p) for p in files} == {0o600}


def test_folders_and_files_found_open_to_others_are_tightened_and_the_keystore_said(data, caplog) -> None:
    for folder in (data, data / "chain"):
        folder.chmod(0o755)
    (data / "keystore").chmod(0o777)
    for path in (data / "wallet.sqlite3", data / "chain" / "chain.sqlite3", *data.glob("keystore/*.json")):
        path.chmod(0o666)
    assert cli(data, "account", "list").code == 0
    assert mode(data) == mode(data / "chain") == mode(data / "keystore") == 0o700
    assert {mode(p) for p in [*data.rglob("*.sqlite3*"), *data.glob("keystore/*.json")]} == {0o600}
    assert "keystore" in caplog.text and "owner-only" in caplog.text


# ----------------------------------------------------------------------------- damaged files


def _garble(path: Path, keep_header: bool) -> None:
    """A damaged SQLite file: all garbage, or a valid 100-byte header over a garbled schema page and more."""
    raw = bytearray(path.read_bytes())
    start = 100 if keep_header else 0
    raw[start : 4096 * 3] = bytes((i * 151 + 7) % 256 for i in range(start, 4096 * 3))
    path.write_bytes(bytes(raw))


@pytest.mark.parametrize("keep_header", [False, True], ids=["not-a-database", "malformed"])
@pytest.mark.parametrize("name, says", [("wallet.sqlite3", "wallet database"), ("chain/chain.sqlite3", "chain")])
def test_a_damaged_database_is_said_with_what_to_do_and_never_discarded(data, name, says, keep_header) -> None:
    target = data / name
    saved = target.read_bytes()
    for side in target.parent.glob(target.name + "-*"):
        side.unlink()
    _garble(target, keep_header)
    damaged = target.read_bytes()
    for args in (("status",), ("contributions",), ("account", "list")):
        run = cli(data, *args)
        assert refused(run), (args, run.err, run.crash)
        assert "damaged" in run.err and says in run.err and "backup" in run.err, run.err
        assert not any(word in run.err.lower() for word in DISCARDING), run.err
    assert target.read_bytes() == damaged  # kept as it was, for a rescue
    target.write_bytes(saved)  # restored from the "backup": everything is there again
    assert [c["text"] for c in usable(data)] == [GOOD[:60]]


def test_a_data_folder_that_cannot_be_created_is_said(tmp_path) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    for where in (tmp_path / "a-file" / "data", tmp_path / "a-file"):
        run = run_argv(["--data-dir", str(where), "status"])
        assert refused(run) and "--data-dir" in run.err, (run.err, run.crash)


def _mount_tiny_disk(where: Path) -> bool:
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    where.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(where)], capture_output=True)
    return done.returncode == 0


@pytest.fixture
def tiny_disk(tmp_path) -> Iterator[Path]:
    """A real 4 MB file system (tmpfs; needs root): a disk that fills up."""
    where = tmp_path / "tiny"
    if not _mount_tiny_disk(where):
        pytest.skip("mounting a tmpfs needs root")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def _fill(disk: Path, leave_bytes: int) -> Path:
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:  # ENOSPC: full
        pass
    finally:
        os.close(fd)
    os.truncate(filler, max(0, filler.stat().st_size - leave_bytes))
    return filler


@pytest.mark.parametrize("leave_kb", [0, 48, 96, 160])
def test_a_full_disk_is_said_loses_nothing_and_the_wallet_goes_on_once_space_is_freed(
    prepared, tiny_disk, leave_kb
) -> None:
    """The disk fills at different points of a contribution: before the store opens, while saving the draft,
    while the chain writes its block, or while the outcome is recorded (the failure path of a send)."""
    data = tiny_disk / "data"
    shutil.copytree(prepared, data)
    filler = _fill(tiny_disk, leave_kb * 1024)
    text = f"A moving story and brilliant acting, film {leave_kb}."
    run = contribute(data, text)
    if run.code != 0:
        assert refused(run) and "disk is full" in run.err and "free some space" in run.err, (run.err, run.crash)
        assert not any(word in run.err.lower() for word in DISCARDING), run.err
    filler.unlink()
    rows = {c["text"]: c for c in usable(data)}
    assert rows[GOOD[:60]]["status"] == "waiting"  # the earlier contribution is intact
    if text[:60] in rows:  # saved: either on the chain (settled by the journal) or said to be not sent
        assert rows[text[:60]]["status"] in ("waiting", "draft", "failed"), rows[text[:60]]
        if rows[text[:60]]["status"] == "draft":
            assert "not sent" in rows[text[:60]]["note"]
    again = contribute(data, "A brilliant, moving film with a great score.")
    assert again.code == 0, (again.err, again.crash)


# ----------------------------------------------------------------------------- bounded reads


@pytest.mark.timeout(60)
def test_a_keystore_that_is_a_device_a_pipe_or_huge_is_refused_without_reading_it(data, tmp_path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    huge = tmp_path / "huge.json"
    with open(huge, "wb") as out:
        out.truncate(50 * 2**20)
    for path, says in (
        ("/dev/zero", "not a regular file"),
        (str(fifo), "not a regular file"),
        (str(huge), "more than"),
        (str(tmp_path), "not a regular file"),
    ):
        run = cli(data, "account", "import", "bob", "--keystore", path, stdin="a\nb\n")
        assert refused(run) and says in run.err, (path, run.err, run.crash)


@pytest.mark.timeout(60)
def test_a_keystore_file_linked_to_dev_zero_is_skipped_and_the_others_listed(data, caplog) -> None:
    (data / "keystore" / ("ab" * 20 + ".json")).symlink_to("/dev/zero")
    run = cli(data, "account", "list", "--json")
    assert run.code == 0, (run.err, run.crash)
    assert [a["name"] for a in run.json_value()] == ["alice"]
    assert "not a regular file" in caplog.text


@pytest.mark.timeout(60)
def test_a_model_file_that_is_a_device_is_refused(data) -> None:
    run = cli(data, "deployment", "new", "--model", "/dev/zero", "--password-stdin", stdin=PASSWORD + "\n")
    assert refused(run) and "not a regular file" in run.err, (run.err, run.crash)


# ----------------------------------------------------------------------------- absurd input


@pytest.mark.parametrize(
    "args, code, says",
    [
        (("predict", "--label=²", GOOD), 1, "not a label"),
        (("predict", "--label=--1", GOOD), 1, "not a label"),
        (("predict", "--label", "9" * 5000, GOOD), 1, "not a label"),
        (("refund", "²", "--password-stdin"), 1, "id of a contribution"),
        (("refund", "9" * 40, "--password-stdin"), 1, "no contribution"),
        (("refund", "9223372036854775808", "--password-stdin"), 1, "no contribution"),
        (("contribute", "--password-stdin", "--label", "Positive", "--max-fee-gwei=1e999999999", GOOD), 1, "too large"),
        (
            ("contribute", "--password-stdin", "--label", "Positive", "--priority-fee-gwei", "9" * 100, GOOD),
            1,
            "too large",
        ),
        (("chain", "advance", "99999999999999999999999d"), 1, "too long"),
        (("chain", "advance", "4611686018427387904s"), 1, "too long"),
        (("chain", "advance", "1 " * 26 + "x"), 1, "not a duration"),
        (("contribute", "--password-stdin", "--label", "Positive", "great \udcff\udcfe film"), 2, "not valid UTF-8"),
        (("account", "new", "\udcffbob"), 2, "not valid UTF-8"),
    ],
)
def test_absurd_input_is_refused_and_nothing_changes(data, args, code, says) -> None:
    before = stored(usable(data))
    run = cli(data, *args, stdin=PASSWORD + "\n")
    assert refused(run, code) and says in run.err, (run.code, run.err, run.crash)
    assert stored(usable(data)) == before


ROOT = Path(__file__).resolve().parents[2]


def dacwallet_command(data_dir: Path, *args: str | bytes, stdin: bytes) -> subprocess.CompletedProcess:
    """The real `dacwallet` entry point in a child process, with raw bytes for argv and standard input."""
    launcher = "import sys; from ui.launcher import main; sys.exit(main())"
    env = {**os.environ, "PYTHONIOENCODING": "utf-8:strict"}  # what a UTF-8 terminal session gives
    return subprocess.run(
        [sys.executable, "-c", launcher, "--data-dir", str(data_dir), *args],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


@pytest.mark.parametrize(
    "args, stdin",
    [
        (("contribute", "--password-stdin", "--label", "Positive", GOOD), b"\xff\xfe not utf-8\n"),
        (("contribute", "--password-stdin", "--label", "Positive", b"great \xff\xfe film"), PASSWORD.encode() + b"\n"),
    ],
    ids=["secret-on-stdin", "review-text"],
)
def test_bytes_that_are_not_utf8_are_refused_before_anything_is_saved(data, args, stdin) -> None:
    done = dacwallet_command(data, *args, stdin=stdin)
    assert done.returncode in (1, 2) and b"not valid UTF-8" in done.stderr, done.stderr[-800:]
    assert b"Traceback" not in done.stderr
    assert [c["text"] for c in usable(data)] == [GOOD[:60]]


def test_far_future_times_are_printed_not_crashed_on() -> None:
    assert format_time(4611686018427387904).endswith("(beyond any date)")
    assert format_time(MAX_CHAIN_TIME_S + 2**32).startswith("9")  # the latest refund date the bound allows


def test_the_clock_stops_before_dates_the_wallet_cannot_write_and_the_wallet_keeps_listing(data) -> None:
    with open_embedded_chain(data / "chain") as chain:
        chain.advance(MAX_CHAIN_TIME_S - chain.now() - 3600)
    run = cli(data, "chain", "advance", "1d")
    assert refused(run) and "cannot go that far" in run.err, (run.err, run.crash)
    assert cli(data, "chain", "advance", "30m").code == 0
    assert [r["text"] for r in usable(data)] == [GOOD[:60]]


def test_a_clock_moved_absurdly_far_by_an_older_version_does_not_break_the_list(data) -> None:
    with open_embedded_chain(data / "chain") as chain:
        chain.advance(4611686018427387904)
    rows = usable(data)
    assert [r["text"] for r in rows] == [GOOD[:60]]
    run = cli(data, "chain", "advance", "1s")
    assert refused(run) and "cannot go that far" in run.err, (run.err, run.crash)
