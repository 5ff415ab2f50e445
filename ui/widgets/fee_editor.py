"""Advanced fee fields: the node's suggestion, the user's max fee and priority fee (gwei), the cost in ETH,
checked inline with the same rules the core applies before signing (dacwallet.chain.fees)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QFormLayout, QGroupBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from dacwallet.usecases.exports import (
    FeeError,
    FeeOverride,
    FeeSuggestion,
    HighFeeError,
    apply_override,
    gwei,
    max_cost,
    short_gwei,
)
from ui import format as fmt
from ui.widgets.messages import MessageLabel


def high_fee_box() -> QCheckBox:
    """The box that confirms a fee past its bounds (hidden until a fee is refused for that), in every dialog."""
    box = QCheckBox("Yes, I mean this fee (far above the suggestion or what recent blocks paid)")
    box.hide()
    return box


class FeeEditor(QGroupBox):
    """Empty fields mean the node's suggestion; ``override()`` is what to send, None while invalid."""

    sig_changed = Signal()

    def __init__(self, gas: int | None, deposit_wei: int, parent: QWidget | None = None) -> None:
        super().__init__("Network fee", parent)
        self.gas, self.deposit_wei = gas, deposit_wei
        self.suggestion: FeeSuggestion | None = None
        # A box of rows with the form in the middle: word-wrapped labels spanning a QFormLayout get clipped.
        box = QVBoxLayout(self)
        self.suggested = QLabel("Asking the node for its suggestion…")
        self.suggested.setWordWrap(True)
        box.addWidget(self.suggested)
        form = QFormLayout()
        box.addLayout(form)
        self.max_fee = QLineEdit()
        self.priority_fee = QLineEdit()
        self.max_fee_label = QLabel("Max fee (gwei)")
        form.addRow(self.max_fee_label, self.max_fee)
        form.addRow("Priority fee (gwei)", self.priority_fee)
        self.confirm_high = high_fee_box()
        box.addWidget(self.confirm_high)
        self.cost = QLabel("")
        box.addWidget(self.cost)
        self.error = MessageLabel()
        box.addWidget(self.error)
        self._valid = True
        self.fee_wei: int | None = None  # the most the typed (or suggested) fee can cost; None while unknown
        for widget in (self.max_fee, self.priority_fee):
            widget.setEnabled(False)
            widget.textChanged.connect(self._check)
        self.confirm_high.toggled.connect(self._check)

    def set_suggestion(self, suggestion: FeeSuggestion) -> None:
        self.suggestion = suggestion
        if suggestion.eip1559:
            self.suggested.setText(
                f"The node suggests a max fee of <b>{short_gwei(suggestion.max_fee)} gwei</b> and a priority fee "
                f"of <b>{short_gwei(suggestion.priority_fee)} gwei</b> (base fee now "
                f"{short_gwei(suggestion.base_fee or 0)} gwei). Leave a field empty to keep its suggestion."
            )
            self.suggested.setToolTip(
                f"max fee {gwei(suggestion.max_fee)} gwei, priority fee "
                f"{gwei(suggestion.priority_fee)} gwei, base fee {gwei(suggestion.base_fee or 0)}"
            )
            self.priority_fee.setPlaceholderText(gwei(suggestion.priority_fee))
        else:  # a legacy network: one gas price
            self.suggested.setText(f"The node suggests a gas price of <b>{short_gwei(suggestion.gas_price)} gwei</b>.")
            self.max_fee_label.setText("Gas price (gwei)")
            self.priority_fee.setPlaceholderText("not used on this network")
        self.max_fee.setPlaceholderText(gwei(suggestion.max_fee if suggestion.eip1559 else suggestion.gas_price))
        self.max_fee.setEnabled(True)
        self.priority_fee.setEnabled(suggestion.eip1559)
        self._check()

    def show_failure(self, message: str) -> None:
        self.suggested.setText(f"The node's fee suggestion is not available: {message}")

    def is_valid(self) -> bool:
        return self._valid

    def override(self) -> FeeOverride | None:
        """The typed fee (None: the suggestion); only meaningful while ``is_valid()``."""
        try:
            return FeeOverride.from_gwei(self.max_fee.text(), self.priority_fee.text(), self.confirm_high.isChecked())
        except FeeError:
            return None

    def _check(self) -> None:
        self.error.clear()
        self.fee_wei = None
        if self.suggestion is None:
            return
        try:
            fee = FeeOverride.from_gwei(self.max_fee.text(), self.priority_fee.text(), self.confirm_high.isChecked())
            fields = apply_override(self.suggestion, fee)
        except HighFeeError as exc:
            self._set_valid(False, exc.user_message)
            self._show_confirm_high(True)
            return
        except FeeError as exc:
            self._set_valid(False, exc.user_message)
            return
        self._show_confirm_high(self.confirm_high.isChecked())
        if self.gas is not None:
            fee_wei = self.fee_wei = max_cost(self.gas, fields)
            self.cost.setText(
                f"Network fee at most <b>{fmt.eth(fee_wei)}</b> · total with the deposit at most "
                f"<b>{fmt.eth(self.deposit_wei + fee_wei)}</b>"
            )
            self.cost.setToolTip(f"{self.gas:,} gas × {gwei(max(fields.values()))} gwei")
        self._set_valid(True, "")  # last: listeners read fee_wei

    def _show_confirm_high(self, shown: bool) -> None:
        self.confirm_high.setVisible(shown)

    def _set_valid(self, valid: bool, message: str) -> None:
        self._valid = valid
        if message:
            self.error.show_error(message)
            self.cost.setText("")
        self.sig_changed.emit()
