"""The RevenueCat event form: one widget per field of `formdata.FIELDS`, plus the
subscriber attributes as an editable name/value table.

It deals in strings only (`values()`, `rows()`, `fill()`); `formdata` turns them into an
event dict, so nothing here knows what a price or a timestamp means.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.state.formdata import FIELDS, Field, attributes_rows, form_values
from app.ui.widgets.colours import tone


class EventForm(QWidget):
    """Editable fields of one RevenueCat event.

    Signals:
        changed(): the user edited a field or an attribute (not emitted by `fill`).
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._filling = False
        self._editors: dict[str, QLineEdit | QComboBox | QCheckBox] = {}
        self._invalid: str | None = None  # the outlined field, if any
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        for field in FIELDS:
            editor = self._make_editor(field)
            editor.setToolTip(field.tip)
            editor.setObjectName(f"field_{field.name}")
            self._editors[field.name] = editor
            label = QLabel(field.label + ":")
            label.setBuddy(editor)
            label.setToolTip(field.tip)
            form.addRow(label, editor)

        self.attributes = QTableWidget(0, 2)
        self.attributes.setObjectName("attributes")
        self.attributes.setHorizontalHeaderLabels(["Attribute", "Value"])
        self.attributes.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.attributes.verticalHeader().setVisible(False)
        self.attributes.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.attributes.setMinimumHeight(110)
        self.attributes.setToolTip(
            "Subscriber attributes: Segment receives them flattened to {name: value}"
        )
        self.attributes.itemChanged.connect(self._edited)
        add = QPushButton("Add attribute")
        add.setToolTip("Add a subscriber attribute row")
        add.clicked.connect(self.add_attribute)
        remove = QPushButton("Remove")
        remove.setToolTip("Remove the selected attribute rows")
        remove.clicked.connect(self._remove_attributes)
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel("Subscriber attributes"))
        buttons.addStretch(1)
        buttons.addWidget(add)
        buttons.addWidget(remove)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.attributes)

    def _make_editor(self, field: Field) -> QLineEdit | QComboBox | QCheckBox:
        if field.kind == "bool":
            box = QCheckBox()
            box.toggled.connect(self._edited)
            return box
        if field.kind == "choice":
            combo = QComboBox()
            # Size to ~14 characters, not to the longest choice, so the form fits its pane.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(14)
            combo.setEditable(True)
            combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            combo.addItems(list(field.choices))
            combo.currentTextChanged.connect(self._edited)
            return combo
        line = QLineEdit()
        if field.kind == "time":
            line.setPlaceholderText("null — e.g. 2026-01-15T12:00:00Z")
        elif field.kind in {"number", "percent"}:
            line.setPlaceholderText("null")
        elif field.kind == "list":
            line.setPlaceholderText("null — comma-separated")
        line.textChanged.connect(self._edited)
        return line

    def editor(self, name: str) -> QLineEdit | QComboBox | QCheckBox:
        return self._editors[name]

    def mark_invalid(self, name: str | None) -> None:
        """Outline the field the engine or the form rejects (None: clear), so the one-line
        error above the payload has a place in the form too."""
        if name == self._invalid:
            return
        if self._invalid in self._editors:
            self._editors[self._invalid].setStyleSheet("")
        self._invalid = name if name in self._editors else None
        if self._invalid is not None:
            self._editors[self._invalid].setStyleSheet(f"border: 2px solid {tone('error')};")

    # -- data in / out ----------------------------------------------------------------

    def fill(self, event: dict[str, Any]) -> None:
        """Show an event (template or import) without emitting `changed`."""
        self._filling = True
        try:
            for name, text in form_values(event).items():
                editor = self._editors[name]
                if isinstance(editor, QCheckBox):
                    editor.setChecked(text == "true")
                elif isinstance(editor, QComboBox):
                    editor.setCurrentText(text)
                elif editor.text() != text:
                    editor.setText(text)
                    editor.setCursorPosition(0)  # show the start of long ids
            rows = attributes_rows(event)
            self.attributes.setRowCount(0)
            for name, value in rows:
                self._append_row(name, value)
        finally:
            self._filling = False

    def values(self) -> dict[str, str]:
        out = {}
        for name, editor in self._editors.items():
            if isinstance(editor, QCheckBox):
                out[name] = "true" if editor.isChecked() else "false"
            elif isinstance(editor, QComboBox):
                out[name] = editor.currentText()
            else:
                out[name] = editor.text()
        return out

    def rows(self) -> list[tuple[str, str]]:
        rows = []
        for row in range(self.attributes.rowCount()):
            name, value = self.attributes.item(row, 0), self.attributes.item(row, 1)
            rows.append((name.text() if name else "", value.text() if value else ""))
        return rows

    # -- attributes -------------------------------------------------------------------

    def add_attribute(self) -> None:
        self._append_row("", "")
        row = self.attributes.rowCount() - 1
        self.attributes.setCurrentCell(row, 0)
        item = self.attributes.item(row, 0)
        if item is not None:
            self.attributes.editItem(item)

    def _append_row(self, name: str, value: str) -> None:
        was = self._filling
        self._filling = True
        row = self.attributes.rowCount()
        self.attributes.insertRow(row)
        self.attributes.setItem(row, 0, QTableWidgetItem(name))
        self.attributes.setItem(row, 1, QTableWidgetItem(value))
        self._filling = was

    def _remove_attributes(self) -> None:
        rows = sorted({index.row() for index in self.attributes.selectedIndexes()}, reverse=True)
        for row in rows:
            self.attributes.removeRow(row)
        if rows:
            self._edited()

    def _edited(self, *_: object) -> None:
        if not self._filling:
            self.changed.emit()
