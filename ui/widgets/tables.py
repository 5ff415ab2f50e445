"""The table view every list page uses: whole-row, single selection, no row numbers."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QAbstractItemView, QTableView


def row_table(model: QAbstractItemModel) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().hide()
    # Tab leaves the table (the arrows move between rows): walking its cells trapped the keyboard there, so
    # the page's buttons after it (Claim, Send…, Remove…) could not be reached without the mouse.
    table.setTabKeyNavigation(False)
    return table
