"""Simulation: the reference paper's scenarios (dacwallet.sim) run in the background, drawn live.

A run takes minutes (the paper's 18,400 contributions: about 4 minutes from the command line, 4 to 5 1/2 on this
page: benchmarks/simulation_page.py), so it gets a runner of its own: the session's runner has a single thread
that every wallet operation waits on, and a simulation there would freeze the wallet until it ended. The run
uses a throw-away embedded chain (usecases.simulation), so it never touches the wallet's chain, accounts or
database.

The worker reports through ``_SimRelay``'s signals (queued to the GUI thread); the slots only append numbers, and a
250 ms timer redraws when something changed, so the charts repaint at most 4 times a second however fast events come:
a repaint holds the GIL the run needs (at 10 a second the full run took 1.4 times as long, 7 min 29 s against
5 min 27 s; long curves are thinned too, ui.charts.thinning). Stop is cooperative: the run checks a flag between two
wake-ups of its agents and returns what it did so far, which can still be saved.
"""

from __future__ import annotations

import html
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QWidget,
)

from dacwallet.errors import DacwalletError, InputError
from dacwallet.usecases.chainops import parse_duration
from dacwallet.usecases.simulation import (
    PAPER_SAMPLES,
    SCENARIOS,
    SimConfig,
    find_default_data,
    missing_data_message,
    parse_agents,
    save_outputs,
    scenario_agents,
    simulate,
)
from ui.charts.sim_charts import SimCharts
from ui.pages.base import Page
from ui.runner import Runner, message_of
from ui.session import WalletSession
from ui.widgets.messages import MessageLabel

if TYPE_CHECKING:
    from dacwallet.usecases.simulation import SimEvent, SimProgress, SimResult

REDRAW_MS = 250  # at most 4 chart updates a second: a paint holds the GIL, and at 10 the run took 1.4x as long
DEFAULT_SAMPLES = 200  # well under a minute on the embedded chain; the button offers the paper's 18,400
SCENARIO_TEXT = {"attack": "attack: an honest agent and an attacker", "baseline": "baseline: two honest agents"}
REVIEW_FILTER = "Reviews (*.jsonl *.jsonl.gz);;All files (*)"
STAGE_TEXT = {
    "preparing data": "Preparing the data: reading the reviews and training the initial model…",
    "deploying": "Deploying the model and funding the agents on a throw-away chain…",
}


class _SimRelay(QObject):
    """Created on the GUI thread; the worker emits, Qt queues each call to the GUI thread."""

    sig_progress = Signal(object)  # dacwallet.sim.runner.SimProgress
    sig_event = Signal(object)  # dacwallet.sim.runner.SimEvent


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:,.1f}%"


def _agent_label(name: str, role: str) -> str:
    return name if name == role else f"{name} ({role})"


def _elapsed(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes}:{secs:02d}"


class SimulationPage(Page):
    title = "Simulation"
    hint = (
        "The reference paper's simulations, run through the real contracts on a throw-away chain of "
        "their own: your wallet, its accounts and its chain are not touched and stay usable meanwhile."
    )

    sig_run_finished = Signal(object)  # SimResult (result.stopped when Stop ended it)
    sig_outputs_saved = Signal(object)  # dict name -> Path of the written files

    def __init__(self, session: WalletSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.sim_runner = Runner(self)  # its own thread: the session's runner stays free for the wallet
        self._relay = _SimRelay(self)
        self._relay.sig_progress.connect(self._on_progress)
        self._relay.sig_event.connect(self._on_event)
        self._stop = threading.Event()
        self.running = False
        self.result: SimResult | None = None  # of the last run, stopped or not
        self.progress: SimProgress | None = None  # the last one seen
        self._agents: list[str] = []
        self._dirty = False
        self._started = 0.0

        self._build_form()
        self.form_error = MessageLabel()
        self.layout_.addWidget(self.form_error)

        actions = QHBoxLayout()
        self.run_button = QPushButton("Run")
        self.run_button.setDefault(True)
        self.stop_button = QPushButton("Stop")
        self.stop_button.setToolTip("Ends the run after the agents' current wake-up; what ran so far can be saved.")
        self.save_button = QPushButton("Save outputs…")
        self.save_button.setToolTip("events.csv, accuracy.csv, summary.json, balances.png and accuracy.png")
        self.progress_bar = QProgressBar()
        self.progress_bar.setTextVisible(True)
        self._show_count(0, self.samples_spin.value())
        for button in (self.run_button, self.stop_button, self.save_button):
            actions.addWidget(button)
        actions.addWidget(self.progress_bar, 1)
        self.layout_.addLayout(actions)
        self.status = QLabel("Not run yet.")
        self.layout_.addWidget(self.status)

        body = QHBoxLayout()
        self.charts = SimCharts()
        self.charts.setMinimumHeight(300)  # so the window still fits 700 pixels with a banner shown
        body.addWidget(self.charts, 1)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # As wide as the charts leave it, up to 290 px: a fixed 290 cut the charts' right side at 1024 px.
        self.summary.setMinimumWidth(200)
        self.summary.setMaximumWidth(290)
        body.addWidget(self.summary)
        self.layout_.addLayout(body, 1)
        self.message = MessageLabel()
        self.layout_.addWidget(self.message)

        self._redraw_timer = QTimer(self)
        self._redraw_timer.setInterval(REDRAW_MS)
        self._redraw_timer.timeout.connect(self._redraw)

        self.run_button.clicked.connect(self.run)
        self.stop_button.clicked.connect(self.stop)
        self.save_button.clicked.connect(self._ask_save)
        for edit in (self.agents_edit, self.data_edit, self.refund_edit, self.take_edit):
            edit.textChanged.connect(self._validate)
        self.samples_spin.valueChanged.connect(self._validate)
        self.samples_spin.valueChanged.connect(self._follow_box)
        self.scenario_combo.currentIndexChanged.connect(self._validate)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.stop)  # else quitting would wait for the whole run to end
        self._show_placeholder()
        self._validate()

    # --- the form ---------------------------------------------------------------------------------

    def _build_form(self) -> None:
        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        self.scenario_combo = QComboBox()
        for key in SCENARIOS:
            self.scenario_combo.addItem(SCENARIO_TEXT.get(key, key), key)
        self.scenario_combo.setCurrentIndex(SCENARIOS.index("attack"))
        # Narrower than its longest text (elided) so that the window fits a 1024-pixel screen.
        self.scenario_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.scenario_combo.setMinimumContentsLength(14)
        self.samples_spin = QSpinBox()
        self.samples_spin.setRange(1, 100_000)
        self.samples_spin.setGroupSeparatorShown(True)
        self.samples_spin.setValue(DEFAULT_SAMPLES)
        self.samples_spin.setToolTip(
            "Contributions the agents make. About 15 ms each here on the embedded chain, claims included "
            "(the paper's 18,400 in 4 to 5 and a half minutes on a 2-core machine)."
        )
        self.full_scale_button = QPushButton(f"Paper's full scale ({PAPER_SAMPLES:,})")
        self.full_scale_button.setToolTip(
            "Every review the IMDB training split has left after the initial 8%, as in the paper's attack "
            "simulation: 4 to 5 and a half minutes here."
        )
        self.full_scale_button.clicked.connect(lambda: self.samples_spin.setValue(PAPER_SAMPLES))
        self.refund_edit = QLineEdit("1d")
        self.refund_edit.setToolTip(
            "How long after a contribution its author may take the deposit back (e.g. 1h, 1d, 1d12h)."
        )
        self.take_edit = QLineEdit("9d")
        self.take_edit.setToolTip("How long after a contribution anyone may take what is left of its deposit.")
        for edit in (self.refund_edit, self.take_edit):
            edit.setMaximumWidth(80)
        self.agents_edit = QLineEdit()
        self.agents_edit.setPlaceholderText("the scenario's agents; or e.g. good*2:interval=20m;attacker:budget=20000")
        self.agents_edit.setToolTip(
            "Agents separated by ';': good or attacker, optionally *COUNT, then options "
            "name, balance, deposit=MEAN+-SD, interval, mistake (amounts in units of "
            "costWeight·60 wei). Empty: the scenario's own agents."
        )
        default_data = find_default_data()
        self.data_edit = QLineEdit(str(default_data) if default_data else "")
        self.data_edit.setPlaceholderText("a reviews file, JSONL or JSONL.gz (id, label, text per line)")
        self.data_button = QPushButton("Choose…")
        self.data_button.clicked.connect(self._choose_data)

        # Two rows of fields, so that the page (and the window) fits a 1024-pixel-wide screen.
        rows = []
        for fields in (
            (("", self.scenario_combo), ("Contributions", self.samples_spin), ("", self.full_scale_button)),
            (("Refund after", self.refund_edit), ("Anyone may take after", self.take_edit)),
        ):
            row = QHBoxLayout()
            row.setSpacing(6)  # nested in the grid it would otherwise glue each label to its field
            for label, widget in fields:
                if row.count():
                    row.addSpacing(12)
                if label:
                    row.addWidget(QLabel(label))
                row.addWidget(widget, 1 if widget is self.scenario_combo else 0)
            rows.append(row)
        rows[1].addStretch(1)
        grid.addWidget(QLabel("Scenario"), 0, 0)
        grid.addLayout(rows[0], 0, 1, 1, 2)
        grid.addWidget(QLabel("Rules"), 1, 0)
        grid.addLayout(rows[1], 1, 1, 1, 2)
        grid.addWidget(QLabel("Agents"), 2, 0)
        grid.addWidget(self.agents_edit, 2, 1, 1, 2)
        grid.addWidget(QLabel("Reviews"), 3, 0)
        grid.addWidget(self.data_edit, 3, 1)
        grid.addWidget(self.data_button, 3, 2)
        grid.setColumnStretch(1, 1)
        self.layout_.addLayout(grid)
        self._inputs: list[QWidget] = [
            self.scenario_combo,
            self.samples_spin,
            self.full_scale_button,
            self.refund_edit,
            self.take_edit,
            self.agents_edit,
            self.data_edit,
            self.data_button,
        ]

    def config(self) -> SimConfig:
        """The run the form describes; InputError (with a user_message saying what to fix) otherwise."""
        scenario = self.scenario_combo.currentData()
        text = self.agents_edit.text().strip()
        agents = parse_agents(text) if text else scenario_agents(scenario)
        data = Path(self.data_edit.text().strip()).expanduser()
        if not self.data_edit.text().strip():
            raise InputError(missing_data_message("choose one with Choose…"))
        try:
            refund = parse_duration(self.refund_edit.text())
        except DacwalletError as error:
            raise type(error)(f"Refund after: {error.user_message}") from error
        try:
            take = parse_duration(self.take_edit.text())
        except DacwalletError as error:
            raise type(error)(f"Anyone may take after: {error.user_message}") from error
        config = SimConfig(
            scenario=scenario,
            agents=tuple(agents),
            samples=self.samples_spin.value(),
            data=data,
            refund_wait_s=refund,
            any_address_wait_s=take,
        )
        config.validate()
        return config

    def _validate(self) -> bool:
        """Inline: the first thing to fix, in the core's own words; Run only when there is nothing."""
        try:
            self.config()
        except DacwalletError as error:
            self.form_error.show_error(error.user_message)
            self._update_buttons(valid=False)
            return False
        self.form_error.clear()
        self._update_buttons(valid=True)
        return True

    def _choose_data(self) -> None:
        current = Path(self.data_edit.text().strip()).expanduser()
        default_data = find_default_data()
        start = current.parent if current.parent.is_dir() else default_data.parent if default_data else Path.home()
        path, _filter = QFileDialog.getOpenFileName(self, "Reviews for the simulation", str(start), REVIEW_FILTER)
        if path:
            self.data_edit.setText(path)

    def _update_buttons(self, valid: bool | None = None) -> None:
        if valid is None:
            valid = not self.form_error.isVisible()
        self.run_button.setEnabled(valid and not self.running)
        self.stop_button.setEnabled(self.running and not self._stop.is_set())
        self.save_button.setEnabled(self.result is not None and not self.running)
        for widget in self._inputs:
            widget.setEnabled(not self.running)

    # --- a run ------------------------------------------------------------------------------------

    def run(self) -> None:
        if self.running or not self._validate():
            return
        config = self.config()
        self._stop = threading.Event()  # a fresh flag: the last run's Stop must not end this one
        self.running, self.result, self.progress = True, None, None
        self._agents = [a.name for a in config.agents]
        self._started = time.monotonic()
        self.message.clear()
        self.charts.start([(a.name, a.kind) for a in config.agents])
        self.progress_bar.setRange(0, 0)  # busy until the first contribution count arrives
        self.status.setText("Starting…")
        self._show_live()
        self._update_buttons()
        self._redraw_timer.start()
        relay, stop = self._relay, self._stop
        self.sim_runner.run(
            # worker thread: no widgets here, only the relay's signals
            lambda: simulate(
                config, on_progress=relay.sig_progress.emit, should_stop=stop.is_set, on_event=relay.sig_event.emit
            ),
            self._finished,
            self._failed,
        )

    def stop(self) -> None:
        """Asks the run to end after the agents' current wake-up (checked between two of them)."""
        if not self.running or self._stop.is_set():
            return
        self._stop.set()
        self.status.setText(self.status.text() + " · stopping…")
        self._update_buttons()

    def _on_progress(self, progress: SimProgress) -> None:
        if not self.running:
            return  # a queued report from a run that already ended
        self.progress = progress
        if progress.stage == "running":
            if progress.accuracy is not None:
                if not self.charts.accuracy.log.size:
                    self.charts.add_accuracy(0.0, progress.accuracy)  # measured on the freshly deployed model
                self.charts.add_accuracy(progress.day, progress.accuracy)
            self.charts.set_now(progress.day)
        self._dirty = True

    def _on_event(self, event: SimEvent) -> None:
        if not self.running:
            return
        self.charts.add_balance(event.agent, event.day, event.balance_pct)
        self._dirty = True

    def _redraw(self) -> None:
        """The timer's slot: one chart update and one status line for whatever arrived since the last."""
        if not self._dirty:
            return
        self._dirty = False
        self.charts.redraw()
        self._show_progress()

    def _show_progress(self) -> None:
        progress = self.progress
        if progress is None:
            return
        stopping = " · stopping…" if self._stop.is_set() else ""
        if progress.stage in STAGE_TEXT:
            self.status.setText(STAGE_TEXT[progress.stage] + stopping)
            return
        self._show_count(progress.contributions, progress.samples)
        self.status.setText(
            f"Day {progress.day:,.2f} · {progress.contributions:,} of {progress.samples:,} contributions · "
            f"accuracy {_pct(None if progress.accuracy is None else 100 * progress.accuracy)} · "
            f"{progress.transactions:,} transactions · {_elapsed(time.monotonic() - self._started)} elapsed"
            f"{stopping}"
        )
        self._show_live()

    def _finished(self, result: SimResult) -> None:
        self._end()
        self.result = result
        # Unrounded (the summary's sim_days has two decimals): the step lines end on the last record.
        last_day = max([p.day for p in result.accuracy] + [p.day for p in result.balances] + [0.0])
        self.charts.show_result(
            [(p.agent, p.day, p.pct) for p in result.balances], [(p.day, p.accuracy) for p in result.accuracy], last_day
        )
        summary = result.summary
        self._show_count(summary["contributions"], result.config.samples)
        how = "Stopped" if result.stopped else "Done"
        partial = "; the partial run can still be saved" if result.stopped else ""
        self.status.setText(
            f"{how} on day {summary['sim_days']:,.2f} after {summary['contributions']:,} "
            f"contributions and {summary['transactions']:,} transactions, in "
            f"{_elapsed(result.wall_s)}{partial}."
        )
        self._show_summary(summary)
        if not summary.get("mirror_matches_chain", True):
            self.message.show_advice(
                "The local mirror no longer predicts as the chain does, so the accuracy "
                "figures are not the chain's. Please report this."
            )
        self._update_buttons()
        self.sig_run_finished.emit(result)

    def _failed(self, error: BaseException) -> None:
        self._end()
        self.status.setText("The simulation failed.")
        self._show_count(0, self.samples_spin.value())
        self.message.show_error(message_of(error))
        self._update_buttons()

    def _show_count(self, done: int, total: int) -> None:
        """The bar and its words, grouped like the box (Qt's %v and %m would print 18400 beside its 18,400)."""
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(done)
        self.progress_bar.setFormat(f"{done:,} of {total:,} contributions")

    def _follow_box(self, samples: int) -> None:
        """Between runs the bar counts toward what the box asks (it said "0 of 100" beside a box of 200)."""
        if not self.running:
            self._show_count(0, samples)

    def _end(self) -> None:
        self.running = False
        self._redraw_timer.stop()
        self._dirty = False

    # --- the side panel ---------------------------------------------------------------------------

    def _show_placeholder(self) -> None:
        self.summary.setText(
            "<p>Balances and accuracy appear on the charts as the agents act; the run's "
            "figures appear here when it ends.</p>"
            "<p>Solid lines are honest agents, dashed ones attackers.</p>"
        )

    def _show_live(self) -> None:
        balances: dict[str, float] = self.progress.balances_pct if self.progress is not None else {}
        rows = "".join(
            f"<tr><td>{html.escape(name)}</td><td align='right'>{_pct(balances.get(name))}</td></tr>"
            for name in self._agents
        )
        self.summary.setText(
            f"<p><b>Running</b></p><table cellspacing='0' cellpadding='2'>"
            f"<tr><th align='left'>agent</th><th align='right'>balance</th></tr>{rows}</table>"
        )

    def _show_summary(self, summary: dict[str, Any]) -> None:
        def row(label: str, value: str) -> str:
            return f"<tr><td>{html.escape(label)}</td><td align='right'>{html.escape(value)}</td></tr>"

        gas = summary.get("gas_per_contribution_median")
        headline = "".join(
            [
                row("scenario", summary["scenario"] + (" (stopped early)" if summary["stopped_early"] else "")),
                row("simulated days", f"{summary['sim_days']:,.2f}"),
                row("contributions", f"{summary['contributions']:,}"),
                row("refunds · reports", f"{summary['refunds']:,} · {summary['reports']:,}"),
                row("honest agents' balance", _pct(summary["good_final_balance_pct"])),
                row("attackers' balance", _pct(summary["attacker_final_balance_pct"])),
                row("accuracy start", _pct(100 * summary["accuracy_start"])),
                row("accuracy lowest", _pct(100 * summary["accuracy_min"])),
                row("accuracy end", _pct(100 * summary["accuracy_end"])),
                row("gas per contribution", "–" if gas is None else f"{gas:,} (median)"),
                row("wall time", _elapsed(summary["wall_seconds"])),
            ]
        )
        # The role only where the name does not say it ("alice (good)"): a role column beside "good" and
        # "attacker" repeated them and pushed a paper-scale run's contribution counts past the label's edge.
        agents = "".join(
            f"<tr><td>{html.escape(_agent_label(name, book['role']))}</td>"
            f"<td align='right'>{_pct(book['final_balance_pct'])}</td>"
            f"<td align='right'>{book['contributions']:,}</td></tr>"
            for name, book in summary["agents"].items()
        )
        self.summary.setText(
            f"<p><b>Summary</b></p><table cellspacing='0' cellpadding='2' width='100%'>{headline}</table>"
            f"<p><b>Agents</b></p><table cellspacing='0' cellpadding='2' width='100%'>"
            f"<tr><th align='left'>agent</th><th align='right'>balance</th>"
            f"<th align='right'>contrib.</th></tr>{agents}</table>"
        )

    # --- saving -----------------------------------------------------------------------------------

    def _ask_save(self) -> None:
        if self.result is None:
            return
        start = Path.home() / f"simulation-{self.result.config.scenario}"
        folder = QFileDialog.getExistingDirectory(self, "Save the run's files in", str(start))
        if folder:
            self.save_outputs(Path(folder))

    def save_outputs(self, folder: Path) -> None:
        """Writes the five files in the simulation's runner (matplotlib draws two PNGs: not on the GUI thread)."""
        result = self.result
        if result is None:
            return
        self.save_button.setEnabled(False)
        self.sim_runner.run(lambda: save_outputs(result, folder), self._saved, self._save_failed)

    def _saved(self, paths: dict[str, Path]) -> None:
        self._update_buttons()
        folder = next(iter(paths.values())).parent
        self.message.show_note(f"Saved {', '.join(paths)} in {folder}.")
        self.sig_outputs_saved.emit(paths)

    def _save_failed(self, error: BaseException) -> None:
        self._update_buttons()
        self.message.show_error(message_of(error))
