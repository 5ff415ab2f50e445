"""My contributions: status, countdown to the refund, amounts; claim one or all refundable."""

from __future__ import annotations

import html

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QPushButton, QWidget

from dacwallet.usecases.claims import REFUNDABLE, ClaimResult, claim_refund, refund_all
from ui import format as fmt
from ui.dialogs.sign_dialog import SignDialog
from ui.models.contributions_model import ContributionsModel
from ui.pages.base import Page
from ui.session import WalletSession
from ui.watcher import Snapshot, Watcher
from ui.widgets.messages import MessageLabel
from ui.widgets.pending_panel import PendingPanel
from ui.widgets.tables import row_table


class ContributionsPage(Page):
    title = "My contributions"
    hint = ("Each review you added, where it stands, and when its deposit can come back. A refund is claimable once "
            "the wait is over and the model agrees with your label.")

    def __init__(self, session: WalletSession, watcher: Watcher, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.watcher = watcher
        self.model = ContributionsModel()
        self.table = row_table(self.model)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        # Fixed widths, no ResizeToContents: measuring thousands of rows every second froze the GUI thread.
        header.setResizeContentsPrecision(40)
        widths = {ContributionsModel.ID: 56, ContributionsModel.LABEL: 80, ContributionsModel.STATUS: 180,
                  ContributionsModel.REFUND: 130, ContributionsModel.DEPOSIT: 110, ContributionsModel.CLAIMABLE: 110}
        for column, width in widths.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        header.setSectionResizeMode(ContributionsModel.REVIEW, QHeaderView.ResizeMode.Stretch)
        self.layout_.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.summary = QLabel("")
        row.addWidget(self.summary, 1)
        self.claim_button = QPushButton("Claim refund")
        self.claim_all_button = QPushButton("Claim all refundable")
        row.addWidget(self.claim_button)
        row.addWidget(self.claim_all_button)
        self.layout_.addLayout(row)
        self.message = MessageLabel()
        self.layout_.addWidget(self.message)
        self.pending = PendingPanel(session)  # shows itself only while a transaction waits to be mined
        self.layout_.addWidget(self.pending)
        self.claim_button.clicked.connect(self.claim_selected)
        self.claim_all_button.clicked.connect(self.claim_all)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        watcher.sig_snapshot.connect(self._show)
        watcher.sig_failed.connect(self.message.show_error)
        session.sig_account_changed.connect(lambda _a: self._update_buttons())
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._tick_visible)
        self._tick.start()
        self._update_buttons()

    def refresh(self) -> None:
        self.watcher.refresh()
        self.pending.refresh()

    def _tick_visible(self) -> None:
        if not self.isVisible() or not self.model.rows:
            return
        first = max(0, self.table.rowAt(0))
        last = self.table.rowAt(self.table.viewport().height())
        self.model.tick(first, len(self.model.rows) - 1 if last < 0 else last)

    def _show(self, snapshot: Snapshot) -> None:
        selected = self.selected()
        classes = self.session.opened.classifications if self.session.opened else ()
        self.model.set_rows(snapshot.contributions, snapshot.status.time, classes, snapshot.names)
        if selected is not None:
            for row, item in enumerate(self.model.rows):
                if item.id == selected.id:
                    self.table.selectRow(row)
        counts: dict[str, int] = {}
        for item in snapshot.contributions:
            counts[item.status] = counts.get(item.status, 0) + 1
        claimable = sum(c.claimable for c in self._refundable())
        self.summary.setText(", ".join(f"{n} {s}" for s, n in sorted(counts.items())) or "No contributions yet.")
        if claimable:
            self.summary.setText(self.summary.text() + f" — {fmt.eth(claimable)} can be claimed now")
        self._update_buttons()

    def selected(self):  # noqa: ANN201 - ContributionStatus | None
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def _refundable(self) -> list:
        account = (self.session.account or "").lower()
        return [c for c in self.model.rows if c.status == REFUNDABLE and c.stored.author.lower() == account]

    def _update_buttons(self) -> None:
        item = self.selected()
        self.claim_button.setEnabled(item is not None and item.status == REFUNDABLE)
        refundable = self._refundable()
        self.claim_all_button.setEnabled(bool(refundable))
        self.claim_all_button.setText(f"Claim all refundable ({len(refundable)})" if refundable
                                      else "Claim all refundable")

    def claim_selected(self) -> None:
        item = self.selected()
        if item is None or item.status != REFUNDABLE:
            return
        contribution_id = item.id
        dialog = SignDialog(
            self.session, "Claim refund",
            f"Claim back <b>{fmt.eth(item.claimable)}</b> from contribution #{item.id} "
            f"(“{html.escape(item.stored.text[:80])}”).", item.stored.author,
            lambda ctx, signer, stage, _stop: claim_refund(ctx, signer, contribution_id, on_stage=stage),
            lambda receipt: f"<b>Done.</b> Refund claimed in block {receipt['blockNumber']}.",
            "Claim refund", parent=self)
        self._open(dialog)

    def claim_all(self) -> None:
        refundable = self._refundable()
        if not refundable or self.session.account is None:
            return
        total = sum(c.claimable for c in refundable)

        def action(ctx, signer, stage, should_stop):  # noqa: ANN001, ANN202
            return refund_all(ctx, signer, on_progress=lambda done, n: stage(f"claimed {done} of {n}…"),
                              should_stop=should_stop)

        dialog = SignDialog(
            self.session, "Claim all refundable",
            f"Claim back <b>{fmt.eth(total)}</b> from {len(refundable)} contributions, one transaction each. "
            "You can stop between two claims.", self.session.account, action, _describe_all, "Claim all",
            cancellable=True, parent=self)
        self._open(dialog)

    def _open(self, dialog: SignDialog) -> None:
        self.dialog = dialog
        dialog.open()


def _describe_all(results: list[ClaimResult]) -> str:
    ok = [r for r in results if r.error is None]
    failed = [r for r in results if r.error is not None]
    text = f"<b>Done.</b> Claimed {len(ok)} refunds, {fmt.eth(sum(r.amount for r in ok))} in all."
    for r in failed:
        text += f"<br>#{r.contribution_id}: {html.escape(r.error or '')}"
    return text
