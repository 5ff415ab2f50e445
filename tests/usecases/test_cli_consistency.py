"""The CLI behaves alike across commands: every command that reads a secret takes --password-stdin (the old
`account new` without it still works); text lines speak plainly (dates, spans, class names, yes/no, nothing unknown
shown as None) while --json keeps its numbers; a reader that stops early (`| head`) gets no traceback."""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time

import pytest

from dacwallet.cli.output import Worded, moment, show, span
from dacwallet.cli.parser import build_parser
from tests.usecases.conftest import Cli

GOOD = "A wonderful film: brilliant acting, a moving story and a great score. One of the best this year."
BAD = "Dreadful and boring. The worst acting, a stupid plot, a waste of time; awful from start to end."
ALICE_PW, BOB_PW, CAROL_PW = "alice-quiet-harbor-71", "bob-lantern-orbit-42", "carol-amber-willow-93"
DATE = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC")

# Every command that reads a password, key or phrase (from standard input, or the keyring for signing ones).
READS_A_SECRET = {
    "account new",
    "account import",
    "account delete",
    "contribute",
    "refund",
    "report",
    "send",
    "tx speed-up",
    "tx cancel",
    "deployment new",
    "deployment resume",
}


def leaf_commands(parser: argparse.ArgumentParser, prefix: str = "") -> dict[str, argparse.ArgumentParser]:
    """Every runnable command by its words (e.g. "tx cancel"), with its parser."""
    groups = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not groups:
        return {prefix.strip(): parser}
    found: dict[str, argparse.ArgumentParser] = {}
    for group in groups:
        for name, sub in group.choices.items():
            found.update(leaf_commands(sub, f"{prefix}{name} "))
    return found


def test_every_command_that_reads_a_secret_takes_password_stdin() -> None:
    commands = leaf_commands(build_parser())
    with_flag = {name for name, p in commands.items() if "--password-stdin" in p._option_string_actions}
    assert READS_A_SECRET <= set(commands)
    assert with_flag == READS_A_SECRET


def test_a_text_line_speaks_plainly_where_json_keeps_every_field(capsys) -> None:
    row = {
        "time": moment(86_400),
        "left": span(90_061),
        "label": Worded(1, "Positive"),
        "agrees": False,
        "error": None,
        "detail": "",
        "blocking": ["Not enough ether.", "The node is gone."],
        "features": [3, 7],
        "quote": {"wei": "1"},
    }
    show(row, as_json=False)
    line = capsys.readouterr().out.strip()
    assert line == (
        "time=1970-01-02 00:00 UTC  left=1 day 1 h 1 min  label=Positive  agrees=no  "
        "blocking=Not enough ether.; The node is gone."
    )
    show(row, as_json=True)
    as_json = capsys.readouterr().out
    assert '"time": 86400' in as_json and '"label": 1' in as_json  # the numbers, not their words
    assert json.loads(as_json) == row  # every field, unknown and empty ones too


@pytest.mark.slow
def test_account_commands_take_password_stdin_and_the_old_form_still_works(tmp_path, capsys) -> None:
    cli = Cli(tmp_path, "embedded", capsys)
    cli.ok("account", "new", "alice", "--password-stdin", stdin=ALICE_PW + "\n")
    cli.ok("account", "new", "bob", stdin=BOB_PW + "\n")  # the form scripts used before the flag
    key = "0x" + "5a" * 32
    cli.ok("account", "import", "carol", "--password-stdin", stdin=f"{key}\n{CAROL_PW}\n")
    wrong = cli("account", "delete", "bob", "--password-stdin", stdin="not-bobs-password-1\n")
    assert wrong.code == 1 and "Traceback" not in wrong.err
    cli.ok("account", "delete", "bob", "--password-stdin", stdin=BOB_PW + "\n")
    assert [a["name"] for a in cli.ok("account", "list", "--json").json()] == ["alice", "carol"]
    cli.ok("contribute", "--account", "carol", "--password-stdin", "--label", "Positive", GOOD, stdin=CAROL_PW + "\n")


@pytest.mark.slow
def test_text_lines_speak_plainly_and_json_keeps_its_numbers(tmp_path, capsys) -> None:
    cli = Cli(tmp_path, "embedded", capsys)
    cli.ok("account", "new", "alice", stdin=ALICE_PW + "\n")
    cli.ok("account", "new", "bob", stdin=BOB_PW + "\n")

    status = cli.ok("status").out
    assert DATE.search(re.search(r"\btime=(.*?)(  |$)", status, re.M).group(1)), status
    assert "None" not in status and "reset_from" not in status  # nothing was reset: nothing to say
    as_json = cli.ok("status", "--json").json()
    assert isinstance(as_json["time"], int) and as_json["reset_from"] is None  # the same shape as before

    cli.ok("contribute", "--account", "bob", "--password-stdin", "--label", "Positive", BAD, stdin=BOB_PW + "\n")
    listed = cli.ok("contributions").out
    assert "status=waiting" in listed and "None" not in listed and "error=" not in listed
    assert "model_agrees=no" in listed and "False" not in listed
    assert re.search(r"seconds_left=(23 h 5\d min|1 d)  ", listed), listed  # a day's wait, in words
    row = cli.ok("contributions", "--json").json()[0]
    assert row["error"] is None and 86_000 < row["seconds_left"] <= 86_400

    cli.ok("chain", "advance", "10d")
    reportable = cli.ok("reportable", "--account", "alice").out
    assert "label=Positive" in reportable and "model_says=Negative" in reportable and "words=" in reportable
    assert cli.ok("reportable", "--account", "alice", "--json").json()[0]["label"] == 1


@pytest.mark.slow
def test_a_reader_that_stops_early_gets_no_traceback(tmp_path) -> None:
    cli = subprocess.Popen(
        [sys.executable, "-m", "dacwallet", "--data-dir", str(tmp_path), "status"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert cli.stdout is not None and cli.stderr is not None
    cli.stdout.close()  # like `dacwallet status | head -c 0`
    err = cli.stderr.read().decode()
    assert cli.wait(timeout=300) == 1
    assert err == ""


def on_a_terminal(tmp_path, *argv: str, typed: list[str]) -> tuple[int, str]:
    """Runs dacwallet with a terminal for its standard streams, typing each of ``typed`` after a prompt."""
    terminal, their_side = os.openpty()
    cli = subprocess.Popen(
        [sys.executable, "-m", "dacwallet", "--data-dir", str(tmp_path), *argv],
        stdin=their_side,
        stdout=their_side,
        stderr=their_side,
        start_new_session=True,
    )
    os.close(their_side)
    seen, deadline = b"", time.monotonic() + 300
    for answer in typed:
        prompts = seen.count(b": ")
        while seen.count(b": ") == prompts and time.monotonic() < deadline:
            seen += _read(terminal)
        os.write(terminal, answer.encode() + b"\n")
    while chunk := _read(terminal):
        seen += chunk
    os.close(terminal)
    return cli.wait(timeout=60), seen.decode()


def _read(fd: int) -> bytes:
    try:
        return os.read(fd, 1024)
    except OSError:  # the other side closed (Linux says EIO)
        return b""


def test_on_a_terminal_the_prompt_names_the_secret_and_does_not_echo_it(tmp_path) -> None:
    code, said = on_a_terminal(tmp_path, "account", "delete", "ghost", typed=["a-typed-secret-31"])
    assert code == 1
    assert said.startswith("The password of ghost: ") and "There is no account named 'ghost'" in said
    assert "a-typed-secret-31" not in said


@pytest.mark.slow
def test_on_a_terminal_a_new_password_is_typed_twice(tmp_path) -> None:
    code, said = on_a_terminal(tmp_path, "account", "new", "alice", typed=[ALICE_PW, ALICE_PW + "x"])
    assert code == 1 and "The same password again: " in said and "differ" in said and "recovery phrase" not in said
    code, said = on_a_terminal(tmp_path, "account", "new", "alice", typed=[ALICE_PW, ALICE_PW])
    assert code == 0 and "recovery phrase" in said and ALICE_PW not in said
