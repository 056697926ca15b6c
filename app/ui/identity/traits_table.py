"""A small key/value editor for identify traits (the app's own identify stand-in).

Values are typed the way people type them: `42`, `true`, `null` and `["a"]` become JSON
values, anything else stays a string, so "plan = pro" and "seats = 3" both do what the
user means without a type picker.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core import strict_json


def parse_trait_value(text: str) -> Any:
    """JSON when the text is a JSON number, literal, list or object; else the string."""
    stripped = text.strip()
    if stripped and (stripped[0] in '[{"-' or stripped[0].isdigit() or stripped in _LITERALS):
        try:
            return strict_json.loads(stripped)
        except ValueError:
            pass
    return text


_LITERALS = ("true", "false", "null")


def traits_from_rows(rows: list[tuple[str, str]]) -> dict[str, Any]:
    """Rows with a blank key are ignored; a later duplicate key wins (as in JSON)."""
    return {k.strip(): parse_trait_value(v) for k, v in rows if k.strip()}


class TraitsTable(QWidget):
    """Two columns, Trait and Value, with Add and Remove.

    Signals:
        changed(): a trait was added, removed or edited.
    """

    changed = Signal()

    def __init__(self, initial: dict[str, str] | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.table = QTableWidget(0, 2)
        self.table.setObjectName("identity_traits")
        self.table.setHorizontalHeaderLabels(["Trait", "Value"])
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.itemChanged.connect(lambda _item: self.changed.emit())
        add = QPushButton("Add trait")
        add.clicked.connect(lambda: self.add_row("", ""))
        remove = QPushButton("Remove")
        remove.clicked.connect(self.remove_selected)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(add)
        buttons.addWidget(remove)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        for key, value in (initial or {}).items():
            self.add_row(key, value)

    def add_row(self, key: str, value: str) -> None:
        row = self.table.rowCount()
        self.table.blockSignals(True)
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(key))
        self.table.setItem(row, 1, QTableWidgetItem(value))
        self.table.blockSignals(False)
        self.changed.emit()

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()}, reverse=True)
        for row in rows:
            self.table.removeRow(row)
        if rows:
            self.changed.emit()

    def rows(self) -> list[tuple[str, str]]:
        out = []
        for row in range(self.table.rowCount()):
            key, value = self.table.item(row, 0), self.table.item(row, 1)
            out.append((key.text() if key else "", value.text() if value else ""))
        return out

    def traits(self) -> dict[str, Any]:
        return traits_from_rows(self.rows())
