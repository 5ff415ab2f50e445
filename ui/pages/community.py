"""Community: others' contributions the selected account may report now, and for how much."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QPushButton, QWidget

from dacwallet.usecases.community import Reportable, report, report_fee, reportable
from dacwallet.usecases.payout import claim_text
from ui import format as fmt
from ui.dialogs.sign_dialog import SignDialog, confirmed_fee
from ui.models.reportable_model import ReportableModel
from ui.pages.base import NO_MODEL, Page
from ui.runner import message_of
from ui.session import WalletSession
from ui.widgets.messages import MessageLabel
from ui.widgets.tables import row_table


class CommunityPage(Page):
    title = "Community"
    hint = (
        "Contributions by others whose refund wait is over while the model disagrees with their label (or that "
        "were abandoned). Reporting one moves (part of) its deposit to you; you need good contributions of your "
        "own (reputation) to report."
    )
    points_hint = (
        "Contributions by others whose refund wait is over while the model disagrees with their label (or that "
        "were abandoned). Reporting one closes it; this model pays points and a report earns none. You need good "
        "contributions of your own (reputation) to report."
    )

    def __init__(self, session: WalletSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.model = ReportableModel()
        self.table = row_table(self.model)
        header = self.table.horizontalHeader()
        for column in range(len(ReportableModel.HEADERS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ReportableModel.WORDS, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ReportableModel.REASON, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(ReportableModel.REASON, 130)  # the full reason is in the report dialog
        self.layout_.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.summary = QLabel("")
        row.addWidget(self.summary, 1)
        self.report_button = QPushButton("Report")
        row.addWidget(self.report_button)
        self.layout_.addLayout(row)
        self.message = MessageLabel()
        self.layout_.addWidget(self.message)
        self.report_button.clicked.connect(self.report_selected)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        session.sig_changed.connect(lambda moved: self._refresh_if_visible() if moved.touches_contributions else None)
        session.sig_account_changed.connect(lambda _a: self._refresh_if_visible())
        self._update_buttons()

    def _refresh_if_visible(self) -> None:
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        account = self.session.account
        if account is None:
            self.summary.setText("Select an account on the Wallet page to see what it may report.")
            return
        if self.no_model():
            self.model.set_rows([], ())
            self.message.clear()
            self.summary.setText(NO_MODEL)
            return
        self.summary.setText("Looking at others' contributions…")
        self.session.call(lambda ctx: reportable(ctx, account), self._show, self._failed)

    def _show(self, rows: list[Reportable]) -> None:
        classes = self.session.opened.classifications if self.session.opened else ()
        self.model.set_rows(rows, classes, self._pays_points())
        self.message.clear()
        total = claim_text(self._pays_points(), "report", sum(r.reward_wei for r in rows))
        self.summary.setText(
            f"{len(rows)} contribution{'s' if len(rows) != 1 else ''} may be reported now, {total} in all."
            if rows
            else "Nothing to report right now."
        )
        self._update_buttons()

    def _failed(self, error: BaseException) -> None:
        self.summary.setText("")
        self.message.show_error(message_of(error))

    def _pays_points(self) -> bool:
        return self.session.opened is not None and self.session.opened.pays_points

    def selected(self) -> Reportable | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        self.report_button.setEnabled(self.selected() is not None)

    def report_selected(self) -> None:
        item, account = self.selected(), self.session.account
        if item is None or account is None:
            return
        key, in_points = item.id, self._pays_points()
        reward = claim_text(in_points, "report", item.reward_wei)
        label, says = self.model.class_name(item.contribution.label), self.model.class_name(item.prediction)
        dialog = SignDialog(
            self.session,
            "Report contribution",
            f"Report the contribution by {fmt.short_address(item.contribution.author)} labelled "
            f"<b>{html.escape(label)}</b>, which the model now calls <b>{html.escape(says)}</b> "
            f"({html.escape(item.reason)}). Its words: {html.escape(', '.join(item.words[:12]))}"
            f"{'…' if len(item.words) > 12 else ''}",
            account,
            lambda ctx, signer, stage, _stop, allow: report(ctx, signer, key, on_stage=stage, fee=confirmed_fee(allow)),
            lambda result: (
                f"<b>Done.</b> Reported in block {result[1]['blockNumber']}; "
                + (f"it earned {reward}." if in_points else f"{reward} moved to your account.")
            ),
            "Report",
            parent=self,
            amount_wei=item.reward_wei,
            fee=lambda ctx: report_fee(ctx, account, key),
            gets=reward if in_points else None,
        )
        self.dialog = dialog
        dialog.open()
