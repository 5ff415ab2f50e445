"""The two steps of backing up a new account's recovery phrase: the numbered words, then a few asked back."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFormLayout, QGridLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from dacwallet.usecases.account_setup import PhraseToBackUp

SHOW_TEXT = (
    "<b>Your recovery phrase.</b> Write these {count} words down, in order, on paper, and keep them "
    "where only you can find them. With them this account can be restored in any wallet, even if this "
    "computer or the password is lost; anyone who has them can take its ether. They are shown only now."
)
ASK_TEXT = "To check your copy, type these words from it:"
SKIP_WARNING = (
    "You can skip the check here because this is the test chain inside the app: nothing real is at "
    "stake. Without the phrase, a forgotten password or a lost computer means the account is gone."
)
COLUMNS = 3


class PhraseView(QWidget):
    """The words in a numbered grid (selectable, never editable)."""

    def __init__(self, backup: PhraseToBackUp, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        intro = QLabel(SHOW_TEXT.format(count=len(backup.words)))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        grid = QGridLayout()
        rows = -(-len(backup.words) // COLUMNS)
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.word_labels: list[QLabel] = []
        for i, word in enumerate(backup.words):
            label = QLabel(f"{i + 1:>2}. {word}")
            label.setFont(mono)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(label, i % rows, i // rows)  # down the columns, as people read a list
            self.word_labels.append(label)
        layout.addLayout(grid)


class PhraseQuiz(QWidget):
    """A field for each word number the backup asks back."""

    def __init__(self, backup: PhraseToBackUp, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        ask = QLabel(ASK_TEXT)
        ask.setWordWrap(True)
        layout.addWidget(ask)
        form = QFormLayout()
        self.fields: dict[int, QLineEdit] = {}
        for number in backup.check_positions:
            field = QLineEdit()
            field.setPlaceholderText(f"word {number} of your copy")
            form.addRow(f"Word {number}", field)
            self.fields[number] = field
        layout.addLayout(form)

    def answers(self) -> dict[int, str]:
        return {number: field.text() for number, field in self.fields.items()}

    def focus_first(self) -> None:
        next(iter(self.fields.values())).setFocus()
