"""The scenario picker and its parameters: start date, store, environment, product, price,
tax, commission and renewals. `params()` is the whole contract: a `ScenarioParams`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QDateTime, QSize, Qt, QTimeZone, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QWidget,
)

from app.core import labels
from app.core.readable import moment
from app.core.scenarios import SCENARIOS, STORES, ScenarioParams


def percent_box(value: float, name: str) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setObjectName(name)
    box.setRange(0, 100)
    box.setDecimals(2)
    box.setSuffix(" %")
    box.setValue(value * 100)
    return box


def store_shown(tied: str | None, chosen: str) -> str:
    """The store a scenario runs in: the one it is tied to, else the user's choice."""
    return tied or chosen


class ScenarioForm(QWidget):
    """Signals:
    changed(): the scenario or a parameter changed (the timeline re-renders).
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        defaults = ScenarioParams()
        self.scenario = QComboBox()
        self.scenario.setObjectName("scenario_name")
        # Long titles must not widen the form at the timeline's expense.
        self.scenario.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.scenario.setMinimumContentsLength(16)
        for scenario in SCENARIOS.values():
            self.scenario.addItem(scenario.title, scenario.name)
            self.scenario.setItemData(
                self.scenario.count() - 1, scenario.description, Qt.ItemDataRole.ToolTipRole
            )
        self.description = QLabel()
        self.description.setObjectName("scenario_description")
        self.description.setWordWrap(True)

        self.end_now = QCheckBox("End just before now")
        self.end_now.setObjectName("scenario_end_now")
        self.end_now.setToolTip("Shift the lifecycle so its last event is a minute ago")
        self.end_now.setChecked(True)
        self.start = QDateTimeEdit()
        self.start.setObjectName("scenario_start")
        self.start.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.start.setTimeZone(QTimeZone.utc())
        self.start.setDateTime(QDateTime.currentDateTimeUtc().addDays(-120))
        self.start.setEnabled(False)
        self.store = QComboBox()
        self.store.setObjectName("scenario_store")
        self.store.addItems(list(STORES))
        self.environment = QComboBox()
        self.environment.setObjectName("scenario_environment")
        self.environment.addItems(["PRODUCTION", "SANDBOX"])
        self.product = QLineEdit(defaults.product_id)
        self.product.setObjectName("scenario_product")
        self.price = QDoubleSpinBox()
        self.price.setObjectName("scenario_price")
        self.price.setRange(0, 100_000)
        self.price.setDecimals(2)
        self.price.setPrefix("$")
        self.price.setValue(defaults.price)
        self.tax = percent_box(defaults.tax_percentage, "scenario_tax")
        self.commission = percent_box(defaults.commission_percentage, "scenario_commission")
        self.renewals = QSpinBox()
        self.renewals.setObjectName("scenario_renewals")
        self.renewals.setRange(0, 120)
        self.renewals.setValue(defaults.renewals)

        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("&Scenario:", self.scenario)
        form.addRow("", self.description)
        # The date under its switch: side by side they made the column too wide for a
        # 2x screen, and the timeline paid for it.
        form.addRow("Start (UTC):", self.end_now)
        form.addRow("", self.start)
        form.addRow("S&tore:", self.store)
        form.addRow("&Environment:", self.environment)
        form.addRow("&Product:", self.product)
        form.addRow("P&rice (USD):", self.price)
        form.addRow("Ta&x:", self.tax)
        form.addRow("&Commission:", self.commission)
        form.addRow("Rene&wals:", self.renewals)

        self.scenario.currentIndexChanged.connect(self._scenario_changed)
        self.end_now.toggled.connect(lambda on: self.start.setEnabled(not on))
        self._chosen_store = self.store.currentText()
        self.store.currentIndexChanged.connect(self._store_picked)
        self.environment.currentIndexChanged.connect(lambda _i: self.changed.emit())
        for box in (self.price, self.tax, self.commission):
            box.valueChanged.connect(lambda _v: self.changed.emit())
        self.renewals.valueChanged.connect(lambda _v: self.changed.emit())
        self.product.textChanged.connect(lambda _t: self.changed.emit())
        self.start.dateTimeChanged.connect(lambda _d: self.changed.emit())
        self.end_now.toggled.connect(lambda _on: self.changed.emit())
        self._scenario_changed()

    @property
    def name(self) -> str:
        return str(self.scenario.currentData())

    def _scenario_changed(self, *_: object) -> None:
        scenario = SCENARIOS[self.name]
        self.description.setText(scenario.description)
        # A scenario tied to one store (a Play Store pause) shows it and locks the picker;
        # the user's own choice comes back with the next scenario that is not tied.
        self.store.blockSignals(True)
        self.store.setCurrentText(store_shown(scenario.store, self._chosen_store))
        self.store.blockSignals(False)
        self.store.setEnabled(scenario.store is None)
        self.changed.emit()

    def _store_picked(self, _index: int) -> None:
        if self.store.isEnabled():
            self._chosen_store = self.store.currentText()
        self.changed.emit()

    def params(self) -> ScenarioParams:
        start: datetime | None = None
        if not self.end_now.isChecked():
            start = datetime.fromtimestamp(self.start.dateTime().toSecsSinceEpoch(), UTC)
        return ScenarioParams(
            start=start,
            store=self.store.currentText(),
            environment=self.environment.currentText(),
            product_id=self.product.text().strip(),
            price=round(self.price.value(), 2),
            tax_percentage=round(self.tax.value() / 100, 4),
            commission_percentage=round(self.commission.value() / 100, 4),
            renewals=self.renewals.value(),
        )

    def shown_parameters(self) -> dict[str, str]:
        """The parameters as a person reads them (for the report)."""
        p = self.params()
        start = p.start or datetime.now(UTC) - timedelta(minutes=1)
        return {
            "scenario": SCENARIOS[self.name].title if self.name in SCENARIOS else self.name,
            "start": "ends just before now" if p.start is None else moment(start),
            "store": labels.store(p.store),
            "environment": labels.environment(p.environment),
            "product": p.product_id,
            "price": f"${p.price:,.2f}",
            "tax": f"{p.tax_percentage * 100:g} %",
            "commission": f"{p.commission_percentage * 100:g} %",
            "renewals": str(p.renewals),
        }


class FormScroll(QScrollArea):
    """The parameter column: scrolls vertically when the type is large and the screen
    short, and asks for the width its form needs (never clipped sideways)."""

    def __init__(self, form: QWidget) -> None:
        super().__init__()
        self._form = form
        self.setWidget(form)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def _extra(self) -> int:
        return self.verticalScrollBar().sizeHint().width() + 2

    def sizeHint(self) -> QSize:
        hint = self._form.sizeHint()
        return QSize(hint.width() + self._extra(), hint.height())

    def minimumSizeHint(self) -> QSize:
        hint = self._form.minimumSizeHint()
        return QSize(hint.width() + self._extra(), 100)
