"""Dashboard: live charts of this account's reputation and pending refunds, the pool, the deposit
and the model's accuracy, redrawn after every sync of the watcher.

The series are computed in the runner (ui.charts.data) and arrive as plain dataclasses; this page
only feeds them to the curves with setData. Exports: PNG (pyqtgraph's ImageExporter; SVG is not
offered, it fails on PySide6 >= 6.11) and one CSV file with every series.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QWidget

from dacwallet.errors import InputError
from ui import format as fmt
from ui.charts.board import ChartBoard
from ui.charts.csv_export import write_csv
from ui.charts.data import (
    DashboardData,
    EvaluationProgress,
    EvaluationSet,
    RebuildCache,
    dashboard_data,
    save_evaluation_setting,
)
from ui.pages.base import NO_MODEL, Page, muted_palette
from ui.runner import message_of
from ui.session import WalletSession
from ui.watcher import Watcher
from ui.widgets.messages import MessageLabel

REVIEW_FILTER = "Reviews (*.jsonl *.jsonl.gz);;All files (*)"


def evaluation_folder() -> Path:
    """Where the evaluation file dialog starts: the shared IMDB data next to the project, if present."""
    for base in (Path.cwd(), *Path.cwd().parents[:2]):
        for candidate in (base / "shared" / "data" / "imdb", base / "data" / "imdb"):
            if candidate.is_dir():
                return candidate
    return Path.home()


def _save_image(image: QImage, path: Path) -> Path:
    if not image.save(str(path), "PNG"):
        raise InputError(f"Could not write {path}; choose a folder you can write to.")
    return path


class DashboardPage(Page):
    title = "Dashboard"
    hint = ("How your contributions and the model have been doing, in chain time. Updated after every sync; "
            "drag or scroll a chart to look at a period (all charts follow).")

    sig_data_shown = Signal(object)  # DashboardData, after the curves took it
    sig_exported = Signal(object)  # Path of a written PNG or CSV file

    def __init__(self, session: WalletSession, watcher: Watcher, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        # Worker-side state: used only inside runner operations, like the session's context.
        self._evaluation = EvaluationSet()
        self._cache = RebuildCache()
        self.data: DashboardData | None = None
        self.evaluation: EvaluationProgress | None = None
        self._busy = self._again = self._encoding = False

        controls = QHBoxLayout()
        self.evaluation_label = QLabel("Evaluation set: none")
        self.evaluation_label.setToolTip("Reviews in the shared JSONL(.gz) format; accuracy on them is charted "
                                         "after every few contributions.")
        controls.addWidget(self.evaluation_label)
        self.choose_button = QPushButton("Choose evaluation file…")
        self.clear_button = QPushButton("No evaluation set")
        controls.addWidget(self.choose_button)
        controls.addWidget(self.clear_button)
        controls.addStretch(1)
        self.png_button = QPushButton("Export PNG…")
        self.csv_button = QPushButton("Export CSV…")
        self.png_button.setToolTip("All charts as one image")
        self.csv_button.setToolTip("Every series in one file: chart, series, unit, time, value")
        controls.addWidget(self.png_button)
        controls.addWidget(self.csv_button)
        self.layout_.addLayout(controls)
        self.summary = QLabel("")
        self.layout_.addWidget(self.summary)
        self.board = ChartBoard()
        self.board.setMinimumHeight(420)
        self.layout_.addWidget(self.board, 1)
        self.message = MessageLabel()
        self.layout_.addWidget(self.message)
        self._mute_labels()

        self.choose_button.clicked.connect(self.choose_evaluation)
        self.clear_button.clicked.connect(lambda: self.set_evaluation_file(None))
        self.png_button.clicked.connect(self._ask_png)
        self.csv_button.clicked.connect(self._ask_csv)
        watcher.sig_snapshot.connect(lambda _s: self._refresh_if_visible())  # the watcher's cycle, no new poller
        session.sig_account_changed.connect(lambda _a: self._refresh_if_visible())
        self._update_buttons()

    # --- look ---------------------------------------------------------------------------------

    def _mute_labels(self) -> None:
        self.summary.setPalette(muted_palette(self))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._mute_labels()

    def _update_buttons(self) -> None:
        has_data = self.data is not None
        self.png_button.setEnabled(has_data)
        self.csv_button.setEnabled(has_data)
        self.clear_button.setEnabled(self.evaluation is not None)

    # --- refresh ------------------------------------------------------------------------------

    def _refresh_if_visible(self) -> None:
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        if not self.session.connected:
            self.summary.setText("Not connected: the charts show the last data read." if self.data else
                                 "Not connected yet; the charts appear once the wallet is open.")
            return
        if self.no_model():
            self.message.clear()
            self.summary.setText(NO_MODEL)
            return
        if self._busy:  # one computation at a time; the latest request is served when it ends
            self._again = True
            return
        self._busy = True
        account, evaluation, cache = self.session.account, self._evaluation, self._cache
        self.session.call(lambda ctx: dashboard_data(ctx, account, evaluation, cache), self._show, self._failed)

    def _show(self, data: DashboardData) -> None:
        self.data = data
        self.message.clear()
        series = data.series
        pool = float(series.pool_balance.values[-1]) if len(series.pool_balance) else 0.0
        count = len(series.contributions)
        self.summary.setText(f"{count:,} contribution{'s' if count != 1 else ''} in all · "
                             f"{fmt.eth(round(pool * fmt.WEI_PER_ETH))} still claimable in the pool · "
                             f"chain time {fmt.when(data.now)}")
        self._show_evaluation(data.evaluation)
        self.board.show_data_in_steps(data, lambda: self._shown(data))

    def _shown(self, data: DashboardData) -> None:
        self._update_buttons()  # exports only once every chart holds the data
        self.sig_data_shown.emit(data)
        self._done()

    def _failed(self, error: BaseException) -> None:
        self.message.show_error(message_of(error))
        self._done()

    def _done(self) -> None:
        self._busy = False
        if self._again:
            self._again = False
            self.refresh()

    # --- the evaluation set -------------------------------------------------------------------

    def choose_evaluation(self) -> None:
        start = self.evaluation.path.parent if self.evaluation and self.evaluation.path else evaluation_folder()
        path, _filter = QFileDialog.getOpenFileName(self, "Evaluation set", str(start), REVIEW_FILTER)
        if path:
            self.set_evaluation_file(Path(path))

    def set_evaluation_file(self, path: Path | None) -> None:
        """Remembers the choice for this data folder and reads the file in the background, a chunk at a time."""
        evaluation, data_dir = self._evaluation, self.session.data_dir

        def op() -> EvaluationProgress | None:
            evaluation.loaded_setting = True
            evaluation.choose(path)
            save_evaluation_setting(data_dir, path)
            return evaluation.progress()

        self.session.runner.run(op, self._evaluation_chosen, self._failed_evaluation)

    def _evaluation_chosen(self, progress: EvaluationProgress | None) -> None:
        self._show_evaluation(progress)
        self.refresh()  # without a set the accuracy chart loses its second curve at once

    def _show_evaluation(self, progress: EvaluationProgress | None) -> None:
        self.evaluation = progress
        self._update_buttons()
        if progress is None:
            self.evaluation_label.setText("Evaluation set: none")
            return
        if progress.error:
            self.evaluation_label.setText(f"Evaluation set: {progress.name} (unusable)")
            self.message.show_error(progress.error)
            return
        if progress.ready:
            skipped = f", {progress.skipped:,} skipped" if progress.skipped else ""
            self.evaluation_label.setText(f"Evaluation set: {progress.name} ({progress.total - progress.skipped:,} "
                                          f"reviews{skipped})")
            return
        done = f": {progress.done:,} of {progress.total:,} reviews" if progress.total else ""
        self.evaluation_label.setText(f"Evaluation set: reading {progress.name}{done}…")
        self._encode_next()

    def _encode_next(self) -> None:
        if self._encoding:
            return
        self._encoding = True
        evaluation = self._evaluation

        def op(ctx):  # noqa: ANN001, ANN202 - WalletContext -> EvaluationProgress | None
            if ctx.bundle is None:
                raise InputError("This model's encoder is not available here, so reviews cannot be encoded for it.")
            return evaluation.step(ctx.bundle.encoder)

        self.session.call(op, self._encoded, self._failed_evaluation, label="Reading the evaluation set")

    def _encoded(self, progress: EvaluationProgress | None) -> None:
        self._encoding = False
        self._show_evaluation(progress)  # queues the next chunk while some are left
        if progress is not None and progress.ready:
            self.refresh()

    def _failed_evaluation(self, error: BaseException) -> None:
        self._encoding = False
        self.message.show_error(message_of(error))

    # --- exports ------------------------------------------------------------------------------

    def _ask_png(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, "Export charts as PNG", str(Path.home() / "dashboard.png"),
                                                    "PNG image (*.png)")
        if path:
            self.export_png(Path(path))

    def _ask_csv(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, "Export series as CSV", str(Path.home() / "dashboard.csv"),
                                                    "CSV (*.csv)")
        if path:
            self.export_csv(Path(path))

    def export_png(self, path: Path) -> None:
        """Renders on the GUI thread (pyqtgraph draws the scene), writes the file in the runner."""
        image = self.board.render_image()
        self.session.runner.run(lambda: _save_image(image, path), self._exported, self._failed)

    def export_csv(self, path: Path) -> None:
        if self.data is None:
            return
        series = self.data.series
        self.session.runner.run(lambda: (write_csv(path, series), path)[1], self._exported, self._failed)

    def _exported(self, path: Path) -> None:
        self.message.show_note(f"Saved {path}.")
        self.sig_exported.emit(path)
