"""Dashboard: charts that answer the questions a contributor asks (is my reputation growing, are my refunds
coming back, how much is in the pool, what does a contribution cost, is the model getting better), each
with today's answer as a large number, redrawn after every sync of the watcher.

The series are computed in the runner (dacwallet.usecases.dashboard) and arrive as plain dataclasses; this page
only feeds them to the curves with setData. The model's accuracy is measured on held-out reviews
prepared in the background (ui.charts.evaluation_feed); the user may choose another review file.
Exports: PNG at twice the screen's resolution (SVG is not offered, it fails on PySide6 >= 6.11) and
one CSV file with every series, units in the headers.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from dacwallet.errors import InputError
from dacwallet.usecases.dashboard import DashboardData, RebuildCache, dashboard_data
from dacwallet.usecases.evaluation import EvaluationProgress
from ui.charts.board import ChartBoard
from ui.charts.csv_export import write_csv
from ui.charts.evaluation_feed import feed_for
from ui.pages.base import NO_MODEL, Page
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
    # PySide6's stub types the format as bytes, but at run time it takes only a str.
    if not image.save(str(path), "PNG"):  # type: ignore[call-overload]
        raise InputError(f"Could not write {path}; choose a folder you can write to.")
    return path


class DashboardPage(Page):
    title = "Dashboard"
    hint = (
        "How your contributions and the model have been doing, in chain time. Hover a chart to read every "
        "series at that moment; drag or scroll to look at a period (all charts follow); click one of your "
        "own deposits (ringed) to open it."
    )
    points_hint = (
        "How your contributions and the model have been doing, in chain time. This model pays points: it holds "
        "no deposits. Hover a chart to read every series at that moment; drag or scroll to look at a period (all "
        "charts follow); click one of your own contributions (ringed) to open it."
    )

    sig_data_shown = Signal(object)  # DashboardData, after the curves took it
    sig_exported = Signal(object)  # Path of a written PNG or CSV file

    def __init__(self, session: WalletSession, watcher: Watcher, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.feed = feed_for(session)
        self._cache = RebuildCache()  # worker side: used only inside runner operations
        self.data: DashboardData | None = None
        self._busy = self._again = False

        controls = QHBoxLayout()
        self.evaluation_label = QLabel("Accuracy measured on: —")
        self.evaluation_label.setWordWrap(True)
        self.evaluation_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        controls.addWidget(self.evaluation_label, 1)
        self.choose_button = QPushButton("Other reviews…")
        self.choose_button.setToolTip(
            "Measure the accuracy on a review file of your own (JSONL or JSONL.gz). "
            "Reviews the model was trained on are left out."
        )
        self.clear_button = QPushButton("Held-out reviews")
        self.clear_button.setToolTip("Back to the reviews this model was not trained on (the default)")
        controls.addWidget(self.choose_button)
        controls.addWidget(self.clear_button)
        self.png_button = QPushButton("Export PNG…")
        self.csv_button = QPushButton("Export CSV…")
        self.png_button.setToolTip("All charts as one image, at twice the screen's resolution")
        self.csv_button.setToolTip("Every series in one file, a column each, units in the headers")
        controls.addWidget(self.png_button)
        controls.addWidget(self.csv_button)
        self.layout_.addLayout(controls)
        self.board = ChartBoard()
        # Three rows of charts whose figures clear their axis labels (at 404 px the reputation figure ran into its
        # right axis label): a note under the board ("Saved …") scrolls the page instead of squeezing the charts.
        self.board.setMinimumHeight(440)
        self.layout_.addWidget(self.board, 1)
        self.message = MessageLabel()
        self.layout_.addWidget(self.message)

        self.choose_button.clicked.connect(self.choose_evaluation)
        self.clear_button.clicked.connect(lambda: self.set_evaluation_file(None))
        self.png_button.clicked.connect(self._ask_png)
        self.csv_button.clicked.connect(self._ask_csv)
        self.board.sig_contribution_clicked.connect(self.open_contribution)
        self.feed.sig_progress.connect(self._evaluation_progress)
        self.feed.sig_failed.connect(self.message.show_error)
        watcher.sig_snapshot.connect(lambda _s: self._refresh_if_visible())  # the watcher's cycle, no new poller
        session.sig_account_changed.connect(lambda _a: self._refresh_if_visible())
        self._update_buttons()

    @property
    def evaluation(self) -> EvaluationProgress | None:
        return self.feed.progress

    def _update_buttons(self) -> None:
        has_data = self.data is not None
        self.png_button.setEnabled(has_data)
        self.csv_button.setEnabled(has_data)
        self.clear_button.setEnabled(self.evaluation is not None and self.evaluation.chosen)

    # --- refresh ------------------------------------------------------------------------------

    def _refresh_if_visible(self) -> None:
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        if not self.session.connected:
            self.message.show_note(
                "Not connected: the charts show the last data read."
                if self.data
                else "Not connected yet; the charts appear once the wallet is open."
            )
            return
        if self.no_model():
            self.message.show_note(NO_MODEL)
            return
        self.feed.start()  # the held-out reviews, if not ready yet (nothing to do when they are)
        if self._busy:  # one computation at a time; the latest request is served when it ends
            self._again = True
            return
        self._busy = True
        account, evaluation, cache = self.session.account, self.feed.evaluation, self._cache
        self.session.call(lambda ctx: dashboard_data(ctx, account, evaluation, cache), self._show, self._failed)

    def _show(self, data: DashboardData) -> None:
        self.data = data
        self.message.clear()
        if self.evaluation is not None and self.evaluation.error:
            self.message.show_error(self.evaluation.error)  # still true: said until another file is chosen
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

    def open_contribution(self, contribution_id: int) -> None:
        """A click on one of your deposits: that contribution, selected in My contributions."""
        window = self.window()
        if not hasattr(window, "show_page"):
            return
        from ui.pages.contributions import ContributionsPage  # here: pages do not import each other at load

        window.show_page(ContributionsPage).select_contribution(contribution_id)

    # --- the evaluation set -------------------------------------------------------------------

    def choose_evaluation(self) -> None:
        progress = self.evaluation
        start = progress.path.parent if progress and progress.path else evaluation_folder()
        path, _filter = QFileDialog.getOpenFileName(
            self, "Reviews to measure the accuracy on", str(start), REVIEW_FILTER
        )
        if path:
            self.set_evaluation_file(Path(path))

    def set_evaluation_file(self, path: Path | None) -> None:
        """The user's review file (None: the held-out default), remembered for this data folder and read in
        the background; the charts follow once it is ready."""
        self.feed.choose(path)

    def _evaluation_progress(self, progress: EvaluationProgress | None) -> None:
        self._update_buttons()
        if progress is None:
            self.evaluation_label.setText("Accuracy measured on: — (this model has no local copy to measure)")
            return
        if progress.error:
            self.evaluation_label.setText(f"Accuracy measured on: {progress.name} — unusable")
            self.message.show_error(progress.error)
            return
        self.evaluation_label.setText(f"Accuracy measured on {progress.short()}")
        self.evaluation_label.setToolTip(progress.describe())
        if progress.ready and (self.data is None or self.data.evaluation != progress):
            self._refresh_if_visible()  # the accuracy curve appears as soon as the set is ready

    # --- exports ------------------------------------------------------------------------------

    def _ask_png(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, "Export charts as PNG", str(Path.home() / "dashboard.png"), "PNG image (*.png)"
        )
        if path:
            self.export_png(Path(path))

    def _ask_csv(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, "Export series as CSV", str(Path.home() / "dashboard.csv"), "CSV (*.csv)"
        )
        if path:
            self.export_csv(Path(path))

    def export_png(self, path: Path) -> None:
        """Renders on the GUI thread (pyqtgraph draws the scene), writes the file in the runner."""
        image = self.board.render_image()
        self.session.runner.run(lambda: _save_image(image, path), self._exported, self._export_failed)

    def export_csv(self, path: Path) -> None:
        if self.data is None:
            return
        series, points = self.data.series, self.data.pays_points
        self.session.runner.run(lambda: (write_csv(path, series, points), path)[1], self._exported, self._export_failed)

    def _export_failed(self, error: BaseException) -> None:
        self.message.show_error(message_of(error))

    def _exported(self, path: Path) -> None:
        self.message.show_note(f"Saved {path}.")
        self.sig_exported.emit(path)
