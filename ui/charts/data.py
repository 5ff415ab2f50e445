"""What the Dashboard shows, computed in the runner (never on the GUI thread) from the local index.

Everything here is plain Python + numpy: the page receives a ``DashboardData`` and only calls
``setData``. Objects with state (``EvaluationSet``, ``RebuildCache``) live on the worker side and
are touched only by runner operations, like the session's WalletContext.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from eth_utils import to_checksum_address

from dacwallet.ml.dataset import Review, load_reviews
from dacwallet.ml.encoders import Encoder
from dacwallet.errors import InputError
from dacwallet.ml.mirrors import Batch
from dacwallet.sync.indexer import Indexer
from dacwallet.sync.mirror import MirrorCache, RebuiltMirror
from dacwallet.sync.series import ChartSeries, chart_series
from dacwallet.usecases.context import WalletContext

SETTINGS_FILE = "dashboard.json"
NO_ACCOUNT = "0x" + "0" * 40  # chart_series needs an address; nobody's reputation is all zeros
MAX_EVALUATION_POINTS = 100  # each point predicts the whole evaluation set: keep a rebuild short
ENCODE_CHUNK = 1000  # reviews per runner operation (~0.7 s), so other operations are not held up


def evaluation_every(contributions: int) -> int:
    """Contributions between two evaluation points: every one for short histories, ≤ 100 points overall."""
    return max(1, math.ceil(contributions / MAX_EVALUATION_POINTS))


# --- settings ------------------------------------------------------------------------------------

def load_evaluation_setting(data_dir: Path) -> Path | None:
    """The evaluation file chosen earlier for this data folder, or None (the default)."""
    try:
        value = json.loads((data_dir / SETTINGS_FILE).read_text(encoding="utf-8")).get("evaluation_file")
    except (OSError, ValueError, AttributeError):
        return None
    return Path(value) if isinstance(value, str) and value else None


def save_evaluation_setting(data_dir: Path, path: Path | None) -> None:
    target = data_dir / SETTINGS_FILE
    temporary = target.with_suffix(".tmp")
    temporary.write_text(json.dumps({"evaluation_file": str(path) if path else None}), encoding="utf-8")
    temporary.replace(target)  # atomic: a crash never leaves half a settings file


# --- the evaluation set --------------------------------------------------------------------------

@dataclass(frozen=True)
class EvaluationProgress:
    """Where reading the evaluation file stands (a plain value for the GUI thread)."""

    path: Path | None
    done: int
    total: int
    skipped: int
    ready: bool
    error: str | None = None

    @property
    def name(self) -> str:
        return self.path.name if self.path else "none"


class EvaluationSet:
    """The chosen evaluation file, read once and encoded a chunk per runner operation."""

    def __init__(self) -> None:
        self.path: Path | None = None
        self.batch: Batch | None = None
        self.loaded_setting = False
        self._reviews: list[Review] | None = None
        self._rows: list[list[int]] = []
        self._labels: list[int] = []
        self._skipped = 0
        self._error: str | None = None

    def choose(self, path: Path | None) -> None:
        if path == self.path and (self.batch is not None or self._reviews is not None):
            return
        self.path, self.batch, self._reviews = path, None, None
        self._rows, self._labels, self._skipped, self._error = [], [], 0, None

    def progress(self) -> EvaluationProgress | None:
        if self.path is None:
            return None
        total = len(self._reviews) if self._reviews is not None else 0
        done = total if self.batch is not None else len(self._rows) + self._skipped
        return EvaluationProgress(self.path, done, total, self._skipped, self.batch is not None, self._error)

    def step(self, encoder: Encoder, chunk: int = ENCODE_CHUNK) -> EvaluationProgress | None:
        """One bounded piece of work: read the file, or encode the next ``chunk`` reviews."""
        if self.path is None or self.batch is not None or self._error is not None:
            return self.progress()
        if self._reviews is None:
            try:
                self._reviews = load_reviews(self.path)
            except InputError as exc:
                self._error = exc.user_message
            return self.progress()
        start = len(self._rows) + self._skipped
        for review in self._reviews[start:start + chunk]:
            try:
                self._rows.append(encoder.encode(review.text))
                self._labels.append(review.label)
            except InputError:
                self._skipped += 1  # text the model cannot encode; counted and shown
        if len(self._rows) + self._skipped >= len(self._reviews):
            if self._rows:
                self.batch = Batch.from_lists(self._rows, self._labels)
            else:
                self._error = f"The model's encoder accepted none of the reviews in {self.path.name}."
            self._rows, self._labels = [], []
        return self.progress()


# --- the charts' data ----------------------------------------------------------------------------

@dataclass(frozen=True)
class DashboardData:
    """Every chart's series for one account, and the chain's time when they were read."""

    account: str | None
    now: int  # chain time (Unix seconds): step series are drawn up to here
    series: ChartSeries
    evaluation: EvaluationProgress | None


class RebuildCache:
    """The replayed mirror, kept until a contribution arrives or the evaluation set changes: the
    watcher refreshes every few seconds, and replaying with an evaluation set costs seconds.
    (dacwallet.sync.mirror.MirrorCache does the bookkeeping, as for the ledger.)"""

    def __init__(self) -> None:
        self._cache = MirrorCache()

    def get(self, ctx: WalletContext, trainer: str, evaluation: Batch | None) -> RebuiltMirror | None:
        if ctx.bundle is None:
            return None
        return self._cache.get(ctx.db, ctx.chain_key, trainer, ctx.bundle.new_mirror, evaluation,
                               every_for=evaluation_every, model=ctx.bundle)


def dashboard_data(ctx: WalletContext, account: str | None, evaluation: EvaluationSet,
                   cache: RebuildCache) -> DashboardData:
    """Syncs the event index to the chain's head, then every series for ``account`` (runner only)."""
    deployment = ctx.require_deployment()
    if not evaluation.loaded_setting:
        evaluation.loaded_setting = True
        evaluation.choose(load_evaluation_setting(ctx.data_dir))
    Indexer(ctx.w3, ctx.db, ctx.chain_key, deployment).sync()
    trainer = to_checksum_address(deployment.trainer)
    rebuilt = cache.get(ctx, trainer, evaluation.batch)
    series = chart_series(ctx.db, ctx.chain_key, trainer, account or NO_ACCOUNT, rebuilt)
    now = int(ctx.w3.eth.get_block("latest")["timestamp"])
    return DashboardData(account, now, series, evaluation.progress())
