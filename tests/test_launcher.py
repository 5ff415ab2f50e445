"""The `dacwallet` entry point: GUI without a command, CLI with one, help printed once."""

from __future__ import annotations

import pytest

from dacwallet import cli
from ui import launcher


def test_no_command_means_the_app_and_a_command_means_the_cli() -> None:
    assert cli.wants_gui([]) and cli.wants_gui(["--network", "embedded"])
    assert not cli.wants_gui(["status"]) and not cli.wants_gui(["tx", "list"])


@pytest.mark.parametrize("argv", [["--help"], ["tx", "--help"], ["account", "--help"]])
def test_help_is_printed_once(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert launcher.main(argv) == cli.EXIT_OK
    out, err = capsys.readouterr()
    assert out.count("usage: dacwallet") == 1 and err == ""


def test_a_usage_error_is_reported_once_with_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert launcher.main(["tx", "bogus"]) == cli.EXIT_USAGE
    out, err = capsys.readouterr()
    assert err.count("invalid choice: 'bogus'") == 1 and out == ""
