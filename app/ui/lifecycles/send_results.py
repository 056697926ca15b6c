"""A scenario send, event by event: what each event's requests got (a row per event of
the timeline), and the watch that keeps it current while the send runs ("3 of 6").

The words come from `state.progress_text`; this module only follows the send's handle
(each attempt, each finished request, and a tick for the elapsed time) and shows them.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app.state.progress_text import Step, current_index, finished_line, scenario_line, step
from app.ui.send_queue import SendHandle
from app.ui.widgets.colours import tone


class StepWatch(QObject):
    """Follows one scenario send. `steps` has one `Step` per event, `line` the sentence
    for the progress line; both are current whenever `changed` fires.

    Signals:
        changed(): the steps or the line changed (an attempt, a result, a tick, the end).
    """

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.handle: SendHandle | None = None
        self.labels: list[str] = []
        self.steps: list[Step] = []
        self.line = ""
        self._ticker = QTimer(self)
        self._ticker.setInterval(100)
        self._ticker.timeout.connect(self.update)

    def follow(self, handle: SendHandle, labels: Sequence[str]) -> None:
        self.handle = handle
        self.labels = list(labels)
        handle.attempt.connect(self.update)
        handle.progress.connect(self.update)
        handle.finished.connect(lambda _report: self.update())
        self._ticker.start()
        self.update()

    def reset(self) -> None:
        """Forget the send (the timeline it was about has changed)."""
        self.handle = None
        self.steps = []
        self.line = ""
        self._ticker.stop()
        self.changed.emit()

    def update(self) -> None:
        handle = self.handle
        if handle is None:
            return
        running = handle.running
        outcomes = handle.outcomes
        now = current_index(outcomes) if running else None
        live = handle.last_attempt
        self.steps = [step(o, live if i == now else None, running) for i, o in enumerate(outcomes)]
        since = time.monotonic() - handle.started
        if running:
            self.line = scenario_line(outcomes, self.labels, live, since, handle.job.options.batch)
        else:
            self._ticker.stop()
            report = handle.report
            cancelled = report is not None and report.cancelled
            self.line = finished_line(cancelled, since, f"{len(outcomes)} events")
        self.changed.emit()


class SendResults(QTableWidget):
    """One row per event: #, the event, its result (the whole of it in the tooltip).

    Signals:
        event_chosen(int): the user picked an event's row (its index on the timeline).
    """

    event_chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 3, parent)
        self.setObjectName("scenario_results")
        self.setHorizontalHeaderLabels(["#", "Event", "Result"])
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setTabKeyNavigation(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.itemSelectionChanged.connect(self._chosen)
        self._quiet = False

    def show_events(self, labels: Sequence[str]) -> None:
        """The timeline's events, none sent yet."""
        self.setRowCount(len(labels))
        for row, label in enumerate(labels):
            self.setItem(row, 0, _item(str(row + 1)))
            self.setItem(row, 1, _item(label))
            self.setItem(row, 2, _item("not sent yet", QColor(tone("muted"))))

    def show_steps(self, steps: Sequence[Step]) -> None:
        for row, current in enumerate(steps[: self.rowCount()]):
            item = self.item(row, 2)
            if item is None or item.text() != current.text:
                shown = _item(current.text, QColor(tone(current.state.tone)))
                shown.setToolTip(current.detail or current.text)
                shown.setData(Qt.ItemDataRole.UserRole, current.state.value)
                self.setItem(row, 2, shown)

    def result_of(self, row: int) -> str:
        item = self.item(row, 2)
        return item.text() if item is not None else ""

    def select_event(self, index: int) -> None:
        """Follow a click on the timeline (without echoing it back)."""
        self._quiet = True
        try:
            self.selectRow(index)
        finally:
            self._quiet = False

    def _chosen(self) -> None:
        rows = self.selectionModel().selectedRows()
        if rows and not self._quiet:
            self.event_chosen.emit(rows[0].row())


def _item(text: str, colour: QColor | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if colour is not None:
        item.setForeground(QBrush(colour))
    return item
