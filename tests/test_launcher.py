"""The `dacwallet` entry point: GUI without a command, CLI with one, help printed once."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from dacwallet import cli
from tests.support.chains import ROOT
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


def _env_without_display() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}


def test_python_m_dacwallet_is_the_dacwallet_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "dacwallet", "tx", "--help"], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert done.returncode == 0 and "usage: dacwallet tx" in done.stdout
    no_display = subprocess.run(
        [sys.executable, "-m", "dacwallet"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env=_env_without_display(),
    )
    assert no_display.returncode == cli.EXIT_REFUSED
    assert no_display.stderr.strip() == launcher.NO_DISPLAY


def test_a_display_is_needed_only_where_qt_would_look_for_one() -> None:
    assert not launcher.has_display({}, "linux")
    assert launcher.has_display({"DISPLAY": ":0"}, "linux")
    assert launcher.has_display({"WAYLAND_DISPLAY": "wayland-0"}, "linux")
    assert launcher.has_display({"QT_QPA_PLATFORM": "offscreen"}, "linux")
    assert launcher.has_display({}, "darwin") and launcher.has_display({}, "win32")


# The app as a person ends it: its window closed once it is up. Run in a child process, as the launcher runs.
_CLOSE_WHEN_UP = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from ui import launcher
exec_app = QApplication.exec
def exec_then_close():
    QTimer.singleShot(1500, lambda: [w.close() for w in QApplication.topLevelWidgets() if w.isVisible()])
    return exec_app()
QApplication.exec = staticmethod(exec_then_close)
sys.exit(launcher.main(["--data-dir", sys.argv[1]]))
"""


def test_closing_the_window_ends_the_app_cleanly(tmp_path) -> None:
    """It ended in a segmentation fault (exit 139): Python freed the QApplication before the window at exit."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
    done = subprocess.run(
        [sys.executable, "-c", _CLOSE_WHEN_UP, str(tmp_path / "wallet")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env=env,
    )
    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])
