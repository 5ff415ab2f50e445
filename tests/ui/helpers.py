"""Driving the app as a person would: clicks and typing, waiting on the real runner."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QWidget

TIMEOUT_MS = 60_000


def click(qtbot, widget: QWidget) -> None:
    assert widget.isEnabled(), f"{widget} is disabled"
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def type_into(qtbot, widget: QWidget, text: str) -> None:
    widget.setFocus()
    qtbot.keyClicks(widget, text)


def wait_idle(qtbot, session) -> None:
    qtbot.waitUntil(lambda: session.runner.pending == 0, timeout=TIMEOUT_MS)


def sign_in_open_dialog(qtbot, password: str):
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


def active_dialog(qtbot, kind: type[QDialog]) -> QDialog:
    found: list[QDialog] = []

    def visible() -> bool:
        found[:] = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
        return bool(found)

    qtbot.waitUntil(visible, timeout=TIMEOUT_MS)
    return found[-1]


@contextmanager
def shown_app(data_dir: Path, network=None) -> Iterator[tuple]:
    """The real app on ``network`` (default: the embedded chain) in ``data_dir``, shown; closed afterwards."""
    from dacwallet.chain.connect import NetworkSpec
    from ui.app import build, make_application

    make_application()
    session, window = build(data_dir, network or NetworkSpec())
    window.show()
    try:
        yield session, window
    finally:
        window.close()
        session.close()


def back_up_phrase(qtbot, dialog) -> list[str]:
    """After a new account's form (its Next already clicked): read the words off the screen, go on, and type
    back the ones asked; returns the words. The dialog then creates the account."""
    qtbot.waitUntil(lambda: dialog.phrase_view is not None and dialog.phrase_view.isVisible(), timeout=TIMEOUT_MS)
    words = [label.text().split(". ", 1)[1] for label in dialog.phrase_view.word_labels]
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: dialog.quiz is not None and dialog.quiz.isVisible(), timeout=TIMEOUT_MS)
    for number, field in dialog.quiz.fields.items():
        type_into(qtbot, field, words[number - 1])
    click(qtbot, dialog.ok_button)
    return words
