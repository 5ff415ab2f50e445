"""Driving the app as a person would: clicks and typing, waiting on the real runner."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QWidget

TIMEOUT_MS = 60_000


def click(qtbot, widget: QWidget) -> None:  # noqa: ANN001
    assert widget.isEnabled(), f"{widget} is disabled"
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def type_into(qtbot, widget: QWidget, text: str) -> None:  # noqa: ANN001
    widget.setFocus()
    qtbot.keyClicks(widget, text)


def wait_idle(qtbot, session) -> None:  # noqa: ANN001
    qtbot.waitUntil(lambda: session.runner.pending == 0, timeout=TIMEOUT_MS)


def sign_in_open_dialog(qtbot, password: str):  # noqa: ANN001, ANN201 - a SignDialog
    """Signs in the SignDialog just opened (typing ``password`` if it asks) and waits until it is done."""
    from ui.dialogs.sign_dialog import SignDialog

    dialog = active_dialog(qtbot, SignDialog)
    qtbot.waitUntil(dialog.ok.isEnabled, timeout=TIMEOUT_MS)
    if dialog.needs_password:
        type_into(qtbot, dialog.password, password)
    click(qtbot, dialog.ok)
    qtbot.waitUntil(lambda: dialog.done_ or dialog.error.isVisible(), timeout=TIMEOUT_MS)
    assert dialog.done_, dialog.error.text()
    return dialog


def active_dialog(qtbot, kind: type[QDialog]) -> QDialog:  # noqa: ANN001
    found: list[QDialog] = []

    def visible() -> bool:
        found[:] = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
        return bool(found)

    qtbot.waitUntil(visible, timeout=TIMEOUT_MS)
    return found[-1]
