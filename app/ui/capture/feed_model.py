"""The live feed's table model: newest first, bounded, one insert per batch; and the
filter over it.

Rows are `app.capture.feed.FeedRow`s (their text is decided there). The model keeps at
most `cap` rows: past it, the oldest leave the table (they stay in the history), so a
receiver taking thousands of calls a second never grows the window's memory or slows
its paint. The filter shows the rows whose words match (`FeedRow.matches`, over every id
of a call, not only the few its cell lists), in the model's order, as they arrive.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

from app.capture.feed import COLUMNS, FeedRow, row_for
from app.capture.items import LiveItem
from app.ui.widgets.colours import tone

#: Rows shown; older ones are in the history.
FEED_CAP = 5_000
RESULT_COLUMN = COLUMNS.index("Result")

_Index = QModelIndex | QPersistentModelIndex


class FeedModel(QAbstractTableModel):
    def __init__(self, cap: int = FEED_CAP) -> None:
        super().__init__()
        self.cap = cap
        self.rows: list[FeedRow] = []  # newest first
        #: Everything added since the last clear (shown or trimmed).
        self.seen = {"segment": 0, "revenuecat": 0}

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> str | None:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.cells()[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.tooltip or None
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == RESULT_COLUMN:
            return QColor(tone(row.tone)) if row.tone != "ok" else None
        return None

    def add(self, items: Sequence[LiveItem]) -> None:
        """A tick's items, oldest first: one insert at the top, then trim the bottom."""
        if not items:
            return
        for item in items:
            self.seen[item.source] = self.seen.get(item.source, 0) + 1
        newest = [row_for(item) for item in reversed(items[-self.cap :])]
        self.beginInsertRows(QModelIndex(), 0, len(newest) - 1)
        self.rows[:0] = newest
        self.endInsertRows()
        if len(self.rows) > self.cap:
            self.beginRemoveRows(QModelIndex(), self.cap, len(self.rows) - 1)
            del self.rows[self.cap :]
            self.endRemoveRows()

    def clear(self) -> None:
        self.beginResetModel()
        self.rows.clear()
        self.seen = {"segment": 0, "revenuecat": 0}
        self.endResetModel()

    def row(self, index: int) -> FeedRow | None:
        return self.rows[index] if 0 <= index < len(self.rows) else None


class FeedFilter(QSortFilterProxyModel):
    """The feed's rows that match `text` (all of them while it is blank)."""

    def __init__(self, source: FeedModel) -> None:
        super().__init__()
        self.feed = source
        self.text = ""
        self.setSourceModel(source)

    def set_text(self, text: str) -> None:
        if text.strip() != self.text:
            self.beginFilterChange()
            self.text = text.strip()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, _parent: _Index) -> bool:
        if not self.text:
            return True
        row = self.feed.row(source_row)
        return row is not None and row.matches(self.text)

    def row(self, index: int) -> FeedRow | None:
        """The feed row shown at `index` of the filtered table."""
        source = self.mapToSource(self.index(index, 0))
        return self.feed.row(source.row()) if source.isValid() else None
