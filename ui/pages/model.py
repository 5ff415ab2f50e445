"""Model: what the contract holds, its rules, and the words it weighs most (from the local mirror)."""

from __future__ import annotations

import html
from dataclasses import dataclass

from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QListWidget, QVBoxLayout, QWidget

from dacwallet.contracts.deployment import Deployment
from dacwallet.ml.mirrors import Mirror
from dacwallet.usecases.chainops import ChainStatus, status
from dacwallet.usecases.context import WalletContext
from dacwallet.usecases.preview import feature_evidence
from dacwallet.usecases.rules import Rules
from ui import format as fmt
from ui.evidence import strongest_words
from ui.pages.base import Page
from ui.runner import message_of
from ui.session import WalletSession
from ui.widgets.messages import MessageLabel


@dataclass(frozen=True)
class ModelInfo:
    deployment: Deployment
    status: ChainStatus
    rules: Rules


def model_info(ctx: WalletContext) -> ModelInfo:
    deployment = ctx.require_deployment()
    return ModelInfo(deployment, status(ctx), Rules.read(ctx.w3, deployment))


def feature_weights(mirror: Mirror, count: int) -> list[float]:
    return [feature_evidence(mirror, i) for i in range(count)]


class ModelPage(Page):
    title = "Model"
    hint = "The model that lives in the contract; every accepted contribution trains it a little."

    def __init__(self, session: WalletSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.form = QFormLayout()
        self.fields: dict[str, QLabel] = {}
        for key in ("Name", "Description", "Model type", "Encoder", "Classes", "Samples seen", "Refund wait",
                    "Anyone may take after", "Owner may take after", "Current deposit", "Contract"):
            label = QLabel("—")
            label.setWordWrap(True)
            self.fields[key] = label
            self.form.addRow(key, label)
        self.layout_.addLayout(self.form)
        words = QHBoxLayout()
        self.positive = QListWidget()
        self.negative = QListWidget()
        self.positive_title = QLabel("Strongest words toward class 1")
        self.negative_title = QLabel("Strongest words toward class 0")
        for title, widget in ((self.positive_title, self.positive), (self.negative_title, self.negative)):
            column = QVBoxLayout()
            column.addWidget(title)
            column.addWidget(widget)
            words.addLayout(column)
        self.layout_.addLayout(words, 1)
        self.message = MessageLabel()
        self.layout_.addWidget(self.message)
        self._words_for: Mirror | None = None
        session.sig_mirror_changed.connect(self._update_words)

    def refresh(self) -> None:
        self.session.call(model_info, self._show, lambda e: self.message.show_error(message_of(e)))
        self._update_words()

    def _show(self, info: ModelInfo) -> None:
        d, r, s = info.deployment, info.rules, info.status
        self.message.clear()
        values = {
            "Name": d.name, "Description": d.description, "Model type": d.model_type.replace("_", " "),
            "Encoder": d.encoder, "Classes": ", ".join(d.classifications),
            "Samples seen": f"{s.contributions:,} contributions" if s.contributions is not None else "—",
            "Refund wait": fmt.duration(r.refund_wait_s), "Anyone may take after": fmt.duration(r.any_address_claim_wait_s),
            "Owner may take after": fmt.duration(r.owner_claim_wait_s),
            "Current deposit": fmt.eth(s.deposit_wei), "Contract": d.trainer,
        }
        for key, value in values.items():
            self.fields[key].setText(html.escape(str(value)))
        self.fields["Current deposit"].setToolTip(fmt.wei_tooltip(s.deposit_wei))

    def _update_words(self) -> None:
        opened, mirror = self.session.opened, self.session.mirror
        if opened is None or opened.bundle is None or mirror is None or mirror is self._words_for:
            return
        if not self.isVisible():
            return
        self._words_for = mirror
        count = int(opened.bundle.model.get("num_features", 0))
        positive, negative = strongest_words(opened.bundle, feature_weights(mirror, count))
        names = opened.classifications or ("class 0", "class 1")
        self.positive_title.setText(f"Strongest words toward {names[1]}")
        self.negative_title.setText(f"Strongest words toward {names[0]}")
        self.positive.clear()
        self.negative.clear()
        self.positive.addItems([f"{word}   {weight:+.3f}" for word, weight in positive])
        self.negative.addItems([f"{word}   {weight:+.3f}" for word, weight in negative])
