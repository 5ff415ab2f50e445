"""Issue 15, finding 7: visible focus everywhere. Walking every page with Tab, as a keyboard user does, each
control the focus lands on (buttons, fields, the review box, tables, the sidebar, the account picker, combo
boxes, check boxes, spin boxes) shows a ring all around it that was not there before it had the focus, in a
colour that stands out from the window (WCAG's 3:1), in the light palette and the dark one. Pixels are read
from what is drawn in the control's place, under the app's real style."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QTableView, QWidget

from tests.ui.helpers import TIMEOUT_MS, shown_app, wait_idle
from tests.ui.story import make_story
from ui.app import dark_palette, make_application
from ui.widgets.focus_ring import LEAST_CONTRAST, contrast, ring_target

EDGE_SHARE = 0.9  # of each side's pixels (corners left out) that must show the ring
NEW_SHARE = 0.5  # of them that must be new (a selected row was already in the highlight's colour)


@pytest.fixture(scope="module")
def story(tmp_path_factory, gui_env):
    data_dir = tmp_path_factory.mktemp("gui-focus")
    return data_dir, make_story(data_dir)


@pytest.fixture(params=("light", "dark"))
def palette(request) -> Iterator[QPalette]:
    app = make_application()
    normal = QPalette(app.palette())
    if request.param == "dark":
        app.setPalette(dark_palette())
    yield app.palette()
    app.setPalette(normal)


def ring_problem(focused: QImage, unfocused: QImage, window: QColor) -> str | None:
    """None when each side of ``focused``, one pixel in, stands out from the window by LEAST_CONTRAST and
    mostly was not so in ``unfocused``; else what is missing."""
    w, h = focused.width(), focused.height()
    if (w, h) != (unfocused.width(), unfocused.height()) or w < 12 or h < 12:
        return f"cannot compare {w}x{h} with {unfocused.width()}x{unfocused.height()}"
    sides = {
        "top": [(x, 1) for x in range(5, w - 5)],
        "bottom": [(x, h - 2) for x in range(5, w - 5)],
        "left": [(1, y) for y in range(5, h - 5)],
        "right": [(w - 2, y) for y in range(5, h - 5)],
    }
    for side, points in sides.items():
        ringed = [p for p in points if contrast(focused.pixelColor(*p), window) >= LEAST_CONTRAST]
        new = [p for p in ringed if focused.pixelColor(*p) != unfocused.pixelColor(*p)]
        if len(ringed) < EDGE_SHARE * len(points) or len(new) < NEW_SHARE * len(points):
            return f"{side}: {len(ringed)} of {len(points)} pixels ringed, {len(new)} of them new"
    return None


def seen(control: QWidget) -> QImage:
    """What is drawn in the control's place, anything laid over it included."""
    parent = control.parentWidget()
    return (parent.grab(control.geometry()) if parent is not None else control.grab()).toImage()


def describe(widget: QWidget) -> str:
    text = getattr(widget, "text", None)
    return f"{type(widget).__name__} {text() if callable(text) else widget.objectName()!r}"


def test_tab_shows_a_clear_ring_on_every_control(qtbot, story, palette) -> None:
    data_dir, who = story
    window_colour = palette.color(QPalette.ColorRole.Window)
    with shown_app(data_dir) as (session, window):
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=TIMEOUT_MS)
        combo = window.account_chooser.combo
        qtbot.waitUntil(lambda: combo.findData(who["alice"]) >= 0, timeout=TIMEOUT_MS)
        combo.setCurrentIndex(combo.findData(who["alice"]))
        kinds: set[str] = set()
        problems: list[str] = []
        for page in window.pages:
            window.show_page(type(page))
            page.refresh()
            wait_idle(qtbot, session)
            for table in page.findChildren(QTableView):
                if table.isVisible() and table.model() is not None and table.model().rowCount():
                    table.selectRow(0)
            page.focus_first()
            start = QApplication.focusWidget()
            for _ in range(200):  # around the whole window, back to where it started
                control = ring_target(QApplication.focusWidget())  # reached by Tab (the first: by Ctrl+N)
                focused = seen(control)
                qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
                unfocused = seen(control)
                kinds.add(type(control).__name__)
                problem = ring_problem(focused, unfocused, window_colour)
                if problem:
                    problems.append(f"{page.title}: {describe(control)}: {problem}")
                    focused.save(f"/tmp/trust-{page.title[:5]}-f.png")
                    unfocused.save(f"/tmp/trust-{page.title[:5]}-u.png")
                if QApplication.focusWidget() is start:
                    break
    assert {"QPushButton", "QLineEdit", "QPlainTextEdit", "QTableView", "QComboBox", "QListWidget"} <= kinds, kinds
    assert not problems, "no clear focus ring:\n" + "\n".join(sorted(set(problems)))
