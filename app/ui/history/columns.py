"""The history table's columns: in an order that keeps the status on screen, at widths
that follow the font (presentation mode's larger type, a 2× screen).

Time and Status come first, and the table is never narrower than they are: at any width
(a 1600×1000 screen at 2× is 800×500 for Qt, presentation mode's type is 1.5× larger)
they are on screen without scrolling; the event name takes what is left and elides,
and the rest scroll in. The Status column is never narrower than its longest words
("interrupted (connection)"): a person may widen it, never squeeze it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, Signal
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QHeaderView, QTableView

from app.state.history_text import COLUMNS, EVENT_COLUMN, STATUS_COLUMN

#: Left to right as shown (the model keeps its own order: cells and exports do not move).
VISUAL_ORDER = ("Time", "Status", "Event", "userId", "Mode", "Target", "Latency")

#: The text each column is sized for, in the table's font.
SAMPLES = {
    "Time": "2026-01-15 12:00:00",
    "Status": "interrupted (connection)",
    "Mode": "preview ✎ ⚑",
    "userId": "user_000000",
    "Target": "api.segment.io",
    "Latency": "12345 ms",
    "Event": "rc_renewal_event",
}
_PADDING = 18  # the cell's margins and the sort/resize handle


class ColumnLayout(QObject):
    """Lays out `table`'s columns once, and again whenever its font changes."""

    def __init__(self, table: QTableView) -> None:
        super().__init__(table)
        self._table = table
        header = table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(EVENT_COLUMN, QHeaderView.ResizeMode.Stretch)
        for visual, name in enumerate(VISUAL_ORDER):
            header.moveSection(header.visualIndex(COLUMNS.index(name)), visual)
        header.sectionResized.connect(self._kept_wide)
        self.apply()
        table.installEventFilter(self)

    def status_width(self) -> int:
        return self._table.fontMetrics().horizontalAdvance(SAMPLES["Status"]) + _PADDING

    def apply(self) -> None:
        table = self._table
        metrics = table.fontMetrics()
        for column, name in enumerate(COLUMNS):
            if column != EVENT_COLUMN:
                table.setColumnWidth(column, metrics.horizontalAdvance(SAMPLES[name]) + _PADDING)
        table.horizontalHeader().setMinimumSectionSize(metrics.horizontalAdvance("Event…") + 8)
        table.verticalHeader().setDefaultSectionSize(metrics.height() + 8)
        # The table never gets narrower than Time and Status (a splitter may not squeeze
        # it there): the status is on screen whatever the detail beside it asks for.
        first = [COLUMNS.index(name) for name in VISUAL_ORDER[:2]]
        frame = 2 * table.frameWidth() + table.verticalScrollBar().sizeHint().width()
        table.setMinimumWidth(sum(table.columnWidth(c) for c in first) + frame)

    def _kept_wide(self, column: int, _old: int, new: int) -> None:
        if column == STATUS_COLUMN and new < self.status_width():
            self._table.setColumnWidth(column, self.status_width())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._table and event.type() in (QEvent.Type.FontChange,
                                                       QEvent.Type.StyleChange):  # fmt: skip
            self.apply()
        return False


class HistoryTable(QTableView):
    """The table, with a context menu the Menu key (or Shift+F10) opens at the current
    row, as a right-click opens it at the pointer.

    Signals:
        menu_requested(QPoint, bool): where (viewport coordinates), and whether it
            came from the keyboard (then the selection must not change).
    """

    menu_requested = Signal(QPoint, bool)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        keyboard = event.reason() == QContextMenuEvent.Reason.Keyboard
        current = self.currentIndex()
        if keyboard:
            pos = self.visualRect(current).center() if current.isValid() else QPoint(4, 4)
        else:
            pos = event.pos()
        self.menu_requested.emit(pos, keyboard)
        event.accept()
