"""GUI tests: offscreen Qt, cheap keystores, the null keyring, one data folder per module."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from dacwallet.usecases.context import TEST_SCRYPT_ENV

SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"


@pytest.fixture(scope="module", autouse=True)
def gui_env() -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in (TEST_SCRYPT_ENV, "PYTHON_KEYRING_BACKEND")}
    os.environ[TEST_SCRYPT_ENV] = "16"
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
    import keyring
    from keyring.backends import null

    previous = keyring.get_keyring()
    keyring.set_keyring(null.Keyring())
    yield
    keyring.set_keyring(previous)
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="module", autouse=True)
def no_dialog_outlives_its_module() -> Iterator[None]:
    """Dialogs a module's tests left open are closed after it, so the next module on this worker (tests that
    look for "the open confirmation dialog") never finds a stale one from another test file."""
    yield
    from PySide6.QtWidgets import QApplication, QDialog

    if QApplication.instance() is None:
        return
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog) and widget.isVisible():
            widget.reject()
            widget.deleteLater()
    QApplication.processEvents()


def screenshot(widget, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    assert widget.grab().save(str(path))
    return path


_exit_status = 0


def pytest_sessionfinish(session, exitstatus) -> None:
    global _exit_status
    _exit_status = int(exitstatus)


def pytest_unconfigure(config) -> None:
    """In a real X server (Qt's xcb platform, `make test-x11`) Qt's C++ objects torn down while the interpreter
    shuts down crash it with no Python frame, after every test has passed: leave at once with pytest's own
    status. Offscreen runs end normally."""
    if os.environ.get("QT_QPA_PLATFORM") == "xcb":
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_exit_status)
