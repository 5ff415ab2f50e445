"""My contributions: status, countdown to the refund, amounts; claim one or all refundable."""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QWidget

from dacwallet.usecases.claims import (
    CHAIN_RESET,
    REFUNDABLE,
    ClaimResult,
    ContributionStatus,
    claim_refund,
    refund_all,
    refund_all_fee,
    refund_fee,
)
from dacwallet.usecases.context import WalletContext
from dacwallet.usecases.opened import Opened
from dacwallet.usecases.payout import CLAIM_POINTS, claim_text, points
from dacwallet.usecases.sending import UnlockedSigner
from ui import format as fmt
from ui.dialogs.sign_dialog import SignDialog, confirmed_fee
from ui.models.contributions_model import ContributionsModel
from ui.pages.base import NO_MODEL, Page
from ui.session import WalletSession
from ui.watcher import Snapshot, Watcher
from ui.widgets.messages import MessageLabel
from ui.widgets.pending_panel import PendingPanel
from ui.widgets.tables import row_table


class ContributionsPage(Page):
    title = "My contributions"
    hint = (
        "Each review you added, where it stands, and when its deposit can come back. A refund is claimable once "
        "the wait is over and the model agrees with your label."
    )
    points_hint = (
        "Each review you added, where it stands, and when its point can be claimed (this model takes no deposit). "
        "A refund, worth a point, is claimable once the wait is over and the model agrees with your label."
    )

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
        widths = {
            ContributionsModel.ID: 56,
            ContributionsModel.LABEL: 80,
            ContributionsModel.STATUS: 180,
            ContributionsModel.REFUND: 130,
            ContributionsModel.DEPOSIT: 110,
            ContributionsModel.CLAIMABLE: 110,
        }
        for column, width in widths.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        header.setSectionResizeMode(ContributionsModel.REVIEW, QHeaderView.ResizeMode.Stretch)
        self.layout_.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.all_accounts = QCheckBox("All accounts")
        self.all_accounts.setToolTip("Show the contributions of every account here, not only the selected one's")
        row.addWidget(self.all_accounts)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        row.addWidget(self.summary, 1)
        self.again_button = QPushButton("Contribute again")
        self.again_button.setToolTip("Put this review and its label in the Contribute page, to send it on this chain")
        row.addWidget(self.again_button)
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
        self.again_button.clicked.connect(self.contribute_again)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        watcher.sig_snapshot.connect(self._show)
        watcher.sig_failed.connect(self._refresh_failed)
        session.sig_account_changed.connect(lambda _a: self._reshow())
        self.all_accounts.toggled.connect(lambda _on: self._reshow())
        session.sig_opened.connect(self._opened)
        self._reset_from: str | None = None  # a reset found by this open, said once when the rows arrive
        self._wanted: int | None = None  # a contribution asked for (a Dashboard click) before its row arrived
        self._refresh_error: str | None = None
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._tick_visible)
        self._tick.start()
        self._update_buttons()

    def _opened(self, opened: Opened) -> None:
        self._reset_from = opened.reset_from

    def _say_reset(self, rows: list[ContributionStatus]) -> None:
        kept = sum(1 for c in rows if c.status == CHAIN_RESET and c.stored.chain_key == self._reset_from)
        if kept:  # none listed may only mean no model here yet: the Network page says the reset itself
            self._reset_from = None
            self.message.show_note(
                f"This network was reset (it is a new chain now): the {kept} contribution(s) you "
                "made on the old chain are kept here with their text and label; “Contribute "
                "again” sends one on this chain."
            )

    def refresh(self) -> None:
        self.watcher.refresh()
        self.pending.refresh()

    def _tick_visible(self) -> None:
        if not self.isVisible() or not self.model.rows:
            return
        first = max(0, self.table.rowAt(0))
        last = self.table.rowAt(self.table.viewport().height())
        self.model.tick(first, len(self.model.rows) - 1 if last < 0 else last)

    def _refresh_failed(self, text: str) -> None:
        self._refresh_error = text
        self.message.show_error(text)

    def _reshow(self) -> None:
        if self.watcher.last is not None:
            self._show(self.watcher.last)
        else:
            self._update_buttons()

    def _listed(self, rows: list[ContributionStatus]) -> list[ContributionStatus]:
        """The selected account's contributions (the header names it), or every account's when asked."""
        account = (self.session.account or "").lower()
        return rows if self.all_accounts.isChecked() else [c for c in rows if c.stored.author.lower() == account]

    def _show(self, snapshot: Snapshot) -> None:
        if self._refresh_error is not None and self.message.text() == self._refresh_error:
            self.message.clear()  # the node answers again: its failure is no longer true
        self._refresh_error = None
        selected = self.selected()
        classes = self.session.opened.classifications if self.session.opened else ()
        listed = self._listed(snapshot.contributions)
        self.model.set_rows(listed, snapshot.status.time, classes, snapshot.names, self._pays_points())
        if selected is not None:
            for row, item in enumerate(self.model.rows):
                if item.id == selected.id:
                    self.table.selectRow(row)
        self._select_wanted()
        counts: dict[str, int] = {}
        for item in listed:
            counts[item.status] = counts.get(item.status, 0) + 1
        claimable = sum(c.claimable for c in self._refundable())
        self.summary.setText(
            ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
            or (NO_MODEL if self.no_model() else "No contributions yet.")
        )
        refundable = len(self._refundable())
        if self._pays_points() and refundable:
            self.summary.setText(
                self.summary.text() + f" — {points(refundable * CLAIM_POINTS['refund'])} can be claimed now"
            )
        elif claimable:
            self.summary.setText(self.summary.text() + f" — {fmt.eth(claimable)} can be claimed now")
        if counts.get(CHAIN_RESET):
            self.summary.setText(
                self.summary.text() + f" — {counts[CHAIN_RESET]} kept from before this network "
                "was reset: their texts are here, not on the chain"
            )
        if self._reset_from is not None:
            self._say_reset(snapshot.contributions)
        self._update_buttons()

    def select_contribution(self, contribution_id: int) -> None:
        """Selects one contribution and scrolls to it, now or as soon as the list holds it."""
        self._wanted = contribution_id
        self._select_wanted()

    def _select_wanted(self) -> None:
        row = next((r for r, item in enumerate(self.model.rows) if item.id == self._wanted), None)
        if row is not None:
            self._wanted = None
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    def selected(self) -> ContributionStatus | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def _refundable(self) -> list[ContributionStatus]:
        account = (self.session.account or "").lower()
        return [c for c in self.model.rows if c.status == REFUNDABLE and c.stored.author.lower() == account]

    def _update_buttons(self) -> None:
        item = self.selected()
        self.claim_button.setEnabled(item is not None and item.status == REFUNDABLE)
        self.again_button.setVisible(any(c.status == CHAIN_RESET for c in self.model.rows))
        self.again_button.setEnabled(item is not None and item.status == CHAIN_RESET)
        refundable = self._refundable()
        self.claim_all_button.setEnabled(bool(refundable))
        self.claim_all_button.setText(
            f"Claim all refundable ({len(refundable)})" if refundable else "Claim all refundable"
        )

    def _pays_points(self) -> bool:
        return self.session.opened is not None and self.session.opened.pays_points

    def contribute_again(self) -> None:
        """Opens the Contribute page with the selected reset-chain review and its label (matched by name)."""
        item = self.selected()
        window = self.window()
        if item is None or item.status != CHAIN_RESET or not hasattr(window, "show_page"):
            return
        from ui.pages.contribute import ContributePage  # here: that page's dialogs import this one

        classes = self.session.opened.classifications if self.session.opened else ()
        label = classes.index(item.label_name) if item.label_name in classes else item.stored.label
        window.show_page(ContributePage).set_draft(item.stored.text, label)

    def claim_selected(self) -> None:
        item = self.selected()
        if item is None or item.status != REFUNDABLE:
            return
        contribution_id, author = item.id, item.stored.author
        in_points = self._pays_points()
        earned = f" It earns {claim_text(True, 'refund', None)}." if in_points else ""
        what = "the point for" if in_points else "back the deposit of"
        dialog = SignDialog(
            self.session,
            "Claim refund",
            f"Claim {what} contribution #{item.id} (“{html.escape(fmt.excerpt(item.stored.text, 80))}”).{earned}",
            author,
            lambda ctx, signer, stage, _stop, allow: claim_refund(
                ctx, signer, contribution_id, on_stage=stage, fee=confirmed_fee(allow)
            ),
            lambda receipt: f"<b>Done.</b> Refund claimed in block {receipt['blockNumber']}.{earned}",
            "Claim refund",
            parent=self,
            amount_wei=item.claimable,
            gets=claim_text(True, "refund", None) if in_points else None,
            fee=lambda ctx: refund_fee(ctx, author, contribution_id),
        )
        self._open(dialog)

    def claim_all(self) -> None:
        refundable = self._refundable()
        if not refundable or self.session.account is None:
            return
        total = sum(c.claimable for c in refundable)
        account = self.session.account

        def action(
            ctx: WalletContext,
            signer: UnlockedSigner,
            stage: Callable[[str], None],
            should_stop: Callable[[], bool],
            allow: bool,
        ) -> list[ClaimResult]:
            return refund_all(
                ctx,
                signer,
                on_progress=lambda done, n: stage(f"claimed {done} of {n}…"),
                should_stop=should_stop,
                fee=confirmed_fee(allow),
            )

        in_points = self._pays_points()
        amount = points(len(refundable) * CLAIM_POINTS["refund"]) if in_points else fmt.eth(total)
        dialog = SignDialog(
            self.session,
            "Claim all refundable",
            f"Claim back <b>{amount}</b> from {len(refundable)} contributions, one transaction each. "
            "You can stop between two claims.",
            account,
            action,
            lambda results: _describe_all(results, in_points),
            "Claim all",
            cancellable=True,
            parent=self,
            amount_wei=total,
            fee=lambda ctx: refund_all_fee(ctx, account),
            gets=amount if in_points else None,
        )
        self._open(dialog)

    def _open(self, dialog: SignDialog) -> None:
        self.dialog = dialog
        dialog.open()


def _describe_all(results: list[ClaimResult], in_points: bool) -> str:
    ok = [r for r in results if r.error is None]
    failed = [r for r in results if r.error is not None]
    earned = points(len(ok) * CLAIM_POINTS["refund"]) if in_points else fmt.eth(sum(r.amount for r in ok))
    text = f"<b>Done.</b> Claimed {len(ok)} refunds, {earned} in all."
    for r in failed:
        text += f"<br>#{r.contribution_id}: {html.escape(r.error or '')}"
    return text
