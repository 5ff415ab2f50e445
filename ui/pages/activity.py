"""Activity: every transaction of the selected account on this chain (contributions, refunds, reports, sends,
cancels, deployments), with its state, what it sent and received, its fee and its hash; a copy button."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QPushButton, QWidget

from dacwallet.usecases.activity import ActivityRow, account_activity
from ui.models.activity_model import ActivityModel
from ui.pages.base import Page
from ui.runner import message_of
from ui.session import WalletSession
from ui.watcher import Watcher
from ui.widgets.messages import MessageLabel
from ui.widgets.tables import row_table


class ActivityPage(Page):
    title = "Activity"
    hint = (
        "Every transaction the selected account signed on this chain, newest first: what it was, whether it "
        "was mined, what it sent and received, and the network fee it paid."
    )

    def __init__(self, session: WalletSession, watcher: Watcher, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.model = ActivityModel()
        self.table = row_table(self.model)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for column in range(len(ActivityModel.HEADERS) - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ActivityModel.DETAIL, QHeaderView.ResizeMode.Stretch)
        self.layout_.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.summary = QLabel("")
        row.addWidget(self.summary, 1)
        self.copy_button = QPushButton("Copy transaction hash")
        row.addWidget(self.copy_button)
        self.layout_.addLayout(row)
        self.message = MessageLabel()
        self.layout_.addWidget(self.message)
        self.copy_button.clicked.connect(self._copy)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        session.sig_account_changed.connect(lambda _a: self._refresh_if_visible())
        watcher.sig_snapshot.connect(lambda _s: self._refresh_if_visible())
        self._update_buttons()

    def _refresh_if_visible(self) -> None:
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        address = self.session.account
        if address is None or not self.session.connected:
            self._show(address, [])
            return
        self.session.call(
            lambda ctx: account_activity(ctx, address),
            lambda rows: self._show(address, rows),
            lambda e: self.message.show_error(message_of(e)),
        )

    def _show(self, address: str | None, rows: list[ActivityRow]) -> None:
        if address != self.session.account:
            return  # another account was chosen meanwhile; its own rows follow
        self.message.clear()
        self.model.set_rows(rows)
        pending = sum(1 for r in rows if r.state in ("signed", "pending"))
        self.summary.setText(
            "No transactions yet."
            if not rows
            else f"{len(rows)} transaction{'s' if len(rows) > 1 else ''}"
            + (f", {pending} waiting to be mined." if pending else ".")
        )
        self._update_buttons()

    def selected(self) -> ActivityRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        row = self.selected()
        self.copy_button.setEnabled(row is not None and bool(row.tx_hash))

    def _copy(self) -> None:
        row = self.selected()
        if row is not None:
            QGuiApplication.clipboard().setText(row.tx_hash)
            self.message.show_note(f"Copied {row.tx_hash} to the clipboard.")
