"""Integration settings, as RevenueCat's Segment dashboard offers them: an event name per
type (optional types may be blank = not sent), sales reporting mode, send sandbox events.

The panel hands what the user set to `WindowState.edit_settings`, which puts it in force
and saves it to the profile, or says why not (a blank mandatory name: the rule is the
engine's); nothing renders until that is mended, so the payload never shows old names.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.catalogue import CATALOGUE
from app.core.settings import RevenueMode
from app.state.window import WindowState
from app.ui.widgets.colours import tone


class SettingsPanel(QWidget):
    """Edits the settings in force; refills when a profile brings other settings."""

    def __init__(self, state: WindowState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._filling = False

        self.names = QTableWidget(len(CATALOGUE), 2)
        self.names.setObjectName("event_names")
        self.names.setHorizontalHeaderLabels(["Segment event", "Event name"])
        self.names.verticalHeader().setVisible(False)
        header = self.names.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        muted = QBrush(self.palette().color(QPalette.ColorRole.PlaceholderText))
        for row, spec in enumerate(CATALOGUE.values()):
            label = QTableWidgetItem(spec.label + (" (optional)" if spec.optional else ""))
            label.setFlags(Qt.ItemFlag.ItemIsEnabled)
            label.setData(Qt.ItemDataRole.UserRole, spec.key)
            if spec.optional:
                label.setForeground(muted)
            label.setToolTip(
                f"Optional: leave the name blank and RevenueCat does not send {spec.label}"
                if spec.optional
                else f"Mandatory: {spec.label} is always sent"
            )
            self.names.setItem(row, 0, label)
            self.names.setItem(row, 1, QTableWidgetItem(spec.default_name))
        self.names.itemChanged.connect(self._changed)

        self.reset = QPushButton("Reset names")
        self.reset.setToolTip("Restore RevenueCat's default event names")
        self.reset.clicked.connect(self.reset_names)
        self.revenue = QComboBox()
        self.revenue.setObjectName("revenue_mode")
        for mode in RevenueMode:
            self.revenue.addItem(mode.label, mode.value)
        self.revenue.setToolTip("Sales reporting: what the `revenue` property holds")
        self.revenue.currentIndexChanged.connect(self._changed)
        self.sandbox = QCheckBox("Send sandbox events")
        self.sandbox.setObjectName("send_sandbox")
        self.sandbox.setToolTip(
            "RevenueCat's toggle (default off): with it off, SANDBOX events are not sent"
        )
        self.sandbox.toggled.connect(self._changed)
        self.error = QLabel()
        self.error.setObjectName("settings_error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {tone('error')};")
        self.error.hide()

        form = QFormLayout()
        form.addRow("Sales reporting:", self.revenue)
        options = QHBoxLayout()
        options.addWidget(self.sandbox)
        options.addStretch(1)
        options.addWidget(self.reset)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(options)
        layout.addWidget(self.names, 1)
        layout.addWidget(self.error)
        self._refill()
        state.draft.settings_changed.connect(self._refill)

    def _name(self, row: int) -> QTableWidgetItem:
        item = self.names.item(row, 1)
        assert item is not None  # every row is filled in __init__
        return item

    def _refill(self) -> None:
        if self._filling:
            return
        settings = self._state.draft.settings
        self._filling = True
        try:
            for row, key in enumerate(CATALOGUE):
                item = self._name(row)
                if item.text() != settings.name_for(key):
                    item.setText(settings.name_for(key))
            self.revenue.setCurrentIndex(self.revenue.findData(settings.revenue_mode.value))
            self.sandbox.setChecked(settings.send_sandbox)
            self.error.hide()
        finally:
            self._filling = False

    def reset_names(self) -> None:
        self._filling = True
        for row, spec in enumerate(CATALOGUE.values()):
            self._name(row).setText(spec.default_name)
        self._filling = False
        self._changed()

    def set_name(self, key: str, name: str) -> None:
        """Type a name into a row (used by tests and by keyboard users alike)."""
        self._name(list(CATALOGUE).index(key)).setText(name)

    def current(self) -> tuple[dict[str, str], str, bool]:
        """The names, revenue mode and sandbox toggle as shown."""
        names = {key: self._name(row).text() for row, key in enumerate(CATALOGUE)}
        return names, str(self.revenue.currentData()), self.sandbox.isChecked()

    def _changed(self, *_: object) -> None:
        if self._filling:
            return
        self._filling = True
        try:
            problem = self._state.edit_settings(*self.current())
        finally:
            self._filling = False
        self.error.setText(f"Not applied: {problem}" if problem else "")
        self.error.setVisible(bool(problem))
