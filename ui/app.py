"""Starting the GUI: `dacwallet` with no command lands here (see ui/launcher.py)."""

from __future__ import annotations

import gc
import sys
from argparse import Namespace
from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from dacwallet.errors import DacwalletError
from dacwallet.paths import default_data_dir
from dacwallet.usecases.exports import NetworkSpec
from ui.dialogs.first_run import FirstRunDialog
from ui.main_window import MainWindow
from ui.runner import Runner
from ui.session import WalletSession
from ui.widgets import focus_ring

SWITCH_INTERVAL_S = 0.001


def make_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication with Fusion, which follows the OS palette (light or dark)."""
    # The GUI thread asks for the GIL back after this long when the runner's thread holds it: 5 ms by
    # default, paid again at each of the many calls a repaint makes into Qt (each lets the GIL go).
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or sys.argv[:1])
    app.setApplicationName("dacwallet")
    app.setStyle("Fusion")
    # Every control reachable by Tab: some platforms (X11's generic theme) give Tab to text fields only.
    app.styleHints().setTabFocusBehavior(Qt.TabFocusBehavior.TabFocusAllControls)
    focus_ring.install(app)  # Fusion's own focus mark is too faint to follow
    return app


def build(data_dir: Path, network: NetworkSpec, runner: Runner | None = None) -> tuple[WalletSession, MainWindow]:
    """Session + main window; opening the wallet starts at once in the background."""
    session = WalletSession(data_dir, network, runner or Runner())
    window = MainWindow(session)
    session.open(network)
    window.account_chooser.refresh()
    _freeze_startup_heap()
    return session, window


_heap_frozen = False


def _freeze_startup_heap() -> None:
    """What is alive once the window is built (modules, Qt wrappers, the wallet) lives as long as the app.

    gc.freeze() takes it out of the cyclic collector's walks: a full collection over those ~170,000
    objects held the GIL for 130-235 ms, freezing the window while a sync ran. Objects are still freed
    by their reference counts. Once per process (tests build many windows).
    """
    global _heap_frozen
    if not _heap_frozen:
        _heap_frozen = True
        gc.freeze()


def needs_welcome(session: WalletSession) -> bool:
    """True when the data folder has no account yet (a quick local directory read at launch)."""
    return not session.offline_keys.accounts()


def show_welcome(session: WalletSession, window: MainWindow) -> FirstRunDialog:
    dialog = FirstRunDialog(session, window)
    dialog.accepted.connect(lambda: _welcomed(session, window, dialog))
    dialog.open()
    return dialog


def _welcomed(session: WalletSession, window: MainWindow, dialog: FirstRunDialog) -> None:
    if dialog.added is not None:
        session.set_account(dialog.added.info.address)
    session.notify_changed()
    window.show_page(0).focus_first()  # typing goes into the review, not the account picker


def run_app(options: Namespace) -> int:
    app = make_application()
    try:
        network = NetworkSpec.parse(options.network or "embedded", getattr(options, "chain_id", None))
    except DacwalletError as exc:
        print(f"dacwallet: {exc.user_message}", file=sys.stderr)
        return 2
    data_dir = Path(options.data_dir) if options.data_dir else default_data_dir()
    data_dir.mkdir(parents=True, exist_ok=True)
    session, window = build(data_dir, network)
    window.show()
    if needs_welcome(session):
        show_welcome(session, window)
    code = app.exec()
    shut_down(session, window)
    return code


def shut_down(session: WalletSession, window: MainWindow) -> None:
    """Closes the wallet, then deletes the window while the application is still there: left to Python's exit,
    the QApplication could be freed first and the window's teardown then ended in a segmentation fault (exit 139,
    every quit of the app)."""
    session.close()
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)


def dark_palette() -> QPalette:
    """A dark palette like the OS gives in dark mode (for checking the app in dark themes)."""
    palette = QPalette()
    role = QPalette.ColorRole
    for r, colour in (
        (role.Window, "#2b2b2b"),
        (role.WindowText, "#e6e6e6"),
        (role.Base, "#1f1f1f"),
        (role.AlternateBase, "#2f2f2f"),
        (role.Text, "#e6e6e6"),
        (role.Button, "#353535"),
        (role.ButtonText, "#e6e6e6"),
        (role.Highlight, "#2f65ca"),
        (role.HighlightedText, "#ffffff"),
        (role.ToolTipBase, "#3a3a3a"),
        (role.ToolTipText, "#e6e6e6"),
        (role.Link, "#6ea8ff"),
        (role.PlaceholderText, "#9a9a9a"),
        (role.Mid, "#444444"),
        (role.Dark, "#1a1a1a"),
    ):
        palette.setColor(r, QColor(colour))
    palette.setColor(QPalette.ColorGroup.Disabled, role.Text, QColor("#7a7a7a"))
    palette.setColor(QPalette.ColorGroup.Disabled, role.ButtonText, QColor("#7a7a7a"))
    palette.setColor(QPalette.ColorGroup.Disabled, role.WindowText, QColor("#7a7a7a"))
    return palette
