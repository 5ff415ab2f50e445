"""Models on this chain: the known deployments, which one is in use, adding one by its address, forgetting
one; and a deployment that stopped part-way, to resume (signed in the SignDialog) or abandon.

Everything goes through the use-cases of dacwallet.usecases.deployments in the runner. A change of the
active deployment reopens the session on the same network, so every page (Contribute, My contributions,
Dashboard, Community) gets the new model, its classes and its local mirror from one fresh ``Opened``.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from dacwallet.usecases.context import WalletContext
from dacwallet.usecases.deploy_run import Finished
from dacwallet.usecases.deployments import (
    KnownRow,
    Unfinished,
    abandon_deployment,
    add_known,
    remove_deployment,
    resume_deployment,
    use_deployment,
)
from dacwallet.usecases.deployments_overview import DeploymentsOverview, deployments_overview
from dacwallet.usecases.exports import DeploymentProgress
from dacwallet.usecases.sending import UnlockedSigner
from ui import format as fmt
from ui.dialogs.sign_dialog import SignDialog
from ui.models.deployments_model import DeploymentsModel
from ui.runner import message_of
from ui.session import WalletSession
from ui.widgets.fields import fit_placeholder
from ui.widgets.messages import ADVICE_STYLE, MessageLabel
from ui.widgets.tables import row_table

MODEL_FILTER = "Model files (*.json);;All files (*)"
VOCAB_FILTER = "Vocabularies (*.json);;All files (*)"


def left_on_chain(stopped: Unfinished) -> str:
    """What abandoning leaves behind, in words (said before the user confirms)."""
    p = stopped.progress
    if p.classifier is None and p.pending is None:
        return "Nothing of it is on the chain yet."
    parts = [
        f"the model contract {p.classifier} (owned by {p.deployer})" if p.classifier else None,
        f"{p.chunks_done} uploaded parameter chunk{'s' if p.chunks_done != 1 else ''}" if p.chunks_done else None,
        f"the entry point {p.trainer}" if p.trainer else None,
    ]
    text = "These stay on the chain, unused: " + ", ".join(x for x in parts if x) + "." if any(parts) else ""
    if p.pending is not None:
        text += f" Its last transaction {p.pending['tx']} was sent and may still be mined."
    return (text + " Nothing is undone and the fees spent are not returned.").strip()


class DeploymentsPanel(QGroupBox):
    """The Model page's list of deployments; ``refresh()`` re-reads it in the runner."""

    def __init__(self, session: WalletSession, parent: QWidget | None = None) -> None:
        super().__init__("Models on this chain", parent)
        self.session = session
        self.state: DeploymentsOverview | None = None
        self.model_file: str | None = None
        self.vocab_file: str | None = None
        self.dialog: SignDialog | None = None
        self.confirm_box: QMessageBox | None = None
        self._busy = False
        layout = QVBoxLayout(self)

        self.notice = QFrame()
        self.notice.setObjectName("unfinished")
        self.notice.setStyleSheet(f"QFrame#unfinished {{ {ADVICE_STYLE} }}")
        notice_row = QHBoxLayout(self.notice)
        notice_row.setContentsMargins(8, 4, 4, 4)
        self.notice_text = QLabel("")
        self.notice_text.setWordWrap(True)
        self.notice_text.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.notice_text.setMinimumHeight(self.notice_text.fontMetrics().lineSpacing() * 3)
        self.resume_button = QPushButton("Resume…")
        self.abandon_button = QPushButton("Abandon…")
        notice_row.addWidget(self.notice_text, 1)
        notice_row.addWidget(self.resume_button)
        notice_row.addWidget(self.abandon_button)
        self.notice.hide()
        layout.addWidget(self.notice)

        self.model = DeploymentsModel()
        self.table = row_table(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)  # a handful of rows
        header.setSectionResizeMode(DeploymentsModel.NAME, QHeaderView.ResizeMode.Stretch)
        rows_high = self.table.verticalHeader().defaultSectionSize()
        self.table.setMinimumHeight(rows_high * 2 + header.sizeHint().height() + 4)
        self.table.setMaximumHeight(rows_high * 4 + header.sizeHint().height() + 4)
        layout.addWidget(self.table)

        # Acting on the selected row, then adding one on a line of its own: on one line the panel was wider
        # than the page at 1024 px, which then scrolled sideways.
        actions = QHBoxLayout()
        self.use_button = QPushButton("Use")
        self.use_button.setToolTip("Make the selected model the one the other pages use")
        self.remove_button = QPushButton("Remove")
        self.remove_button.setToolTip(
            "Forget the selected model here (the chain keeps it, and so does this wallet your contributions to it)"
        )
        actions.addWidget(self.use_button)
        actions.addWidget(self.remove_button)
        actions.addStretch(1)
        layout.addLayout(actions)
        adding = QHBoxLayout()
        adding.addWidget(QLabel("Add by address:"))
        self.address = QLineEdit()
        self.address.setPlaceholderText("0x… entry-point address")
        self.address.setClearButtonEnabled(True)
        fit_placeholder(self.address)
        adding.addWidget(self.address, 1)
        self.model_file_button = QPushButton("Model file…")
        self.model_file_button.setToolTip(
            "Optional: the file the model was deployed from, for the instant preview. Without one, a shipped model "
            "with the same name and encoder is used, if there is one."
        )
        adding.addWidget(self.model_file_button)
        self.vocab_button = QPushButton("Vocabulary…")
        self.vocab_button.setToolTip(
            'Only for a model whose encoder is the reference\'s "IMDB vocab": its vocabulary JSON file (word -> '
            "index), so reviews can be encoded for it."
        )
        adding.addWidget(self.vocab_button)
        self.add_button = QPushButton("Add by address")
        adding.addWidget(self.add_button)
        layout.addLayout(adding)
        self.message = MessageLabel()
        layout.addWidget(self.message)

        self.use_button.clicked.connect(self.use_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.add_button.clicked.connect(self.add)
        self.address.returnPressed.connect(self.add)
        self.model_file_button.clicked.connect(self.choose_model_file)
        self.vocab_button.clicked.connect(self.choose_vocab_file)
        self.resume_button.clicked.connect(self.resume)
        self.abandon_button.clicked.connect(self.ask_abandon)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self._update_buttons()

    # --- reading -------------------------------------------------------------------------------

    def refresh(self) -> None:
        self.session.call(deployments_overview, self._show, lambda e: self.message.show_error(message_of(e)))

    def _show(self, state: DeploymentsOverview) -> None:
        selected = self.selected()
        self.state = state
        self.model.set_rows(state.rows)
        trainers = [r.known.deployment.trainer for r in state.rows]
        keep = selected.known.deployment.trainer if selected is not None else None
        if keep in trainers:
            self.table.selectRow(trainers.index(keep))
        self._show_unfinished(state)
        self._update_buttons()

    def _show_unfinished(self, state: DeploymentsOverview) -> None:
        stopped = state.unfinished
        self.notice.setVisible(stopped is not None)
        if stopped is None:
            return
        p = stopped.progress
        who = (
            f"Resuming signs the remaining steps with <b>{html.escape(state.deployer_name)}</b>."
            if state.deployer_name
            else f"It was started by {p.deployer}, which is not an account of this wallet: only that account can "
            "finish it."
        )
        self.notice_text.setText(
            f"<b>A deployment stopped part-way:</b> model “{html.escape(stopped.model_name)}”; "
            f"{html.escape(_so_far(p))}. {who}"
        )
        self.notice_text.setToolTip(p.describe())
        self.resume_button.setEnabled(state.deployer_name is not None)

    def selected(self) -> KnownRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows and rows[0].row() < len(self.model.rows) else None

    def _update_buttons(self) -> None:
        row = self.selected()
        idle = not self._busy
        self.use_button.setEnabled(idle and row is not None and not row.active)
        self.remove_button.setEnabled(idle and row is not None)
        self.add_button.setEnabled(idle)

    # --- acting --------------------------------------------------------------------------------

    def _run(self, fn: Callable[[WalletContext], Any], on_done: Callable[[Any], None]) -> None:
        self._busy = True
        self.message.clear()
        self._update_buttons()

        def done(result: Any) -> None:
            self._busy = False
            on_done(result)
            self._update_buttons()

        def failed(error: BaseException) -> None:
            self._busy = False
            self.message.show_error(message_of(error))
            self._update_buttons()

        self.session.call(fn, done, failed)

    def _active_changed(self) -> None:
        self.session.model_switched()  # every page follows the model now in use

    def use_selected(self) -> None:
        row = self.selected()
        if row is None or row.active:
            return
        trainer = row.known.deployment.trainer
        self._run(lambda ctx: use_deployment(ctx, trainer), self._used)

    def _used(self, row: KnownRow) -> None:
        self.message.show_note(
            f"Now using “{html.escape(row.known.deployment.name)}” "
            f"({row.known.deployment.trainer}); every page follows it."
        )
        self._active_changed()

    def remove_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        trainer = row.known.deployment.trainer
        self._run(lambda ctx: remove_deployment(ctx, trainer), self._removed)

    def _removed(self, row: KnownRow) -> None:
        d = row.known.deployment
        kept = (
            f" Your {row.own_contributions} contribution(s) to it stay in this wallet; add it again to see them."
            if row.own_contributions
            else ""
        )
        self._changed(f"Forgot “{html.escape(d.name)}” ({d.trainer}); the chain keeps it.{kept}", row.active)

    def choose_model_file(self) -> None:
        self.set_model_file(self._ask_file("The model file it was deployed from", MODEL_FILTER))

    def choose_vocab_file(self) -> None:
        self.set_vocab_file(self._ask_file('The "IMDB vocab" vocabulary', VOCAB_FILTER))

    def _ask_file(self, title: str, filters: str) -> str | None:
        path, _filter = QFileDialog.getOpenFileName(self, title, str(Path.home()), filters)
        return path or None

    def set_model_file(self, path: str | None) -> None:
        self.model_file = path
        _show_choice(self.model_file_button, "Model file", path)

    def set_vocab_file(self, path: str | None) -> None:
        self.vocab_file = path
        _show_choice(self.vocab_button, "Vocabulary", path)

    def add(self) -> None:
        address = self.address.text().strip()
        if not address:
            self.message.show_error("Paste the model's entry-point address (0x… 40 hex digits) first.")
            self.address.setFocus()
            return
        model_file, vocab_file = self.model_file, self.vocab_file
        self._run(lambda ctx: add_known(ctx, address, model_file, vocab_file), self._added)

    def _added(self, row: KnownRow) -> None:
        d = row.known.deployment
        self.address.clear()
        self.set_model_file(None)
        self.set_vocab_file(None)
        local = (
            html.escape(row.local_note)
            if row.local_note
            else f"Local copy: {html.escape(row.known.model_file or '')} (instant preview)."
        )
        now = " It is the model in use now." if row.active else " Select it and press Use to switch to it."
        self._changed(f"Added “{html.escape(d.name)}” ({d.trainer}). {local}{now}", row.active)

    def _changed(self, note: str, active: bool) -> None:
        """Says what was done; reopens the session when the model in use changed, else re-reads the list."""
        self.message.show_note(note)
        if active:
            self._active_changed()
        else:
            self.refresh()

    # --- the deployment that stopped part-way --------------------------------------------------

    def resume(self) -> None:
        state = self.state
        if state is None or state.unfinished is None:
            return
        stopped = state.unfinished
        deployer = stopped.progress.deployer
        if deployer is None:
            return

        def action(
            ctx: WalletContext,
            signer: UnlockedSigner,
            stage: Callable[[str], None],
            _stop: Callable[[], bool],
            allow: bool,
        ) -> Finished:
            finished = resume_deployment(
                ctx, signer, lambda step, done, total: stage(f"{step} ({done}/{total})"), allow_high_fee=allow
            )
            use_deployment(ctx, finished.deployment.trainer)  # the store made it active; so does this context
            return finished

        self.dialog = SignDialog(
            self.session,
            "Resume the deployment",
            f"Finish deploying model “{html.escape(stopped.model_name)}”. So far: "
            f"{html.escape(stopped.progress.describe())}.<br>What exists is reused; nothing is sent twice. "
            "When it is done, it becomes the model in use.",
            deployer,
            action,
            _describe_finished,
            "Resume",
            parent=self,
        )
        self.dialog.finished.connect(self._resume_closed)
        self.dialog.open()

    def _resume_closed(self, _result: int) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None and isinstance(dialog.result_, Finished):
            self.message.show_note(_describe_finished(dialog.result_))
            self._active_changed()
        else:
            self.refresh()

    def ask_abandon(self) -> None:
        state = self.state
        if state is None or state.unfinished is None:
            return
        stopped = state.unfinished
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Abandon the deployment",
            f"Forget the unfinished deployment of model “{stopped.model_name}”?",
            parent=self,
        )
        box.setInformativeText(left_on_chain(stopped) + " You can start a new deployment afterwards.")
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        self.abandon_yes = box.button(QMessageBox.StandardButton.Yes)
        self.abandon_yes.setText("Abandon")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(lambda _r: self._abandon_answered(box.clickedButton() is self.abandon_yes))
        self.confirm_box = box
        box.open()

    def _abandon_answered(self, confirmed: bool) -> None:
        self.confirm_box = None
        if confirmed:
            self._run(abandon_deployment, self._abandoned)

    def _abandoned(self, gone: Unfinished) -> None:
        self.message.show_note(
            f"Forgot the deployment of “{html.escape(gone.model_name)}”. " + html.escape(left_on_chain(gone))
        )
        self.refresh()


def _show_choice(button: QPushButton, what: str, path: str | None) -> None:
    button.setText(f"{what}: {Path(path).name}" if path else f"{what}…")


def _so_far(p: DeploymentProgress) -> str:
    """What exists, short (the full addresses are in the tooltip: ``p.describe()``)."""
    parts = [f"model contract {fmt.short_address(p.classifier)}" if p.classifier else "model contract not deployed"]
    if p.classifier:
        parts.append(f"{p.chunks_done} parameter chunk{'s' if p.chunks_done != 1 else ''} uploaded")
    parts.append(f"entry point {fmt.short_address(p.trainer)}" if p.trainer else "entry point not deployed")
    if p.pending is not None:
        parts.append("a transaction sent but not seen mined")
    return ", ".join(parts)


def _describe_finished(finished: Finished) -> str:
    d = finished.deployment
    note = f"<br>{html.escape(finished.mirror_note)}" if finished.mirror_note else ""
    return (
        f"<b>Done.</b> Model “{html.escape(d.name)}” is deployed at {d.trainer} "
        f"({fmt.short_address(d.trainer)} in the list) and is the model in use now.{note}"
    )
