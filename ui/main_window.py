"""The main window only assembles: sidebar + pages, account chooser, banner, status bar, shortcuts."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)

from dacwallet.usecases.notices import Notice, banner_text
from ui.pages import PageFactory, default_pages
from ui.pages.base import Page
from ui.session import WalletSession
from ui.status_bar import WalletStatusBar
from ui.watcher import Watcher
from ui.widgets.account_chooser import AccountChooser
from ui.widgets.account_header import AccountHeader
from ui.widgets.messages import Banner


class _ActivityFilter(QObject):
    """Any key or click restarts the auto-lock countdown."""

    def __init__(self, session: WalletSession) -> None:
        super().__init__()
        self.session = session

    def eventFilter(self, _obj: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress):
            self.session.passwords.touch()
        return False


PREFERRED_SIZE = QSize(1100, 720)


def _first_size() -> QSize:
    """The preferred size, but never larger than the screen's free area (a 1024x700 screen showed the window's
    right edge, with the Lock and Contribute buttons, off screen)."""
    screen = QGuiApplication.primaryScreen()
    return PREFERRED_SIZE if screen is None else PREFERRED_SIZE.boundedTo(screen.availableGeometry().size())


class MainWindow(QMainWindow):
    def __init__(self, session: WalletSession, pages: list[PageFactory] | None = None) -> None:
        super().__init__()
        self.session = session
        self.setWindowTitle("dacwallet")
        self.resize(_first_size())
        self.watcher = Watcher(session, self)
        self.pages: list[Page] = [factory(session, self.watcher) for factory in (pages or default_pages())]

        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        top = QHBoxLayout()
        top.setContentsMargins(12, 8, 12, 4)
        top.addStretch(1)
        self.account_chooser = AccountChooser(session)
        top.addWidget(self.account_chooser)
        self.header = AccountHeader(session, self.watcher)
        top.addWidget(self.header)
        outer.addLayout(top)
        self.banner = Banner()  # its room is kept while hidden: a notice never moves the page
        outer.addWidget(self.banner)
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        self.sidebar = QListWidget()
        self.sidebar.setFixedWidth(200)
        self.sidebar.setFrameShape(QListWidget.Shape.NoFrame)
        self.sidebar.setSpacing(3)
        self.stack = QStackedWidget()
        for number, page in enumerate(self.pages, start=1):
            self.sidebar.addItem(f"  {page.title}")
            self.sidebar.item(number - 1).setSizeHint(QSize(180, 30))
            self.sidebar.item(number - 1).setToolTip(f"Ctrl+{number}")
            self.stack.addWidget(page)
            shortcut = QShortcut(QKeySequence(f"Ctrl+{number}"), self)
            shortcut.activated.connect(lambda index=number - 1: self.show_page(index).focus_first())
        self.sidebar.currentRowChanged.connect(self.stack.setCurrentIndex)
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction("Keyboard &shortcuts", self.show_shortcuts)
        body.addWidget(self.sidebar)
        body.addWidget(self.stack, 1)
        outer.addLayout(body, 1)
        self.setCentralWidget(central)
        self.status = WalletStatusBar(session, self.watcher, self)
        self.setStatusBar(self.status)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self).activated.connect(self.refresh)
        self.watcher.sig_notices.connect(self.show_notices)
        self._notices: list[Notice] = []  # shown in the banner now
        self._dismissed: set[tuple[int, str]] = set()
        self._told: set[tuple[int, str]] = set()  # already sent to the tray
        self.banner.sig_dismissed.connect(
            lambda: self._dismissed.update((n.contribution_id, n.kind) for n in self._notices)
        )
        session.sig_open_failed.connect(
            lambda text: self.banner.show_message(
                f"Not connected: {text} Retrying every few seconds; balances are unknown until then.", warning=True
            )
        )
        session.sig_opened.connect(lambda _o: self._connected())
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(self.windowIcon(), self)
        self._activity = _ActivityFilter(session)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self._activity)
        self.sidebar.setCurrentRow(0)

    def page(self, page_type: type[Page]) -> Page:
        return next(p for p in self.pages if isinstance(p, page_type))

    def show_page(self, index_or_type: int | type[Page]) -> Page:
        index = index_or_type if isinstance(index_or_type, int) else self.pages.index(self.page(index_or_type))
        if 0 <= index < len(self.pages):
            self.sidebar.setCurrentRow(index)
        return self.pages[self.stack.currentIndex()]

    def shortcuts(self) -> list[tuple[str, str]]:
        """(keys, what they do), as the Help menu lists them."""
        pages = [(f"Ctrl+{n}", f"{page.title}") for n, page in enumerate(self.pages, start=1)]
        return pages + [
            ("Ctrl+Enter", "Contribute: open the confirmation"),
            ("F5", "Refresh (reconnect if needed)"),
            ("Tab / Shift+Tab", "Next / previous control"),
            ("Esc", "Close a dialog"),
        ]

    def show_shortcuts(self) -> None:
        rows = "".join(f"<tr><td><b>{keys}</b></td><td>&nbsp;&nbsp;{what}</td></tr>" for keys, what in self.shortcuts())
        self.shortcuts_box = QMessageBox(
            QMessageBox.Icon.NoIcon,
            "Keyboard shortcuts",
            f"<table>{rows}</table>",
            QMessageBox.StandardButton.Close,
            self,
        )
        self.shortcuts_box.open()

    def refresh(self) -> None:
        """F5: reconnect if needed, then re-read the current page and the status."""
        self.session.retry_now()
        current = self.stack.currentWidget()
        if isinstance(current, Page):
            current.refresh()
        self.watcher.refresh()
        self.account_chooser.refresh()

    def _connected(self) -> None:
        if self.banner.isVisible() and "Not connected" in self.banner.label.text():
            self.banner.hide()

    def show_notices(self, notices: list[Notice]) -> None:
        """The banner shows what is true now (minus what the user dismissed); gone when nothing is."""
        shown = [n for n in notices if (n.contribution_id, n.kind) not in self._dismissed]
        if shown:
            self.banner.show_message(banner_text(shown), warning=any(n.kind != "refundable" for n in shown))
        elif self._notices and self.banner.isVisible():
            self.banner.hide()
        self._notices = shown
        keys = {(n.contribution_id, n.kind) for n in shown}
        if self.tray is not None and self.tray.isVisible():
            for notice in shown:
                if (notice.contribution_id, notice.kind) not in self._told:
                    self.tray.showMessage("dacwallet", notice.text)
        self._told = keys

    def closeEvent(self, event: QCloseEvent) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self._activity)
        super().closeEvent(event)
