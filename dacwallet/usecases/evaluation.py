"""The held-out reviews the model in use is measured on, ready without the user doing anything.

A shipped model file says which reviews it was built from (``validation.split``: the fixed seeded split of
imdb_train that build_model carves). Its default evaluation set is then imdb_train minus every review the
model was trained on, i.e. that validation split. A file the user chooses is filtered the same way, so
the training file can never flatter the model: its training reviews are left out and the user is told how
many; a file holding nothing else is refused. For a model whose training data is unknown (a reference
deployment, a model without a local copy) there is no default, and a chosen file carries that warning.

Everything here runs in the runner; ``EvaluationSet`` keeps state between its steps so that reading and
encoding thousands of reviews is cut into short operations (other operations are not held up).
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from eth_utils import to_checksum_address

from dacwallet.errors import InputError
from dacwallet.gil import share_gil
from dacwallet.ml.dataset import SPLIT_DESCRIPTION, Review, load_reviews
from dacwallet.ml.encoders import Encoder
from dacwallet.ml.evaluate import training_reviews, without_training
from dacwallet.ml.mirrors import Batch, Mirror
from dacwallet.sim.config import find_default_data
from dacwallet.usecases.context import WalletContext
from dacwallet.usecases.sync_mirror import current_mirror

SETTINGS_FILE = "dashboard.json"
ENCODE_CHUNK = 1000  # reviews per runner operation (~0.7 s)
PREPARED_KEPT = 4  # evaluation sets this process keeps once encoded (a few models' worth)
UNKNOWN_TRAINING = "this model's training reviews are unknown: make sure it was not trained on these"


# --- settings ------------------------------------------------------------------------------------


def load_evaluation_setting(data_dir: Path) -> Path | None:
    """The evaluation file chosen earlier for this data folder, or None (the held-out default)."""
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
    """Where preparing the evaluation set stands (a plain value for the GUI thread)."""

    path: Path | None  # the review file read (the default's too), None when there is none
    chosen: bool  # the user's file rather than the held-out default
    done: int
    total: int  # reviews kept (training reviews left out)
    skipped: int  # kept reviews the encoder could not encode
    left_out: int  # reviews of the file that trained the model, left out
    ready: bool
    training_known: bool  # whether ``left_out`` could be worked out at all
    error: str | None = None

    @property
    def name(self) -> str:
        return self.path.name if self.path else "none"

    @property
    def n(self) -> int:
        """Reviews measured on once ready."""
        return self.total - self.skipped

    def short(self) -> str:
        """One line: how many reviews, and which."""
        if self.path is None:
            return "no held-out reviews known for this model"
        if not self.ready:
            return f"reading {self.name}: {self.done:,} of {self.total:,} reviews…"
        if self.chosen:
            return f"{self.n:,} reviews of {self.name}" + (" not used to train it" if self.training_known else "")
        return f"{self.n:,} held-out reviews (the validation split of {self.name})"

    def describe(self) -> str:
        """Which reviews, in a person's words (the label under the charts and on the Model page)."""
        if self.path is None:
            return "none (no held-out reviews known for this model; choose a review file it was not trained on)"
        what = (
            (f"{self.n:,} held-out reviews" if self.ready else "held-out reviews")
            if self.training_known
            else (f"{self.n:,} reviews" if self.ready else "reviews")
        )
        where = f"{self.name}" if self.chosen else f"{self.name} ({SPLIT_DESCRIPTION}, the validation split)"
        parts = [f"{what} from {where}"]
        if self.left_out:
            parts.append(f"{self.left_out:,} reviews that trained this model left out")
        if self.skipped:
            parts.append(f"{self.skipped:,} the encoder could not read")
        if not self.training_known:
            parts.append(UNKNOWN_TRAINING)
        return "; ".join(parts)


@dataclass(frozen=True)
class _Prepared:
    """An encoded evaluation set, as ``EvaluationSet`` ends up holding it."""

    path: Path | None
    batch: Batch
    total: int
    skipped: int
    left_out: int
    training_known: bool


# Encoded sets of this process by what decides their contents (see _inputs): reading and encoding the 5,000
# held-out reviews took ~4 s of CPU each time a wallet window opened, for the same reviews and encoder.
_prepared: OrderedDict[tuple[object, ...], _Prepared] = OrderedDict()
_prepared_lock = threading.Lock()  # each window's runner thread steps its own EvaluationSet


def _recall(inputs: tuple[object, ...]) -> _Prepared | None:
    with _prepared_lock:
        prepared = _prepared.get(inputs)
        if prepared is not None:
            _prepared.move_to_end(inputs)
        return prepared


def _remember(inputs: tuple[object, ...], prepared: _Prepared) -> None:
    with _prepared_lock:
        _prepared[inputs] = prepared
        while len(_prepared) > PREPARED_KEPT:
            _prepared.popitem(last=False)


def _stamp(path: Path | None) -> tuple[str, int, int] | None:
    """A file's identity for the cache: its path, size and modification time (None when it cannot be read)."""
    if path is None:
        return None
    try:
        stat = path.stat()
    except OSError:
        return None
    return str(path), stat.st_size, stat.st_mtime_ns


class EvaluationSet:
    """The evaluation reviews for the model in use, read once and encoded a chunk per runner operation."""

    def __init__(self) -> None:
        self.chosen: Path | None = None  # the user's file; None: the held-out default
        self.loaded_setting = False
        self.batch: Batch | None = None
        self._model: object = None  # the bundle the set was prepared for (another model: prepare again)
        self._path: Path | None = None
        self._reviews: list[Review] | None = None
        self._total = 0
        self._inputs: tuple[object, ...] = ()
        self._rows: list[list[int]] = []
        self._labels: list[int] = []
        self._skipped = self._left_out = 0
        self._training_known = False
        self._error: str | None = None

    def choose(self, path: Path | None) -> None:
        """The user's file, or None for the held-out default; takes effect at the next step."""
        if path != self.chosen:
            self.chosen = path
            self._reset(None)

    def _reset(self, model: object) -> None:
        self._model, self._path, self.batch, self._reviews, self._total = model, None, None, None, 0
        self._rows, self._labels, self._skipped, self._left_out, self._error = [], [], 0, 0, None
        self._training_known = False

    def progress(self) -> EvaluationProgress | None:
        if self._model is None:
            return None
        total = self._total
        done = total if self.batch is not None else len(self._rows) + self._skipped
        return EvaluationProgress(
            self._path,
            self.chosen is not None,
            done,
            total,
            self._skipped,
            self._left_out,
            self.batch is not None,
            self._training_known,
            self._error,
        )

    def step(self, ctx: WalletContext, chunk: int = ENCODE_CHUNK) -> EvaluationProgress | None:
        """One bounded piece of work for the model in use: pick and read the file, or encode ``chunk`` reviews.
        None while the model has no local copy (nothing can be encoded for it)."""
        if not self.loaded_setting:
            self.loaded_setting = True
            self.chosen = load_evaluation_setting(ctx.data_dir)
        bundle = ctx.bundle
        if bundle is None:
            self._reset(None)
            return None
        if bundle is not self._model:
            self._reset(bundle)
        if self.batch is not None or self._error is not None:
            return self.progress()
        if self._reviews is None:
            self._inputs = self._inputs_of(bundle.encoder, bundle.model)
            prepared = _recall(self._inputs)
            if prepared is not None:
                self._restore(prepared)
                return self.progress()
            try:
                self._read(bundle.model)
            except InputError as exc:
                self._error = exc.user_message
            return self.progress()
        self._encode(bundle.encoder, chunk)
        if self.batch is not None:
            _remember(
                self._inputs,
                _Prepared(self._path, self.batch, self._total, self._skipped, self._left_out, self._training_known),
            )
        return self.progress()

    def _inputs_of(self, encoder: Encoder, model: dict[str, Any]) -> tuple[object, ...]:
        """What the encoded set depends on: the encoder, which reviews trained the model (its validation
        record), the chosen file and the default review file, each as it is on disk now (the chosen one by name too:
        one that cannot be read must not find the default's set)."""
        validation = json.dumps(model.get("validation"), sort_keys=True, default=str)
        return (encoder.identity, validation, _stamp(self.chosen), str(self.chosen), _stamp(find_default_data()))

    def _restore(self, prepared: _Prepared) -> None:
        self._path, self.batch, self._total = prepared.path, prepared.batch, prepared.total
        self._skipped, self._left_out, self._training_known = (
            prepared.skipped,
            prepared.left_out,
            prepared.training_known,
        )
        self._reviews = []

    def _read(self, model: dict[str, Any]) -> None:
        training = training_reviews(model, find_default_data())
        self._training_known = training is not None
        path = self.chosen or (training.source if training else None)
        self._path = path
        if path is None:
            self._reviews = []
            return
        reviews = load_reviews(path)
        if training is not None:
            reviews, self._left_out = without_training(reviews, training, path.name)
        self._reviews, self._total = reviews, len(reviews)

    def _encode(self, encoder: Encoder, chunk: int) -> None:
        assert self._reviews is not None
        if not self._reviews:
            return  # no file: nothing to measure on, never ready
        start = len(self._rows) + self._skipped
        for review in self._reviews[start : start + chunk]:
            share_gil()  # a GUI repaint goes first (dacwallet.gil)
            try:
                self._rows.append(encoder.encode(review.text))
                self._labels.append(review.label)
            except InputError:
                self._skipped += 1  # text the model cannot encode; counted and shown
        if len(self._rows) + self._skipped >= len(self._reviews):
            if self._rows:
                self.batch = Batch.from_lists(self._rows, self._labels)
            else:
                self._error = f"The model's encoder accepted none of the reviews in {self._path}."
            self._rows, self._labels = [], []


# --- the accuracy now ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AccuracyNow:
    """The model in use (after every contribution indexed) on the evaluation set."""

    accuracy: float  # a fraction
    n: int
    as_of: int  # chain time (Unix seconds) of the last contribution it learnt from, or of the reading
    contributions: int


def accuracy_of(mirror: Mirror, batch: Batch) -> float:
    return float((np.asarray(mirror.predict_batch(batch)) == np.asarray(batch.labels)).mean())


def accuracy_now(ctx: WalletContext, evaluation: EvaluationSet) -> AccuracyNow | None:
    """The local mirror (the model as the chain holds it now) on the evaluation set, once that is ready."""
    batch = evaluation.batch
    mirror = current_mirror(ctx)
    if batch is None or mirror is None:
        return None
    trainer = to_checksum_address(ctx.require_deployment().trainer)
    row = ctx.db.execute(
        "SELECT COUNT(*), MAX(timestamp) FROM sync_contributions WHERE chain_key = ? AND trainer = ?",
        (ctx.chain_key, trainer),
    ).fetchone()
    as_of = int(row[1]) if row and row[1] is not None else int(ctx.w3.eth.get_block("latest")["timestamp"])
    return AccuracyNow(accuracy_of(mirror, batch), len(batch), as_of, int(row[0]) if row else 0)
