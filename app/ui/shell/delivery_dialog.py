"""Send → Delivery options…: the timeout and the retries every send of the window uses,
as the CLI's --timeout and --retries set them for one run. Kept in ui.ini
(`delivery/timeout`, `delivery/retries`); non-blocking (`open()`), like every dialog here.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QWidget,
)

from app.delivery.options import DeliveryOptions
from app.ui.send_queue import SendQueue


def options_from(ui: QSettings, base: DeliveryOptions) -> DeliveryOptions:
    """The saved timeout and retries over `base` (anything unreadable is ignored)."""
    options = base
    try:
        retries = int(str(ui.value("delivery/retries", base.retries)))
        timeout = float(str(ui.value("delivery/timeout", base.read_timeout)))
    except ValueError:
        return base
    if 0 <= retries <= 20:
        options = options.model_copy(update={"retries": retries})
    if 0 < timeout <= 600 and timeout != base.read_timeout:
        options = options.with_timeout(timeout)
    return options


class DeliveryDialog(QDialog):
    def __init__(self, queue: SendQueue, ui: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("delivery_dialog")
        self.setWindowTitle("Delivery options")
        self._queue, self._ui = queue, ui
        options = queue.options
        self.timeout = QDoubleSpinBox()
        self.timeout.setObjectName("delivery_timeout")
        self.timeout.setRange(0.5, 600)
        self.timeout.setDecimals(1)
        self.timeout.setSuffix(" s")
        self.timeout.setValue(options.read_timeout)
        self.timeout.setToolTip("Connect, write and read each get this long per attempt")
        self.retries = QSpinBox()
        self.retries.setObjectName("delivery_retries")
        self.retries.setRange(0, 20)
        self.retries.setValue(options.retries)
        self.retries.setToolTip(
            "Extra attempts after a timeout, a dropped connection, 429 or 5xx; other 4xx "
            "are never retried"
        )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("&Timeout per attempt:", self.timeout)
        form.addRow("&Retries:", self.retries)
        form.addRow(QLabel("<small>Retry-After is honoured; waits grow with each retry.</small>"))
        form.addRow(buttons)

    def accept(self) -> None:
        base = self._queue.options.model_copy(update={"retries": self.retries.value()})
        self._queue.options = base.with_timeout(self.timeout.value())
        self._ui.setValue("delivery/retries", self.retries.value())
        self._ui.setValue("delivery/timeout", self.timeout.value())
        super().accept()
