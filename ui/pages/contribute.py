"""Contribute: write a review, watch the model's opinion change as you type, pick a label, confirm."""

from __future__ import annotations

import html
from itertools import pairwise

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from dacwallet.errors import DacwalletError
from dacwallet.usecases.contribute import ContributionState
from dacwallet.usecases.contribution_send import PreparedContribution, prepare
from dacwallet.usecases.evidence import margin
from dacwallet.usecases.exports import StoredContribution
from dacwallet.usecases.opened import Opened
from dacwallet.usecases.preview import ChainPreview, LocalPreview, chain_preview, local_preview
from ui import format as fmt
from ui.dialogs.confirm_contribution import ConfirmContributionDialog
from ui.evidence import highlighted_html
from ui.pages.base import NO_MODEL, Page
from ui.runner import message_of
from ui.session import WalletSession
from ui.widgets.deposit_curve import DepositCurve
from ui.widgets.messages import MessageLabel

CHAIN_PREVIEW_DELAY_MS = 450


class ContributePage(Page):
    title = "Contribute"
    hint = (
        "Write a short movie review and say whether it is Negative or Positive. You leave a small deposit; you "
        "get it back after the wait if the model then agrees with your label."
    )
    points_hint = (
        "Write a short movie review and say whether it is Negative or Positive. This model takes no deposit: "
        "if the model agrees with your label after the wait, claiming it earns you a point."
    )

    def __init__(self, session: WalletSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.editor = QPlainTextEdit()
        self.editor.setPlaceholderText("e.g. A wonderful film: brilliant acting and a moving story.")
        self.editor.setTabChangesFocus(True)
        self.layout_.addWidget(self.editor, 1)

        self.prediction = QLabel("The model's opinion appears here as you type.")
        font = self.prediction.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.prediction.setFont(font)
        self.prediction.setWordWrap(True)
        self.layout_.addWidget(self.prediction)
        self.rendering = QTextBrowser()
        self.rendering.setOpenLinks(False)
        self.rendering.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.rendering.setPlaceholderText(
            "Words that push the model are coloured here: green toward Positive, red toward Negative."
        )
        self.layout_.addWidget(self.rendering, 1)

        chain_box = QGroupBox("On the chain")
        chain_layout = QVBoxLayout(chain_box)
        story = QHBoxLayout()
        self.chain_line = QLabel("—")
        self.chain_line.setWordWrap(True)
        # Room for the whole deposit story, so the page does not jump when it arrives.
        self.chain_line.setMinimumHeight(self.chain_line.fontMetrics().lineSpacing() * 5 + 6)
        story.addWidget(self.chain_line, 1)
        self.curve = DepositCurve()
        story.addWidget(self.curve, 0, Qt.AlignmentFlag.AlignTop)
        chain_layout.addLayout(story)
        self.advice = MessageLabel()
        chain_layout.addWidget(self.advice)
        self.layout_.addWidget(chain_box)

        row = QHBoxLayout()
        row.addWidget(QLabel("Your label:"))
        self.label_group = QButtonGroup(self)
        self.label_group.setExclusive(True)
        self.label_row = QHBoxLayout()
        row.addLayout(self.label_row)
        row.addStretch(1)
        self.submit_button = QPushButton("Contribute…")
        self.submit_button.setToolTip("Ctrl+Enter")
        self.submit_button.setDefault(True)
        row.addWidget(self.submit_button)
        self.layout_.addLayout(row)
        self.message = MessageLabel()
        self.layout_.addWidget(self.message)

        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(CHAIN_PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self._ask_chain)
        self._sequence = 0
        self._chain_busy = False
        self._chain_again = False
        self.local: LocalPreview | None = None
        self.chain: ChainPreview | None = None
        self.label_buttons: list[QPushButton] = []
        self._transient: str | None = None  # a message true only until the review, label or account changes

        self.editor.textChanged.connect(self._text_changed)
        self.editor.textChanged.connect(self._input_changed)
        self.label_group.idClicked.connect(lambda _id: self._schedule_chain())
        self.label_group.idClicked.connect(lambda _id: self._input_changed())
        session.sig_account_changed.connect(lambda _a: self._input_changed())
        self.submit_button.clicked.connect(self.submit)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.submit)
        session.sig_opened.connect(self._opened)
        session.sig_mirror_changed.connect(self._text_changed)
        session.sig_account_changed.connect(lambda _a: self._schedule_chain())
        if session.opened is not None:
            self._opened(session.opened)

    # --- labels --------------------------------------------------------------------------------

    def _opened(self, opened: Opened) -> None:
        for button in self.label_buttons:
            self.label_group.removeButton(button)
            button.deleteLater()
        self.label_buttons = []
        for index, name in enumerate(opened.classifications):
            button = QPushButton(name)
            button.setCheckable(True)
            button.setMinimumWidth(96)
            self.label_group.addButton(button, index)
            self.label_row.addWidget(button)
            self.label_buttons.append(button)
        QWidget.setTabOrder(self.editor, self.label_buttons[0] if self.label_buttons else self.submit_button)
        for a, b in pairwise([*self.label_buttons, self.submit_button]):
            QWidget.setTabOrder(a, b)
        if opened.model_name is None:
            self.message.show_note(NO_MODEL)
        elif self.message.text() == NO_MODEL:
            self.message.clear()
        self._text_changed()

    def focus_first(self) -> None:
        self.editor.setFocus()  # Ctrl+1: typing goes into the review

    def set_draft(self, text: str, label: int | None = None) -> None:
        """Puts ``text`` in the editor and checks ``label`` (e.g. a review kept from a reset chain, to send again)."""
        self.editor.setPlainText(text)
        button = self.label_group.button(label) if label is not None else None
        if button is not None:
            button.setChecked(True)
        self.editor.setFocus()

    def chosen_label(self) -> int | None:
        index = self.label_group.checkedId()
        return None if index < 0 else index

    # --- the instant preview (GUI thread, local mirror) ---------------------------------------

    def _text_changed(self) -> None:
        text = self.editor.toPlainText()
        opened, mirror = self.session.opened, self.session.mirror
        self.local = None
        if not text.strip():
            self.prediction.setText("The model's opinion appears here as you type.")
            self.rendering.clear()
            self.chain_line.setText("—")
            self.curve.set_quote(None)
            self.advice.clear()
            return
        if opened is None or opened.bundle is None or mirror is None:
            if self.no_model():
                why = NO_MODEL
            elif opened is not None and opened.bundle is None:
                why = html.escape(
                    opened.local_copy_note or "This model has no local copy here, so reviews cannot be encoded for it."
                )
            else:
                why = "The model is not loaded yet (connecting to the network)…"
            self.prediction.setText(why)
            self.rendering.setPlainText(text)
            return
        try:
            self.local = local_preview(opened.bundle, mirror, text)
        except DacwalletError as exc:
            self.prediction.setText(html.escape(exc.user_message))
            self.rendering.setPlainText(text)
            self.chain_line.setText("—")
            self.curve.set_quote(None)
            return
        names = opened.classifications
        value = margin(opened.bundle, self.local)
        confidence = "clearly" if abs(value) > 1 else ("leaning" if abs(value) > 0.25 else "barely")
        self.prediction.setText(
            f"The model says <b>{html.escape(self.local.class_name)}</b> — {confidence}, from "
            f"{len(self.local.indices)} words and word pairs it knows"
        )
        # The figure itself is a detail for the curious (plain words above, per the "no jargon").
        self.prediction.setToolTip(f"Distance from the decision boundary, in the model's units: {value:+.2f}")
        self.rendering.setHtml(highlighted_html(text, self.local, names))
        self._schedule_chain()

    # --- the chain preview (debounced, in the runner) ------------------------------------------

    def _schedule_chain(self) -> None:
        if self.local is not None:
            self._preview_timer.start()

    def _ask_chain(self) -> None:
        if self.local is None:
            return
        if self._chain_busy:
            self._chain_again = True
            return
        self._chain_busy = True
        self._sequence += 1
        sequence, text = self._sequence, self.editor.toPlainText()
        label = self.chosen_label()
        label = self.local.prediction if label is None else label
        address = self.session.account
        self.chain_line.setText(self.chain_line.text() if self.chain else "Asking the chain…")
        self.session.call(
            lambda ctx: chain_preview(ctx, text, label, address),
            lambda p: self._chain_done(sequence, p),
            lambda e: self._chain_failed(sequence, e),
        )

    def _chain_finished(self) -> bool:
        self._chain_busy = False
        if self._chain_again:
            self._chain_again = False
            self._ask_chain()
            return False
        return True

    def _chain_done(self, sequence: int, preview: ChainPreview) -> None:
        if not self._chain_finished() or sequence != self._sequence:
            return
        self.chain = preview
        agree = (
            ""
            if self.local is None or self.local.prediction == preview.chain_prediction
            else " (the local copy disagrees: trusting the chain, rebuilding the local copy)"
        )
        fee = "" if preview.max_fee_wei is None else f"Network fee at most {fmt.eth(preview.max_fee_wei)} · "
        self.chain_line.setText(
            f"The chain's model says <b>{html.escape(preview.chain_class_name)}</b>{agree}<br>"
            f"{html.escape(preview.deposit.summary())}<br>{html.escape(preview.deposit.why())}<br>"
            f"{fee}refund possible from <b>{fmt.when(preview.refund_at)}</b>"
        )
        self.chain_line.setToolTip(
            f"deposit now {preview.deposit.now_wei:,} wei, sent at most {preview.deposit.send_wei:,} wei"
        )
        self.curve.set_quote(preview.deposit)
        problems = preview.blocking + (preview.advice if self.chosen_label() is not None else [])
        if preview.blocking:
            self.advice.show_error(" ".join(preview.blocking))
        elif problems:
            self.advice.show_advice(" ".join(problems))
        else:
            self.advice.clear()
        if self.local is not None and self.local.prediction != preview.chain_prediction:
            self.session.refresh_mirror()

    def _chain_failed(self, sequence: int, error: BaseException) -> None:
        if not self._chain_finished() or sequence != self._sequence:
            return
        self.chain = None
        self.chain_line.setText("The chain preview cannot run right now: " + html.escape(message_of(error)))
        self.curve.set_quote(None)

    # --- submitting ----------------------------------------------------------------------------

    def _refuse(self, text: str) -> None:
        """Why Contribute did nothing; said until the review, the label or the account changes."""
        self._transient = text
        self.message.show_error(text)

    def _tell(self, text: str) -> None:
        """What became of the last contribution; said until the next review starts or the account changes
        (it stayed under another account's review a day later)."""
        self._transient = text
        self.message.show_note(text)

    def _input_changed(self) -> None:
        if self._transient is not None and self.message.text() == self._transient:
            self.message.clear()
        self._transient = None

    def submit(self) -> None:
        text = self.editor.toPlainText()
        label, address = self.chosen_label(), self.session.account
        if not text.strip():
            self._refuse("Write a review first.")
            self.editor.setFocus()
            return
        if self.no_model():
            self._refuse(NO_MODEL)
            return
        if self.local is None:
            self._refuse("The model cannot read this review yet: use a few ordinary English words.")
            return
        if label is None:
            self._refuse(
                "Choose a label: is this review "
                + " or ".join(self.session.opened.classifications if self.session.opened else ())
                + "?"
            )
            return
        if address is None:
            self._refuse("Create or select an account on the Wallet page first.")
            return
        self.message.show_note("Asking the chain for the deposit, the fee and its prediction…")
        self.submit_button.setEnabled(False)
        self.session.call(
            lambda ctx: prepare(ctx, text, label, address), lambda p: self._confirm(p, text), self._prepare_failed
        )

    def _prepare_failed(self, error: BaseException) -> None:
        self.submit_button.setEnabled(True)
        self.message.show_error(message_of(error))

    def _confirm(self, prepared: PreparedContribution, text: str) -> None:
        self.submit_button.setEnabled(True)
        self.message.clear()
        dialog = ConfirmContributionDialog(self.session, prepared, text, self)
        self.dialog: ConfirmContributionDialog | None = dialog
        dialog.finished.connect(lambda _r: self._dialog_closed(dialog))
        dialog.open()

    def _dialog_closed(self, dialog: ConfirmContributionDialog) -> None:
        stored: StoredContribution | None = dialog.result_
        self.dialog = None
        if stored is None:
            return
        if stored.state == ContributionState.SENDING:  # sent, not mined within the dialog's wait
            told = (
                f"Contribution #{stored.id} is sent and waiting to be mined; nothing is lost. "
                "Follow it, speed it up or cancel it on My contributions → Pending transactions."
            )
        else:
            told = (
                f"Contribution #{stored.id} added. Its refund can be claimed from "
                f"{fmt.when(dialog.prepared.preview.refund_from(stored.added_time))} if the model agrees then; "
                "follow it on My contributions."
            )
        self.editor.clear()
        checked = self.label_group.checkedButton()
        if checked is not None:
            self.label_group.setExclusive(False)
            checked.setChecked(False)
            self.label_group.setExclusive(True)
        self._tell(told)
        self.chain = None
        self.session.refresh_mirror()
        self.session.notify_changed()
