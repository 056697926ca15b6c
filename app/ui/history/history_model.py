"""A table model over the SQLite history that loads lazily, page by page.

Qt asks `canFetchMore`/`fetchMore` as the view scrolls, so opening a history of 100,000
rows reads one page (plus a count capped at COUNT_CAP), not the whole table. It holds
light rows (`RowSummary`: the columns, not the documents); `row_at` loads the whole row
for the one a person selects.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from app.state.history_text import (
    COLUMNS,
    MODE_COLUMN,
    STATUS_COLUMN,
    STATUS_TONES,
    TARGET_COLUMN,
    cell_text,
)
from app.storage import HistoryQuery, HistoryRow, HistoryStore
from app.storage.summaries import RowSummary
from app.ui.widgets.colours import tone

PAGE = 100  # a few ms to fetch and decode: below a frame, so scrolling does not stutter
#: Counting every match of a text filter over 100,000 rows costs a full scan; past this
#: many the table says "more than" and keeps fetching pages while there are more.
COUNT_CAP = 1_000

Index = QModelIndex | QPersistentModelIndex

_Role = Qt.ItemDataRole
#: The roles `data` answers, as ints. A view asks for a dozen roles per cell on every
#: paint (font, alignment, background, check state, size …); the others return at once.
_ANSWERED = frozenset(int(r.value) for r in (_Role.DisplayRole, _Role.ForegroundRole,
                                             _Role.ToolTipRole, _Role.UserRole))  # fmt: skip


class HistoryModel(QAbstractTableModel):
    """Light rows of `store.summaries(query)`, newest first, fetched PAGE at a time.

    Signals:
        total_changed(): a fetch learned more about how many rows match.
    """

    total_changed = Signal()

    def __init__(self, store: HistoryStore) -> None:
        super().__init__()
        self._store = store
        self._query = HistoryQuery()
        self._rows: list[RowSummary] = []
        self._total = 0
        self._capped = False
        self.reload()

    @property
    def total(self) -> int:
        """Matching rows; at least this many when `capped`."""
        return self._total

    @property
    def capped(self) -> bool:
        return self._capped

    def set_query(self, query: HistoryQuery) -> None:
        self._query = query
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self._rows, found = self._store.first_page(self._query, limit=PAGE, cap=COUNT_CAP)
        self._capped = found > COUNT_CAP
        self._total = min(found, COUNT_CAP)
        self.endResetModel()

    def summary_at(self, row: int) -> RowSummary:
        return self._rows[row]

    def row_at(self, row: int) -> HistoryRow:
        """The whole row (documents included), read now."""
        full = self._store.get(self._rows[row].id)
        if full is None:
            raise LookupError(f"history row {self._rows[row].id} no longer exists")
        return full

    # -- Qt model API -----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and (len(self._rows) < self._total or self._capped)

    def _next_page(self) -> list[RowSummary]:
        """The PAGE rows after the last loaded one, by keyset (time < last time), not by
        OFFSET: SQLite walks the whole offset first, ~200 ms at row 50,000; this stays a
        few ms at any depth. Rows sharing the last timestamp are asked for again and
        dropped by id, so equal timestamps are neither lost nor shown twice."""
        if not self._rows:
            return self._store.summaries(self._query, limit=PAGE)
        edge = self._rows[-1].created_at
        loaded: set[int] = set()
        for row in reversed(self._rows):
            if row.created_at != edge:
                break
            loaded.add(row.id)
        until = edge + timedelta(microseconds=1)  # created_at has µs resolution
        if self._query.until is not None:
            until = min(until, self._query.until)
        page = self._store.summaries(
            self._query.model_copy(update={"until": until}), limit=PAGE + len(loaded)
        )
        return [row for row in page if row.id not in loaded]

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid():
            return
        more = self._next_page()
        if more:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
            self._rows.extend(more)
            self.endInsertRows()
        if len(more) < PAGE:  # the end: the count is exact now
            self._total, self._capped = len(self._rows), False
        elif self._capped:
            self._total = max(self._total, len(self._rows))
        self.total_changed.emit()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ANSWERED or not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(row, index.column())
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == STATUS_COLUMN:
            return QColor(tone(STATUS_TONES[row.status_class]))
        if role == Qt.ItemDataRole.ToolTipRole:
            if index.column() == STATUS_COLUMN:
                return row.status.label + (f": {row.error}" if row.error else "")
            if index.column() == TARGET_COLUMN:
                return row.target
            if index.column() == MODE_COLUMN:
                flags = []
                if row.hand_edited:
                    flags.append("✎ hand-edited payload")
                if row.sandbox_override:
                    flags.append("⚑ sandbox override")
                return ", ".join(flags) or None
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None
