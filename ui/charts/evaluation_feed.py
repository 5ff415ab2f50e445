"""The evaluation set of the model in use, prepared in the background (one per session, shared by the
Dashboard and the Model page): a chunk of reviews per runner operation. It starts the first time a page
that shows the accuracy asks for it, and again after every open or switch of the model from then on."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from dacwallet.usecases.evaluation import EvaluationProgress, EvaluationSet, save_evaluation_setting
from ui.runner import message_of
from ui.session import WalletSession


class EvaluationFeed(QObject):
    sig_progress = Signal(object)  # EvaluationProgress | None, after every step
    sig_failed = Signal(str)  # a user message

    def __init__(self, session: WalletSession) -> None:
        super().__init__(session)
        self.session = session
        self.evaluation = EvaluationSet()  # worker side: touched only inside runner operations
        self.progress: EvaluationProgress | None = None
        self._stepping = False
        self._wanted = False  # a page has asked: from then on every open prepares the set again
        session.sig_opened.connect(lambda _o: self.start() if self._wanted else None)

    def start(self) -> None:
        """Reads and encodes until the set is ready (or there is none); nothing to do when it is."""
        self._wanted = True
        if self._stepping or not self.session.connected:
            return
        self._stepping = True
        evaluation = self.evaluation
        self.session.call(evaluation.step, self._stepped, self._failed, label="Reading held-out reviews")

    def choose(self, path: Path | None) -> None:
        """The user's review file, or None for the held-out default; remembered for this data folder."""
        evaluation, data_dir = self.evaluation, self.session.data_dir

        def op() -> None:
            evaluation.loaded_setting = True
            evaluation.choose(path)
            save_evaluation_setting(data_dir, path)

        self.session.runner.run(op, lambda _r: self.start(), self._failed)

    def _stepped(self, progress: EvaluationProgress | None) -> None:
        self._stepping = False
        self.progress = progress
        self.sig_progress.emit(progress)
        if progress is not None and progress.path is not None and not progress.ready and progress.error is None:
            self.start()

    def _failed(self, error: BaseException) -> None:
        self._stepping = False
        self.sig_failed.emit(message_of(error))


def feed_for(session: WalletSession) -> EvaluationFeed:
    """The session's feed, made on first use (a child of the session, so it lives as long)."""
    return session.findChild(EvaluationFeed) or EvaluationFeed(session)
