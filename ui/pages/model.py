"""Model: the models known on this chain (which one is in use, add, remove, resume), what the one in use holds,
its rules, and the words it weighs most (from the local mirror)."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from dacwallet.usecases.evaluation import AccuracyNow, EvaluationProgress, accuracy_now
from dacwallet.usecases.exports import Mirror
from dacwallet.usecases.model_info import ModelInfo, model_info, strongest_words
from dacwallet.usecases.payout import deposit_text, pays_points
from ui import format as fmt
from ui.charts.evaluation_feed import feed_for
from ui.charts.figures import accuracy_figure
from ui.pages.base import Page
from ui.runner import message_of
from ui.session import WalletSession
from ui.widgets.deployments_panel import DeploymentsPanel
from ui.widgets.messages import MessageLabel

NO_MODEL_HERE = (
    "No model is known on this chain yet. Paste a model's entry-point address in “Add by address” "
    "above; the other pages use it once it is added."
)


class ModelPage(Page):
    title = "Model"
    hint = (
        "The models known on this chain and the one in use. A model lives in its contract; every accepted "
        "contribution trains it a little."
    )

    def __init__(self, session: WalletSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        inner = self.layout_  # the page scrolls as one (Page) when the window is too short for all of it
        self.deployments = DeploymentsPanel(session)
        inner.addWidget(self.deployments)
        self.message = MessageLabel()
        inner.addWidget(self.message)
        body = QHBoxLayout()
        self.form = QGridLayout()  # not a QFormLayout: its least height ignores wrapped fields' height for width
        self.form.setColumnStretch(1, 1)
        self.fields: dict[str, QLabel] = {}
        for row, key in enumerate(
            (
                "Name",
                "Description",
                "Model type",
                "Encoder",
                "Classes",
                "Samples seen",
                "Accuracy",
                "Refund wait",
                "Anyone may take after",
                "Owner may take after",
                "Current deposit",
                "Contract",
            )
        ):
            label = QLabel("—")
            label.setTextFormat(Qt.TextFormat.RichText)  # values are escaped; plain text showed "model&#x27;s"
            label.setWordWrap(True)
            label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)  # whole, never clipped
            self.fields[key] = label
            self.form.addWidget(QLabel(key), row, 0, Qt.AlignmentFlag.AlignTop)
            self.form.addWidget(label, row, 1)
        body.addLayout(self.form, 3)
        self.positive = QListWidget()
        self.negative = QListWidget()
        self.positive_title = QLabel("Strongest words toward class 1")
        self.negative_title = QLabel("Strongest words toward class 0")
        for title, widget in ((self.positive_title, self.positive), (self.negative_title, self.negative)):
            column = QVBoxLayout()
            title.setWordWrap(True)  # may take two lines in a narrow window rather than widen the page
            column.addWidget(title)
            column.addWidget(widget)
            widget.setMinimumHeight(widget.fontMetrics().lineSpacing() * 8)
            body.addLayout(column, 1)
        inner.addLayout(body, 1)
        self._words_for: Mirror | None = None
        self.feed = feed_for(session)  # the held-out reviews, shared with the Dashboard
        self.feed.sig_progress.connect(lambda _p: self._update_accuracy() if self.isVisible() else None)
        session.sig_mirror_changed.connect(self._update_words)
        session.sig_mirror_changed.connect(lambda: self._update_accuracy() if self.isVisible() else None)
        session.sig_opened.connect(lambda _o: self.refresh() if self.isVisible() else None)

    def refresh(self) -> None:
        self.deployments.refresh()
        opened = self.session.opened
        if opened is not None and opened.model_name is None:
            self._clear()
            self.message.show_note(NO_MODEL_HERE)
            return
        self.session.call(model_info, self._show, lambda e: self.message.show_error(message_of(e)))
        self._update_words()
        self.feed.start()
        self._update_accuracy()

    def _update_accuracy(self) -> None:
        """The model as it is now on the held-out reviews: the number, its n and its date."""
        progress, evaluation = self.feed.progress, self.feed.evaluation
        label = self.fields["Accuracy"]
        label.setToolTip(progress.describe() if progress is not None else "")
        if progress is None or progress.error or progress.path is None:
            label.setText(accuracy_figure(None, progress)[1].capitalize())
            return
        if not progress.ready:
            label.setText(f"Reading held-out reviews ({progress.done:,} of {progress.total:,})…")
            return
        self.session.call(
            lambda ctx: accuracy_now(ctx, evaluation),
            lambda now: self._show_accuracy(now, progress),
            lambda e: label.setText(message_of(e)),
        )

    def _show_accuracy(self, now: AccuracyNow | None, progress: EvaluationProgress) -> None:
        if now is None:
            self.fields["Accuracy"].setText("—")
            return
        value, caption = accuracy_figure(now, progress)
        learnt = f"{now.contributions:,} contribution{'s' if now.contributions != 1 else ''}"
        self.fields["Accuracy"].setText(
            f"<b>{value}</b> {html.escape(caption)} (after {learnt}; {html.escape(progress.describe())})"
        )

    def _clear(self) -> None:
        for label in self.fields.values():
            label.setText("—")
        self.positive.clear()
        self.negative.clear()
        self._words_for = None

    def _show(self, info: ModelInfo) -> None:
        d, r, s = info.deployment, info.rules, info.status
        self.message.clear()
        values = {
            "Name": d.name,
            "Description": d.description,
            "Model type": d.model_type.replace("_", " "),
            "Encoder": plain_encoder(d.encoder),
            "Classes": ", ".join(d.classifications),
            "Samples seen": (
                f"{s.contributions:,} contribution{'s' if s.contributions != 1 else ''}"
                if s.contributions is not None
                else "—"
            ),
            "Refund wait": fmt.duration(r.refund_wait_s),
            "Anyone may take after": fmt.duration(r.any_address_claim_wait_s),
            "Owner may take after": fmt.duration(r.owner_claim_wait_s),
            "Current deposit": deposit_text(pays_points(d), s.deposit_wei),
            "Contract": d.trainer,
        }
        for key, value in values.items():
            self.fields[key].setText(html.escape(str(value)))
        self.fields["Current deposit"].setToolTip(fmt.wei_tooltip(s.deposit_wei))
        self.fields["Encoder"].setToolTip(f"The encoder's full name on the chain:\n{d.encoder}")

    def _update_words(self) -> None:
        opened, mirror = self.session.opened, self.session.mirror
        if opened is not None and opened.bundle is None and self._words_for is not None:
            self.positive.clear()  # a model without a local copy: no words to show, not the last model's
            self.negative.clear()
            self._words_for = None
        if opened is None or opened.bundle is None or mirror is None or mirror is self._words_for:
            return
        if not self.isVisible():
            return
        self._words_for = mirror
        positive, negative = strongest_words(opened.bundle, mirror)
        names = opened.classifications or ("class 0", "class 1")
        self.positive_title.setText(f"Strongest words toward {names[1]}")
        self.negative_title.setText(f"Strongest words toward {names[0]}")
        self.positive.clear()
        self.negative.clear()
        self.positive.addItems([f"{word}   {weight:+.3f}" for word, weight in positive])
        self.negative.addItems([f"{word}   {weight:+.3f}" for word, weight in negative])


def plain_encoder(spec: str) -> str:
    """How a review becomes features, in words; the chain's name (hash and parameters) is the tooltip."""
    if spec.startswith("dacwallet-words"):
        return "words and word pairs of the review, looked up in the model's vocabulary"
    if " sha256:" in spec:  # a versioned name with its vocabulary's hash and parameters
        return spec.split(" ")[0]
    return spec  # a reference encoder's name ("IMDB vocab", "universal sentence encoder") is its whole string
