"""The mouse wheel scrolls the form it is over; it never changes a combo box or a spin
box just because the pointer passed over one on its way down.

A combo or spin box reacts to the wheel only once the user has clicked or tabbed into
it; until then its wheel events go to the scroll area around it. `watch(widget)` guards
every combo and spin box inside a widget (the shell calls it for each part it builds),
so only their events pass through Python, not every event of the application.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QAbstractSpinBox, QComboBox, QWidget

_GUARDED = (QComboBox, QAbstractSpinBox)


class WheelGuard(QObject):
    def watch(self, widget: QWidget) -> None:
        boxes: list[QWidget] = [*widget.findChildren(QComboBox),
                                *widget.findChildren(QAbstractSpinBox)]  # fmt: skip
        for box in boxes:
            box.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the wheel gives no focus
            box.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() != QEvent.Type.Wheel
            or not isinstance(watched, _GUARDED)
            or watched.hasFocus()
        ):
            return False
        area = _scroll_area_of(watched)
        if area is not None:
            QCoreApplication.sendEvent(area.verticalScrollBar(), event)
        return True  # the combo or spin box keeps its value


def _scroll_area_of(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea) and not isinstance(parent, _GUARDED):
            return parent
        parent = parent.parentWidget()
    return None
